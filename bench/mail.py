"""Benchmark: a viral day's confirmation mail. Signers arrive at a steady rate through the
real sign form under gunicorn, outbox workers deliver to a real SMTP server that takes a
fixed time per message, and each confirmation's lag (the signer's answer to the server's
acceptance) is measured, with the sign requests' own latency.

    .venv/bin/python bench/mail.py                         # 200/s for 10 minutes, both databases
    .venv/bin/python bench/mail.py --db sqlite --duration 60 --bulk 2000

The baseline in the same run is the previous deployment: one worker process with one
SMTP connection (`--baseline-duration` seconds of the same load). `--bulk N` queues N
organizer emails before the signers arrive: confirmations must not wait behind them.
"""

import argparse
import http.client
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import BIN, PYTHON, ROOT, Database, Gunicorn, free_port, machine
from bench.sign import sample_addresses, session_for

HERE = os.path.dirname(os.path.abspath(__file__))
LOAD_THREADS = 32  # client threads; each sends its share of the schedule
DRAIN_SECONDS = 300  # after the load, how long the workers may take to finish
BULK_DOMAIN = "bulk.example.org"
WATCHER, WATCHER_PASSWORD = "watcher@example.org", "a long bench password for the watcher"
CHICAGO_ZIP = "60647"  # the form asks for one; the address decides the ward


def percentile(values, fraction):
    """The value below which `fraction` of `values` lie (nearest rank); None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


class SmtpServer:
    """bench/slow_smtp.py in its own process (its work must not share our interpreter)."""

    def __init__(self, tmp, delay):
        self.port = free_port()
        self.log = os.path.join(tmp, f"accepted-{self.port}.tsv")
        open(self.log, "w").close()
        self.proc = subprocess.Popen([PYTHON, os.path.join(HERE, "slow_smtp.py"), "--port",
                                      str(self.port), "--delay", str(delay), "--log", self.log])
        time.sleep(1.0)

    def accepted(self):
        """{recipient: unix time accepted}."""
        times = {}
        with open(self.log, encoding="utf-8") as fh:
            for line in fh:
                stamp, _, recipient = line.rstrip("\n").partition("\t")
                times.setdefault(recipient, float(stamp))
        return times

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


class Workers:
    """`flask outbox send --loop` processes, each with `concurrency` workers."""

    def __init__(self, env, processes, concurrency):
        self.procs = [subprocess.Popen([os.path.join(BIN, "flask"), "--app", "wsgi", "outbox",
                                        "send", "--loop", "--concurrency", str(concurrency)],
                                       cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
                      for _ in range(processes)]

    def stop(self):
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait(60)


def queue_bulk(db, count):
    """Queue `count` organizer-style emails (BULK) before the signers arrive."""
    code = (
        "from petition import create_app\n"
        "from petition.extensions import db\n"
        "from petition.mail import outbox\n"
        "from petition.models import OutboxPriority\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    outbox.enqueue_many({{'kind': 'blast', 'to_address': f'b{{i}}@{BULK_DOMAIN}',"
        " 'subject': 'Organizer news', 'body_text': 'Come to the meeting.',"
        f" 'priority': OutboxPriority.BULK}} for i in range({count}))\n"
        "    db.session.commit()\n"
    )
    subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=db.env(), check=True)


class Signers:
    """Open-loop load: request k of thread j is due at start + (k * threads + j) / rate."""

    def __init__(self, url, rate, duration, run_id):
        self.url, self.rate, self.duration, self.run_id = url, rate, duration, run_id
        self.addresses = sample_addresses()
        self.answered = {}  # email -> unix time the sign POST was answered
        self.latencies, self.errors, self.late = [], 0, 0
        self.lock = threading.Lock()

    def run(self):
        cookie, token = session_for(self.url)
        self.start = time.time() + 0.5
        threads = [threading.Thread(target=self._thread, args=(number, cookie, token))
                   for number in range(LOAD_THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.end = time.time()

    def _thread(self, number, cookie, token):
        parsed = urllib.parse.urlsplit(self.url)
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        total = int(self.rate * self.duration)
        for k in range(number, total, LOAD_THREADS):
            due = self.start + k / self.rate
            wait = due - time.time()
            if wait > 0:
                time.sleep(wait)
            email = f"m{self.run_id}-{k}@example.org"
            body = urllib.parse.urlencode({
                "csrf_token": token, "first_name": "Viral", "last_name": "Signer",
                "email": email, "address": self.addresses[k % len(self.addresses)],
                "zip": CHICAGO_ZIP, "opt_in": "y"})
            sent = time.time()
            try:
                connection.request("POST", "/petitions/ecps/sign", body, headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 303
            except (OSError, http.client.HTTPException):
                connection.close()
                ok = False
            answered = time.time()
            with self.lock:
                self.latencies.append(answered - sent)
                self.late += wait < -0.1
                if ok:
                    self.answered[email] = answered
                else:
                    self.errors += 1


class Organizer:
    """An organizer who reloads the petition's dashboard every second during the load."""

    def __init__(self, db, url):
        subprocess.run([os.path.join(BIN, "flask"), "--app", "wsgi", "organizer", "create",
                        WATCHER, "--admin", "--password-stdin"], cwd=ROOT, env=db.env(),
                       input=WATCHER_PASSWORD + "\n", text=True, check=True,
                       capture_output=True)
        parsed = urllib.parse.urlsplit(url)
        self.address, self.cookies = (parsed.hostname, parsed.port), {}
        page = self._request("GET", "/organizer/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        self._request("POST", "/organizer/login", urllib.parse.urlencode(
            {"email": WATCHER, "password": WATCHER_PASSWORD, "csrf_token": token}))
        self.latencies, self.errors = [], 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._reload)
        self.thread.start()

    def _request(self, method, path, body=None):
        """One request with the session cookie (sent by hand: it is Secure, and this is
        plain HTTP on the loopback); returns the body, raising on a 4xx/5xx."""
        connection = http.client.HTTPConnection(*self.address, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        connection.close()
        if response.status >= 400:
            raise OSError(f"{method} {path}: HTTP {response.status}")
        return text

    def _reload(self):
        while not self.stop.wait(1.0):
            started = time.time()
            try:
                self._request("GET", "/organizer/petitions/ecps")
            except (OSError, http.client.HTTPException):
                self.errors += 1
            self.latencies.append(time.time() - started)

    def finish(self):
        self.stop.set()
        self.thread.join()


def measure(kind, args, processes, concurrency, duration, bulk):
    """One run on a fresh database; returns a dict of figures."""
    db = Database(kind)
    smtp = SmtpServer(db.tmp, args.smtp_delay)
    env = db.env(MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp.port),
                 MAIL_DEFAULT_SENDER="petitions@example.org", OUTBOX_POLL_SECONDS="1")
    web = workers = watcher = None
    try:
        db.flask("db", "upgrade")
        db.flask("seed-demo")
        db.execute("DELETE FROM outbox_messages")  # the demo's own mail is not the load's
        if bulk:
            queue_bulk(db, bulk)
        web = Gunicorn("wsgi:app", env, args.gunicorn_workers)
        workers = Workers(env, processes, concurrency)
        signers = Signers(web.url, args.rate, duration, run_id=os.getpid())
        watcher = Organizer(db, web.url) if args.watch else None
        signers.run()
        if watcher:
            watcher.finish()
        deadline = time.time() + DRAIN_SECONDS
        while time.time() < deadline:
            accepted = smtp.accepted()
            if all(email in accepted for email in signers.answered):
                break
            time.sleep(1)
        drained = time.time()
    finally:
        for part in (workers, web):
            if part is not None:
                part.stop()
        smtp.stop()
        db.drop()
    lags = [accepted[email] - at for email, at in signers.answered.items() if email in accepted]
    during = [t for t in accepted.values() if signers.start <= t <= signers.end]
    bulk_sent = sum(1 for r in accepted if r.endswith("@" + BULK_DOMAIN))
    return {
        "signed": len(signers.answered), "errors": signers.errors,
        "sign_rate": len(signers.answered) / (signers.end - signers.start),
        "sign_p50": percentile(signers.latencies, 0.5), "sign_p99":
        percentile(signers.latencies, 0.99), "late": signers.late,
        "delivered": len(lags), "lag_p50": percentile(lags, 0.5),
        "lag_p99": percentile(lags, 0.99), "lag_max": max(lags, default=None),
        "emails_per_s": len(during) / (signers.end - signers.start),
        "drain_s": drained - signers.end, "bulk_sent": bulk_sent,
        "dashboard_p50": percentile(watcher.latencies, 0.5) if watcher else None,
        "dashboard_errors": watcher.errors if watcher else None,
    }


