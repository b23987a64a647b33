"""Real servers for fault and scale-out tests: gunicorn, and a private PostgreSQL."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def app_env(**settings):
    """Environment for a production-like app process."""
    env = dict(os.environ, APP_ENV="production", SECRET_KEY=secrets.token_urlsafe(48),
               PUBLIC_URL="http://127.0.0.1", MAIL_DEFAULT_SENDER="petitions@example.org",
               SIGN_RATE_LIMIT="", SESSION_COOKIE_SECURE="false", PYTHONPATH=str(ROOT))
    env.pop("MAIL_SERVER", None)
    env.update({k: str(v) for k, v in settings.items()})
    return env


class Gunicorn:
    """The app under gunicorn on a free port; stop() returns its log."""

    def __init__(self, env, workers=2, worker_class="sync", threads=1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "-b", f"127.0.0.1:{self.port}", "-w", str(workers),
             "-k", worker_class, "--threads", str(threads), "--no-control-socket",
             "--graceful-timeout", "5", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.output())
            try:
                urllib.request.urlopen(self.url + "/", timeout=2)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start:\n" + self.output())

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.output()


def _pg_bin():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


class PrivatePostgres:
    """A throwaway PostgreSQL server of our own, so we can restart it under load."""

    def __init__(self):
        bindir = _pg_bin()
        if bindir is None or shutil.which("runuser") is None or os.geteuid() != 0:
            pytest.skip("needs PostgreSQL server binaries and root (to run them as postgres)")
        self.bindir = bindir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="pg-fault-"))
        self.data = self.dir / "data"
        shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-A", "trust", "-U", "postgres", "-D", str(self.data))
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.start()

    def _run(self, tool, *args):
        subprocess.run(["runuser", "-u", "postgres", "--", str(self.bindir / tool), *args],
                       check=True, capture_output=True, cwd=self.dir)

    def _ctl(self, action, *extra):
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=60")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.dir / "log"), "-w", *extra, action)

    def start(self):
        self._ctl("start")

    def stop(self):
        self._ctl("stop", "-m", "fast")

    def destroy(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def migrate(env):
    """Create the schema with the real migrations, as a deployment would."""
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, base_url, headers=None):
        import http.cookiejar

        self.base_url = base_url
        self.headers = headers or {}
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect())

    def request(self, path, data=None, timeout=30):
        """(status, body text); a refused or reset connection is status 0."""
        from urllib.parse import urlencode

        body = urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base_url + path, data=body, headers=self.headers)
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""

    def csrf_token(self, path="/petitions/ecps"):
        import re

        status, html = self.request(path)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        return match.group(1) if match else None

    def sign(self, token, email, slug="ecps", address="1958 N Milwaukee Ave"):
        return self.request(f"/petitions/{slug}/sign", {
            "csrf_token": token, "first_name": "Load", "last_name": "Test", "email": email,
            "address": address, "zip": "60647"})


def scratch_database(kind, tmp_path):
    """A fresh empty database URL for server processes, and a function that drops it."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}", lambda: None
    admin = os.environ.get("TEST_DATABASE_URL")
    if not admin:
        pytest.skip("TEST_DATABASE_URL is not set, so the PostgreSQL run is skipped")
    import psycopg

    name = f"t_{os.getpid()}_{free_port()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin.rsplit("/", 1)[0] + "/" + name, drop


def open_petition(env, slug="ecps", requires_confirmation=True):
    """Create an open petition through the app itself."""
    code = (
        "from petition import create_app\n"
        "from petition.extensions import db\n"
        "from petition.models import Petition, PetitionState\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    db.session.add(Petition(slug={slug!r}, title='Load test', goal=10000,\n"
        f"        state=PetitionState.OPEN, requires_confirmation={requires_confirmation!r}))\n"
        "    db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                   capture_output=True)


class PrivateRedis:
    """A throwaway redis-server of our own (no persistence), so a test can kill it."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("needs redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not self._answers():
            if time.time() > deadline or self.proc.poll() is not None:
                self.kill()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
