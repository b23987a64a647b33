"""Choose the uncertainty scale in petition/geo/params.py (run: python bench/calibrate.py).

Uses ONLY the calibration half of the address points (``is_calibration_half`` in
bench/lookup.py); lookup.py scores only the other half and the City-geocoder set, so no
address is ever scored with parameters fitted on it. Each sampled point is looked up with
``LeaveOutGeocoder`` (its own point hidden); the truth is the 2023 ward polygon at the
point's own (City) location.
For multipliers on the along-street and across-street half-sizes, it reports the share of
confident ("high") answers that are wrong and the share flagged near_boundary.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import shapely  # noqa: I001

from lookup import LeaveOutGeocoder, is_calibration_half
from petition.geo.areas import to_xy
from scripts.build_geo_data import DEFAULT_OUT, read_csv

SAMPLE = 40000
MULTS = (0.5, 0.75, 1.0, 1.5, 2.0)
METHODS = ("bracket", "extrapolated", "mirrored")


def main():
    """Run the calibration grid and print a table."""
    geo = LeaveOutGeocoder.load()
    rows = []
    for r in read_csv(DEFAULT_OUT / "chicago_address_points.csv.gz"):
        street = " ".join(x for x in (r["street_dir"], r["street_name"], r["street_type"]) if x)
        text = f"{r['house_number']} {street}"
        if is_calibration_half(text):
            rows.append((text, float(r["lon"]), float(r["lat"])))
    rows.sort()
    sample = random.Random(1).sample(rows, SAMPLE)
    recs = []
    for text, lon, lat in sample:
        result, estimate = geo.locate_address(text)
        if estimate is None or result.ward is None:
            continue
        tx, ty = to_xy(lon, lat)
        truth = geo.wards.containing(float(tx), float(ty))
        if truth:
            recs.append((result.ward, truth[0], estimate))
    print(f"{len(recs)} placed calibration addresses")
    for method in METHODS:
        grid(geo, [r for r in recs if r[2].method == method], method)


def grid(geo, recs, method):
    """Print the multiplier grid for the placements of one method."""
    print(f"\n{method}: {len(recs)} placements")
    print("| along x | across x | wrong among high | near_boundary |")
    print("|---|---|---|---|")
    for ka in MULTS:
        for kb in MULTS:
            high = wrong = near = 0
            for ward, truth, estimate in recs:
                along, across = estimate.along * ka, estimate.across * kb
                dx, dy = estimate.ux * along, estimate.uy * along
                capsule = shapely.LineString([(estimate.x - dx, estimate.y - dy),
                                              (estimate.x + dx, estimate.y + dy)])
                candidates = set(geo.wards.near(capsule, across)) | {ward}
                if len(candidates) == 1:
                    high += 1
                    wrong += ward != truth
                else:
                    near += 1
            print(f"| {ka} | {kb} | {100 * wrong / max(high, 1):.3f}% ({wrong}) "
                  f"| {100 * near / max(len(recs), 1):.2f}% |")


if __name__ == "__main__":
    main()
