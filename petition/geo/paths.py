"""Where the shipped data lives (kept apart so no module imports the builder at run time)."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
INDEX_NAME = "geo_index.npz"
