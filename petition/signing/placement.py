"""Where a signer lives: the ward (and how sure we are), and the Illinois House and Senate
districts, from the address they typed."""

from dataclasses import dataclass, replace

from petition.geo import Geocoder
from petition.geo.boundaries import display_name
from petition.lookup.service import full_suggestions
from petition.models import WardStatus
from petition.signing.districts import districts_for_ward


@dataclass(frozen=True)
class Placement:
    """The ward facts stored on a signature."""

    ward: int | None
    status: WardStatus
    candidate_wards: tuple[int, ...] = ()
    match: str = "none"
    lon: float | None = None
    lat: float | None = None
    suggestions: tuple[str, ...] = ()  # addresses to offer when the street did not match
    state_house: int | None = None  # Illinois House and Senate districts (with a ward only)
    state_senate: int | None = None

    @property
    def candidates_text(self):
        return ",".join(str(w) for w in self.candidate_wards) or None

    def signature_columns(self):
        """These facts as the signature's columns (for its INSERT)."""
        return {"ward": self.ward, "ward_status": self.status,
                "candidate_wards": self.candidates_text, "geocode_match": self.match,
                "lon": self.lon, "lat": self.lat,
                "state_house": self.state_house, "state_senate": self.state_senate}


def place_address(address, zip_code, geocoder=None):
    """Geocode a signer's address (with their ZIP as a hint); never raises."""
    geocoder = geocoder or Geocoder.default()
    result = geocoder.lookup_address(address, zip_code or "")
    location = result.location or (None, None)
    if result.error == "outside_chicago":
        return Placement(None, WardStatus.OUTSIDE_CHICAGO, (), result.match, *location)
    if result.ward is None:
        # Unmatched or ambiguous: keep any candidate wards so the signer can choose.
        suggestions = tuple(display_name(s) for s in full_suggestions(address, result.suggestions))
        return Placement(None, WardStatus.UNKNOWN, tuple(result.candidate_wards), result.match,
                         *location, suggestions=suggestions)
    status = WardStatus.GEOCODED if result.confidence == "high" else WardStatus.NEAR_BOUNDARY
    return Placement(result.ward, status, tuple(result.candidate_wards), result.match, *location,
                     state_house=result.state_house, state_senate=result.state_senate)


def placement_in_ward(placement, ward, geocoder=None):
    """The placement with `ward` chosen for it (near a line) and the House and Senate
    districts that follow from that ward (signing/districts.py)."""
    house, senate = districts_for_ward(geocoder or Geocoder.default(), ward, placement.lon,
                                       placement.lat)
    return replace(placement, ward=ward, status=WardStatus.CONFIRMED, state_house=house,
                   state_senate=senate)
