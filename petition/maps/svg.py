"""Server-side SVG maps of Chicago wards: no tiles, no scripts, no external requests.

Polygons are projected on the same local equirectangular projection as the geocoder
(41.84 N, metres; ``areas.to_xy``), simplified, scaled into a viewBox with whole-number
coordinates, and written as relative path data so a city map of all 50 wards stays small.
The city map is simplified as a *coverage* (``shapely.coverage_simplify``), so neighbouring
wards keep one shared edge: no slivers or gaps between them.

Everything the caller passes (titles, labels, links, colours, classes) is escaped or
checked; text is stripped of characters XML 1.0 cannot hold. The output has no ``style``
attributes (presentation attributes such as ``fill=`` only) and no Flask imports: callers
pass translated strings. Non-interactive maps are ``role="img"`` with a ``<title>``; a map
whose wards are links is ``role="group"``, so assistive technology still reaches the links.

Use::

    maps = WardMaps({n: geo.ward_geometry(n) for n in geo.ward_numbers()})
    maps.ward(1, point=(-87.6878, 41.9169), title="Ward 1", id="ward-map")
    maps.candidates([3, 34], point=(lon, lat), title="...", id="cand")
    maps.city(title="Chicago wards", id="city", fills={1: "#08519c"}, links={1: "?ward=1"})
"""

from __future__ import annotations

import html
import math
import re
import threading
from collections.abc import Iterable, Mapping

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from petition.geo.areas import to_xy

CITY_WIDTH = 1000  # viewBox units across the city (~35 m per unit)
CITY_TOLERANCE_M = 40.0  # coverage simplification of the city map
WARD_WIDTH = 400  # viewBox units across one ward's map
CANDIDATE_WIDTH = 400
CANDIDATE_RADIUS_M = 350.0  # half-size of the box drawn around a near-boundary point
PAD = 8  # viewBox units of margin

# Fills for the wards of a near-boundary map (colour-blind safe pastels, with labels too).
CANDIDATE_FILLS = ("#c6dbef", "#fdd0a2", "#c7e9c0", "#dadaeb", "#fcbba1")
OTHER_FILL = "#eeeeee"
DEFAULT_FILL = "#dbe4f0"

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_COLOUR = re.compile(
    r"^(?:#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|(?:rgb|hsl)a?\([0-9.,%\s]{1,40}\))$"
)

_CLASS = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,40}$")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,60}$")
_SAFE_HREF = re.compile(r"^(?:https?://|/(?!/)|\?|#)", re.IGNORECASE)


class MapInputError(ValueError):
    """A colour, class, id or link that cannot be put into the SVG safely."""


def text(value) -> str:
    """Escape text for XML content or a double-quoted attribute; drop characters XML forbids."""
    return html.escape(_XML_BAD.sub("", str(value)), quote=True)


def _colour(value: str) -> str:
    value = str(value).strip()
    if not _COLOUR.match(value):
        raise MapInputError(f"not a colour: {value[:40]!r}")
    return value


def _classes(value) -> str:
    names = value.split() if isinstance(value, str) else list(value)
    for name in names:
        if not _CLASS.match(name):
            raise MapInputError(f"not a CSS class name: {name[:40]!r}")
    return " ".join(names)


def _id(value: str) -> str:
    if not _ID.match(str(value)):
        raise MapInputError(f"not an element id: {str(value)[:40]!r}")
    return str(value)


def _href(value: str) -> str:
    value = str(value)
    if not _SAFE_HREF.match(value) or _XML_BAD.search(value):
        raise MapInputError(f"links must be relative or http(s): {value[:60]!r}")
    return text(value)


def project(geom: BaseGeometry) -> BaseGeometry:
    """Lon/lat geometry -> local metres (x east, y north)."""
    return shapely.transform(geom, lambda c: np.column_stack(to_xy(c[:, 0], c[:, 1])))


