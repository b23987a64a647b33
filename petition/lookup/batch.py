"""Batch look-up of a CSV of addresses (paper signatures typed in by organizers).

Reads a column ``address`` (and ``zip`` if there is one), keeps every input column and adds
the look-up's columns. The whole file is read and checked first, so a bad file fails
before anything is written.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
from collections import Counter
from dataclasses import dataclass, field

from petition.geo import Geocoder
from petition.lookup.rosters import header_key
from petition.lookup.service import full_suggestions

NEW_COLUMNS = ("ward", "alder", "lon", "lat", "match", "confidence", "candidate_wards",
               "police_district", "normalized_address", "error", "suggestions",
               "state_house", "state_senate")
ZIP_COLUMNS = ("zip", "zip_code", "zipcode", "postal_code")
MAX_ADDRESS_CHARS = 200
_CACHE_LIMIT = 200_000


class BatchError(ValueError):
    """The input file cannot be processed; nothing was written."""


def decode(data: bytes) -> tuple[str, bool]:
    """UTF-8 (with or without a byte-order mark) -> (text, had_bom)."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8-sig"), bom
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BatchError(f"line {line}: the file is not UTF-8 text; save it as "
                         "\"CSV UTF-8\" and try again") from exc


@dataclass
class Batch:
    header: list[str]
    rows: list[list[str]]
    address_index: int
    zip_index: int | None
    out_columns: list[str]
    renamed: dict[str, str] = field(default_factory=dict)
    by_match: Counter = field(default_factory=Counter)
    by_confidence: Counter = field(default_factory=Counter)
    by_problem: Counter = field(default_factory=Counter)
    done: int = 0

    def output_header(self) -> list[str]:
        return list(self.header) + self.out_columns


def prepare(text: str) -> Batch:
    """Parse and check the CSV: an ``address`` column, rows no wider than the header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise BatchError("the file is empty or has no header row")
        keys = [header_key(h) for h in header]
        found = [i for i, k in enumerate(keys) if k == "address"]
        if not found:
            raise BatchError("there is no 'address' column (the header has: "
                             + ", ".join(header)[:300] + ")")
        if len(found) > 1:
            raise BatchError("there are several 'address' columns; keep one")
        zips = [i for i, k in enumerate(keys) if k in ZIP_COLUMNS]
        rows, wide = [], []
        for cells in reader:
            if not cells:
                continue  # blank line
            if len(cells) > len(header):
                if any(c.strip() for c in cells[len(header):]):
                    wide.append(reader.line_num)
                    continue
                cells = cells[: len(header)]
            elif len(cells) < len(header):
                cells = cells + [""] * (len(header) - len(cells))
            rows.append(cells)
    except csv.Error as exc:
        raise BatchError(f"line {reader.line_num}: this is not valid CSV: {exc}") from exc
    if wide:
        raise BatchError(f"rows with more cells than the header has columns (a stray comma?) "
                         f"on line(s) {', '.join(map(str, wide[:10]))}"
                         + (" ..." if len(wide) > 10 else ""))
    taken = set(keys)
    out_columns, renamed = [], {}
    for name in NEW_COLUMNS:
        out = name
        while header_key(out) in taken:
            out += "_lookup"
        if out != name:
            renamed[name] = out
        taken.add(header_key(out))
        out_columns.append(out)
    return Batch(header=header, rows=rows, address_index=found[0],
                 zip_index=zips[0] if zips else None, out_columns=out_columns,
                 renamed=renamed)


class Looker:
    """Looks addresses up with a cache (a typed stack of paper signatures repeats some)."""

    def __init__(self, geocoder):
        self.geocoder = geocoder
        self.cache: dict[str, tuple] = {}

    def values(self, address: str, zip_code: str) -> tuple:
        """The look-up columns for one row, without the alder (see `row_values`)."""
        text = " ".join(address.split())
        zip_code = zip_code.strip()
        key = f"{text}\n{zip_code}"
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        if not text:
            values = ("", "", "", "", "none", "none", "", "", "", "empty", "", "", "")
        elif len(text) > MAX_ADDRESS_CHARS:
            values = ("", "", "", "", "none", "none", "", "", "", "too_long", "", "", "")
        else:
            r = self.geocoder.lookup_address(text, zip_code)
            found = r.ward is not None
            lon, lat = (f"{r.location[0]:.6f}", f"{r.location[1]:.6f}") \
                if r.location and found else ("", "")
            values = (
                str(r.ward) if found else "",
                "",  # the alder, filled in by the parent process
                lon, lat,
                r.match if found else "none",
                r.confidence if found else "none",
                " ".join(str(w) for w in r.candidate_wards)
                if r.confidence == "near_boundary" or r.error == "ambiguous_street" else "",
                str(r.police_district) if r.police_district is not None else "",
                (r.normalized_address or "") if found else "",
                r.error or "",
                "" if found else " | ".join(full_suggestions(text, r.suggestions)),
                str(r.state_house) if found and r.state_house is not None else "",
                str(r.state_senate) if found and r.state_senate is not None else "",
            )
        if len(self.cache) < _CACHE_LIMIT:
            self.cache[key] = values
        return values


# -- worker processes (the geocoder is CPU-bound Python: threads would not help) ---------

_worker_looker: Looker | None = None


def _start_worker():
    global _worker_looker
    _worker_looker = Looker(Geocoder.default())


def _lookup_chunk(pairs):
    return [_worker_looker.values(a, z) for a, z in pairs]


def look_up(batch: Batch, geocoder, *, workers: int = 1, chunk: int = 400,
            on_progress=None):
    """Yield the look-up values for every row, in order; `workers` > 1 uses processes."""
    pairs = [(cells[batch.address_index],
              cells[batch.zip_index] if batch.zip_index is not None else "")
             for cells in batch.rows]
    chunks = [pairs[i:i + chunk] for i in range(0, len(pairs), chunk)]
    if workers <= 1 or len(chunks) <= 1:
        looker = Looker(geocoder)
        for part in chunks:
            yield from (looker.values(a, z) for a, z in part)
            if on_progress:
                on_progress(len(part))
        return
    methods = multiprocessing.get_all_start_methods()
    # fork shares the loaded index with the workers; spawn loads it again in each.
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(workers, initializer=_start_worker) as pool:
        for part in pool.imap(_lookup_chunk, chunks):
            yield from part
            if on_progress:
                on_progress(len(part))


def process_row(batch: Batch, cells: list[str], values: tuple,
                alders: dict[int, str]) -> list[str]:
    """One output row: the input cells plus the look-up columns; counts the outcome."""
    values = list(values)
    if values[0]:
        values[1] = alders.get(int(values[0]), "")
    batch.done += 1
    batch.by_match[values[4]] += 1
    if values[0]:
        batch.by_confidence[values[5]] += 1
    else:
        batch.by_problem[values[9] or "not_found"] += 1
    return cells + values
