"""Build the Illinois House and Senate files in petition/data from the shared sources.

Usage::

    python -m scripts.build_state_data [--src ../shared/data/illinois] [--out petition/data]

The shared district files hold every district touching Chicago, whole. The app only answers
Chicago addresses, so each district is clipped to the city (the 2023 wards) grown by
``CLIP_MARGIN_M`` metres (room for addresses snapped in from the lakefront or the river and
for the look-up's near-a-line doubt); inside that area the lines are kept exactly as they
are (no simplification). Coordinates keep 6 decimals (about 0.1 m, the source's precision).
The roster keeps the districts the polygons have and the columns the app reads. Output is
byte-for-byte reproducible (gzip mtime 0, sorted districts).
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
from shapely.geometry import mapping, shape

from petition.geo.areas import to_lonlat, to_xy
from petition.geo.paths import DATA_DIR

DEFAULT_SRC = DATA_DIR.parent.parent.parent / "shared" / "data" / "illinois"
CLIP_MARGIN_M = 1000.0
DECIMALS = 6
# (source file, shipped file)
DISTRICT_FILES = [
    ("il_house_districts_chicago.geojson.gz", "illinois_house_districts_chicago.geojson.gz"),
    ("il_senate_districts_chicago.geojson.gz", "illinois_senate_districts_chicago.geojson.gz"),
]
ROSTER_SOURCE = "il_general_assembly_roster_2026.csv"
ROSTER_SHIPPED = "illinois_general_assembly_2026.csv"
ROSTER_COLUMNS = ["chamber", "district", "name", "party", "email", "phone", "office_address",
                  "website"]


def _gzip_bytes(raw: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as fh:
        fh.write(raw)
    return buf.getvalue()


def _to_metres(geom):
    return shapely.transform(geom, lambda c: np.column_stack(to_xy(c[:, 0], c[:, 1])))


def _to_lonlat(geom):
    def back(coords):
        return np.array([to_lonlat(x, y) for x, y in coords])
    return shapely.transform(geom, back)


def city_area(data_dir: Path):
    """The 2023 wards' union grown by CLIP_MARGIN_M, in lon/lat."""
    with gzip.open(data_dir / "chicago_wards_2023.geojson.gz", "rt", encoding="utf-8") as fh:
        wards = json.load(fh)["features"]
    union = shapely.union_all([_to_metres(shape(f["geometry"])) for f in wards])
    return _to_lonlat(union.buffer(CLIP_MARGIN_M))


def clip_districts(source: Path, area) -> list[dict]:
    """The features of a district file clipped to ``area``, sorted by district."""
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    out = []
    for feature in sorted(features, key=lambda f: int(f["properties"]["district"])):
        clipped = shapely.set_precision(shape(feature["geometry"]).intersection(area),
                                        10 ** -DECIMALS)
        if clipped.is_empty:
            continue
        out.append({"type": "Feature", "properties": {"district": int(
            feature["properties"]["district"])}, "geometry": mapping(clipped)})
    return out


def _round(value):
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


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
    area = city_area(args.out)
    districts = {}
    for (source, shipped), chamber in zip(DISTRICT_FILES, ("house", "senate"), strict=True):
        features = clip_districts(args.src / source, area)
        districts[chamber] = {f["properties"]["district"] for f in features}
        text = json.dumps({"type": "FeatureCollection", "features": _round(features)},
                          separators=(",", ":"))
        (args.out / shipped).write_bytes(_gzip_bytes(text.encode("utf-8")))
        print(f"wrote {args.out / shipped}: {len(features)} districts")
    (args.out / ROSTER_SHIPPED).write_text(trim_roster(args.src / ROSTER_SOURCE, districts),
                                           encoding="utf-8")
    print(f"wrote {args.out / ROSTER_SHIPPED}")


if __name__ == "__main__":
    main()
