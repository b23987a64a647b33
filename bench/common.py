"""Shared helpers for the benchmarks: databases, gunicorn, wrk, the machine, and the
export harness (a bulk-loaded petition, an in-process app signed in as its admin, a
streamed download measured for time and memory, a measuring child process, a table)."""

import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = sys.executable
BIN = os.path.dirname(PYTHON)
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def machine():
    """One line describing this machine."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require(tool, hint):
    if shutil.which(tool) is None:
        sys.exit(f"{tool} is not installed: {hint}")


class Database:
    """A throwaway database: an SQLite file or a fresh PostgreSQL database."""

    def __init__(self, kind):
        self.kind = kind
        self.tmp = tempfile.mkdtemp(prefix=f"bench-{kind}-")
        self.name = f"bench_{os.getpid()}"
        if kind == "sqlite":
            self.url = f"sqlite:///{self.tmp}/bench.db"
        else:
            self._pg(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
            self.url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + self.name

    def _pg(self, *statements):
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def env(self, **extra):
        env = dict(os.environ, DATABASE_URL=self.url, APP_ENV="production",
                   SECRET_KEY=secrets.token_urlsafe(48), PUBLIC_URL="http://127.0.0.1",
                   MAIL_FILE_DIR=os.path.join(self.tmp, "mail"),
                   # Every simulated signer comes from 127.0.0.1: no per-IP limits here.
                   SIGN_RATE_LIMIT="", RATELIMIT_ENABLED="false")
        env.pop("MAIL_SERVER", None)
        env.update(extra)
        return env

    def flask(self, *args):
        subprocess.run([os.path.join(BIN, "flask"), "--app", "wsgi", *args], cwd=ROOT,
                       env=self.env(), check=True, capture_output=True)

    def scalar(self, sql):
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as conn:
            value = conn.execute(text(sql)).scalar()
        engine.dispose()
        return value

    def execute(self, sql):
        """Run one statement and commit it."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:
            conn.execute(text(sql))
        engine.dispose()

    def drop(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.kind == "postgresql":
            self._pg(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Gunicorn:
    """gunicorn serving an app module on a free port."""

    def __init__(self, app_spec, env, workers, worker_class="sync", threads=1, cwd=ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [os.path.join(BIN, "gunicorn"), "-b", f"127.0.0.1:{self.port}", "-w", str(workers),
                "-k", worker_class, "--threads", str(threads), "--preload",
                "--log-level", "warning", "--no-control-socket", app_spec]
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                     stderr=self.log)
        self._wait()

    def _wait(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited: " + self._read_log()[-2000:])
            try:
                urllib.request.urlopen(self.url + "/healthz-bench-probe", timeout=1)
                return
            except urllib.error.HTTPError:
                return  # any HTTP answer means it is serving
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        return self._read_log()

    def _read_log(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


WRK_LINE = re.compile(r"Requests/sec:\s+([\d.]+)")


def wrk(url, script, duration, connections, threads=1, env=None):
    """Run wrk and return (requests/s, total requests, error count, raw output)."""
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--latency",
         "-s", script, url],
        capture_output=True, text=True, env=dict(os.environ, **(env or {})), check=True,
    ).stdout
    rate = float(WRK_LINE.search(out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if match:
        errors += int(match.group(1))
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if match:
        errors += sum(int(g) for g in match.groups())
    return rate, total, errors, out


# The export harness (bench/export.py, bench/xlsx.py, bench/scale.py).
SLUG = "bench"
ADMIN = "bench-admin@example.org"
PASSWORD = "bench password that is long"
FIRST = ["Ana", "Luis", "Maria", "James", "Keisha", "Tom", "Mei", "Olu", "Sam", "Rosa"]
LAST = ["Díaz", "Johnson", "Nguyen", "O'Brien", "Smith", "Kowalski", "Okafor", "Lee"]
COLUMNS = ("petition_id", "first_name", "last_name", "email", "email_normalized", "address",
           "zip", "phone", "opt_in", "volunteer", "ward", "ward_status", "ip_address", "locale",
           "created_at", "confirmed_at", "confirmation_sends")


def make_app(url, **config):
    """The app on `url` as production runs it, rate limits off."""
    os.environ.update(APP_ENV="production", SECRET_KEY=secrets.token_urlsafe(48),
                      DATABASE_URL=url, PUBLIC_URL="http://127.0.0.1")
    from petition import create_app  # after the environment it reads

    return create_app({"RATELIMIT_ENABLED": False, **config})


def signature_rows(petition_id, n, seed=1):
    """n signatures in COLUMNS order: 90% confirmed, wards 1-50 at random, 1% outside."""
    rng = random.Random(seed)
    start = datetime(2025, 3, 1)
    for i in range(n):
        created = start + timedelta(seconds=i * 5)
        outside = i % 100 == 0
        ward = None if outside else rng.randint(1, 50)
        email = f"signer{i}@example.org"
        yield (petition_id, FIRST[i % len(FIRST)], LAST[i % len(LAST)], email, email,
               f"{1000 + i % 9000} N Milwaukee Ave", "60647", "(312) 555-0123",
               i % 3 == 0, i % 7 == 0, ward, "outside_chicago" if outside else "geocoded",
               "203.0.113.7", "en", created,
               created + timedelta(minutes=3) if i % 10 else None, 1)


def load(db, rows, make_rows=signature_rows):
    """Migrate, create the petition SLUG and the admin, bulk-load `rows` signatures from
    make_rows(petition_id, n) (executemany on SQLite, COPY on PostgreSQL); seconds."""
    db.flask("db", "upgrade")
    app = make_app(db.url)
    from petition.extensions import db as sa_db
    from petition.models import Petition, PetitionState
    from petition.organizer import accounts
    from petition.petitions import counts

    with app.app_context():
        accounts.create_organizer(ADMIN, PASSWORD, is_admin=True)
        petition = Petition(slug=SLUG, title="Bench petition", summary="s", body="b",
                            goal=1_000_000, state=PetitionState.OPEN)
        sa_db.session.add(petition)
        sa_db.session.flush()
        petition_id = petition.id  # read before commit: no new transaction afterwards
        sa_db.session.commit()
        started = time.perf_counter()
        raw = sa_db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            if db.kind == "postgresql":
                with cursor.copy(f"COPY signatures ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in make_rows(petition_id, rows):
                        copy.write_row(row)
            else:
                cursor.execute("BEGIN")
                marks = ", ".join("?" for _ in COLUMNS)
                cursor.executemany(
                    f"INSERT INTO signatures ({', '.join(COLUMNS)}) VALUES ({marks})",
                    ((*r[:14], r[14].isoformat(sep=" "),
                      r[15].isoformat(sep=" ") if r[15] else None, r[16])
                     for r in make_rows(petition_id, rows)))
            raw.commit()
            cursor.execute("ANALYZE")
            raw.commit()
        finally:
            raw.close()
        load_s = time.perf_counter() - started
        counts.recount(petition_id)
        sa_db.session.commit()
        sa_db.session.remove()
        sa_db.engine.dispose()
    return load_s


def rss_kb(field="VmRSS"):
    """This process's resident memory (or VmHWM, its peak) in kB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def log_in(client):
    """Sign in as ADMIN through the real log-in form."""
    page = client.get("/organizer/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/organizer/login",
                           data={"email": ADMIN, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.status_code


def stream(client, url, out=None):
    """GET url and consume its body chunk by chunk as a server would send it (into the
    file `out` if given): (bytes, newlines, seconds, peak RSS in kB)."""
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    size = lines = 0
    peak = rss_kb()
    for chunk in response.response:
        size += len(chunk)
        lines += chunk.count(b"\n")
        if out is not None:
            out.write(chunk)
        peak = max(peak, rss_kb())
    response.close()
    return size, lines, time.perf_counter() - started, peak


def measure_in_child(script, *args, env=None):
    """Run `script --measure ARGS` in a fresh process (clean memory figures) and return
    the JSON it prints last."""
    child = subprocess.run([PYTHON, script, "--measure", *args], cwd=ROOT, env=env,
                           capture_output=True, text=True, check=False)
    if child.returncode:
        sys.exit(child.stderr[-3000:])
    return json.loads(child.stdout.strip().splitlines()[-1])


def table_line(label, cells, width=16, label_width=34):
    """One line of a benchmark's table: a label, then right-aligned cells."""
    print(f"{label:{label_width}}" + "".join(f"{cell:>{width}}" for cell in cells), flush=True)
