"""The Geocoder: address text or lon/lat -> 2023 ward, police district, confidence."""

from __future__ import annotations

import math
import threading
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import shapely

from .areas import AreaSet, to_lonlat, to_xy
from .fastgrid import FastGrid
from .index import Placement, PointIndex
from .parse import parse
from .paths import DATA_DIR, INDEX_NAME
from .places import classify_place
from .streets import StreetDirectory

INTERSECTION_R = 25.0  # a named intersection is a centre-line point; ward lines meet there
POINT_RADIUS_M = 10.0  # lookup_point: wards within this distance are candidates
OUTSIDE_SNAP_M = 60.0  # an address point this close outside all wards is snapped in
_DIRS = {"N": "N", "S": "S", "E": "E", "W": "W",
         "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W"}
_CHI_BBOX = (-88.0, 41.6, -87.5, 42.1)  # generous box around the city (lon/lat)


@dataclass
class LookupResult:
    """Outcome of one look-up. ``error`` is None on success (see module docs for codes)."""

    ward: int | None = None
    candidate_wards: list[int] = field(default_factory=list)
    confidence: str = "none"  # "high" | "near_boundary" | "none"
    match: str = "none"  # "exact" | "interpolated" | "street" | "point" | "none"
    location: tuple[float, float] | None = None  # (lon, lat)
    police_district: int | None = None
    candidate_police_districts: list[int] = field(default_factory=list)
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
        d = asdict(self)
        d["location"] = list(self.location) if self.location else None
        return d


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    with zipfile.ZipFile(path) as zf:
        out = {}
        for name in zf.namelist():
            with zf.open(name) as fh:
                out[name[:-4]] = np.lib.format.read_array(fh, allow_pickle=False)
    return out


def _wkb_unpack(buf: np.ndarray, offsets: np.ndarray):
    raw = buf.tobytes()
    return [shapely.from_wkb(raw[offsets[i]:offsets[i + 1]]) for i in range(len(offsets) - 1)]


