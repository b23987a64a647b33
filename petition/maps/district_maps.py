"""Maps of the Illinois House and Senate districts inside Chicago, drawn like the ward maps
(petition.maps.svg) from the shipped 2021-plan polygons (illinois_districts.npz, clipped to
the city: a district reaching beyond Chicago is drawn only where it is inside it)."""

import threading

from petition.geo import Geocoder
from petition.maps.svg import WardMaps
from petition.models.legislator import HOUSE

_maps = {}
_lock = threading.Lock()


def district_maps(chamber: str) -> WardMaps:
    """The process-wide renderer of one chamber's districts (cached)."""
    if chamber not in _maps:
        with _lock:
            if chamber not in _maps:
                state = Geocoder.default().state
                areas = state.house if chamber == HOUSE else state.senate
                _maps[chamber] = WardMaps(areas.by_number)
    return _maps[chamber]
