"""Accuracy and speed benchmark for petition.geo (run: python bench/lookup.py).

Scores ward agreement with the City on
  A. the 3,810 City-geocoded addresses (column ``ward``; raw ``input_address`` text), and
  B. a random sample of permit address points that carry a post-June-2023 ``city_ward``
     (text rebuilt from the row), drawn from the EVALUATION half of the points only: the
     other half is reserved for bench/calibrate.py, which chose petition/geo/params.py.
and, for set A, agreement of the Illinois House and Senate districts with the district
containing the City's own point (target: at least 99.5% each).
Every address is looked up with ``LeaveOutGeocoder``: its own house number (or range) is
hidden from the index, as if it were absent from both the permit points and the
City-geocoder points, because most supporters' homes are not in either table.

Prints a table (and failure categories), times look-ups, and rewrites the results block
of bench/README.md.
"""

from __future__ import annotations

import argparse
import copy
import random
import re
import statistics
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np

from bench.common import machine
from bench.messy import KINDS, messy_items
from petition.geo import Geocoder
from petition.geo.areas import to_xy
from petition.geo.index import PointIndex
from scripts.build_geo_data import DEFAULT_OUT, read_csv

DIAGONALS = {"MILWAUKEE", "OGDEN", "ARCHER", "ELSTON", "CLYBOURN", "LINCOLN", "VINCENNES",
             "SOUTH CHICAGO", "NORTHWEST", "BLUE ISLAND", "RIDGE", "HIGGINS", "CALUMET",
             "GRAND", "CLARK", "BROADWAY", "SHERIDAN", "ROSEMONT", "CAUSEWAY", "STONY ISLAND",
             "KILBOURN", "RIVER", "NORTH SHORE", "EXCHANGE", "BALTIMORE", "ANTHONY",
             "SOUTH SHORE", "DR MARTIN LUTHER KING JR", "HYDE PARK", "CORNELL", "LAKE PARK"}
README = ROOT / "bench" / "README.md"


class HiddenNumbersIndex(PointIndex):
    """The address-point index as if the numbers low..high were absent (one per look-up)."""

    def __init__(self, index: PointIndex, low: int, high: int):
        vars(self).update(vars(index))  # a view: the arrays are shared, not copied
        self.low, self.high = low, high

    def _neighbours(self, sid, parity, n):
        """PointIndex's, skipping the hidden numbers; n is one of them, so never exact."""
        start, end = self._slice(sid, parity)
        if start == end:
            return None, None, None
        numbers = self.num[start:end]
        below = int(np.searchsorted(numbers, min(n, self.low))) - 1
        above = int(np.searchsorted(numbers, max(n, self.high), "right"))
        return (None, start + below if below >= 0 else None,
                start + above if above < end - start else None)

    def _fit_window(self, sid, n):
        """PointIndex's, without the hidden numbers' points."""
        start, end, window = super()._fit_window(sid, n)
        numbers = self.num[start:end]
        return start, end, window & ((numbers < self.low) | (numbers > self.high))


class LeaveOutGeocoder(Geocoder):
    """Looks each address up as if its own house number(s) were absent from the index."""

    @classmethod
    def sharing(cls, geo: Geocoder) -> LeaveOutGeocoder:
        """A leave-out geocoder on ``geo``'s loaded index (nothing is copied)."""
        leave_out = cls.__new__(cls)
        vars(leave_out).update(vars(geo))
        return leave_out

    def measure_on_calibration_half(self) -> None:
        """Per-street error figures (petition/geo/errors.py) from calibration-half points
        only, so that no scored address's own point shapes its street's doubt."""
        points = copy.copy(self.points)
        labels = [self.streets.label(sid) for sid in range(len(self.streets.name))]
        street_of = np.repeat(np.arange(len(points.offsets) - 1), np.diff(points.offsets)) // 2
        points.measure_errors(np.array([
            is_calibration_half(f"{number} {labels[sid]}")
            for number, sid in zip(points.num.tolist(), street_of.tolist(), strict=True)]))
        self.points = points

    def _place_number(self, sid, address):
        """The number placed with its own point(s) hidden: the number, or its range."""
        hidden = HiddenNumbersIndex(self.points, address.number,
                                    address.number_hi or address.number)
        return hidden.locate(sid, address.number)


def is_calibration_half(key: str) -> bool:
    """Deterministic 50/50 split of address points: True = calibration (never scored)."""
    return zlib.crc32(key.encode()) % 2 == 0