class Frame:
    """Maps local metres to a viewBox `width` units wide (y flipped), with a margin."""

    def __init__(self, bounds, width: int):
        minx, miny, maxx, maxy = bounds
        span_x, span_y = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
        self.scale = (width - 2 * PAD) / span_x
        self.minx, self.maxy = minx, maxy
        self.width = width
        self.height = int(math.ceil(span_y * self.scale)) + 2 * PAD

    def xy(self, x: float, y: float) -> tuple[int, int]:
        return (round((x - self.minx) * self.scale) + PAD,
                round((self.maxy - y) * self.scale) + PAD)

    def point(self, lonlat) -> tuple[int, int]:
        x, y = to_xy(lonlat[0], lonlat[1])
        return self.xy(float(x), float(y))

    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _ring_path(coords, frame: Frame) -> str:
    """One closed ring as "M x y l dx dy ... z" with whole-number coordinates."""
    pts = []
    for x, y in coords:
        p = frame.xy(x, y)
        if not pts or p != pts[-1]:
            pts.append(p)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if len(pts) < 3:
        return ""
    out = [f"M{pts[0][0]} {pts[0][1]}l"]
    px, py = pts[0]
    parts = []
    for x, y in pts[1:]:
        parts.append(f"{x - px} {y - py}")
        px, py = x, y
    out.append(" ".join(parts).replace(" -", "-"))
    out.append("z")
    return "".join(out)


def path_data(geom: BaseGeometry, frame: Frame) -> str:
    """SVG path data for a (multi)polygon in local metres; holes use the even-odd rule."""
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for ring in (poly.exterior, *poly.interiors):
            d = _ring_path(ring.coords, frame)
            if d:
                parts.append(d)
    return "".join(parts)


