"""`flask dev` as a newcomer runs it: links in pages and emails follow its port."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from petition.cli import dev_public_url
from petition.demo import ECPS_SLUG
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
FLASK = Path(sys.executable).parent / "flask"
START_SECONDS = 90


def test_dev_public_url_names_a_reachable_host():
    assert dev_public_url("127.0.0.1", 5101) == "http://127.0.0.1:5101"
    assert dev_public_url("0.0.0.0", 8080) == "http://127.0.0.1:8080"
    assert dev_public_url("::1", 8080) == "http://[::1]:8080"


def test_flask_dev_on_another_port_links_to_that_port(tmp_path):
    port = free_port()
    env = dict(os.environ, APP_ENV="development", DATABASE_URL=f"sqlite:///{tmp_path}/dev.db",
               MAIL_FILE_DIR=str(tmp_path / "mail"), PYTHONPATH=str(ROOT))
    env.pop("PUBLIC_URL", None)
    env.pop("MAIL_SERVER", None)
    log = open(tmp_path / "dev.log", "w+")
    proc = subprocess.Popen([str(FLASK), "--app", "wsgi", "dev", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        page = _wait_for_page(f"http://127.0.0.1:{port}/petitions/{ECPS_SLUG}", proc, log)
        assert f"http://127.0.0.1:{port}/petitions/{ECPS_SLUG}" in page
        assert "127.0.0.1:5000" not in page
        log.seek(0)
        assert f"Links in emails point at http://127.0.0.1:{port}" in log.read()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def _wait_for_page(url, proc, log):
    """The petition page once the development server answers, following the redirect."""
    deadline = time.time() + START_SECONDS
    while time.time() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise AssertionError("flask dev exited:\n" + log.read())
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.3)
    log.seek(0)
    raise AssertionError("flask dev did not answer:\n" + log.read())