def categorise(r, truth: int, street: str) -> str:
    """Failure category for one miss."""
    if r.error in ("unparseable", "too_long", "empty"):
        return "parse failure"
    if r.error == "unknown_street":
        return "unknown street"
    if r.error:
        return r.error.replace("_", " ")
    cat = "near boundary (City ward in candidates)" if truth in r.candidate_wards \
        else "wrong ward, confident" if r.confidence == "high" else "wrong ward, near boundary"
    if "#CITY_POLYGON_DIFFERS" in street:
        cat += " / City ward != polygon at City point"
    elif "LAKE SHORE" in street:
        cat += " / Lake Shore Dr"
    elif any(re.search(rf"\b{d}\b", street) for d in DIAGONALS):
        cat += " / diagonal street"
    return cat + f" / {r.method}"


def is_right(r, truth: int) -> bool:
    """Right: the City's ward, confidently, or near a line with the City's ward to choose."""
    if r.confidence == "near_boundary":
        return truth in r.candidate_wards
    return r.ward == truth


def is_held_out(city_address: str) -> bool:
    """Deterministic half of set A (by the City's standard address, so an address and its
    messy forms fall in the same half): thresholds were looked at on the other half only."""
    return zlib.crc32(city_address.encode()) % 2 == 1


def score(geo: LeaveOutGeocoder, items, label):
    """Run leave-out look-ups for (text, truth, street) items; return a stats dict."""
    n = len(items)
    agree = in_cands = high = high_wrong = near = no_ward = right = 0
    matches = Counter()
    fails = Counter()
    examples: dict[str, list[str]] = {}
    times = []
    fast_ward = fast_both = 0
    for text, truth, street, *_ in items:
        t0 = time.perf_counter_ns()
        r, estimate = geo.locate_address(text)  # = lookup_address + position estimate
        times.append(time.perf_counter_ns() - t0)
        if estimate is not None:
            fw, fd = geo.fast_answer(estimate)
            fast_ward += fw > 0
            fast_both += fw > 0 and fd > 0
        matches[r.match] += 1
        if r.ward is None:
            no_ward += 1
        if r.ward == truth:
            agree += 1
        right += is_right(r, truth)
        if truth in r.candidate_wards:
            in_cands += 1
        if r.confidence == "high":
            high += 1
            high_wrong += r.ward != truth
        elif r.confidence == "near_boundary":
            near += 1
        if r.ward != truth:
            cat = categorise(r, truth, street)
            fails[cat] += 1
            examples.setdefault(cat, [])
            if len(examples[cat]) < 3:
                examples[cat].append(f"{text!r} -> {r.ward} {r.candidate_wards} (City {truth})")
    return {
        "label": label, "n": n, "agree": agree, "in_cands": in_cands, "high": high,
        "high_wrong": high_wrong, "near": near, "no_ward": no_ward, "matches": matches,
        "right": right,
        "fails": fails, "examples": examples, "times": times,
        "fast_ward": fast_ward, "fast_both": fast_both,
    }


def state_score(geo: LeaveOutGeocoder, data_dir: Path) -> list[dict]:
    """Per chamber: leave-out House/Senate district vs the district at the City's point."""
    out = []
    rows = read_csv(data_dir / "chicago_city_geocoder_addresses.csv.gz")
    for chamber, areas in (("House", geo.state.house), ("Senate", geo.state.senate)):
        attr = "state_house" if chamber == "House" else "state_senate"
        n = agree = in_cands = near = none = no_truth = 0
        examples = []
        for r in rows:
            x, y = to_xy(float(r["lon"]), float(r["lat"]))
            truth = areas.containing(float(x), float(y))
            if not truth:
                no_truth += 1  # the City's point is in no district (water): not scored
                continue
            n += 1
            result = geo.lookup_address(r["input_address"])
            got, candidates = getattr(result, attr), getattr(result, f"candidate_{attr}")
            agree += got == truth[0]
            in_cands += truth[0] in candidates
            near += len(candidates) > 1
            none += got is None
            if got != truth[0] and len(examples) < 3:
                examples.append(f"{r['input_address']!r} -> {got} {candidates} "
                                f"(City point {truth[0]})")
        out.append({"chamber": chamber, "n": n, "agree": agree, "in_cands": in_cands,
                    "near": near, "none": none, "no_truth": no_truth, "examples": examples})
    return out


class NoStateDistricts:
    """The look-up as it was before the House and Senate districts (the baseline)."""

    fast_path = True

    def assign(self, result, estimate, capsule, snap_m):
        """Place nothing."""


