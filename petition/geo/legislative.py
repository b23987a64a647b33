"""Illinois House and Senate districts (2021 plan) for Chicago points, offline.

``illinois_districts.npz`` (built by scripts/build_state_data.py) holds, per chamber, the
districts clipped to the city, as coordinate arrays (``*_xy``: lon/lat in 1e-6 degrees,
delta-encoded int32, which compresses well; ``*_rings``/``*_parts``/``*_geoms``: the
offsets of shapely's ragged-array layout, MultiPolygons), and a clearance raster.

A point is placed like a police district: the district containing it, with every district
its uncertainty capsule reaches as a candidate (near a line). As for wards, the raster
answers a capsule that lies wholly inside one district with room to spare, with the answer
the polygon queries would give (fastgrid.py explains why it is exact); the batch look-up
needs that speed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import shapely

from .areas import AreaSet
from .fastgrid import FastGrid

INDEX_FILE = "illinois_districts.npz"
CHAMBERS = ("house", "senate")
COORD_SCALE = 1e6  # 6 decimals: about 0.1 m, the source's precision


def read_npz(path: Path) -> dict[str, np.ndarray]:
    """The arrays of an .npz file (no pickles)."""
    with zipfile.ZipFile(path) as archive:
        arrays = {}
        for name in archive.namelist():
            with archive.open(name) as fh:
                arrays[name[:-4]] = np.lib.format.read_array(fh, allow_pickle=False)
    return arrays


def encode_polygons(geoms) -> dict[str, np.ndarray]:
    """MultiPolygons (lon/lat, 6 decimals) -> the arrays described in the module docs."""
    _, coords, (rings, parts, multis) = shapely.to_ragged_array(np.asarray(geoms, dtype=object))
    scaled = np.round(coords * COORD_SCALE).astype(np.int64)
    return {"xy": np.diff(scaled, axis=0, prepend=0).astype(np.int32), "rings": rings,
            "parts": parts, "geoms": multis}


def decode_polygons(xy, rings, parts, multis) -> list:
    """The inverse of :func:`encode_polygons`."""
    coords = np.cumsum(xy.astype(np.int64), axis=0) / COORD_SCALE
    return list(shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, coords,
                                          (rings, parts, multis)))


def _areas(arrays, chamber: str) -> AreaSet:
    return AreaSet(arrays[f"{chamber}_num"], decode_polygons(
        *(arrays[f"{chamber}_{k}"] for k in ("xy", "rings", "parts", "geoms"))))


class StateDistricts:
    """The House and Senate district polygons around Chicago."""

    def __init__(self, house: AreaSet, senate: AreaSet, grid: FastGrid | None = None):
        self.house = house
        self.senate = senate
        self.grid = grid
        self.fast_path = True  # False: always the polygon queries (tests, benchmarks)

    @classmethod
    def load(cls, data_dir: Path) -> StateDistricts:
        """Read the built index in ``data_dir``."""
        arrays = read_npz(data_dir / INDEX_FILE)
        grid = FastGrid(arrays["frame"], arrays["house"], arrays["house_clear"],
                        arrays["senate"], arrays["senate_clear"])
        return cls(_areas(arrays, "house"), _areas(arrays, "senate"), grid)

    def fast_answer(self, estimate) -> tuple[int, int]:
        """(house, senate) the rasters give for an estimate; 0 = not answered."""
        if not self.fast_path or self.grid is None:
            return 0, 0
        return self.grid.lookup(estimate.x, estimate.y, estimate.reach())

    def assign(self, result, estimate, capsule, snap_m: float) -> None:
        """Fill a LookupResult's state_house/state_senate fields and their candidates.

        ``capsule`` is a function giving the estimate's capsule (built only when needed).
        """
        fast = self.fast_answer(estimate)
        for areas, name, known in ((self.house, "state_house", fast[0]),
                                   (self.senate, "state_senate", fast[1])):
            if known:
                number, candidates = known, [known]
            else:
                number, candidates = areas.place(estimate.x, estimate.y, capsule(),
                                                 estimate.across, snap_m)
            setattr(result, name, number)
            setattr(result, f"candidate_{name}", candidates)
