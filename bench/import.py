"""Importing a file of signatures (run: python bench/import.py): rows per second and memory.

Generates a CSV of N signers (distinct addresses as organizers type them, from
bench/lookup_batch.py, with names, emails, a date and a consent column), then for each
database (SQLite, PostgreSQL) imports it into a fresh database with the demo petition, in a
fresh process, the way `flask signatures import` does (the check and look-up of every row
in `--workers` processes, then one transaction). The baseline, in the same run: the bare
batch look-up of the same addresses (`flask lookup batch`'s loop, same workers), the floor
under any import that places every row. Memory: the importing process's peak RSS over its
RSS once the app and the geocoder are loaded, at a small and the full size (flat: the
same). Prints a table; --write puts it in bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Database, machine
from bench.lookup_batch import addresses

README = ROOT / "bench" / "README.md"
START, END = "<!-- import:start -->", "<!-- import:end -->"
HEADER = ["First Name", "Last Name", "Address", "ZIP", "Email", "Phone", "Date signed",
          "Email OK"]


def write_rows(path, n):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i, (address, zip_code) in enumerate(addresses(n)):
            writer.writerow([f"Signer{i}", "Example", address, zip_code,
                             f"signer{i}@example.org", "", "2026-11-24",
                             "yes" if i % 3 else "no"])


def _rss_kb(field):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def child(mode, path, workers):
    """Run in a fresh process (DATABASE_URL set): one import or one bare look-up; prints
    JSON with the seconds and the memory."""
    from petition import create_app
    from petition.extensions import db
    from petition.geo import Geocoder
    from petition.imports import columns, service
    from petition.imports.reading import open_table
    from petition.lookup import batch
    from petition.models import Petition
    from petition.models.base import utcnow
    from petition.petitions.counts import city_day, drift

    app = create_app()
    with app.app_context():
        Geocoder.default()
        before = _rss_kb("VmRSS")
        started = time.perf_counter()
        cpu = time.process_time()
        if mode == "lookup":
            with open(path, encoding="utf-8") as fh:
                prepared = batch.prepare(fh.read())
            rows = sum(1 for _ in batch.look_up(prepared, Geocoder.default(), workers=workers))
            result = {"rows": rows}
        else:
            petition = db.session.scalar(db.select(Petition).where(Petition.slug == "ecps"))
            table = open_table(path)
            mapping = columns.guess(table.header)
            report, _batch = service.import_file(
                petition, table, mapping, actor=None, file_name="bench.csv",
                today=city_day(utcnow()), workers=workers)
            db.session.commit()
            result = {"rows": report.imported, "refused": report.refused,
                      "drift": len(drift(petition.id))}
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        result.update(cpu_ms_per_row=1000 * (time.process_time() - cpu + children.ru_utime
                                             + children.ru_stime) / max(1, result["rows"]),
                      seconds=time.perf_counter() - started,
                      growth_mb=(_rss_kb("VmHWM") - before) / 1024, base_mb=before / 1024)
    print(json.dumps(result))


def run_child(database, mode, path, workers):
    env = database.env(APP_ENV="development", IMPORT_FOLDER=database.tmp)
    done = subprocess.run([sys.executable, __file__, "--child", mode, str(path),
                           str(workers)], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(kind, sizes, files, workers):
    out = []
    for n in sizes:
        database = Database(kind)
        try:
            database.flask("db", "upgrade")
            database.flask("seed-demo")
            imported = run_child(database, "import", files[n], workers)
            looked = run_child(database, "lookup", files[n], workers)
        finally:
            database.drop()
        assert imported["rows"] == n and imported["drift"] == 0, imported
        out.append({"db": kind, "n": n, "import": imported, "lookup": looked})
    return out


def table(results, workers, load):
    lines = [f"Machine: {machine()}; load average before the run {load:.1f}. "
             f"`python bench/import.py` ({time.strftime('%Y-%m-%d %H:%M')}), "
             f"{workers} look-up workers:", "",
             "| database | rows | import | rows/s | bare look-up (baseline) | ratio "
             "| CPU per row: import / look-up | import peak RSS growth |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        imp, look = r["import"], r["lookup"]
        rate, base = r["n"] / imp["seconds"], r["n"] / look["seconds"]
        lines.append(f"| {r['db']} | {r['n']:,} | {imp['seconds']:.1f} s | {rate:,.0f} | "
                     f"{base:,.0f} rows/s | {rate / base:.2f} | "
                     f"{imp['cpu_ms_per_row']:.2f} / {look['cpu_ms_per_row']:.2f} ms | "
                     f"{imp['growth_mb']:.0f} MB "
                     f"(over {imp['base_mb']:.0f} MB) |")
    return "\n".join(lines)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=100_000, help="rows in the full file")
    ap.add_argument("--small", type=int, default=20_000, help="rows in the small file")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--write", action="store_true", help="put the table in bench/README.md")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    sizes = sorted({args.small, args.n})
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        files = {n: Path(tmp) / f"rows-{n}.csv" for n in sizes}
        for n, path in files.items():
            write_rows(path, n)
        results = [r for kind in kinds for r in measure(kind, sizes, files, args.workers)]
    block = table(results, args.workers, load)
    print(block)
    if args.write:
        text = README.read_text()
        head, rest = text.split(START, 1)
        _old, tail = rest.split(END, 1)
        README.write_text(f"{head}{START}\n{block}\n{END}{tail}")


if __name__ == "__main__":
    main()
