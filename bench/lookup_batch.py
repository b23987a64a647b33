"""Throughput of `flask lookup batch IN.csv OUT.csv` (run: python bench/lookup_batch.py).

Generates a CSV of N addresses the way organizers type paper signatures (the City
geocoder's raw input text, and address points rebuilt as text with some lower case,
missing directions/types, units and ZIP codes in their own column; each address appears
once, so the command's cache does not help), runs the real command in a fresh process on an
SQLite database with the shipped rosters, and reports addresses per second: the look-up
loop as the command measures it, and wall time including start-up. Rewrites the batch
block of bench/README.md (--no-write to leave it alone).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lookup import machine

DATA = ROOT / "petition" / "data"
README = ROOT / "bench" / "README.md"
START, END = "<!-- batch:start -->", "<!-- batch:end -->"


def addresses(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """(address, zip) pairs, distinct address texts."""
    rng = random.Random(seed)
    out, seen = [], set()
    with gzip.open(DATA / "chicago_city_geocoder_addresses.csv.gz", "rt", newline="") as fh:
        for row in csv.DictReader(fh):
            text = row["input_address"].strip()
            if text and text not in seen:
                seen.add(text)
                out.append((text, ""))
    with gzip.open(DATA / "chicago_address_points.csv.gz", "rt", newline="") as fh:
        points = list(csv.DictReader(fh))
    rng.shuffle(points)
    for row in points:
        if len(out) >= n:
            break
        parts = [row["house_number"], row["street_dir"], row["street_name"], row["street_type"]]
        r = rng.random()
        if r < 0.15:
            parts[1] = ""  # no direction
        elif r < 0.25:
            parts[3] = ""  # no street type
        text = " ".join(p for p in parts if p)
        if rng.random() < 0.5:
            text = text.title()
        if rng.random() < 0.2:
            text += f" Apt {rng.randint(1, 4)}{rng.choice('ABCDRF')}"
        if text in seen:
            continue
        seen.add(text)
        out.append((text, ""))
    rng.shuffle(out)
    return out[:n]


def run(n: int, workers_list) -> list[dict]:
    env = dict(os.environ, APP_ENV="development", FLASK_APP="wsgi")
    flask = str(Path(sys.executable).parent / "flask")
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
        for cmd in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run([flask, *cmd], cwd=ROOT, env=env, check=True,
                           capture_output=True)
        src, dst = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        with open(src, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["first_name", "last_name", "address", "zip", "notes"])
            for i, (address, zip_code) in enumerate(addresses(n)):
                writer.writerow([f"Signer{i}", "Example", address, zip_code, ""])
        results = []
        for workers in workers_list:
            started = time.perf_counter()
            done = subprocess.run([flask, "lookup", "batch", "--workers", str(workers),
                                   str(src), str(dst)], cwd=ROOT, env=env, check=True,
                                  capture_output=True, text=True)
            wall = time.perf_counter() - started
            with open(dst, encoding="utf-8") as fh:
                rows = sum(1 for _ in csv.reader(fh)) - 1
            match = re.search(r"(\d+) addresses in ([\d.]+) s \(([\d,]+)/s\)", done.stdout)
            results.append({
                "workers": workers, "n": n, "rows": rows, "wall": wall, "wall_rate": n / wall,
                "loop_rate": int(match.group(3).replace(",", "")) if match else 0,
                "report": done.stdout.replace(str(dst), "OUT.csv").strip(),
            })
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=20_000, help="addresses in the generated CSV")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, os.cpu_count() or 1],
                    help="--workers values to time (default: 1 and the number of CPUs)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    results = run(args.n, sorted(set(args.workers)))
    lines = [
        f"Machine: {machine()}; load average before the run "
        f"{load:.1f} (shared machine). `python bench/lookup_batch.py -n "
        f"{args.n}` ({time.strftime('%Y-%m-%d')}):",
        "",
        "| addresses | --workers | look-up loop (the command's own figure) "
        "| wall time incl. start-up |",
        "|---|---|---|---|",
    ]
    for r in results:
        assert r["rows"] == args.n, r
        lines.append(f"| {args.n:,} | {r['workers']} | {r['loop_rate']:,} addresses/s | "
                     f"{r['wall']:.1f} s ({r['wall_rate']:,.0f} addresses/s) |")
    lines += ["", "The command's report (last run):", "", "```", results[-1]["report"], "```"]
    block = "\n".join(lines)
    print(block)
    if not args.no_write and README.exists():
        text = README.read_text()
        if START in text and END in text:
            head, rest = text.split(START, 1)
            _, tail = rest.split(END, 1)
            README.write_text(f"{head}{START}\n{block}\n{END}{tail}")
        else:
            README.write_text(text.rstrip("\n") + "\n\n## Batch look-up (`flask lookup batch`)"
                              "\n\n" + _about() + f"\n\n{START}\n{block}\n{END}\n")


def _about():
    return ("Run `python bench/lookup_batch.py` (about 20 s). It generates a CSV of "
            "distinct addresses\n(the City geocoder's raw input text, then address points "
            "written as people type them:\nsome without direction or street type, title "
            "case, apartment numbers), runs the real\n`flask lookup batch` in a fresh process "
            "(SQLite, shipped rosters loaded) and reports the\nlook-up loop's rate as the "
            "command prints it, and the wall time including start-up.\nTarget: at least "
            "2,000 addresses/s.")


if __name__ == "__main__":
    main()
