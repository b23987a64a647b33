"""Build petition/data from the shared source files (deterministic).

Usage::

    python -m scripts.build_geo_data [--src ../shared/data] [--out petition/data]

Step 1 copies the source files we ship (large ones gzip-compressed with a fixed mtime so
the bytes are reproducible). Step 2 builds ``geo_index.npz`` from those shipped copies:
street table, address points sorted by (street, parity, number), intersections per
street, the ward / police-district polygons as WKB, and the wards' and districts'
clearance rasters (``fastgrid.py``), so ``Geocoder.load()`` only has to memory-load numpy
arrays instead of parsing 270k CSV rows and 5 MB of GeoJSON.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import shutil
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

from petition.geo import fastgrid
from petition.geo.areas import AreaSet
from petition.geo.names import (
    CANONICAL_TYPES,
    SHARED_POINTS,
    canonical_name,
    canonical_type,
    split_street_label,
)
from petition.geo.paths import DATA_DIR, INDEX_NAME

# The workplace keeps the source data beside the checkout, in ../shared/data.
DEFAULT_SRC = DATA_DIR.parent.parent.parent / "shared" / "data"
DEFAULT_OUT = DATA_DIR

# (source name, shipped name). Shipped gzip'ed when the name ends in .gz.
SHIPPED = [
    ("chicago_wards_2023.geojson", "chicago_wards_2023.geojson.gz"),
    ("chicago_police_districts.geojson", "chicago_police_districts.geojson.gz"),
    ("chicago_address_points.csv.gz", "chicago_address_points.csv.gz"),
    ("chicago_intersections.csv", "chicago_intersections.csv.gz"),
    ("chicago_street_names_2017.csv", "chicago_street_names_2017.csv.gz"),
    ("chicago_city_geocoder_addresses.csv", "chicago_city_geocoder_addresses.csv.gz"),
    ("chicago_alders.csv", "chicago_alders.csv"),
    ("chicago_district_council_members_2023.csv", "chicago_district_council_members_2023.csv"),
]
COORD_SCALE = 1e7  # lon/lat stored as int32 in 1e-7 degrees (~1 cm): exact for all sources

_RAMP_WORDS = {"ER", "XR", "SR", "RAMP", "OP", "IB", "OB", "NB", "SB", "EB", "WB", "ORD"}
_RANGE_RE = re.compile(r"^\s*(\d+)")


def _gzip_bytes(raw: bytes) -> bytes:
    buf = io.BytesIO()
    # mtime=0 and no file name: identical input gives identical bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as fh:
        fh.write(raw)
    return buf.getvalue()


def copy_sources(src: Path, out: Path) -> None:
    """Copy (and gzip where named) the shipped source files into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, shipped in SHIPPED:
        raw_path = src / name
        dest = out / shipped
        if name.endswith(".gz") or not shipped.endswith(".gz"):
            shutil.copyfile(raw_path, dest)
        else:
            dest.write_bytes(_gzip_bytes(raw_path.read_bytes()))


