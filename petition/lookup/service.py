"""Find my alder: address or point -> ward, alder, police district and District Council,
State Representative and State Senator.

Every function returns a :class:`LookupAnswer`, the one object the pages, the partial
``templates/lookup/_alder_card.html``, the API and the batch command all read. Plain
functions with explicit arguments; nothing here reads the request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import select

from petition.extensions import db
from petition.geo import Geocoder
from petition.geo.boundaries import BoundaryStreet, boundary_street
from petition.geo.parse import MAX_INPUT_CHARS, parse
from petition.lookup.members import StateSeat, seats_for
from petition.models import WARD_NUMBERS, Alder, DistrictCouncilMember, Ward, WardStatus

MAX_ADDRESS_CHARS = MAX_INPUT_CHARS  # 200: longer input is refused before the geocoder

# Geocoder error codes that mean "we could not place this address in a ward".
NOT_FOUND_CODES = {
    "unparseable", "missing_house_number", "unknown_street", "number_out_of_range",
    "street_not_located", "unknown_intersection", "too_long",
}


@dataclass(frozen=True)
class AlderInfo:
    ward: int
    name: str
    email: str
    phone: str
    office_address: str
    website: str

    def to_dict(self):
        """Empty fields are None (null in JSON)."""
        return {"name": self.name, "email": self.email or None, "phone": self.phone or None,
                "office_address": self.office_address or None, "website": self.website or None}


@dataclass(frozen=True)
class CouncilMember:
    name: str
    role: str


@dataclass
class LookupAnswer:
    """The outcome of one look-up.

    ``status`` is one of:
      - ``found``: ``ward`` is certain (``confidence == "high"``) or was chosen;
      - ``near_boundary``: ``ward`` is the best guess, ``candidate_wards`` the possibilities;
      - ``ambiguous``: the street exists in several directions in different wards
        (``suggestions`` lists them, ``candidate_wards`` their wards);
      - ``not_found``: the address did not match (``error`` says why, ``suggestions``
        are full addresses to try);
      - ``outside_chicago``;
      - ``unknown``: a signature whose ward is not known yet.
    """

    status: str
    query: str = ""
    ward: int | None = None
    alder: AlderInfo | None = None
    police_district: int | None = None
    district_council: list[CouncilMember] = field(default_factory=list)
    # For a ward chosen without a location: the police districts the ward overlaps.
    possible_police_districts: list[int] = field(default_factory=list)
    location: tuple[float, float] | None = None
    match: str = "none"
    confidence: str = "none"
    candidate_wards: list[int] = field(default_factory=list)
    candidate_alders: dict[int, AlderInfo | None] = field(default_factory=dict)
    normalized_address: str | None = None
    suggestions: list[str] = field(default_factory=list)
    error: str | None = None
    fuzzy: bool = False
    chosen: bool = False  # the person chose the ward (near a line, or on the city map)
    query_point: tuple[float, float] | None = None  # the lon/lat a point look-up was for
    boundary: BoundaryStreet | None = None  # near a line along a street: which side is which
    # The Illinois House and Senate seats (None: the districts are not known).
    state_house: StateSeat | None = None
    state_senate: StateSeat | None = None

    @property
    def has_ward(self):
        return self.ward is not None

    @property
    def near_boundary(self):
        return self.status == "near_boundary"

    def to_api(self) -> dict:
        """The JSON body of a successful /api/v1/lookup."""
        body = {
            "ward": self.ward,
            "alder": self.alder.to_dict() if self.alder else None,
            "police_district": self.police_district,
            "district_council": [m.name for m in self.district_council],
            "location": ({"lon": self.location[0], "lat": self.location[1]}
                         if self.location else None),
            "match": self.match,
            "confidence": self.confidence,
            "normalized_address": self.normalized_address,
            "state_house": self.state_house.to_api() if self.state_house else None,
            "state_senate": self.state_senate.to_api() if self.state_senate else None,
        }
        if self.status == "near_boundary":
            body["candidate_wards"] = list(self.candidate_wards)
        return body


# -- rosters -----------------------------------------------------------------------------

def _alder_info(alder):
    return AlderInfo(ward=alder.ward, name=alder.name, email=alder.email, phone=alder.phone,
                     office_address=alder.office_address, website=alder.website)


def alders_by_ward(wards=None) -> dict[int, AlderInfo]:
    """Alders from the roster, for some wards or all of them."""
    query = select(Alder)
    if wards is not None:
        query = query.where(Alder.ward.in_(list(wards)))
    return {a.ward: _alder_info(a) for a in db.session.scalars(query)}


def alder_names() -> dict[int, str]:
    """{ward number: alder's name} from the alder roster (wards without one are absent)."""
    return dict(db.session.execute(select(Alder.ward, Alder.name)).all())


def district_council(district) -> list[CouncilMember]:
    """The District Council members of a police district, in roster order."""
    if district is None:
        return []
    rows = db.session.scalars(
        select(DistrictCouncilMember)
        .where(DistrictCouncilMember.district == district)
        .order_by(DistrictCouncilMember.id)
    )
    return [CouncilMember(m.name, m.role) for m in rows]


def _ward_districts(ward) -> list[int]:
    row = db.session.get(Ward, ward)
    return row.police_district_numbers if row else []


def name_boundary_street(answer: LookupAnswer) -> LookupAnswer:
    """Near a ward line that follows a street, say which street and which side is which
    (for the look-up page; the API and the batch do not need it)."""
    if answer is not None and answer.near_boundary and answer.location:
        answer.boundary = boundary_street(Geocoder.default(), *answer.location,
                                          answer.candidate_wards)
    return answer


def _fill(answer: LookupAnswer) -> LookupAnswer:
    """Add the roster facts (alders, council) to an answer that has its geography."""
    wards = set(answer.candidate_wards) | ({answer.ward} if answer.ward else set())
    alders = alders_by_ward(wards) if wards else {}
    if answer.ward is not None:
        answer.alder = alders.get(answer.ward)
        if answer.police_district is None:
            answer.possible_police_districts = _ward_districts(answer.ward)
    answer.candidate_alders = {w: alders.get(w) for w in answer.candidate_wards}
    answer.district_council = district_council(answer.police_district)
    if answer.ward is None:  # no Chicago place: no districts either
        answer.state_house = answer.state_senate = None
    answer.state_house, answer.state_senate = seats_for(answer.state_house,
                                                        answer.state_senate)
    return answer


# -- look-ups ----------------------------------------------------------------------------

def full_suggestions(text: str, suggestions) -> list[str]:
    """Street names -> addresses to try: '1958 N MILWAUKEE AVE' from 'N MILWAUKEE AVE'."""
    parsed = parse(text)
    number = parsed.number
    out = []
    for suggestion in suggestions:
        if not suggestion[:1].isdigit() and number is not None:
            suggestion = f"{number} {suggestion}"
        if suggestion not in out:
            out.append(suggestion)
    return out[:5]


def _from_result(result, query: str) -> LookupAnswer:
    answer = LookupAnswer(
        status="found",
        query=query,
        ward=result.ward,
        police_district=result.police_district,
        location=tuple(result.location) if result.location else None,
        match=result.match,
        confidence=result.confidence,
        candidate_wards=list(result.candidate_wards),
        normalized_address=result.normalized_address,
        error=result.error,
        fuzzy=result.fuzzy,
        state_house=StateSeat.at(result.state_house, result.candidate_state_house),
        state_senate=StateSeat.at(result.state_senate, result.candidate_state_senate),
    )
    if result.error == "outside_chicago":
        answer.status = "outside_chicago"
        answer.ward, answer.candidate_wards, answer.police_district = None, [], None
    elif result.error == "ambiguous_street":
        answer.status = "ambiguous"
        answer.ward, answer.police_district = None, None
        answer.suggestions = full_suggestions(query, result.suggestions)
    elif result.error or result.ward is None:
        answer.status = "not_found"
        answer.error = result.error or "unknown_street"
        answer.ward, answer.candidate_wards, answer.police_district = None, [], None
        answer.suggestions = full_suggestions(query, result.suggestions) if query else []
    elif result.confidence == "near_boundary":
        answer.status = "near_boundary"
    return _fill(answer)


def find_by_address(text: str, *, geocoder=None) -> LookupAnswer:
    """Look an address up; `text` should be validated (<= 200 characters, no controls)."""
    geocoder = geocoder or Geocoder.default()
    text = (text or "").strip()
    if len(text) > MAX_ADDRESS_CHARS:
        return LookupAnswer(status="not_found", query=text[:MAX_ADDRESS_CHARS],
                            error="too_long")
    return _from_result(geocoder.lookup_address(text), text)


def valid_point(lon, lat):
    """(lon, lat) as floats if they are finite and on Earth, else None."""
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError, OverflowError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
        return None
    return lon, lat


def find_by_point(lon: float, lat: float, *, geocoder=None) -> LookupAnswer:
    """Look a lon/lat point up (a phone's location, or a point on a map)."""
    geocoder = geocoder or Geocoder.default()
    answer = _from_result(geocoder.lookup_point(lon, lat), "")
    answer.query_point = (lon, lat)
    return answer


def find_by_ward(ward: int, *, address: str | None = None, point=None,
                 geocoder=None) -> LookupAnswer:
    """The person chose `ward` (near a line, or on the city map).

    With the address or point they looked up, the choice is kept only if that ward is one
    of its candidates, and the rest (location, police district) comes from the look-up.
    """
    if ward not in WARD_NUMBERS:
        raise ValueError(f"no ward {ward!r}")
    base = None
    if address:
        base = find_by_address(address, geocoder=geocoder)
    elif point is not None:
        base = find_by_point(point[0], point[1], geocoder=geocoder)
    if base is not None and ward in (base.candidate_wards or []):
        base.ward = ward
        base.status = "found"
        base.chosen = True
        return _fill(base)
    answer = LookupAnswer(status="found", ward=ward, chosen=True, match="none",
                          confidence="none", query=address or "")
    return _fill(answer)


def answer_for_ward(ward: int) -> LookupAnswer:
    """Just a ward's alder and map, not chosen by anyone (yet)."""
    answer = find_by_ward(ward)
    answer.chosen = False
    return answer


def answer_for_signature(signature, *, geocoder=None) -> LookupAnswer:
    """A signer's alder card from the ward and location stored on their signature.

    Uses the stored ward (geocoded at signing time or chosen by the signer); the police
    district comes from the stored point when there is one.
    """
    status = signature.ward_status
    if status is WardStatus.OUTSIDE_CHICAGO:
        return LookupAnswer(status="outside_chicago", query=signature.address)
    if signature.ward is None:
        return LookupAnswer(status="unknown", query=signature.address)
    location = None
    district = None
    house, senate = StateSeat.at(signature.state_house), StateSeat.at(signature.state_senate)
    if signature.lon is not None and signature.lat is not None:
        location = (signature.lon, signature.lat)
        geocoder = geocoder or Geocoder.default()
        at_point = geocoder.lookup_point(signature.lon, signature.lat)
        district = at_point.police_district
        if house is None:  # signed before the districts were recorded
            house, senate = StateSeat.at(at_point.state_house), StateSeat.at(
                at_point.state_senate)
    candidates = signature.candidate_ward_numbers
    near = status is WardStatus.NEAR_BOUNDARY and len(candidates) > 1
    answer = LookupAnswer(
        status="near_boundary" if near else "found",
        query=signature.address,
        ward=signature.ward,
        police_district=district,
        location=location,
        match=signature.geocode_match or "none",
        confidence="near_boundary" if near else ("high" if location else "none"),
        candidate_wards=candidates if near else [signature.ward],
        chosen=status is WardStatus.CONFIRMED,
        state_house=house,
        state_senate=senate,
    )
    return _fill(answer)