def row(kind, label, r):
    def sec(value):
        return "-" if value is None else f"{value:.2f}"

    def ms(value):
        return "-" if value is None else f"{value * 1000:.0f}"

    return (f"| {kind} | {label} | {r['sign_rate']:.0f} | {r['signed']} | {r['errors']} "
            f"| {ms(r['sign_p50'])} / {ms(r['sign_p99'])} | {r['delivered']} "
            f"| {r['emails_per_s']:.0f} | {sec(r['lag_p50'])} / {sec(r['lag_p99'])} "
            f"/ {sec(r['lag_max'])} | {r['drain_s']:.0f} | {r['bulk_sent']} "
            f"| {ms(r['dashboard_p50'])} ({r['dashboard_errors'] or 0} errors) |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200, help="signatures per second")
    parser.add_argument("--duration", type=int, default=600, help="seconds of load")
    parser.add_argument("--baseline-duration", type=int, default=60,
                        help="seconds of the same load for the one-worker baseline (0: none)")
    parser.add_argument("--processes", type=int, default=2, help="outbox worker processes")
    parser.add_argument("--concurrency", type=int, default=16, help="workers per process")
    parser.add_argument("--smtp-delay", type=float, default=0.1, help="seconds per message")
    parser.add_argument("--bulk", type=int, default=0, help="organizer emails queued first")
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--no-watch", dest="watch", action="store_false",
                        help="no organizer reloading the dashboard during the load")
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"Machine: {machine()}; load average before the run {os.getloadavg()[0]:.1f} "
          f"({time.strftime('%Y-%m-%d %H:%M')}).")
    print(f"Signers: {args.rate:.0f}/s open loop through the sign form (gunicorn "
          f"{args.gunicorn_workers} sync workers); SMTP server: {args.smtp_delay * 1000:.0f} ms "
          f"per message; {args.bulk} organizer emails queued first.\n")
    print("| database | outbox workers | signatures/s | signed | errors | sign p50 / p99 ms "
          "| confirmations delivered | emails/s | lag p50 / p99 / max s | drain s "
          "| bulk sent | dashboard p50 ms (reloaded every second) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind in args.db:
        if args.baseline_duration:
            result = measure(kind, args, 1, 1, args.baseline_duration, args.bulk)
            print(row(kind, f"baseline: 1 x 1, {args.baseline_duration} s", result), flush=True)
        result = measure(kind, args, args.processes, args.concurrency, args.duration, args.bulk)
        label = f"{args.processes} x {args.concurrency}, {args.duration} s"
        print(row(kind, label, result), flush=True)
    print("\ntarget: confirmation lag p99 under 60 s at 200 signatures/s for 10 minutes, "
          "SMTP server 100 ms per message")


if __name__ == "__main__":
    main()