def open_text(path: Path):
    """Open a shipped text file, transparently un-gzipping."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def read_csv(path: Path) -> list[dict]:
    """Read a (possibly gzipped) CSV file into a list of dicts."""
    with open_text(path) as fh:
        return list(csv.DictReader(fh))


def _street_key(d: str, name: str, typ: str) -> tuple[str, str, str]:
    return (d.strip().upper(), canonical_name(name), canonical_type(typ) if typ else "")


def _wkb_pack(geoms) -> tuple[np.ndarray, np.ndarray]:
    blobs = [shapely.to_wkb(g) for g in geoms]
    offsets = np.cumsum([0] + [len(b) for b in blobs]).astype(np.int64)
    return np.frombuffer(b"".join(blobs), dtype=np.uint8), offsets


def build_index(data_dir: Path) -> dict[str, np.ndarray]:
    """Build the index arrays from the shipped files in ``data_dir``."""
    points: dict[tuple, dict[int, tuple[int, int, int]]] = defaultdict(dict)
    ranges: dict[tuple, list[int]] = {}
    inters: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    zips: dict[tuple, set[str]] = defaultdict(set)

    def add_range(key, lo, hi):
        r = ranges.setdefault(key, [lo, hi])
        r[0], r[1] = min(r[0], lo), max(r[1], hi)

    # Permit address points first so they win over the City-geocoder copy of a number.
    for r in read_csv(data_dir / "chicago_address_points.csv.gz"):
        key = _street_key(r["street_dir"], r["street_name"], r["street_type"])
        num = int(r["house_number"])
        lon = round(float(r["lon"]) * COORD_SCALE)
        lat = round(float(r["lat"]) * COORD_SCALE)
        points[key].setdefault(num, (lon, lat, 0))
    n_addr = sum(len(v) for v in points.values())

    n_city = 0
    for r in read_csv(data_dir / "chicago_city_geocoder_addresses.csv.gz"):
        m = _RANGE_RE.match(r["address"])
        if not m or not r["street_dir"] or not r["street_name"]:
            continue
        # For a range "6101-6115 N SEELEY AVE" the City's point is that of the low number.
        num = int(m.group(1))
        key = _street_key(r["street_dir"], r["street_name"], r["street_type"])
        lon = round(float(r["lon"]) * COORD_SCALE)
        lat = round(float(r["lat"]) * COORD_SCALE)
        if num not in points[key]:
            points[key][num] = (lon, lat, 1)
            n_city += 1

    for r in read_csv(data_dir / "chicago_street_names_2017.csv.gz"):
        typ = r["suffix"]
        if typ and typ not in CANONICAL_TYPES:
            continue  # ramps (ER/XR/SR...) carry no addresses
        key = _street_key(r["direction"], r["street"], typ)
        lo, hi = int(r["min_address"] or 0), int(r["max_address"] or 0)
        if hi > 0:
            add_range(key, lo, hi)

    crossing_rows = []
    for r in read_csv(data_dir / "chicago_intersections.csv.gz"):
        lon = round(float(r["longitude"]) * COORD_SCALE)
        lat = round(float(r["latitude"]) * COORD_SCALE)
        pair = []
        for label in (r["street_1"], r["street_2"]):
            if label.split()[-1] in _RAMP_WORDS:
                continue  # ramps and carriageway pieces carry no addresses
            key = split_street_label(label)
            inters[key].append((lon, lat))
            pair.append(key)
            if re.fullmatch(r"6\d{4}", r["zipcode"] or ""):
                zips[key].add(r["zipcode"])
        if len(pair) == 2 and pair[0] != pair[1]:
            crossing_rows.append((pair[0], pair[1], lon, lat))

    for a, b in SHARED_POINTS:
        merged = {**points.get(b, {}), **points.get(a, {})}
        if merged:
            points[a] = dict(merged)
            points[b] = dict(merged)

    for key, pts in points.items():
        add_range(key, min(pts), max(pts))

    keys = sorted(set(points) | set(ranges) | set(inters))
    keys = [k for k in keys if k[1]]
    kid = {k: i for i, k in enumerate(keys)}

    # Points sorted by (street, parity, number); offsets index slices per (street, parity).
    rows = []
    for key, pts in points.items():
        if key not in kid:
            continue
        for num, (lon, lat, src) in pts.items():
            rows.append((kid[key], num % 2, num, lon, lat, src))
    rows.sort()
    arr = np.array(rows, dtype=np.int64).reshape(-1, 6)
    slot = arr[:, 0] * 2 + arr[:, 1]
    pt_off = np.searchsorted(slot, np.arange(2 * len(keys) + 1)).astype(np.int64)

    irows = sorted((kid[k], lon, lat) for k, v in inters.items() if k in kid for lon, lat in set(v))
    iarr = np.array(irows, dtype=np.int64).reshape(-1, 3)
    ix_off = np.searchsorted(iarr[:, 0], np.arange(len(keys) + 1)).astype(np.int64)

    # Named intersections ("MILWAUKEE & DAMEN"), street ids ordered within each pair.
    xrows = sorted({(min(kid[a], kid[b]), max(kid[a], kid[b]), lon, lat)
                    for a, b, lon, lat in crossing_rows if a in kid and b in kid})
    xarr = np.array(xrows, dtype=np.int64).reshape(-1, 4)

    wards_fc = json.load(open_text(data_dir / "chicago_wards_2023.geojson.gz"))
    wfeat = sorted(wards_fc["features"], key=lambda f: int(f["properties"]["ward"]))
    ward_wkb, ward_off = _wkb_pack([shape(f["geometry"]) for f in wfeat])
    dist_fc = json.load(open_text(data_dir / "chicago_police_districts.geojson.gz"))
    dfeat = sorted(dist_fc["features"], key=lambda f: int(f["properties"]["district"]))
    dist_wkb, dist_off = _wkb_pack([shape(f["geometry"]) for f in dfeat])
    ward_num = np.array([int(f["properties"]["ward"]) for f in wfeat], dtype=np.int16)
    dist_num = np.array([int(f["properties"]["district"]) for f in dfeat], dtype=np.int16)

    # Clearance rasters (fastgrid.py), from the polygons exactly as Geocoder loads them.
    wards = AreaSet(ward_num, [shapely.from_wkb(ward_wkb[ward_off[i]:ward_off[i + 1]].tobytes())
                               for i in range(len(ward_num))])
    dists = AreaSet(dist_num, [shapely.from_wkb(dist_wkb[dist_off[i]:dist_off[i + 1]].tobytes())
                               for i in range(len(dist_num))])
    x0, y0, nx, ny = fastgrid.grid_frame([wards, dists])
    fg_ward, fg_ward_clear = fastgrid.build_grid(wards, x0, y0, nx, ny)
    fg_dist, fg_dist_clear = fastgrid.build_grid(dists, x0, y0, nx, ny)

    return {
        "st_dir": np.array([k[0] for k in keys], dtype="U1"),
        "st_name": np.array([k[1] for k in keys]),
        "st_type": np.array([k[2] for k in keys], dtype="U4"),
        "st_min": np.array([ranges.get(k, (0, 0))[0] for k in keys], dtype=np.int32),
        "st_max": np.array([ranges.get(k, (0, 0))[1] for k in keys], dtype=np.int32),
        "st_zips": np.array([" ".join(sorted(zips.get(k, ()))) for k in keys]),
        "pt_num": arr[:, 2].astype(np.int32),
        "pt_lon": arr[:, 3].astype(np.int32),
        "pt_lat": arr[:, 4].astype(np.int32),
        "pt_src": arr[:, 5].astype(np.int8),
        "pt_off": pt_off,
        "ix_lon": iarr[:, 1].astype(np.int32),
        "ix_lat": iarr[:, 2].astype(np.int32),
        "ix_off": ix_off,
        "xp_a": xarr[:, 0].astype(np.int32),
        "xp_b": xarr[:, 1].astype(np.int32),
        "xp_lon": xarr[:, 2].astype(np.int32),
        "xp_lat": xarr[:, 3].astype(np.int32),
        "ward_num": ward_num,
        "ward_wkb": ward_wkb,
        "ward_off": ward_off,
        "dist_num": dist_num,
        "dist_wkb": dist_wkb,
        "dist_off": dist_off,
        "counts": np.array([n_addr, n_city, len(irows)], dtype=np.int64),
        "fg_frame": np.array([x0, y0, fastgrid.CELL_M], dtype=np.float64),
        "fg_ward": fg_ward,
        "fg_ward_clear": fg_ward_clear,
        "fg_dist": fg_dist,
        "fg_dist_clear": fg_dist_clear,
    }


def write_index(arrays: dict[str, np.ndarray], path: Path) -> None:
    """Write the index as a deflated .npz with fixed zip timestamps (reproducible bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w") as fh:
                np.lib.format.write_array(fh, np.asarray(arrays[name]), allow_pickle=False)
    path.write_bytes(buf.getvalue())


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--index-only", action="store_true", help="skip copying sources")
    args = ap.parse_args(argv)
    if not args.index_only:
        copy_sources(args.src, args.out)
    arrays = build_index(args.out)
    write_index(arrays, args.out / INDEX_NAME)
    print(f"wrote {args.out / INDEX_NAME}: {len(arrays['st_name'])} streets, "
          f"{len(arrays['pt_num'])} points, {len(arrays['ix_lon'])} intersection entries")


if __name__ == "__main__":
    main()
