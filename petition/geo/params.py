"""Uncertainty parameters (metres) for placements.

Chosen by ``bench/calibrate.py`` on a calibration split of the address points that is
disjoint from everything ``bench/lookup.py`` scores (see bench/README.md).
"""

PARAMS = {
    "exact_r": 4.0,  # an exact City point: radius of doubt
    "br_a0": 5.0,  # same-parity bracket: along-street half-length at an anchor ...
    "br_a1": 0.3,  # ... growing with the distance to the nearer anchor
    "br_b": 5.0,  # ... and half-width across the street (side is known)
    "br_jump": 100.0,  # extra along-street doubt when anchors are far apart for their gap
    "mi_a0": 10.0,  # mirrored from the other side of the street
    "mi_b": 12.0,
    "edge_near": 40,  # numbers: extrapolate from a same-side point this close
    "ex_a0": 10.0,  # extrapolated beyond the last known point
    "ex_a1": 0.3,
    "ex_b": 8.0,
}
