"""Offline Chicago address -> 2023 ward / police district geocoder (no Flask imports).

Public API::

    from petition.geo import Geocoder, LookupResult
    geo = Geocoder.default()
    r = geo.lookup_address("1958 N Milwaukee Ave")
    r.ward, r.confidence, r.candidate_wards, r.police_district
"""

from .geocoder import Geocoder
from .parse import ParsedAddress, parse
from .result import LookupResult

__all__ = ["Geocoder", "LookupResult", "ParsedAddress", "parse"]
