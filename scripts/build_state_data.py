"""Build the Illinois House and Senate files in petition/data from the shared sources.

Usage::

    python -m scripts.build_state_data [--src ../shared/data/illinois] [--out petition/data]

The shared district files hold every district touching Chicago, whole. The app only answers
Chicago addresses, so each district is clipped to the city (the 2023 wards in
petition/data) grown by ``CLIP_MARGIN_M`` metres (room for addresses snapped in from the
lakefront or the river and for the look-up's near-a-line doubt); inside that area the lines
are kept exactly as they are (no simplification), with 6 decimals (about 0.1 m, the
source's precision). They are written to ``illinois_districts.npz`` (layout in
petition/geo/legislative.py) with a clearance raster per chamber (petition/geo/fastgrid.py)
built from the polygons exactly as the app decodes them, so the raster's answers are the
polygon queries' (the batch look-up needs that speed, bench/README.md).
The roster keeps the districts the polygons have and the columns the app reads.
Output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

from petition.geo import fastgrid
from petition.geo.areas import AreaSet, to_lonlat, to_xy
from petition.geo.legislative import INDEX_FILE, decode_polygons, encode_polygons
from petition.geo.paths import DATA_DIR
from scripts.build_geo_data import write_index

DEFAULT_SRC = DATA_DIR.parent.parent.parent / "shared" / "data" / "illinois"
CLIP_MARGIN_M = 1000.0
DECIMALS = 6
DISTRICT_FILES = {"house": "il_house_districts_chicago.geojson.gz",
                  "senate": "il_senate_districts_chicago.geojson.gz"}
ROSTER_SOURCE = "il_general_assembly_roster_2026.csv"
ROSTER_SHIPPED = "illinois_general_assembly_2026.csv"
ROSTER_COLUMNS = ["chamber", "district", "name", "party", "email", "phone", "office_address",
                  "website"]


def _to_metres(geom):
    return shapely.transform(geom, lambda c: np.column_stack(to_xy(c[:, 0], c[:, 1])))


def _to_lonlat(geom):
    return shapely.transform(geom, lambda c: np.array([to_lonlat(x, y) for x, y in c]))


def city_area(data_dir: Path):
    """The 2023 wards' union grown by CLIP_MARGIN_M, in lon/lat."""
    with gzip.open(data_dir / "chicago_wards_2023.geojson.gz", "rt", encoding="utf-8") as fh:
        wards = json.load(fh)["features"]
    union = shapely.union_all([_to_metres(shape(f["geometry"])) for f in wards])
    return _to_lonlat(union.buffer(CLIP_MARGIN_M))


def _multi(geom):
    polygons = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon"]
    return shapely.MultiPolygon(polygons)


def clip_districts(source: Path, area) -> tuple[list[int], list]:
    """(numbers, MultiPolygons) of a district file clipped to ``area``, sorted by number."""
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    numbers, geoms = [], []
    for feature in sorted(features, key=lambda f: int(f["properties"]["district"])):
        clipped = shapely.set_precision(shape(feature["geometry"]).intersection(area),
                                        10 ** -DECIMALS)
        if not clipped.is_empty:
            numbers.append(int(feature["properties"]["district"]))
            geoms.append(_multi(clipped))
    return numbers, geoms


def build_index(src: Path, data_dir: Path) -> dict[str, np.ndarray]:
    """Polygons and clearance rasters per chamber."""
    area = city_area(data_dir)
    arrays, sets = {}, {}
    for chamber, source in DISTRICT_FILES.items():
        numbers, geoms = clip_districts(src / source, area)
        encoded = encode_polygons(geoms)
        sets[chamber] = AreaSet(numbers, decode_polygons(
            encoded["xy"], encoded["rings"], encoded["parts"], encoded["geoms"]))
        arrays[f"{chamber}_num"] = np.array(numbers, dtype=np.int16)
        arrays.update({f"{chamber}_{k}": v for k, v in encoded.items()})
    x0, y0, nx, ny = fastgrid.grid_frame(list(sets.values()))
    arrays["frame"] = np.array([x0, y0, fastgrid.CELL_M], dtype=np.float64)
    for chamber, areas in sets.items():
        arrays[chamber], arrays[f"{chamber}_clear"] = fastgrid.build_grid(areas, x0, y0, nx, ny)
    return arrays


def trim_roster(source: Path, districts: dict[str, set[int]]) -> str:
    """The roster rows for the shipped districts, with the columns the app reads."""
    with open(source, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(ROSTER_COLUMNS)
    for row in rows:
        if int(row["district"]) in districts[row["chamber"]]:
            writer.writerow([row[c] if c != "website" else row["source_url"]
                             for c in ROSTER_COLUMNS])
    return buf.getvalue()


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC)
    ap.add_argument("--out", type=Path, default=DATA_DIR)
    args = ap.parse_args(argv)
    arrays = build_index(args.src, args.out)
    write_index(arrays, args.out / INDEX_FILE)
    districts = {chamber: set(arrays[f"{chamber}_num"].tolist()) for chamber in DISTRICT_FILES}
    print(f"wrote {args.out / INDEX_FILE}: "
          + ", ".join(f"{len(d)} {c} districts" for c, d in districts.items()))
    (args.out / ROSTER_SHIPPED).write_text(trim_roster(args.src / ROSTER_SOURCE, districts),
                                           encoding="utf-8")
    print(f"wrote {args.out / ROSTER_SHIPPED}")


if __name__ == "__main__":
    main()
