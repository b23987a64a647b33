"""Uncertainty sizes (metres) of the position estimates.

Chosen by ``bench/calibrate.py`` on a calibration split of the address points that is
disjoint from everything ``bench/lookup.py`` scores (see bench/README.md).
"""

EXACT_RADIUS_M = 4.0  # an exact City point: radius of doubt
# Same-parity bracket: along-street half-length at an anchor, growing by ALONG_PER_M per
# metre to the nearer anchor (also when mirrored), and half-width across the street (the
# side is known).
BRACKET_ALONG_M = 5.0
ALONG_PER_M = 0.3
BRACKET_ACROSS_M = 5.0
BRACKET_JUMP_M = 100.0  # extra along-street doubt when anchors are far apart for their gap
MIRRORED_ALONG_M = 10.0  # mirrored from the other side of the street
MIRRORED_ACROSS_M = 12.0
EDGE_NEAR_NUMBERS = 40  # extrapolate from a same-side point this close (in house numbers)
EXTRAPOLATED_ALONG_M = 10.0  # extrapolated beyond the last known point
EXTRAPOLATED_ALONG_PER_M = 0.3
EXTRAPOLATED_ACROSS_M = 8.0
