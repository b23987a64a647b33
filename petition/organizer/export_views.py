"""Exports by ward (CSV, zip, .xlsx) and printable delivery packets.

Exports and packets are GET views that write (the audit entry), hence writes_on_get.
"""

from flask import (
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import gettext as _
from flask_login import current_user

from petition.database import writes_on_get
from petition.extensions import db
from petition.geo import Geocoder
from petition.lookup.members import members_of
from petition.lookup.service import alder_names
from petition.models import WARD_NUMBERS
from petition.models.legislator import CHAMBER_DISTRICTS
from petition.organizer import exports, packets
from petition.organizer.access import managed_petition_or_404
from petition.web.errors import refuse
from petition.web.forms import FieldError
from petition.web.workspace import workspace_blueprint

bp = workspace_blueprint("exports", __name__)


def _options_or_400(petition):
    districts = request.args.getlist("district") if "district" in request.args else None
    try:
        return exports.parse_options(request.args.getlist("ward"), request.args.get("status"),
                                     request.args.get("invalidated"), target=petition.target,
                                     districts=districts)
    except FieldError as exc:
        refuse(str(exc))


CSV_TYPE = "text/csv; charset=utf-8; header=present"  # RFC 4180 / 7111
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_LAYOUTS = ("one", "ward")  # ?sheets=: one sheet, or one per ward (or district)


def _sheets_or_400():
    layout = (request.args.get("sheets") or "one").strip().lower()
    if layout not in SHEET_LAYOUTS:
        refuse(_("Sheets must be \"one\" or \"ward\"."))
    return layout


def _body(export, petition, extension, layout):
    if extension == "csv":
        return export.iter_csv()
    if extension == "zip":
        return export.iter_zip()
    return export.iter_xlsx(petition.title, by_ward=layout == "ward")


def _chained(first, rest):
    """`first`, then the rest of the body generator (closed with this one)."""
    try:
        yield first
        yield from rest
    finally:
        rest.close()


def _stream(petition, kind, extension, mimetype, layout=None):
    options = _options_or_400(petition)
    if request.method == "HEAD":
        # Nothing leaves, so nothing is opened or logged.
        return Response(content_type=mimetype, headers={"Cache-Control": "no-store"})
    export = exports.open_export(petition, options, organizer=current_user, kind=kind,
                                 batch_size=current_app.config["EXPORT_BATCH_SIZE"])
    filename = exports.file_name(petition.slug, options, extension)
    db.session.commit()  # the audit entry is stored before the first byte is sent
    body = _body(export, petition, extension, layout)
    # Made before the response: a database lost by then is the 503 page, where once the
    # response is returned only the server's bare 500 could say so. (A small file is all
    # one chunk; a loss later cuts the download off, which no client takes for whole.)
    first = next(body, b"")
    # content_type, not mimetype: Flask would add a second charset to the CSV's.
    response = Response(stream_with_context(_chained(first, body)), content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.call_on_close(export.close)  # also when the client goes away mid-download
    return response


@bp.get("/petitions/<slug>/export.csv")
@writes_on_get
def export_csv(slug):
    petition = managed_petition_or_404(slug)
    return _stream(petition, "export_csv", "csv", CSV_TYPE)


@bp.get("/petitions/<slug>/export.zip")
@writes_on_get
def export_zip(slug):
    petition = managed_petition_or_404(slug)
    return _stream(petition, "export_zip", "zip", "application/zip")


@bp.get("/petitions/<slug>/export.xlsx")
@writes_on_get
def export_xlsx(slug):
    petition = managed_petition_or_404(slug)
    layout = _sheets_or_400()
    kind = "export_xlsx_by_ward" if layout == "ward" else "export_xlsx"
    return _stream(petition, kind, "xlsx", XLSX_TYPE, layout)


@bp.get("/petitions/<slug>/exports")
def exports_page(slug):
    petition = managed_petition_or_404(slug)
    chamber = petition.target.chambers[0] if petition.target.chambers else None
    state = Geocoder.default().state
    districts = sorted((state.house if chamber == "house" else state.senate).numbers) \
        if chamber else []
    return render_template("organizer/exports.html", petition=petition,
                           wards=list(WARD_NUMBERS), chamber=chamber, districts=districts)


@bp.get("/petitions/<slug>/districts/<int:district>/packet")
@writes_on_get
def district_packet(slug, district):
    petition = managed_petition_or_404(slug)
    chambers = petition.target.chambers
    if not chambers or district not in CHAMBER_DISTRICTS[chambers[0]]:
        abort(404)  # a petition to alders has ward packets; no such district
    data = packets.district_packet(petition, chambers[0], district, organizer=current_user)
    member = members_of(chambers[0], [district]).get(district)
    page = render_template("organizer/packet.html", packet=data, petition=petition,
                           alder=member.name if member else None)
    db.session.commit()
    return page


@bp.get("/petitions/<slug>/wards/<ward:ward>/packet")
@writes_on_get
def packet(slug, ward):
    petition = managed_petition_or_404(slug)
    data = packets.delivery_packet(petition, ward, organizer=current_user)
    page = render_template("organizer/packet.html", packet=data, petition=petition,
                           alder=alder_names().get(ward))
    db.session.commit()
    return page
