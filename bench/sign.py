"""Benchmark: signatures/s through the real sign POST (CSRF included) under gunicorn,
against bare Flask endpoints that insert one row, on SQLite and PostgreSQL.

    .venv/bin/python bench/sign.py [--rounds 5] [--duration 6] [--db sqlite postgresql]

Needs wrk (apt-get install wrk) and, for PostgreSQL, a server at BENCH_PG_URL
(default postgresql://postgres@127.0.0.1:5432/postgres; a scratch database is created).
"""

import argparse
import http.cookiejar
import os
import re
import statistics
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


SIGN, CORE, ORM = "sign", "bare insert (Core)", "bare insert (ORM)"


def measure(db, args):
    """Interleaved rounds of the sign POST and both baselines, on one database.

    All three servers run for the whole measurement (an idle one costs nothing) and each
    round runs every target once, in a rotating order, so that a slow spell on this
    shared machine hits them alike; medians and per-round ratios are reported.
    """
    sign = Gunicorn("wsgi:app", db.env(), args.workers, args.worker_class, args.threads)
    bare = Gunicorn("bench.bare_app:app", db.env(), args.workers, args.worker_class,
                    args.threads)
    try:
        cookie, token = session_for(sign.url)
        addresses = "|".join(urllib.parse.quote_plus(a) for a in sample_addresses())

        def run(target, run_id, duration):
            if target == SIGN:
                url, env = sign.url, {"BENCH_PATH": "/petitions/ecps/sign",
                                      "BENCH_CSRF": token, "BENCH_COOKIE": cookie,
                                      "BENCH_ADDRESSES": addresses}
            else:
                url, env = bare.url, {"BENCH_PATH": "/insert" if target == CORE
                                      else "/insert-orm"}
            env["BENCH_RUN"] = run_id
            return wrk(url, SCRIPT, duration, args.connections, env=env)

        targets = [SIGN, CORE, ORM]
        results = {t: [] for t in targets}
        for target in targets:  # warm up: prepared statements, lazy imports
            results[target].append(("warm-up",) + run(target, f"w{int(time.time())}", 2))
        for n in range(args.rounds):
            order = targets[n % 3:] + targets[:n % 3]
            for target in order:
                results[target].append((n,) + run(target, f"{int(time.time())}{n}",
                                                  args.duration))
    finally:
        log = sign.stop() + bare.stop()
    stored = db.scalar("SELECT count(*) FROM signatures WHERE email LIKE 'b%-%'")
    queued = db.scalar("SELECT count(*) FROM outbox_messages")
    return results, stored, queued, log


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=6, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--verbose", action="store_true", help="print every run")
    parser.add_argument("--no-write", action="store_true",
                        help="do not rewrite the results block in bench/README.md")
    args = parser.parse_args()
    require("wrk", "apt-get install wrk")

    lines = [f"Machine: {machine()}; load average before the run "
             f"{os.getloadavg()[0]:.1f} ({time.strftime('%Y-%m-%d')}).",
             f"gunicorn: {args.workers} x {args.worker_class} workers, {args.threads} "
             f"thread(s); wrk: {args.connections} connections; {args.rounds} interleaved "
             f"rounds of {args.duration} s per target; signers' addresses: 400 real "
             "Chicago addresses. Rates are medians over the rounds; each ratio is the "
             "median of the rounds' ratios.", ""]
    print("\n".join(lines))
    table = ["| database | signatures/s | errors | stored = answered | emails queued "
             "| bare Core insert/s | ratio | bare ORM insert/s | ratio |",
             "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    ok = True
    for kind in args.db:
        db = Database(kind)
        try:
            db.flask("db", "upgrade")
            db.flask("seed-demo")
            results, stored, queued, log = measure(db, args)
        finally:
            db.drop()
        if args.verbose:
            for target, runs in results.items():
                for run in runs:
                    print(kind, target, run[0], f"{run[1]:.0f}/s", f"errors {run[3]}")
            print(log)
        timed = {t: [r for r in runs if r[0] != "warm-up"] for t, runs in results.items()}
        rate = {t: statistics.median(r[1] for r in runs) for t, runs in timed.items()}
        ratio = {t: statistics.median(s[1] / b[1]
                                      for s, b in zip(timed[SIGN], timed[t], strict=True))
                 for t in (CORE, ORM)}
        errors = {t: sum(r[3] for r in runs) for t, runs in results.items()}
        answered = sum(r[2] - r[3] for r in results[SIGN])
        # wrk stops counting at the deadline while a few requests are still in flight, so
        # the database may hold a few more rows than wrk saw answered, never fewer.
        lost = max(0, answered - stored)
        same = "yes" if lost == 0 else f"NO ({lost} missing)"
        table.append(f"| {kind} | {rate[SIGN]:.0f} | {errors[SIGN]} | {same} | {queued} "
                     f"| {rate[CORE]:.0f} | {ratio[CORE]:.2f} | {rate[ORM]:.0f} "
                     f"| {ratio[ORM]:.2f} |")
        ok = ok and lost == 0 and not any(errors.values())
        print(table[-1], flush=True)
    print("\n".join(["", *table]))
    print("\ntarget: >= 500 signatures/s on each database, zero errors "
          "(the ratio to a bare insert is information)")
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
