"""Shared helpers for the benchmarks: databases, gunicorn, wrk, the machine."""

import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

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
