"""What a look-up answers: the ward, districts, confidence and how the address was read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .index import PositionEstimate


@dataclass
class LookupResult:
    """Outcome of one look-up. ``error`` is None on success (see module docs for codes)."""

    ward: int | None = None
    candidate_wards: list[int] = field(default_factory=list)
    confidence: str = "none"  # "high" | "near_boundary" | "none"
    # "exact" | "interpolated" | "street" | "corrected" (a typo in the street name) |
    # "point" | "none"
    match: str = "none"
    location: tuple[float, float] | None = None  # (lon, lat)
    police_district: int | None = None
    candidate_police_districts: list[int] = field(default_factory=list)
    state_house: int | None = None  # Illinois House district (2021 plan)
    candidate_state_house: list[int] = field(default_factory=list)
    state_senate: int | None = None  # Illinois Senate district
    candidate_state_senate: list[int] = field(default_factory=list)
    in_chicago: bool = False
    normalized_address: str | None = None
    unit: str = ""
    suggestions: list[str] = field(default_factory=list)
    error: str | None = None
    fuzzy: bool = False  # the street name was corrected from a typo
    method: str = ""  # internal placement method, for diagnostics
    uncertainty_m: float = 0.0  # half-length of the along-street uncertainty

    def to_dict(self) -> dict:
        """JSON-friendly dict of all fields."""
        fields = asdict(self)
        fields["location"] = list(self.location) if self.location else None
        return fields


# An address look-up's answer and the position estimate behind it (None: not placed).
Located = tuple[LookupResult, PositionEstimate | None]
