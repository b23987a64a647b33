"""Find my alder: /lookup (a GET form, bookmarkable, works without JavaScript)."""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from petition.extensions import lookup_limit
from petition.lookup import councils, members
from petition.lookup import service as lookup
from petition.lookup.forms import LookupForm
from petition.models.ward import parse_ward
from petition.web.security import checks_control_characters

bp = Blueprint("lookup", __name__)
bp.add_app_template_filter(councils.role_name, "council_role")
bp.add_app_template_filter(members.party_name, "party_name")


def _read_query(args, form):
    """(address, point, ward, problem) from the query; `problem` says what is unreadable."""
    lon, lat = args.get("lon", "").strip(), args.get("lat", "").strip()
    point = problem = address = ward = None
    if lon or lat:
        point = lookup.valid_point(lon, lat) if lon and lat else None
        if point is None:
            problem = _("We could not read that location. Type your address instead.")
    if "address" in args and point is None and not problem and form.validate():
        address = form.data["address"]
    if args.get("ward", "").strip():
        ward = parse_ward(args["ward"])
        if ward is None:
            problem = _("Choose a ward from 1 to 50.")
    return address, point, ward, problem


@bp.get("/lookup", endpoint="lookup")
@lookup_limit
@checks_control_characters
def lookup_page():
    """?address=... | ?lon=&lat= (the "use my location" script) | ?ward=N (chosen)."""
    form = LookupForm(formdata=request.args if "address" in request.args else None)
    address, point, ward, problem = _read_query(request.args, form)
    answer = None
    if problem or form.errors:
        return render_template("lookup/index.html", form=form, answer=None,
                               problem=problem), 400
    if ward is not None:
        answer = lookup.find_by_ward(ward, address=address, point=point)
    elif point is not None:
        answer = lookup.find_by_point(*point)
    elif address:
        answer = lookup.find_by_address(address)
    return render_template("lookup/index.html", form=form,
                           answer=lookup.name_boundary_street(answer), problem=None)


@bp.get("/lookup/wards")
def lookup_wards():
    """The city map: every ward links to its alder card (and a select, for keyboards)."""
    return render_template("lookup/wards.html")