def state_cost(geo: Geocoder, texts, rounds=3) -> tuple[float, float]:
    """Addresses/s of a lookup_address loop with and without the House and Senate
    districts, in interleaved rounds (medians)."""
    state, rates = geo.state, {True: [], False: []}
    for i in range(rounds * 2):
        with_state = i % 2 == 0
        geo.state = state if with_state else NoStateDistricts()
        t0 = time.perf_counter()
        for text in texts:
            geo.lookup_address(text)
        rates[with_state].append(len(texts) / (time.perf_counter() - t0))
    geo.state = state
    return statistics.median(rates[True]), statistics.median(rates[False])


def percentiles(times) -> tuple[float, float]:
    """(p50, p99) in ms of a list of nanosecond timings."""
    ts = sorted(times)
    return statistics.median(ts) / 1e6, ts[int(0.99 * (len(ts) - 1))] / 1e6


def fast_vs_slow(geo: LeaveOutGeocoder, texts):
    """{fast path on/off: [ns per leave-out look-up]}, timed interleaved."""
    # Alternating which mode goes first, so that both see the same machine load.
    saved = geo.fast_path
    times = {True: [], False: []}
    for i, text in enumerate(texts):
        for mode in ((True, False) if i % 2 else (False, True)):
            geo.fast_path = geo.state.fast_path = mode
            t0 = time.perf_counter_ns()
            geo.lookup_address(text)
            times[mode].append(time.perf_counter_ns() - t0)
    geo.fast_path = geo.state.fast_path = saved
    return times


def pct(a, b):
    """Percentage string."""
    return f"{100.0 * a / b:.2f}%" if b else "n/a"


def city_items(data_dir: Path):
    """(raw input text, City ward, City street) for the City-geocoded addresses."""
    out = []
    for r in read_csv(data_dir / "chicago_city_geocoder_addresses.csv.gz"):
        street = f"{r['street_dir']} {r['street_name']} {r['street_type']}"
        if r["ward_2023_polygon_at_point"] != r["ward"]:
            # The City's ward differs from the 2023 polygon at the City's own point.
            street += " #CITY_POLYGON_DIFFERS"
        out.append((r["input_address"], int(r["ward"]), street, r["address"]))
    return out


def point_items(data_dir: Path, k: int, seed: int):
    """Sample of evaluation-half address points with a City ward."""
    rows = []
    for r in read_csv(data_dir / "chicago_address_points.csv.gz"):
        if not r["city_ward"]:
            continue
        street = " ".join(x for x in (r["street_dir"], r["street_name"], r["street_type"]) if x)
        if is_calibration_half(f"{r['house_number']} {street}"):
            continue
        rows.append((f"{r['house_number']} {street}", int(r["city_ward"]), street))
    rows.sort()
    return random.Random(seed).sample(rows, min(k, len(rows)))


def _merged(parts, label):
    """One stats dict summing several."""
    merged = {"label": label, "times": [], "fails": Counter(), "examples": {}}
    for key in ("n", "agree", "in_cands", "high", "high_wrong", "near", "no_ward", "right",
                "fast_ward", "fast_both"):
        merged[key] = sum(part[key] for part in parts)
    for part in parts:
        merged["times"] += part["times"]
    return merged


