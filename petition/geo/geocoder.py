"""The Geocoder: address text or lon/lat -> 2023 ward, police district, Illinois House and
Senate districts, confidence."""

from __future__ import annotations

import math
import re
import threading
from pathlib import Path

import numpy as np
import shapely

from .areas import AreaSet, to_lonlat, to_xy
from .crossings import Crossings
from .fastgrid import FastGrid
from .index import PointIndex, PositionEstimate
from .legislative import StateDistricts, read_npz
from .parse import ParsedAddress, parse
from .paths import DATA_DIR, INDEX_NAME
from .places import classify_place
from .result import Located, LookupResult
from .streets import Candidate, StreetDirectory

INTERSECTION_RADIUS_M = 25.0  # a named intersection is a centre-line point; ward lines meet there
POINT_RADIUS_M = 10.0  # lookup_point: wards within this distance are candidates
OUTSIDE_SNAP_M = 60.0  # an address point this close outside all wards is snapped in
# Streets that differ only in direction are equally good when their scores are within one
# point: the streets' sizes (at most SIZE_SCORE in streets.py) do not decide between them,
# a typed ZIP that only one of them has (1.5 points) does. The extra 0.01 keeps a
# difference of exactly 1 inside despite rounding.
DIRECTION_TIE_SCORE = 1.01
LOCATION_DECIMALS = 7  # 1e-7 degrees (about 1 cm), the precision of the shipped points
_DIRS = {"N": "N", "S": "S", "E": "E", "W": "W",
         "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W"}
_ZIP_RE = re.compile(r"^(\d{5})(?:-?\d{4})?$")  # a ZIP typed in its own field
_CHI_BBOX = (-88.0, 41.6, -87.5, 42.1)  # generous box around the city (lon/lat)


def _wkb_unpack(buf: np.ndarray, offsets: np.ndarray):
    raw = buf.tobytes()
    return [shapely.from_wkb(raw[offsets[i]:offsets[i + 1]]) for i in range(len(offsets) - 1)]


