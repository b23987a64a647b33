"""Where the shipped data lives and how it stores coordinates (no builder import at run time)."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
INDEX_NAME = "geo_index.npz"
COORD_SCALE = 1e7  # the index stores lon/lat as integers in 1e-7 degrees (about 1 cm)