def _table(stats, first_column):
    """Markdown table of stats dicts."""
    lines = [(f"| {first_column} | n | right | ward agrees | City ward in candidates | high "
              "| wrong among high | near_boundary | no ward | p50 ms | p99 ms |"),
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in stats:
        p50, p99 = percentiles(s["times"])
        lines.append(
            f"| {s['label']} | {s['n']} | {pct(s['right'], s['n'])} | {pct(s['agree'], s['n'])}"
            f" | {pct(s['in_cands'], s['n'])} | {pct(s['high'], s['n'])}"
            f" | {pct(s['high_wrong'], s['high'])} | {pct(s['near'], s['n'])}"
            f" | {pct(s['no_ward'], s['n'])} | {p50:.3f} | {p99:.3f} |")
    return lines


def main(argv=None):
    """Run the benchmark and print/write the results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=20230515)
    ap.add_argument("--no-write", action="store_true", help="do not rewrite the README block")
    ap.add_argument("--no-fast", action="store_true",
                    help="disable the clearance-raster fast path (implies --no-write)")
    args = ap.parse_args(argv)
    args.no_write = args.no_write or args.no_fast

    t0 = time.perf_counter()
    geo = Geocoder.load(fast_path=not args.no_fast)
    load_s = time.perf_counter() - t0
    leave_out = LeaveOutGeocoder.sharing(geo)
    leave_out.measure_on_calibration_half()
    data_dir = DEFAULT_OUT
    city = city_items(data_dir)
    items = [city, point_items(data_dir, args.sample, args.seed)]
    sets = [score(leave_out, items[0], "A. City geocoder (3,810, raw input text)"),
            score(leave_out, items[1],
                  f"B. Address points with city_ward (sample {args.sample}, eval half)")]
    sets += [score(leave_out, [i for i in city if is_held_out(i[3]) == held], label)
             for held, label in ((False, "A, first half"), (True, "A, held-out half"))]
    messy = messy_items(data_dir)
    messy_sets = [score(leave_out, messy[kind], kind) for kind in KINDS]
    every = [item for kind in KINDS for item in messy[kind]]
    messy_sets += [score(leave_out, [i for i in every if is_held_out(i[3]) == held], label)
                   for held, label in ((False, "all kinds, first half"),
                                       (True, "all kinds, held-out half"))]
    messy_sets.append(_merged(messy_sets[:len(KINDS)], "all kinds"))

    states = state_score(leave_out, data_dir)

    # Throughput: a plain loop over lookup_address (no leave-out), as a batch CLI would.
    texts = [item[0] for item in city] * 2
    t1 = time.perf_counter()
    for t in texts:
        geo.lookup_address(t)
    rate = len(texts) / (time.perf_counter() - t1)

    lines = [f"Machine: {machine()}", f"Geocoder.load(): {load_s * 1000:.0f} ms", ""]
    lines += _table(sets, "set")
    lines += ["", "Messy forms of set A (bench/messy.py), scored leave-one-out the same way:", ""]
    lines += _table(messy_sets, "kind")
    lines += ["", "Illinois House and Senate districts, set A (leave-out look-up vs the "
              "district containing the City's own point; target >= 99.5% each):", "",
              "| chamber | n | district agrees | City's district in candidates | "
              "near a line | no district | City point in no district (not scored) | "
              "examples of misses |", "|---|---|---|---|---|---|---|---|"]
    for st in states:
        lines.append(f"| {st['chamber']} | {st['n']} | {pct(st['agree'], st['n'])} "
                     f"| {pct(st['in_cands'], st['n'])} | {pct(st['near'], st['n'])} "
                     f"| {pct(st['none'], st['n'])} | {st['no_truth']} | "
                     + "; ".join(st["examples"]).replace("|", "/") + " |")
    with_state, without = state_cost(geo, texts[:len(texts) // 2])
    lines += ["",
              f"Batch throughput (loop over lookup_address, 1 process): {rate:,.0f} addresses/s",
              "",
              f"Cost of the House and Senate districts (same loop over set A, 3 interleaved "
              f"rounds, medians): {with_state:,.0f} addresses/s with them, {without:,.0f} "
              f"without (ratio {with_state / without:.2f}).", ""]
    if not args.no_fast:
        n = sum(s["n"] for s in sets)
        fw, fb = sum(s["fast_ward"] for s in sets), sum(s["fast_both"] for s in sets)
        both = fast_vs_slow(leave_out, [item[0] for s in items for item in s])
        (f50, f99), (s50, s99) = percentiles(both[True]), percentiles(both[False])
        lines += [f"Fast path (clearance raster, fastgrid.py), sets A+B: the ward came from the "
                  f"raster in {pct(fw, n)} of look-ups, ward and district (no polygon query) "
                  f"in {pct(fb, n)}.",
                  f"Same look-ups timed with the fast path on / off, interleaved: "
                  f"p50 {f50:.3f} / {s50:.3f} ms ({s50 / f50:.1f}x faster), "
                  f"p99 {f99:.3f} / {s99:.3f} ms ({s99 / f99:.1f}x).", ""]
    for s in sets[:2]:
        lines.append(f"Match types, {s['label']}: " + ", ".join(
            f"{k} {v}" for k, v in s["matches"].most_common()))
    lines.append("")
    for s in sets[:2] + messy_sets[:len(KINDS)]:
        lines += [f"Misses by category, {s['label']} ({s['n'] - s['agree']} total):", "",
                  "| category | count | examples |", "|---|---|---|"]
        for cat, c in s["fails"].most_common():
            ex = "; ".join(s["examples"][cat]).replace("|", "/")
            lines.append(f"| {cat} | {c} | {ex} |")
        lines.append("")
    out = "\n".join(lines)
    print(out)
    if not args.no_write and README.exists():
        text = README.read_text()
        start, end = "<!-- results:start -->", "<!-- results:end -->"
        if start in text and end in text:
            head, rest = text.split(start, 1)
            _, tail = rest.split(end, 1)
            README.write_text(f"{head}{start}\n{out}\n{end}{tail}")


if __name__ == "__main__":
    main()