class Geocoder:
    """Offline Chicago geocoder. Thread-safe after construction (read-only state)."""

    _default: Geocoder | None = None
    _default_lock = threading.Lock()

    def __init__(self, arrays: dict[str, np.ndarray], *, fast_path: bool = True,
                 state: StateDistricts | None = None):
        self.points = PointIndex(arrays, arrays["st_dir"])
        self.streets = StreetDirectory(arrays["st_dir"], arrays["st_name"], arrays["st_type"],
                                       arrays["st_min"], arrays["st_max"], arrays["st_zips"],
                                       self.points.point_counts)
        self.wards = AreaSet(arrays["ward_num"],
                             _wkb_unpack(arrays["ward_wkb"], arrays["ward_off"]))
        self.districts = AreaSet(arrays["dist_num"],
                                 _wkb_unpack(arrays["dist_wkb"], arrays["dist_off"]))
        self.counts = arrays["counts"].tolist()
        # Clearance raster: answers most look-ups without polygon queries, with results
        # identical to them (fastgrid.py). ``fast_path=False`` is for tests and benchmarks.
        self.fast = FastGrid.from_arrays(arrays)
        self.fast_path = fast_path
        self.crossings = Crossings(arrays, self.points)
        self.state = state or StateDistricts.load(DATA_DIR)
        self.state.fast_path = fast_path

    @classmethod
    def load(cls, data_dir: str | Path | None = None, *, fast_path: bool = True) -> Geocoder:
        """Load the prebuilt index from ``data_dir`` (default: the shipped petition/data)."""
        data_dir = Path(data_dir or DATA_DIR)
        return cls(read_npz(data_dir / INDEX_NAME), fast_path=fast_path,
                   state=StateDistricts.load(data_dir))

    @classmethod
    def default(cls) -> Geocoder:
        """Process-wide shared instance, loaded on first use (thread-safe)."""
        if cls._default is None:
            with cls._default_lock:
                if cls._default is None:
                    cls._default = cls.load()
        return cls._default

    # -- geometry accessors -------------------------------------------------------
    def ward_numbers(self) -> list[int]:
        """All ward numbers, 1..50."""
        return sorted(self.wards.numbers)

    def ward_geometry(self, ward: int):
        """Shapely (lon/lat) MultiPolygon of a 2023 ward, or None."""
        return self.wards.by_number.get(int(ward))

    def district_geometry(self, district: int):
        """Shapely (lon/lat) MultiPolygon of a police district, or None."""
        return self.districts.by_number.get(int(district))

    # -- look-ups -------------------------------------------------------------------
    def lookup_point(self, lon, lat, radius_m: float = POINT_RADIUS_M) -> LookupResult:
        """Ward and police district for a lon/lat point (match="point")."""
        try:
            lon, lat = float(lon), float(lat)
        except (TypeError, ValueError, OverflowError):
            return LookupResult(error="invalid_coordinates")
        if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
            return LookupResult(error="invalid_coordinates")
        result = LookupResult(match="point", location=(lon, lat))
        if not (_CHI_BBOX[0] <= lon <= _CHI_BBOX[2] and _CHI_BBOX[1] <= lat <= _CHI_BBOX[3]):
            result.error = "outside_chicago"
            return result
        x, y = to_xy(lon, lat)
        estimate = PositionEstimate(float(x), float(y), "point", "point", 1.0, 0.0, 0.0,
                                    radius_m)
        self._assign(result, estimate, snap=False)
        return result

    def lookup_address(self, text, zip_code: str = "") -> LookupResult:
        """Geocode free-form address text (a ZIP typed apart is a hint); failures are
        reported in ``error``. The look-up page, the API, the sign form and the batch
        command all call this, so they follow the same rules."""
        return self.locate_address(text, zip_code)[0]

    def locate_address(self, text, zip_code: str = "") -> Located:
        """Like :meth:`lookup_address`, with the position estimate behind the answer."""
        result, estimate = self._locate(text, zip_code)
        if result.fuzzy and result.ward is not None:
            result.match = "corrected"
        return result, estimate

    def _locate(self, text, zip_code: str) -> Located:
        address = parse(text)
        typed_zip = _ZIP_RE.match(str(zip_code or "").strip())
        if typed_zip and not address.zip:
            address.zip = typed_zip.group(1)
        result = LookupResult(unit=address.unit)
        if address.error and address.error != "missing_house_number":
            empty = address.error in ("empty", "missing_street")
            result.error = "unparseable" if empty else address.error
            return result, None
        place = classify_place(address.place)
        if ((place == "other" and not address.state and not address.zip
             and self._place_is_street_words(address))
                or (place == "chicago" and not self._street_is_clear(address)
                    and self._place_is_street_words(address))):
            # "220 E CHICAGO IL": the place words were the street's name.
            address.street_tokens = address.street_tokens + address.place.split()
            address.place, place = "", ""
        zip_ok = not address.zip or address.zip in self.streets.all_zips
        if ((address.state and address.state != "IL") or place == "other"
                or (not zip_ok and place != "chicago")):
            result.error = "outside_chicago"
            return result, None
        zip_code = address.zip if zip_ok else ""
        if address.cross_tokens:
            return self._intersection(result, address, zip_code)
        return self._on_street(result, address, zip_code)

    def _place_is_street_words(self, address: ParsedAddress) -> bool:
        """Whether usaddress tagged street words as a city ("2012 W ST PAUL" -> Saint Paul)."""
        with_place = self.streets.resolve(address.street_tokens + address.place.split(),
                                          address.number)
        if not with_place.candidates or with_place.fuzzy or not with_place.candidates[0].in_range:
            return False
        without = self.streets.resolve(address.street_tokens, address.number)
        return (not without.candidates or without.fuzzy
                or without.candidates[0].sid != with_place.candidates[0].sid)

    def _street_is_clear(self, address: ParsedAddress) -> bool:
        """Whether the street words alone name a street with the number on it."""
        without = self.streets.resolve(address.street_tokens, address.number)
        return bool(without.candidates) and not without.fuzzy and bool(
            without.candidates[0].in_range)

    def _place_number(self, sid: int, address: ParsedAddress) -> PositionEstimate | None:
        """The address's house number on street ``sid`` (the benchmark overrides this)."""
        return self.points.locate(sid, address.number)

    def _on_street(self, result: LookupResult, address: ParsedAddress, zip_code: str) -> Located:
        """A house number on a street: resolve the street, then place the number."""
        streets = self.streets
        resolution = streets.resolve(address.street_tokens, address.number, zip_code)
        if not resolution.candidates:
            result.error = "unknown_street" if address.number is not None else "unparseable"
            result.suggestions = resolution.suggestions or []
            return result, None
        result.fuzzy = resolution.fuzzy
        best = resolution.candidates[0]
        number_text = (f"{address.number}-{address.number_hi}" if address.number_hi
                       else str(address.number or "")).strip()
        result.normalized_address = f"{number_text} {streets.label(best.sid)}".strip()
        if resolution.fuzzy:
            result.suggestions = [streets.label(best.sid)]
        if address.number is None:
            result.error = "missing_house_number"
            return result, None
        if best.in_range is False:
            result.error = "number_out_of_range"
            result.suggestions = [streets.label(candidate.sid)
                                  for candidate in resolution.candidates[:3]
                                  if candidate.in_range is not False]
            return result, None
        alternatives = self._direction_alternatives(resolution.candidates, address.street_tokens)
        if len(alternatives) > 1:
            return self._ambiguous(result, alternatives, address, number_text)
        estimate = self._place_number(best.sid, address)
        if estimate is None:
            # A street we know by name but cannot place (no points, no intersections):
            # try the same name with another type ("W QUINCY CT" -> "W QUINCY ST").
            for candidate in resolution.candidates[1:]:
                if (streets.name[candidate.sid] == streets.name[best.sid]
                        and streets.dir[candidate.sid] == streets.dir[best.sid]
                        and candidate.in_range is not False):
                    estimate = self._place_number(candidate.sid, address)
                    if estimate is not None:
                        result.normalized_address = f"{number_text} {streets.label(candidate.sid)}"
                        break
        if estimate is None:
            result.error = "street_not_located"
            result.in_chicago = True
            return result, None
        self._assign(result, estimate, snap=True)
        return result, estimate

    def _intersection(self, result: LookupResult, address: ParsedAddress,
                      zip_code: str) -> Located:
        """ "MILWAUKEE & DAMEN": the named intersection of the best-ranked street pair."""
        first = self.streets.resolve(address.street_tokens, None, zip_code)
        cross = self.streets.resolve(address.cross_tokens, None, zip_code)
        meeting = self.crossings.meet(first, cross)
        if meeting is None:
            if first.candidates and cross.candidates:
                result.error = "unknown_intersection"  # both streets exist but do not meet
            else:
                result.error = "unknown_street"
                result.suggestions = (first.suggestions or []) + (cross.suggestions or [])
            return result, None
        one_sid, other_sid, (x, y) = meeting
        result.normalized_address = (f"{self.streets.label(one_sid)} & "
                                     f"{self.streets.label(other_sid)}")
        result.fuzzy = first.fuzzy or cross.fuzzy
        estimate = PositionEstimate(x, y, "street", "intersection", 1.0, 0.0, 0.0,
                                    INTERSECTION_RADIUS_M)
        self._assign(result, estimate, snap=True)
        return result, estimate

    def _direction_alternatives(self, candidates: list[Candidate], tokens) -> list[Candidate]:
        """Equally good streets that differ only in direction (no direction was typed)."""
        best = candidates[0]
        streets = self.streets
        # A direction typed first, or after the type ("SEELEY AVE N").
        typed = {_DIRS[token] for token in tokens[:1] + tokens[-1:] if token in _DIRS}
        if streets.dir[best.sid] in typed:
            return [best]  # the typed direction exists for this street: no ambiguity
        alternatives = [best]
        for candidate in candidates[1:]:
            if (candidate.score >= best.score - DIRECTION_TIE_SCORE
                    and candidate.in_range is not False
                    and streets.name[candidate.sid] == streets.name[best.sid]
                    and streets.dir[candidate.sid] != streets.dir[best.sid]
                    and streets.type[candidate.sid] == streets.type[best.sid]):
                alternatives.append(candidate)
        return alternatives

    def _ambiguous(self, result: LookupResult, alternatives: list[Candidate],
                   address: ParsedAddress, number_text: str) -> Located:
        """No direction typed and several directions fit: decide only if wards agree."""
        placed: list[Located] = []
        for candidate in alternatives:
            estimate = self._place_number(candidate.sid, address)
            if estimate is not None:
                answer = LookupResult(unit=result.unit)
                self._assign(answer, estimate, snap=True)
                answer.normalized_address = f"{number_text} {self.streets.label(candidate.sid)}"
                placed.append((answer, estimate))
        answers = [answer for answer, _ in placed]
        wards = {answer.ward for answer in answers}
        if len(answers) == 1 or (len(wards) == 1 and None not in wards):
            chosen, estimate = placed[0]
            chosen.suggestions = [answer.normalized_address for answer in answers[1:]]
            if len(answers) > 1 and chosen.confidence == "high":
                # The ward is certain, but the point is only one of several places.
                chosen.match = "street"
            return chosen, estimate
        result.error = "ambiguous_street"
        result.in_chicago = any(answer.in_chicago for answer in answers)
        result.candidate_wards = sorted({ward for answer in answers
                                         for ward in answer.candidate_wards})
        result.suggestions = [answer.normalized_address for answer in answers]
        return result, None

    def fast_answer(self, estimate: PositionEstimate) -> tuple[int, int]:
        """(ward, district) the clearance raster gives for an estimate; 0 = not answered."""
        if not self.fast_path or self.fast is None:
            return 0, 0
        return self.fast.lookup(estimate.x, estimate.y, estimate.reach())

    @staticmethod
    def _capsule(estimate: PositionEstimate):
        if estimate.is_segment():
            return shapely.LineString(estimate.capsule_path())
        return shapely.Point(estimate.x, estimate.y)

    def _assign(self, result: LookupResult, estimate: PositionEstimate, snap: bool) -> None:
        """Fill ward/district fields from an estimate and its uncertainty capsule."""
        # Fast path: when the capsule lies wholly inside one ward (district) with room to
        # spare, the clearance raster says so and the polygon queries are skipped; the
        # result is the one the queries would give (see fastgrid.py).
        result.match = estimate.match
        result.method = estimate.method
        result.uncertainty_m = round(estimate.along, 1)
        result.location = tuple(round(v, LOCATION_DECIMALS)
                                for v in to_lonlat(estimate.x, estimate.y))
        fast_ward, fast_district = self.fast_answer(estimate)
        capsule = None
        if fast_ward:
            result.ward = fast_ward
            near = [fast_ward]
        else:
            capsule = self._capsule(estimate)
            containing = self.wards.containing(estimate.x, estimate.y)
            near = (self.wards.near(capsule, estimate.across) if estimate.across > 0
                    else list(containing))
            if containing:
                result.ward = containing[0]  # boundary rule: lowest number on a shared edge
            elif snap:
                # An address on a Chicago street placed just outside every ward (lakefront,
                # river, a long interpolation chord): snap to the nearest ward within its
                # doubt.
                ward, distance = self.wards.nearest(estimate.x, estimate.y)
                reach = max(OUTSIDE_SNAP_M, estimate.along + estimate.across)
                if ward is not None and distance <= reach:
                    result.ward = ward
                    near = sorted(set(near) | {ward})
        if result.ward is None:
            result.in_chicago = False
            result.error = "outside_chicago"
            result.candidate_wards = []
            result.confidence = "none"
            return
        result.in_chicago = True
        result.candidate_wards = sorted(set(near) | {result.ward})
        result.confidence = "high" if len(result.candidate_wards) == 1 else "near_boundary"
        self.state.assign(result, estimate, lambda: capsule or self._capsule(estimate),
                          max(OUTSIDE_SNAP_M, estimate.along + estimate.across))
        if fast_district:
            result.police_district = fast_district
            result.candidate_police_districts = [fast_district]
            return
        if capsule is None:
            capsule = self._capsule(estimate)
        result.police_district, result.candidate_police_districts = self.districts.place(
            estimate.x, estimate.y, capsule, estimate.across, OUTSIDE_SNAP_M)
