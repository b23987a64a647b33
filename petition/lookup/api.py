"""GET /api/v1/lookup?address=... or ?lon=...&lat=...

200: {"ward", "alder": {...} | null, "police_district", "district_council": [names],
      "location": {"lon", "lat"}, "match", "confidence", "normalized_address"}
      plus "candidate_wards" when the point is near a ward boundary;
      "state_house" and "state_senate": {"district", "vacant", "member": {"name", "party",
      "email", "phone", "office_address", "website"} | null} (member null: vacant, or not in
      the roster), plus "candidate_districts" near a district line.
400: bad input (missing, both, blank, non-numeric or out-of-range lon/lat, over-long or
     control characters): {"error": ...}.
404: no ward: {"error", "code", "suggestions"}; "code" is the reason ("unknown_street",
     "ambiguous_street" (+"candidate_wards"), "outside_chicago", ...).
"""

import unicodedata

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from petition.extensions import lookup_limit
from petition.lookup import service as lookup
from petition.petitions.api import error
from petition.web.security import checks_control_characters

bp = Blueprint("lookup_api", __name__, url_prefix="/api/v1")


def _not_found_message(code):
    messages = {
        "missing_house_number": _("Add the house number, like 1958 N Milwaukee Ave."),
        "unknown_street": _("There is no street by that name in Chicago."),
        "number_out_of_range": _("That house number is not on this street in Chicago."),
        "unknown_intersection": _("Those two streets do not meet in Chicago."),
        "street_not_located": _("The street exists but that house number could not be "
                                "placed."),
    }
    return messages.get(code, _("No Chicago address matches."))


def _has_control_characters(text):
    return any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text)


def _answer_response(answer):
    if answer.has_ward:
        return jsonify(answer.to_api())
    if answer.status == "outside_chicago":
        body = {"error": _("This location is outside the City of Chicago: it has no ward."),
                "code": "outside_chicago", "suggestions": []}
    elif answer.status == "ambiguous":
        body = {"error": _("More than one Chicago street has this name; add N, S, E or W."),
                "code": "ambiguous_street", "suggestions": answer.suggestions,
                "candidate_wards": answer.candidate_wards}
    else:
        body = {"error": _not_found_message(answer.error), "code": answer.error or "not_found",
                "suggestions": answer.suggestions}
    return jsonify(body), 404


@bp.get("/lookup")
@lookup_limit
@checks_control_characters
def lookup_api():
    args = request.args
    address = args.get("address")
    lon, lat = args.get("lon"), args.get("lat")
    has_point = lon is not None or lat is not None
    if address is not None and has_point:
        return error(_("Send either address or lon and lat, not both."), 400)
    if address is not None:
        address = address.strip()
        if not address:
            return error(_("The address is empty."), 400)
        if len(address) > lookup.MAX_ADDRESS_CHARS:
            return error(_("The address is too long (at most %(max)d characters).",
                           max=lookup.MAX_ADDRESS_CHARS), 400)
        if _has_control_characters(address):
            return error(_("The address contains control characters."), 400)
        return _answer_response(lookup.find_by_address(address))
    if has_point:
        if lon is None or lat is None or not lon.strip() or not lat.strip():
            return error(_("Send both lon and lat."), 400)
        point = lookup.valid_point(lon.strip(), lat.strip())
        if point is None:
            return error(_("lon and lat must be numbers: lon from -180 to 180, "
                           "lat from -90 to 90."), 400)
        return _answer_response(lookup.find_by_point(*point))
    return error(_("Send address=..., or lon=...&lat=...."), 400)
