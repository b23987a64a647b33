"""Benchmark: signatures/s through the real sign POST (CSRF included) under gunicorn,
against a bare Flask endpoint that inserts one row, on SQLite and PostgreSQL.

    .venv/bin/python bench/sign.py [--duration 20] [--connections 16] [--db sqlite postgresql]

Needs wrk (apt-get install wrk) and, for PostgreSQL, a server at BENCH_PG_URL
(default postgresql://postgres@127.0.0.1:5432/postgres; a scratch database is created).
"""

import argparse
import http.cookiejar
import os
import re
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import Database, Gunicorn, machine, require, wrk

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "sign.lua")
ADDRESS_POINTS = os.path.join(os.path.dirname(HERE), "petition", "data",
                              "chicago_address_points.csv.gz")


def sample_addresses(n=400, seed=2023):
    """Real Chicago addresses from the shipped points, so geocoding costs what it will."""
    import csv
    import gzip
    import random

    with gzip.open(ADDRESS_POINTS, "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rng = random.Random(seed)
    picked = rng.sample(rows, n)
    return [" ".join(p for p in (r["house_number"], r["street_dir"], r["street_name"],
                                 r["street_type"]) if p) for r in picked]


def session_for(url):
    """GET the petition page like a browser: returns the session cookie and CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(url + "/petitions/ecps").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, token


def run_sign(db, args, run_id):
    server = Gunicorn("wsgi:app", db.env(), args.workers, args.worker_class, args.threads)
    try:
        cookie, token = session_for(server.url)
        env = {"BENCH_PATH": "/petitions/ecps/sign", "BENCH_CSRF": token,
               "BENCH_COOKIE": cookie, "BENCH_RUN": run_id,
               "BENCH_ADDRESSES": "|".join(urllib.parse.quote_plus(a)
                                           for a in sample_addresses())}
        rate, total, errors, raw = wrk(server.url, SCRIPT, args.duration, args.connections,
                                       env=env)
    finally:
        log = server.stop()
    stored = db.scalar("SELECT count(*) FROM signatures WHERE email LIKE 'b%-%'")
    queued = db.scalar("SELECT count(*) FROM outbox_messages")
    return {"rate": rate, "total": total, "errors": errors, "stored": stored, "queued": queued,
            "raw": raw, "log": log}


def run_bare(db, args, run_id):
    server = Gunicorn("bench.bare_app:app", db.env(), args.workers, args.worker_class,
                      args.threads)
    try:
        env = {"BENCH_PATH": "/insert", "BENCH_RUN": run_id}
        rate, total, errors, raw = wrk(server.url, SCRIPT, args.duration, args.connections,
                                       env=env)
    finally:
        log = server.stop()
    return {"rate": rate, "total": total, "errors": errors, "raw": raw, "log": log}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--verbose", action="store_true", help="print wrk's full output")
    parser.add_argument("--no-write", action="store_true",
                        help="do not rewrite the results block in bench/README.md")
    args = parser.parse_args()
    require("wrk", "apt-get install wrk")

    lines = [f"Machine: {machine()}; load average before the run "
             f"{os.getloadavg()[0]:.1f} ({time.strftime('%Y-%m-%d')}).",
             f"gunicorn: {args.workers} x {args.worker_class} workers, {args.threads} "
             f"thread(s); wrk: {args.connections} connections, {args.duration} s per run; "
             "signers' addresses: 400 real Chicago addresses.", ""]
    print("\n".join(lines))
    rows = []
    for kind in args.db:
        db = Database(kind)
        try:
            db.flask("db", "upgrade")
            db.flask("seed-demo")
            run_id = str(int(time.time()))
            sign = run_sign(db, args, run_id)
            bare = run_bare(db, args, run_id)
        finally:
            db.drop()
        # wrk stops counting at the deadline while a few requests are still in flight, so
        # the database may hold a few more rows than wrk saw answered, never fewer.
        lost = max(0, sign["total"] - sign["errors"] - sign["stored"])
        rows.append((kind, sign, bare, lost))
        if args.verbose:
            print(sign["raw"], sign["log"], bare["raw"], bare["log"], sep="\n")

    table = ["| database | signatures/s | errors | stored = answered | emails queued "
             "| bare insert/s | ratio |", "| --- | ---: | ---: | --- | ---: | ---: | ---: |"]
    ok = True
    for kind, sign, bare, lost in rows:
        ratio = sign["rate"] / bare["rate"] if bare["rate"] else 0.0
        same = "yes" if lost == 0 else f"NO ({lost} missing)"
        table.append(f"| {kind} | {sign['rate']:.0f} | {sign['errors']} | {same} "
                     f"| {sign['queued']} | {bare['rate']:.0f} | {ratio:.2f} |")
        ok = ok and sign["errors"] == 0 and lost == 0 and bare["errors"] == 0
    print("\n".join(table))
    print("\ntargets: >= 500 signatures/s on each database, ratio >= 0.5, zero errors")
    if not args.no_write:
        write_results("\n".join(lines + table))
    return 0 if ok else 1


def write_results(block):
    """Replace the signing results block in bench/README.md."""
    readme = os.path.join(HERE, "README.md")
    start, end = "<!-- sign:start -->", "<!-- sign:end -->"
    with open(readme, encoding="utf-8") as fh:
        text = fh.read()
    if start in text and end in text:
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1]
        with open(readme, "w", encoding="utf-8") as fh:
            fh.write(f"{head}{start}\n{block}\n{end}{tail}")


if __name__ == "__main__":
    sys.exit(main())
