"""Ward maps for templates: translated titles around `petition.maps.svg` (cached renderer).

Registered as Jinja globals by `init_app`: ``ward_map``, ``candidates_map`` and
``city_map`` return safe markup (the SVG module escapes everything it is given).
"""

import logging
import threading

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from petition.geo import Geocoder
from petition.maps.svg import WardMaps
from petition.web.templating import and_list

log = logging.getLogger(__name__)
_maps = None
_lock = threading.Lock()


def init_app(app):
    """Let every template draw maps."""
    app.jinja_env.globals.update(ward_map=ward_map, candidates_map=candidates_map,
                                 city_map=city_map)


def ward_maps() -> WardMaps:
    """The process-wide renderer over the shipped 2023 ward polygons."""
    global _maps
    if _maps is None:
        with _lock:
            if _maps is None:
                _maps = WardMaps.from_geocoder(Geocoder.default())
    return _maps


def _plain_links(links):
    """URLs as plain text: a Jinja macro's output is Markup, already HTML-escaped."""
    if not links:
        return links
    return {int(w): (str(v.unescape()) if isinstance(v, Markup) else str(v)).strip()
            for w, v in links.items()}


def ward_title(number):
    return _("Ward %(number)s", number=number)


def ward_map(ward, point=None, id="ward-map"):
    """One ward, with the looked-up point if there is one (nothing for a bad ward number)."""
    if not isinstance(ward, int) or ward not in ward_maps().numbers():
        log.warning("no map for ward %r", ward)
        return Markup("")
    return Markup(ward_maps().ward(
        int(ward), point=point, id=id,
        title=_("Map of ward %(number)s", number=ward),
        desc=_("The marker shows the location we found.") if point else None,
        point_label=_("Your location") if point else None,
    ))


def candidates_map(wards, point, links=None, id="candidates-map", street=None):
    """The wards near a point (near a ward line), labelled, with the point marked and the
    street the line follows named (a geo.boundaries.BoundaryStreet), when known."""
    wards = [w for w in wards if isinstance(w, int) and w in ward_maps().numbers()]
    if not wards or point is None:
        return Markup("")
    return Markup(ward_maps().candidates(
        wards, point=point, id=id, links=_plain_links(links),
        labels={w: ward_title(w) for w in wards},
        title=_("Map of wards %(wards)s near your location", wards=and_list(wards)),
        desc=_("The marker shows the location we found; the coloured areas are the wards "
               "it may be in."),
        point_label=_("Your location"), street=street,
    ))


def city_map(links=None, fills=None, highlight=(), point=None, id="city-map", title=None,
             titles=None, link_endpoint=None, link_args=None):
    """All 50 wards; each ward links to `links[n]`, or to `url_for(link_endpoint, ward=n,
    **link_args)` (the city map to choose a ward on). `fills` colours wards (choropleths)."""
    if link_endpoint:
        links = {n: url_for(link_endpoint, ward=n, **(link_args or {}))
                 for n in ward_maps().numbers()}
    return Markup(ward_maps().city(
        id=id, links=_plain_links(links), fills=fills, highlight=highlight, point=point,
        title=title or _("Map of Chicago's 50 wards"),
        titles=titles or {n: ward_title(n) for n in ward_maps().numbers()},
        point_label=_("Your location") if point else None,
    ))
