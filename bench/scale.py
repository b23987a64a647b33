"""Benchmark: the largest petitions. A bulk loader makes a petition of --rows signatures
(default 6 million) spread like a real campaign, then the organizer's dashboard, its
wards JSON, the public counts, confirming, removing and one ward's export are timed
in-process, against the same on a petition of --baseline-rows (1,000) in the same run.

    .venv/bin/python bench/scale.py [--rows 6000000] [--db sqlite postgresql]

The spread: 60 days with a viral day (a quarter of all signatures) on day 40; wards by
a skewed weight (some wards sign ten times more than others); 1% outside Chicago, 0.5%
unknown ward; 85% confirmed, 2% set aside by organizers, the rest pending.
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import (
    FIRST,
    LAST,
    SLUG,
    Database,
    load,
    log_in,
    machine,
    make_app,
    measure_in_child,
    stream,
)

CAMPAIGN_START = datetime(2026, 9, 1, 5)  # UTC
CAMPAIGN_DAYS = 60
VIRAL_DAY, VIRAL_SHARE = 40, 0.25
CONFIRMED_SHARE, SET_ASIDE_SHARE = 0.85, 0.02
OUTSIDE_SHARE, UNKNOWN_SHARE = 0.01, 0.005
SAMPLES = {"dashboard": 30, "wards JSON": 50, "public wards page": 300, "counts JSON": 300,
           "confirm": 40, "remove": 40, "ward export": 3}
TARGETS_MS = {"dashboard": 100, "wards JSON": 50, "public wards page": 10, "counts JSON": 10,
              "ward export": 1000}
EXPORT_WARD = 7


def campaign_rows(petition_id, n, seed=6):
    """Signatures in bench.common.COLUMNS order, spread like a campaign (see the docstring)."""
    rng = random.Random(seed)
    weights = [rng.uniform(1, 10) for _ in range(50)]
    wards = rng.choices(range(1, 51), weights=weights, k=min(n, 100_000))
    for i in range(n):
        if rng.random() < VIRAL_SHARE:
            day = VIRAL_DAY
        else:
            day = rng.randrange(CAMPAIGN_DAYS)
        created = CAMPAIGN_START + timedelta(days=day, seconds=rng.randrange(86_400))
        draw = rng.random()
        if draw < OUTSIDE_SHARE:
            ward, status = None, "outside_chicago"
        elif draw < OUTSIDE_SHARE + UNKNOWN_SHARE:
            ward, status = None, "unknown"
        else:
            ward, status = wards[i % len(wards)], "geocoded"
        confirmed = created + timedelta(minutes=7) if rng.random() < CONFIRMED_SHARE else None
        email = f"signer{i}@example.org"
        yield (petition_id, FIRST[i % len(FIRST)], LAST[i % len(LAST)], email, email,
               f"{1000 + i % 9000} N Milwaukee Ave", "60647", "(312) 555-0123",
               i % 3 == 0, i % 7 == 0, ward, status, "203.0.113.7", "en", created,
               confirmed, 1)


def set_aside(db):
    """Mark SET_ASIDE_SHARE of the signatures set aside, as an organizer's batch would."""
    every = round(1 / SET_ASIDE_SHARE)
    db.execute(f"UPDATE signatures SET invalidated_at = created_at WHERE id % {every} = 0")


def _timed(call, samples):
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _token_action(client, app, purpose, signature_id):
    """GET the confirm/remove page for one signature, then time its POST."""
    from petition.extensions import db
    from petition.models import Signature
    from petition.signing import tokens

    with app.app_context():
        email = db.session.get(Signature, signature_id).email_normalized
    token = tokens.make_token(purpose, app.config["SECRET_KEY"], signature_id, email)
    page = client.get(f"/{purpose}/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    started = time.perf_counter()
    response = client.post(f"/{purpose}/{token}", data={"csrf_token": csrf})
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code in (200, 303), (purpose, response.status_code)
    return elapsed


def measure(url):
    """Runs in a fresh process: the timings, printed as JSON."""
    from sqlalchemy import select

    from petition.extensions import db
    from petition.models import Signature

    app = make_app(url)
    client = app.test_client()
    log_in(client)
    public = app.test_client()
    results = {}
    for name, path, who in (("dashboard", f"/organizer/petitions/{SLUG}", client),
                            ("wards JSON", f"/organizer/petitions/{SLUG}/wards.json", client),
                            ("public wards page", f"/petitions/{SLUG}/wards", public),
                            ("counts JSON", f"/api/v1/petitions/{SLUG}/counts", public)):
        assert who.get(path).status_code == 200, path
        results[name] = _timed(lambda who=who, path=path: who.get(path).get_data(),
                               SAMPLES[name])
    with app.app_context():
        pending = db.session.scalars(
            select(Signature.id).where(Signature.confirmed_at.is_(None),
                                       Signature.invalidated_at.is_(None))
            .order_by(Signature.id.desc()).limit(SAMPLES["confirm"] + SAMPLES["remove"])).all()
        db.session.remove()
    confirm_ids, remove_ids = pending[:SAMPLES["confirm"]], pending[SAMPLES["confirm"]:]
    results["confirm"] = statistics.median(
        _token_action(public, app, "confirm", i) for i in confirm_ids)
    results["remove"] = statistics.median(
        _token_action(public, app, "remove", i) for i in remove_ids)
    exports = [stream(client, f"/organizer/petitions/{SLUG}/export.csv?ward={EXPORT_WARD}")
               for _ in range(SAMPLES["ward export"])]
    results["ward export"] = statistics.median(e[2] for e in exports) * 1000
    results["ward export rows"] = exports[0][1] - 1
    print(json.dumps(results))


def run(kind, rows):
    """Load a fresh database and measure it in a fresh process; returns the figures."""
    db = Database(kind)
    try:
        started = time.perf_counter()
        load(db, rows, make_rows=campaign_rows)
        set_aside(db)
        db.flask("counts", "verify")  # the set-aside rows changed behind the counters' back
        load_s = time.perf_counter() - started
        figures = measure_in_child(os.path.abspath(__file__), db.url, env=db.env())
    finally:
        db.drop()
    figures["load s"] = load_s
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=6_000_000)
    parser.add_argument("--baseline-rows", type=int, default=1_000)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    print(f"Machine: {machine()}; load average before the run {os.getloadavg()[0]:.1f} "
          f"({time.strftime('%Y-%m-%d %H:%M')}). Medians of in-process requests (ms).\n")
    names = list(TARGETS_MS) + ["confirm", "remove"]
    print("| database | signatures | load + counters s | " + " | ".join(names)
          + " | ward export rows |")
    print("| --- | ---: | ---: | " + " | ".join("---:" for _ in names) + " | ---: |")
    for kind in args.db:
        for rows in (args.baseline_rows, args.rows):
            figures = run(kind, rows)
            cells = " | ".join(f"{figures[n]:.1f}" for n in names)
            print(f"| {kind} | {rows:,} | {figures['load s']:.0f} | {cells} "
                  f"| {figures['ward export rows']:,} |", flush=True)
    print("\ntargets (ms, at 6M): " + ", ".join(f"{n} < {t}" for n, t in TARGETS_MS.items())
          + "; confirm and remove as fast as at the baseline size")


if __name__ == "__main__":
    main()