def _label_point(geom: BaseGeometry):
    """A point well inside the (largest part of the) polygon, for a label."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if not g.is_empty]
    if not parts:
        return None
    largest = max(parts, key=lambda g: g.area)
    try:
        return polylabel(largest, tolerance=max(math.sqrt(largest.area) / 50, 1.0))
    except Exception:  # degenerate shapes: any interior point will do
        return largest.representative_point()


def _open(frame: Frame, *, id: str, title: str, desc: str | None, classes: str,
          role: str = "img") -> list[str]:
    ident = _id(id)
    labelled = f"{ident}-title" + (f" {ident}-desc" if desc else "")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{frame.view_box()}" '
        f'class="{_classes(classes)}" role="{role}" aria-labelledby="{labelled}" '
        f'preserveAspectRatio="xMidYMid meet" focusable="false">',
        f'<title id="{ident}-title">{text(title)}</title>',
    ]
    if desc:
        out.append(f'<desc id="{ident}-desc">{text(desc)}</desc>')
    return out


STREET_LABEL_SHIFT = 0.25  # of the map's width (or height), from the marker


def _street_label(frame: Frame, street) -> str:
    """The street's name written along the ward line, on a white halo so it reads on
    any fill."""
    sx, sy = frame.point(street.anchor)
    # Moved along the street, away from the address marker that sits on the line.
    if street.runs_north_south:
        sy -= round(frame.height * STREET_LABEL_SHIFT)
    else:
        sx += round(frame.width * STREET_LABEL_SHIFT)
    turn = f' transform="rotate(-90 {sx} {sy})"' if street.runs_north_south else ""
    return (f'<text x="{sx}" y="{sy}" class="street-label" text-anchor="middle" '
            f'dominant-baseline="middle" font-size="16" font-style="italic" fill="#1a1a1a" '
            f'stroke="#ffffff" stroke-width="4" paint-order="stroke" pointer-events="none" '
            f'aria-hidden="true"{turn}>{text(street.name)}</text>')


def _marker(frame: Frame, lonlat, label: str | None, radius: int) -> str:
    cx, cy = frame.point(lonlat)
    title = f"<title>{text(label)}</title>" if label else ""
    return (f'<g class="map-point">{title}'
            f'<circle cx="{cx}" cy="{cy}" r="{radius * 2}" fill="#ffffff" '
            f'fill-opacity="0.7" stroke="#b00020" stroke-width="2"/>'
            f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="#b00020"/></g>')


class WardMaps:
    """Renders ward maps from lon/lat polygons; thread-safe, caches the simplified city."""

    def __init__(self, wards: Mapping[int, BaseGeometry]):
        self.lonlat = {int(n): g for n, g in wards.items() if g is not None}
        self.metric = {n: project(g) for n, g in self.lonlat.items()}
        self._city = None
        self._lock = threading.Lock()

    @classmethod
    def from_geocoder(cls, geocoder) -> WardMaps:
        return cls({n: geocoder.ward_geometry(n) for n in geocoder.ward_numbers()})

    def numbers(self) -> list[int]:
        return sorted(self.metric)

    def _geometry(self, number: int) -> BaseGeometry:
        try:
            return self.metric[int(number)]
        except (KeyError, TypeError, ValueError) as exc:
            raise MapInputError(f"no ward {number!r}") from exc

    # -- one ward -------------------------------------------------------------------
    def ward(self, number: int, *, title: str, id: str, point=None, point_label=None,
             desc: str | None = None, width: int = WARD_WIDTH) -> str:
        """One ward, optionally with a point marker (lon, lat)."""
        geom = self._geometry(number)
        frame = Frame(geom.bounds, width)
        simple = geom.simplify(0.6 / frame.scale, preserve_topology=True)
        out = _open(frame, id=id, title=title, desc=desc, classes="ward-map ward-map-single")
        out.append(f'<path class="ward ward-selected" d="{path_data(simple, frame)}" '
                   f'fill="{DEFAULT_FILL}" stroke="#12284c" stroke-width="2" '
                   f'fill-rule="evenodd"/>')
        if point is not None:
            out.append(_marker(frame, point, point_label, 5))
        out.append("</svg>")
        return "".join(out)

    # -- a few wards around a point -----------------------------------------------
    def candidates(self, numbers: Iterable[int], *, point, title: str, id: str,
                   labels: Mapping[int, str] | None = None,
                   links: Mapping[int, str] | None = None, point_label: str | None = None,
                   desc: str | None = None, radius_m: float = CANDIDATE_RADIUS_M,
                   width: int = CANDIDATE_WIDTH, street=None) -> str:
        """The candidate wards near a point, clipped to a box around it, labelled.

        Other wards inside the box are drawn in grey so the lines are in context;
        `street` (a geo.boundaries.BoundaryStreet) names the street the line follows.
        """
        wanted = [int(n) for n in numbers]
        for n in wanted:
            self._geometry(n)
        labels = labels or {}
        links = links or {}
        x, y = (float(v) for v in to_xy(point[0], point[1]))
        box = (x - radius_m, y - radius_m, x + radius_m, y + radius_m)
        frame = Frame(box, width)
        box_geom = shapely.box(*box)
        tol = 0.5 / frame.scale
        out = _open(frame, id=id, title=title, desc=desc, classes="ward-map ward-map-candidates",
                    role="group" if links else "img")
        label_parts = []
        fills = {n: CANDIDATE_FILLS[i % len(CANDIDATE_FILLS)] for i, n in enumerate(wanted)}
        for n in self.numbers():
            geom = self.metric[n]
            if not geom.intersects(box_geom):
                continue
            clipped = shapely.clip_by_rect(geom, *box).simplify(tol, preserve_topology=True)
            if clipped.is_empty:
                continue
            d = path_data(clipped, frame)
            if not d:
                continue
            chosen = n in fills
            cls = "ward ward-candidate" if chosen else "ward ward-other"
            fill = fills.get(n, OTHER_FILL)
            name = labels.get(n, f"Ward {n}")
            shape = (f'<path class="{cls}" d="{d}" fill="{fill}" stroke="#12284c" '
                     f'stroke-width="{2 if chosen else 1}" fill-rule="evenodd">'
                     f"<title>{text(name)}</title></path>")
            if chosen and n in links:
                shape = f'<a href="{_href(links[n])}" aria-label="{text(name)}">{shape}</a>'
            out.append(shape)
            if chosen:
                lp = _label_point(clipped)
                if lp is not None:
                    lx, ly = frame.xy(lp.x, lp.y)
                    label_parts.append(
                        f'<text x="{lx}" y="{ly}" class="ward-label" text-anchor="middle" '
                        f'dominant-baseline="middle" font-size="18" font-weight="700" '
                        f'fill="#12284c" pointer-events="none" aria-hidden="true">'
                        f"{text(name)}</text>")
        out.extend(label_parts)
        if street is not None:
            out.append(_street_label(frame, street))
        out.append(_marker(frame, point, point_label, 6))
        out.append("</svg>")
        return "".join(out)

    # -- the whole city -------------------------------------------------------------
    def _city_shapes(self):
        if self._city is None:
            with self._lock:
                if self._city is None:
                    numbers = self.numbers()
                    geoms = [self.metric[n] for n in numbers]
                    frame = Frame(shapely.total_bounds(geoms), CITY_WIDTH)
                    simple = shapely.coverage_simplify(geoms, CITY_TOLERANCE_M)
                    shapes = {}
                    for n, g, s in zip(numbers, geoms, simple, strict=True):
                        lp = _label_point(g)
                        shapes[n] = (path_data(s, frame), frame.xy(lp.x, lp.y) if lp else None)
                    self._city = (frame, shapes)
        return self._city

    def city(self, *, title: str, id: str, fills: Mapping[int, str] | None = None,
             classes: Mapping[int, str] | None = None, titles: Mapping[int, str] | None = None,
             links: Mapping[int, str] | None = None, point=None,
             point_label: str | None = None, highlight: Iterable[int] = (),
             labels: bool = True, desc: str | None = None) -> str:
        """All wards; per-ward fill colours, extra classes, titles and links (all optional).

        ``fills`` is meant for choropleths (e.g. signatures per ward): colours are checked
        (#hex, a colour name, rgb()/hsl()). Wards in ``highlight`` get the class
        ``ward-highlight``. Links make the map ``role="group"`` with one link per ward.
        """
        frame, shapes = self._city_shapes()
        fills, classes, titles, links = fills or {}, classes or {}, titles or {}, links or {}
        highlight = {int(n) for n in highlight}
        out = _open(frame, id=id, title=title, desc=desc, classes="ward-map ward-map-city",
                    role="group" if links else "img")
        out.append('<g class="wards" stroke="#ffffff" stroke-width="1">')
        for n, (d, _lp) in shapes.items():
            cls = ["ward"]
            if n in highlight:
                cls.append("ward-highlight")
            if n in classes:
                cls.append(_classes(classes[n]))
            name = titles.get(n, f"Ward {n}")
            shape = (f'<path class="{" ".join(cls)}" d="{d}" '
                     f'fill="{_colour(fills.get(n, DEFAULT_FILL))}" fill-rule="evenodd">'
                     f"<title>{text(name)}</title></path>")
            if n in links:
                shape = f'<a href="{_href(links[n])}" aria-label="{text(name)}">{shape}</a>'
            out.append(shape)
        out.append("</g>")
        if labels:
            out.append('<g class="ward-labels" font-size="13" text-anchor="middle" '
                       'dominant-baseline="middle" fill="#1a1a1a" pointer-events="none" '
                       'aria-hidden="true">')
            for n, (_d, lp) in shapes.items():
                if lp is not None:
                    out.append(f'<text x="{lp[0]}" y="{lp[1]}">{n}</text>')
            out.append("</g>")
        if point is not None:
            out.append(_marker(frame, point, point_label, 5))
        out.append("</svg>")
        return "".join(out)
