"""Benchmark: organizer exports and public counts at 1M signatures; counts after a burst.

    .venv/bin/python bench/export.py [--rows 1000000] [--db sqlite postgresql]

For each database it
  1. builds a scratch database with the migrations and bulk-loads --rows signatures
     (executemany on SQLite, COPY on PostgreSQL; 90% confirmed, wards 1-50, 1% outside);
  2. in a fresh process (clean memory figures), signs in as an organizer through the real
     log-in form and streams GET /organizer/petitions/<slug>/export.csv through the WSGI app,
     measuring rows/s and the process's resident memory (VmRSS sampled at every chunk, and
     the kernel's peak VmHWM) against the figure after a warm-up export; the zip variant too;
     the baseline: the database's own CSV tool (sqlite3 -csv, psql \\copy) writing the same
     rows and columns, unformatted, to a pipe;
  3. times the public /petitions/<slug>/wards page and /api/v1/.../counts JSON in-process
     (median server time over many requests);
  4. runs a burst of threads signing and confirming through the real forms while an admin
     invalidates one email domain mid-burst, then compares ward_counts with a GROUP BY
     recount of the rows.
Prints a table; results are recorded by hand in bench/README.md.
Needs PostgreSQL at BENCH_PG_URL for the PostgreSQL run (a scratch database is created).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import (
    ADMIN,
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

BASELINE_SQL = (
    "SELECT first_name, last_name, address, zip, email, phone, ward, created_at, confirmed_at,"
    " opt_in, volunteer FROM signatures WHERE petition_id = (SELECT id FROM petitions WHERE"
    f" slug = '{SLUG}') AND anonymized_at IS NULL AND confirmed_at IS NOT NULL"
    " AND invalidated_at IS NULL ORDER BY id")


def baseline(db):
    """The database's own CSV tool over the export's rows: (rows, seconds)."""
    if db.kind == "sqlite":
        command = ["sqlite3", "-readonly", "-csv", db.url.removeprefix("sqlite:///"),
                   BASELINE_SQL]
    else:
        command = ["psql", "-X", "-q", db.url, "-c",
                   f"\\copy ({BASELINE_SQL}) to stdout with (format csv)"]
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE) as tool:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: tool.stdout.read(1 << 20), b""))
    assert tool.returncode == 0, command[0]
    return lines, time.perf_counter() - started


def measure(url):
    """Runs in a fresh process: export speed and memory, public counts latency."""
    app = make_app(url)
    client = app.test_client()
    log_in(client)
    stream(client, f"/organizer/petitions/{SLUG}/export.csv?ward=1")  # warm-up
    stream(client, f"/organizer/petitions/{SLUG}/export.zip?ward=2")
    base_rss = rss_kb()
    base_hwm = rss_kb("VmHWM")
    size, lines, seconds, peak = stream(client, f"/organizer/petitions/{SLUG}/export.csv")
    hwm = rss_kb("VmHWM")
    zsize, _zl, zseconds, zpeak = stream(client, f"/organizer/petitions/{SLUG}/export.zip")
    public = client.application.test_client()
    timings = {}
    for name, path in (("wards page", f"/petitions/{SLUG}/wards"),
                       ("counts JSON", f"/api/v1/petitions/{SLUG}/counts")):
        for _ in range(20):
            assert public.get(path).status_code == 200
        samples = []
        for _ in range(300):
            t0 = time.perf_counter()
            response = public.get(path)
            response.get_data()
            samples.append((time.perf_counter() - t0) * 1000)
        samples.sort()
        timings[name] = {"median_ms": statistics.median(samples),
                         "p95_ms": samples[int(len(samples) * 0.95)]}
    dash = []
    for _ in range(5):
        t0 = time.perf_counter()
        assert client.get(f"/organizer/petitions/{SLUG}").status_code == 200
        dash.append((time.perf_counter() - t0) * 1000)
    timings["organizer dashboard"] = {"median_ms": statistics.median(dash),
                                      "p95_ms": max(dash)}
    print(json.dumps({
        "rows": lines - 1, "bytes": size, "seconds": seconds,
        "rss_growth_mb": (peak - base_rss) / 1024,
        "hwm_growth_mb": max(0, hwm - base_hwm) / 1024,
        "zip_bytes": zsize, "zip_seconds": zseconds, "zip_rss_growth_mb": (zpeak - base_rss) / 1024,
        "timings": timings,
    }))


def burst(db, threads, per_thread):
    """Threads sign and confirm through the real forms; an admin invalidates mid-burst."""
    from sqlalchemy import func, select

    app = make_app(db.url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": threads + 4,
                                                  "max_overflow": 8})
    from petition.extensions import db as sa_db
    from petition.models import (
        Organizer,
        Petition,
        PetitionState,
        Signature,
        WardCount,
        ward_key_for,
    )
    from petition.organizer import invalidation
    from petition.signing import tokens

    with app.app_context():
        petition = Petition(slug="burst", title="Burst", summary="s", body="b", goal=10,
                            state=PetitionState.OPEN)
        sa_db.session.add(petition)
        sa_db.session.flush()
        petition_id = petition.id
        sa_db.session.commit()
        sa_db.session.remove()
    addresses = ["1958 N Milwaukee Ave", "2511 W Division St", "121 N LaSalle St",
                 "5401 S Wentworth Ave", "4544 N Lincoln Ave", "3335 W 63rd St"]
    errors = []
    halfway = threading.Barrier(threads + 1)

    def worker(t):
        client = app.test_client()
        try:
            for i in range(per_thread):
                page = client.get("/petitions/burst").get_data(as_text=True)
                token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
                domain = "a.burst.example.org" if i % 2 else "b.burst.example.org"
                email = f"t{t}-{i}@{domain}"
                response = client.post("/petitions/burst/sign", data={
                    "first_name": "B", "last_name": f"T{t}", "email": email,
                    "address": addresses[(t + i) % len(addresses)], "zip": "60647",
                    "csrf_token": token})
                assert response.status_code in (302, 303), response.status_code
                with app.app_context():
                    row = sa_db.session.execute(select(Signature.id, Signature.email_normalized)
                                                .where(Signature.email == email)).one()
                    sa_db.session.remove()
                confirm = tokens.make_confirm_token(app.config["SECRET_KEY"], row[0], row[1])
                page = client.get(f"/confirm/{confirm}").get_data(as_text=True)
                csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
                response = client.post(f"/confirm/{confirm}", data={"csrf_token": csrf})
                assert response.status_code in (302, 303), response.status_code
                if i == per_thread // 2 - 1:
                    halfway.wait()
        except Exception as exc:
            errors.append(repr(exc))
            halfway.abort()

    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    halfway.wait()
    # Mid-burst: set aside one domain while the others keep signing and confirming.
    with app.app_context():
        admin = sa_db.session.scalar(select(Organizer).where(Organizer.email == ADMIN))
        petition = sa_db.session.get(Petition, petition_id)
        invalidation.invalidate(
            petition, invalidation.make_criteria(email_domain="a.burst.example.org"),
            actor=admin)
        sa_db.session.commit()
        sa_db.session.remove()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - started
    with app.app_context():
        # Late signers of the invalidated domain stay pending-but-valid; set them aside too.
        petition = sa_db.session.get(Petition, petition_id)
        admin = sa_db.session.scalar(select(Organizer).where(Organizer.email == ADMIN))
        invalidation.invalidate(
            petition, invalidation.make_criteria(email_domain="a.burst.example.org"),
            actor=admin)
        sa_db.session.commit()
        stored = dict(sa_db.session.execute(
            select(WardCount.ward_key, WardCount.confirmed)
            .where(WardCount.petition_id == petition_id, WardCount.confirmed != 0)).all())
        recount = {}
        for status, ward, n in sa_db.session.execute(
                select(Signature.ward_status, Signature.ward, func.count())
                .where(Signature.petition_id == petition_id,
                       Signature.confirmed_at.is_not(None),
                       Signature.invalidated_at.is_(None))
                .group_by(Signature.ward_status, Signature.ward)):
            key = ward_key_for(status, ward)
            recount[key] = recount.get(key, 0) + n
        total = sa_db.session.scalar(select(func.count()).where(
            Signature.petition_id == petition_id))
        sa_db.session.remove()
        sa_db.engine.dispose()
    return {"signatures": total, "seconds": seconds, "errors": errors,
            "exact": stored == recount, "counted": sum(recount.values()),
            "stored": sum(stored.values())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--per-thread", type=int, default=40)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: the child process
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    print(f"Machine: {machine()}")
    results = []
    for kind in args.db:
        db = Database(kind)
        try:
            load_s = load(db, args.rows)
            version = db.scalar("SELECT sqlite_version()" if kind == "sqlite"
                                else "SHOW server_version")
            base = baseline(db)
            measured = measure_in_child(os.path.abspath(__file__), db.url)
            burst_result = burst(db, args.threads, args.per_thread)
            results.append((kind, load_s, measured, burst_result, base, version))
        finally:
            db.drop()
    print()
    table_line("", [kind for kind, *_ in results], label_width=28)

    def line(label, fmt):
        table_line(label, [fmt(r) for r in results], label_width=28)

    line("database version", lambda r: r[5].split()[0])
    line("rows loaded (s)", lambda r: f"{args.rows:,} ({r[1]:.0f})")
    line("CSV rows exported", lambda r: f"{r[2]['rows']:,}")
    line("CSV seconds", lambda r: f"{r[2]['seconds']:.2f}")
    line("CSV rows/s", lambda r: f"{r[2]['rows'] / r[2]['seconds']:,.0f}")
    line("baseline rows (s)", lambda r: f"{r[4][0]:,} ({r[4][1]:.2f})")
    line("baseline rows/s", lambda r: f"{r[4][0] / r[4][1]:,.0f}")
    line("CSV / baseline rows/s", lambda r: (
        f"{r[2]['rows'] / r[2]['seconds'] / (r[4][0] / r[4][1]):.2f}"))
    line("CSV MB", lambda r: f"{r[2]['bytes'] / 1e6:.0f}")
    line("CSV RSS growth (MB)", lambda r: f"{r[2]['rss_growth_mb']:.1f}")
    line("CSV peak (HWM) growth (MB)", lambda r: f"{r[2]['hwm_growth_mb']:.1f}")
    line("zip seconds", lambda r: f"{r[2]['zip_seconds']:.2f}")
    line("zip rows/s", lambda r: f"{r[2]['rows'] / r[2]['zip_seconds']:,.0f}")
    line("zip RSS growth (MB)", lambda r: f"{r[2]['zip_rss_growth_mb']:.1f}")
    for name in ("wards page", "counts JSON", "organizer dashboard"):
        line(f"{name} median/p95 (ms)", lambda r, n=name: (
            f"{r[2]['timings'][n]['median_ms']:.2f}/{r[2]['timings'][n]['p95_ms']:.2f}"))
    line("burst signatures (s)", lambda r: f"{r[3]['signatures']} ({r[3]['seconds']:.0f})")
    line("burst counts exact", lambda r: f"{'yes' if r[3]['exact'] else 'NO'} "
                                         f"({r[3]['stored']}/{r[3]['counted']})")
    line("burst errors", lambda r: str(len(r[3]["errors"])))
    for kind, _l, _m, b, *_r in results:
        for error in b["errors"][:5]:
            print(f"  {kind}: {error}")


if __name__ == "__main__":
    main()