class Geocoder:
    """Offline Chicago geocoder. Thread-safe after construction (read-only state)."""

    _default: Geocoder | None = None
    _default_lock = threading.Lock()

    def __init__(self, arrays: dict[str, np.ndarray], *, fast_path: bool = True):
        self.points = PointIndex(arrays, arrays["st_dir"])
        self.streets = StreetDirectory(arrays["st_dir"], arrays["st_name"], arrays["st_type"],
                                       arrays["st_min"], arrays["st_max"], arrays["st_zips"],
                                       self.points.npts)
        self.wards = AreaSet(arrays["ward_num"],
                             _wkb_unpack(arrays["ward_wkb"], arrays["ward_off"]))
        self.districts = AreaSet(arrays["dist_num"],
                                 _wkb_unpack(arrays["dist_wkb"], arrays["dist_off"]))
        self.counts = arrays["counts"].tolist()
        # Clearance raster: answers most look-ups without polygon queries, with results
        # identical to them (fastgrid.py). ``fast_path=False`` is for tests and benchmarks.
        self.fast = FastGrid.from_arrays(arrays)
        self.fast_path = fast_path
        self._tls = threading.local()
        xx, xy = to_xy(arrays["xp_lon"] / 1e7, arrays["xp_lat"] / 1e7)
        self.crossings: dict[tuple[int, int], tuple[float, float]] = {}
        for a, b, x, y in zip(arrays["xp_a"].tolist(), arrays["xp_b"].tolist(),
                              xx.tolist(), xy.tolist(), strict=True):
            self.crossings.setdefault((a, b), (x, y))

    @classmethod
    def load(cls, data_dir: str | Path | None = None, *, fast_path: bool = True) -> Geocoder:
        """Load the prebuilt index from ``data_dir`` (default: the shipped petition/data)."""
        return cls(_load_npz(Path(data_dir or DATA_DIR) / INDEX_NAME), fast_path=fast_path)

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
        res = LookupResult(match="point", location=(lon, lat))
        if not (_CHI_BBOX[0] <= lon <= _CHI_BBOX[2] and _CHI_BBOX[1] <= lat <= _CHI_BBOX[3]):
            res.error = "outside_chicago"
            return res
        x, y = to_xy(lon, lat)
        pl = Placement(float(x), float(y), "point", "point", 1.0, 0.0, 0.0, radius_m)
        self._assign(res, pl, snap=False)
        return res

    def lookup_address(self, text, *, leave_out: bool = False) -> LookupResult:
        """Geocode free-form address text. Never raises; see ``error`` for failures.

        ``leave_out`` (benchmarks only) hides the address's own house number(s) on the
        matched street from the index, as if the address were absent from the data.
        """
        return self.locate_address(text, leave_out=leave_out)[0]

    def locate_address(self, text, *, leave_out: bool = False):
        """Like :meth:`lookup_address`, also returning the internal Placement (or None)."""
        # Per-thread slot: one Geocoder is shared by all request threads.
        self._tls.placement = None
        try:
            res = self._lookup_address(text, leave_out)
            return res, (self._tls.placement if res.match != "none" else None)
        except Exception:
            return LookupResult(error="internal_error"), None

    def _lookup_address(self, text, leave_out: bool) -> LookupResult:
        p = parse(text)
        res = LookupResult(unit=p.unit)
        if p.error and p.error not in ("missing_house_number",):
            res.error = "unparseable" if p.error in ("empty", "missing_street") else p.error
            if p.error == "too_long":
                res.error = "too_long"
            return res
        place = classify_place(p.place)
        if place == "other" and not p.state and not p.zip:
            # usaddress may tag street words as a city ("2012 W ST PAUL" -> Saint Paul):
            # if the words make a Chicago street with the place included, that wins.
            rsl = self.streets.resolve(p.street_tokens + p.place.split(), p.number)
            own = self.streets.resolve(p.street_tokens, p.number)
            if (rsl.candidates and rsl.candidates[0].in_range and not rsl.fuzzy
                    and (not own.candidates or own.fuzzy
                         or own.candidates[0].sid != rsl.candidates[0].sid)):
                p.street_tokens, p.place, place = p.street_tokens + p.place.split(), "", ""
        zip_ok = not p.zip or p.zip in self.streets.all_zips
        if (p.state and p.state != "IL") or place == "other" or (not zip_ok and place != "chicago"):
            res.error = "outside_chicago"
            return res
        zip_code = p.zip if zip_ok else ""
        if p.cross_tokens:
            return self._intersection(res, p, zip_code)
        rsl = self.streets.resolve(p.street_tokens, p.number, zip_code)
        if not rsl.candidates:
            res.error = "unknown_street" if p.number is not None else "unparseable"
            res.suggestions = rsl.suggestions or []
            return res
        res.fuzzy = rsl.fuzzy
        best = rsl.candidates[0]
        num_txt = (f"{p.number}-{p.number_hi}" if p.number_hi else str(p.number or "")).strip()
        res.normalized_address = f"{num_txt} {self.streets.label(best.sid)}".strip()
        if rsl.fuzzy:
            res.suggestions = [self.streets.label(best.sid)]
        if p.number is None:
            res.error = "missing_house_number"
            return res
        if best.in_range is False:
            res.error = "number_out_of_range"
            res.suggestions = [self.streets.label(c.sid) for c in rsl.candidates[:3]
                               if c.in_range is not False]
            return res
        exclude = (p.number, p.number_hi or p.number) if leave_out else None
        alts = self._direction_alternatives(rsl.candidates, p.street_tokens)
        if len(alts) > 1:
            return self._ambiguous(res, alts, p.number, num_txt, exclude)
        pl = self.points.locate(best.sid, p.number, exclude)
        if pl is None:
            # A street we know by name but cannot place (no points, no intersections):
            # try the same name with another type ("W QUINCY CT" -> "W QUINCY ST").
            st = self.streets
            for c in rsl.candidates[1:]:
                if (st.name[c.sid] == st.name[best.sid] and st.dir[c.sid] == st.dir[best.sid]
                        and c.in_range is not False):
                    pl = self.points.locate(c.sid, p.number, exclude)
                    if pl is not None:
                        res.normalized_address = f"{num_txt} {st.label(c.sid)}"
                        break
        if pl is None:
            res.error = "street_not_located"
            res.in_chicago = True
            return res
        self._assign(res, pl, snap=True)
        return res

    def _intersection(self, res: LookupResult, p, zip_code: str) -> LookupResult:
        """ "MILWAUKEE & DAMEN": the named intersection of the best-ranked street pair."""
        ra = self.streets.resolve(p.street_tokens, None, zip_code)
        rb = self.streets.resolve(p.cross_tokens, None, zip_code)
        best = None
        for i, ca in enumerate(ra.candidates[:6]):
            for j, cb in enumerate(rb.candidates[:6]):
                key = (min(ca.sid, cb.sid), max(ca.sid, cb.sid))
                if key in self.crossings and (best is None or i + j < best[0]):
                    best = (i + j, ca.sid, cb.sid, self.crossings[key])
        if best is None:
            # Three-way corners (Milwaukee/Damen/North) list only some pairs: accept the
            # closest approach of the two streets' intersection points if within 60 m.
            for i, ca in enumerate(ra.candidates[:3]):
                for j, cb in enumerate(rb.candidates[:3]):
                    xy = self._closest_approach(ca.sid, cb.sid, 60.0)
                    if xy and (best is None or i + j < best[0]):
                        best = (i + j, ca.sid, cb.sid, xy)
        if best is None:
            if ra.candidates and rb.candidates:
                res.error = "unknown_intersection"  # both streets exist but do not meet
            else:
                res.error = "unknown_street"
                res.suggestions = (ra.suggestions or []) + (rb.suggestions or [])
            return res
        _, a, b, (x, y) = best
        res.normalized_address = f"{self.streets.label(a)} & {self.streets.label(b)}"
        res.fuzzy = ra.fuzzy or rb.fuzzy
        ux, uy = 1.0, 0.0
        self._assign(res, Placement(x, y, "street", "intersection", ux, uy, 0.0,
                                    INTERSECTION_R), snap=True)
        return res

    def _closest_approach(self, a: int, b: int, limit: float):
        """Midpoint of the closest pair of intersection points of streets a and b."""
        P = self.points
        sa, ea = int(P.ix_off[a]), int(P.ix_off[a + 1])
        sb, eb = int(P.ix_off[b]), int(P.ix_off[b + 1])
        if sa == ea or sb == eb:
            return None
        dx = P.ix[sa:ea, None] - P.ix[None, sb:eb]
        dy = P.iy[sa:ea, None] - P.iy[None, sb:eb]
        d2 = dx * dx + dy * dy
        k = int(np.argmin(d2))
        i, j = divmod(k, eb - sb)
        if d2.flat[k] > limit * limit:
            return None
        return (float(P.ix[sa + i] + P.ix[sb + j]) / 2, float(P.iy[sa + i] + P.iy[sb + j]) / 2)

    def _direction_alternatives(self, cands, tokens) -> list:
        """Equally good streets that differ only in direction (no direction was typed)."""
        best = cands[0]
        typed = tokens[0] if tokens else ""
        if typed in _DIRS and self.streets.dir[best.sid] == _DIRS[typed]:
            return [best]  # the typed direction exists for this street: no ambiguity
        out = [best]
        st = self.streets
        for c in cands[1:]:
            if (c.score >= best.score - 1.01 and c.in_range is not False
                    and st.name[c.sid] == st.name[best.sid] and st.dir[c.sid] != st.dir[best.sid]
                    and st.type[c.sid] == st.type[best.sid]):
                out.append(c)
        return out

    def _ambiguous(self, res, alts, number, num_txt, exclude) -> LookupResult:
        """No direction typed and several directions fit: decide only if wards agree."""
        results = []
        for c in alts:
            r = LookupResult(unit=res.unit)
            pl = self.points.locate(c.sid, number, exclude)
            if pl is not None:
                self._assign(r, pl, snap=True)
                r.normalized_address = f"{num_txt} {self.streets.label(c.sid)}"
                results.append(r)
        wards = {r.ward for r in results}
        if len(results) == 1 or (len(wards) == 1 and None not in wards):
            out = results[0]
            out.suggestions = [r.normalized_address for r in results[1:]]
            if len(results) > 1 and out.confidence == "high":
                # The ward is certain, but the point is only one of several places.
                out.match = "street"
            return out
        res.error = "ambiguous_street"
        res.in_chicago = any(r.in_chicago for r in results)
        res.candidate_wards = sorted({w for r in results for w in r.candidate_wards})
        res.suggestions = [r.normalized_address for r in results]
        return res

    def fast_answer(self, pl: Placement) -> tuple[int, int]:
        """(ward, district) the clearance raster gives for a placement; 0 = not answered."""
        if not self.fast_path or self.fast is None:
            return 0, 0
        return self.fast.lookup(pl.x, pl.y, pl.reach())

    @staticmethod
    def _capsule(pl: Placement):
        if pl.along > 0.5:
            return shapely.LineString([(pl.x - pl.ux * pl.along, pl.y - pl.uy * pl.along),
                                       (pl.x + pl.ux * pl.along, pl.y + pl.uy * pl.along)])
        return shapely.Point(pl.x, pl.y)

    def _assign(self, res: LookupResult, pl: Placement, snap: bool) -> None:
        """Fill ward/district fields from a placement and its uncertainty capsule.

        Fast path: when the capsule lies wholly inside one ward (district) with room to
        spare, the clearance raster says so and the polygon queries are skipped; the
        result is the one the queries would give (see fastgrid.py).
        """
        self._tls.placement = pl
        res.match = pl.match
        res.method = pl.method
        res.uncertainty_m = round(pl.along, 1)
        res.location = tuple(round(v, 7) for v in to_lonlat(pl.x, pl.y))
        fast_ward, fast_dist = self.fast_answer(pl)
        geom = None
        if fast_ward:
            res.ward = fast_ward
            cands = [fast_ward]
        else:
            geom = self._capsule(pl)
            inside = self.wards.containing(pl.x, pl.y)
            cands = self.wards.near(geom, pl.across) if pl.across > 0 else list(inside)
            if inside:
                res.ward = inside[0]  # boundary rule: lowest-numbered ward on a shared edge
            elif snap:
                # An address on a Chicago street placed just outside every ward (lakefront,
                # river, a long interpolation chord): snap to the nearest ward within its
                # doubt.
                w, dist = self.wards.nearest(pl.x, pl.y)
                if w is not None and dist <= max(OUTSIDE_SNAP_M, pl.along + pl.across):
                    res.ward = w
                    cands = sorted(set(cands) | {w})
        if res.ward is None:
            res.in_chicago = False
            res.error = "outside_chicago"
            res.candidate_wards = []
            res.confidence = "none"
            return
        res.in_chicago = True
        res.candidate_wards = sorted(set(cands) | {res.ward})
        res.confidence = "high" if len(res.candidate_wards) == 1 else "near_boundary"
        if fast_dist:
            res.police_district = fast_dist
            res.candidate_police_districts = [fast_dist]
            return
        if geom is None:
            geom = self._capsule(pl)
        dinside = self.districts.containing(pl.x, pl.y)
        dcands = self.districts.near(geom, pl.across) if pl.across > 0 else dinside
        if dinside:
            res.police_district = dinside[0]
        else:
            d, dist = self.districts.nearest(pl.x, pl.y)
            res.police_district = d if dist <= OUTSIDE_SNAP_M else None
        res.candidate_police_districts = sorted(set(dcands) | ({res.police_district}
                                                               if res.police_district else set()))
