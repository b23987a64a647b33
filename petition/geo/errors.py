"""Interpolation error measured street by street on the address points themselves.

Each point that has a neighbour of its parity on both sides is hidden and interpolated
from those two neighbours, as a look-up would place a number there. The miss is split
into along the street (per metre from the nearer neighbour) and across it. A street's
figures are a high quantile of its misses: a curving drive (Lake Shore, the boulevards)
or a street with uneven numbering gets a wider capsule than a straight grid street, whose
figures stay at the calibrated minimums in params.py.
"""

from __future__ import annotations

import numpy as np

ERROR_QUANTILE = 0.9  # a street's figure: this quantile of its leave-one-out misses
MIN_MEASURED = 8  # streets with fewer measured points keep the calibrated minimums
MIN_SPAN_M = 1.0  # neighbours closer than this give no direction to measure against
# Misses from a point this far from the nearer neighbour are measured per metre; nearer
# ones are dominated by where the building sits, not by the interpolation.
MIN_REACH_M = 20.0
MAX_ACROSS_M = 60.0  # cap: a street with a few wild points is doubted, not unusable
# Along the street, the calibrated doubt per metre (params.py) fits the typical street; a
# street whose misses are larger than the typical street's gets it scaled up by the
# ratio, at most this much.
MAX_ALONG_SCALE = 3.0


def _per_street_quantile(street: np.ndarray, value: np.ndarray, streets: int,
                         minimum: float, maximum: float) -> np.ndarray:
    """ERROR_QUANTILE of ``value`` per street (``minimum`` where too few), capped."""
    out = np.full(streets, minimum)
    if len(value) == 0:
        return out
    # By street, then by value: sort by value, then a stable (radix) sort by street id.
    by_value = np.argsort(value)
    order = by_value[np.argsort(street[by_value], kind="stable")]
    street, value = street[order], value[order]
    starts = np.flatnonzero(np.r_[True, street[1:] != street[:-1]])
    counts = np.diff(np.r_[starts, len(street)])
    enough = counts >= MIN_MEASURED
    picks = starts + np.floor(ERROR_QUANTILE * (counts - 1)).astype(np.int64)
    measured = street[starts[enough]]
    out[measured] = np.clip(value[picks[enough]], minimum, maximum)
    return out


def street_errors(num, x, y, offsets, streets: int, along_per_m: float, across_m: float,
                  measured: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(along doubt per metre, across doubt in metres) per street id.

    ``measured`` (bool per point, optional) limits which points are hidden and measured;
    their neighbours are still used. The minimums are the calibrated ``along_per_m`` and
    ``across_m``.
    """
    num = np.asarray(num, dtype=np.int64)
    slice_of = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    inner = np.zeros(len(num), dtype=bool)
    inner[1:-1] = (slice_of[:-2] == slice_of[1:-1]) & (slice_of[2:] == slice_of[1:-1])
    if measured is not None:
        inner &= np.asarray(measured, dtype=bool)
    i = np.flatnonzero(inner)
    low, high = i - 1, i + 1
    gap = (num[high] - num[low]).astype(np.float64)
    dx, dy = x[high] - x[low], y[high] - y[low]
    span = np.hypot(dx, dy)
    ok = (gap > 0) & (span > MIN_SPAN_M) & (num[i] > num[low]) & (num[i] < num[high])
    i, low, high, gap, dx, dy, span = (v[ok] for v in (i, low, high, gap, dx, dy, span))
    fraction = (num[i] - num[low]) / gap
    miss_x = x[i] - (x[low] + fraction * dx)
    miss_y = y[i] - (y[low] + fraction * dy)
    ux, uy = dx / span, dy / span
    along = np.abs(miss_x * ux + miss_y * uy)
    across = np.abs(miss_y * ux - miss_x * uy)
    reach = np.minimum(num[i] - num[low], num[high] - num[i]) * span / gap
    street = slice_of[i] // 2
    far = reach >= MIN_REACH_M
    along_ratio = along[far] / reach[far]
    typical = float(np.quantile(along_ratio, ERROR_QUANTILE)) if len(along_ratio) else 1.0
    along_scale = _per_street_quantile(street[far], along_ratio / typical, streets, 1.0,
                                       MAX_ALONG_SCALE)
    across_doubt = _per_street_quantile(street, across, streets, across_m, MAX_ACROSS_M)
    return along_per_m * along_scale, across_doubt
