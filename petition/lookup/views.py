"""Find my alder: /lookup (a GET form, bookmarkable, works without JavaScript)."""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from petition.extensions import lookup_limit
from petition.lookup import service as lookup
from petition.lookup.forms import LookupForm
from petition.web.security import checks_control_characters

bp = Blueprint("lookup", __name__)


def _ward_arg(text):
    text = (text or "").strip()
    if text.isdigit() and len(text) <= 2 and 1 <= int(text) <= 50:
        return int(text)
    return None


@bp.get("/lookup", endpoint="lookup")
@lookup_limit
@checks_control_characters
def lookup_page():
    """?address=... | ?lon=&lat= (the "use my location" script) | ?ward=N (chosen)."""
    args = request.args
    form = LookupForm(formdata=args if "address" in args else None)
    lon, lat = args.get("lon", "").strip(), args.get("lat", "").strip()
    ward_text = args.get("ward", "").strip()
    answer, problem, status = None, None, 200

    point = None
    if lon or lat:
        point = lookup.valid_point(lon, lat) if lon and lat else None
        if point is None:
            problem = _("We could not read that location. Type your address instead.")
    address = None
    if "address" in args and point is None and not problem:
        if form.validate():
            address = form.data["address"]
    ward = None
    if ward_text:
        ward = _ward_arg(ward_text)
        if ward is None:
            problem = _("Choose a ward from 1 to 50.")

    if problem or form.errors:
        status = 400
    elif ward is not None:
        answer = lookup.find_by_ward(ward, address=address, point=point)
    elif point is not None:
        answer = lookup.find_by_point(*point)
    elif address:
        answer = lookup.find_by_address(address)
    return render_template("lookup/index.html", form=form, answer=answer,
                           problem=problem), status


@bp.get("/lookup/wards")
def lookup_wards():
    """The city map: every ward links to its alder card (and a select, for keyboards)."""
    return render_template("lookup/wards.html")
