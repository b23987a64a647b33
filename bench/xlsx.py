"""Benchmark: 1M signatures to .xlsx, rows/s and memory, against the CSV and openpyxl.

    .venv/bin/python bench/xlsx.py [--rows 1000000] [--db sqlite postgresql]

For each database it builds a scratch database with --rows signatures (bench/export.py's
loader) and, in a fresh process (clean memory figures), signs in as an organizer and
streams through the WSGI app, in this order:
  - GET export.csv?status=all: the CSV of every row, the baseline of the same run;
  - GET export.xlsx?status=all: the same rows as one sheet (the target: >= 50k rows/s,
    < 100 MB memory growth);
  - GET export.xlsx?status=all&sheets=ward: one sheet per ward;
  - openpyxl's own write-only mode appending the same rows' values cell by cell (the
    first --openpyxl-rows of them, to a file), the way the issue first asked for.
Memory is the process's resident size (VmRSS sampled at every chunk) against the figure
after a warm-up export. Each workbook is written to a scratch file and checked: a valid
zip, and as many <row> elements as rows counted by the database (plus the headers).
Prints a table; results are recorded by hand in bench/README.md.
"""

import argparse
import json
import os
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import (
    SLUG,
    Database,
    load,
    log_in,
    machine,
    make_app,
    measure_in_child,
    rss_kb,
    stream,
    table_line,
)

CHUNK = 1 << 20


def _rows_in_workbook(path):
    """(sheets, <row> elements) in the workbook, read back as a stream."""
    rows = sheets = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                sheets += 1
                tail = b""
                with archive.open(name) as member:
                    for chunk in iter(lambda m=member: m.read(CHUNK), b""):
                        rows += (tail + chunk).count(b"<row ")
                        tail = chunk[-4:]
    return sheets, rows


def _openpyxl_rows(app, limit, path):
    """openpyxl's write-only mode, cell by cell, over the first `limit` rows: (rows, s)."""
    from openpyxl import Workbook
    from sqlalchemy import select

    from petition.extensions import db
    from petition.models import Signature

    columns = (Signature.first_name, Signature.last_name, Signature.address, Signature.zip,
               Signature.email, Signature.phone, Signature.ward, Signature.created_at,
               Signature.confirmed_at, Signature.opt_in, Signature.volunteer)
    with app.app_context():
        values = db.session.execute(select(*columns).order_by(Signature.id).limit(limit)).all()
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("openpyxl")
    for row in values:
        sheet.append(list(row))
    workbook.save(path)
    return len(values), time.perf_counter() - started


def measure(url, openpyxl_rows):
    """Runs in a fresh process: the exports' speed and memory."""
    app = make_app(url)
    client = app.test_client()
    log_in(client)
    base = f"/organizer/petitions/{SLUG}"
    with tempfile.TemporaryDirectory() as tmp:
        stream(client, f"{base}/export.xlsx?ward=1")  # warm-up
        stream(client, f"{base}/export.csv?ward=1")
        base_rss = rss_kb()
        result = {}
        for name, query in (("csv", "export.csv?status=all"),
                            ("xlsx", "export.xlsx?status=all"),
                            ("xlsx by ward", "export.xlsx?status=all&sheets=ward")):
            path = os.path.join(tmp, name.replace(" ", "-"))
            with open(path, "wb") as out:
                size, lines, seconds, peak = stream(client, f"{base}/{query}", out)
            result[name] = {"bytes": size, "seconds": seconds,
                            "rss_growth_mb": (peak - base_rss) / 1024}
            if name == "csv":
                result[name]["rows"] = lines - 1
            else:
                sheets, rows = _rows_in_workbook(path)
                result[name]["sheets"] = sheets
                result[name]["rows"] = rows - sheets  # less one header per sheet
            os.remove(path)
        rows, seconds = _openpyxl_rows(app, openpyxl_rows, os.path.join(tmp, "openpyxl"))
        result["openpyxl"] = {"rows": rows, "seconds": seconds}
        result["hwm_mb"] = rss_kb("VmHWM") / 1024
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--openpyxl-rows", type=int, default=50_000)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: the child process
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.openpyxl_rows)
        return
    print(f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    results = []
    for kind in args.db:
        db = Database(kind)
        try:
            load(db, args.rows)
            results.append((kind, measure_in_child(os.path.abspath(__file__), db.url,
                                                   "--openpyxl-rows", str(args.openpyxl_rows))))
        finally:
            db.drop()
    print()
    table_line("", [kind for kind, _r in results])

    def line(label, fmt):
        table_line(label, [fmt(r) for _k, r in results])

    for name in ("csv", "xlsx", "xlsx by ward"):
        line(f"{name} rows (sheets)", lambda r, n=name: f"{r[n]['rows']:,}" + (
            f" ({r[n]['sheets']})" if "sheets" in r[n] else ""))
        line(f"{name} seconds", lambda r, n=name: f"{r[n]['seconds']:.2f}")
        line(f"{name} rows/s", lambda r, n=name: f"{r[n]['rows'] / r[n]['seconds']:,.0f}")
        line(f"{name} MB", lambda r, n=name: f"{r[n]['bytes'] / 1e6:.0f}")
        line(f"{name} RSS growth (MB)", lambda r, n=name: f"{r[n]['rss_growth_mb']:.1f}")
    line("xlsx / csv rows/s", lambda r: f"{r['csv']['seconds'] / r['xlsx']['seconds']:.2f}")
    line("openpyxl cell by cell rows (s)",
         lambda r: f"{r['openpyxl']['rows']:,} ({r['openpyxl']['seconds']:.1f})")
    line("openpyxl cell by cell rows/s",
         lambda r: f"{r['openpyxl']['rows'] / r['openpyxl']['seconds']:,.0f}")
    line("process peak RSS (MB)", lambda r: f"{r['hwm_mb']:.0f}")


if __name__ == "__main__":
    main()
