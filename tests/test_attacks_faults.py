"""The database going away in the middle of a paper row's save and of an .xlsx download:
a friendly 503 (or a download that ends as a broken one, never a file that looks whole),
nothing half-stored, and the next request works."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from petition.extensions import db
from petition.models import AuditEntry, Petition, Signature
from petition.models.base import utcnow
from petition.organizer import exports
from petition.paper import service as paper_service
from petition.petitions import counts
from petition.petitions.counts import city_day
from tests.conftest import BACKENDS, csrf_token_from, login, pg_url
from tests.factories import make_confirmed, make_organizer, make_petition
from tests.test_faults import _terminate_backend

PAPER = "/organizer/petitions/ecps/paper"
# SQLite has no connection to lose.
pytestmark = pytest.mark.parametrize("backend", [BACKENDS[1]])


@pytest.fixture
def organizer(make_app):
    app = make_app(EXPORT_BATCH_SIZE=2)
    with app.app_context():
        petition = make_petition(slug="ecps", title="ECPS",
                                 created_at=utcnow() - timedelta(days=3))
        make_organizer("ana@example.org", petitions=[petition])
        for n in range(7):
            make_confirmed(petition, ward=1, first_name=f"F{n}")
    client = app.test_client()
    login(client, "ana@example.org")
    admin = create_engine(pg_url())
    yield app, client, admin
    admin.dispose()


def _row(client):
    token = csrf_token_from(client.get(PAPER).get_data(as_text=True))
    return {"first_name": "Rosa", "last_name": "Parks", "address": "1958 N Milwaukee Ave",
            "zip": "60647", "signed_on": city_day(utcnow()).isoformat(), "csrf_token": token}


def test_the_database_lost_before_a_paper_row_commits(organizer, monkeypatch):
    app, client, admin = organizer
    real = paper_service.add_paper_signature

    def then_lose_the_database(*args, **kwargs):
        signature_id = real(*args, **kwargs)  # inserted, counted and audited: not committed
        _terminate_backend(admin, db.session.scalar(text("SELECT pg_backend_pid()")))
        return signature_id

    monkeypatch.setattr(paper_service, "add_paper_signature", then_lose_the_database)
    response = client.post(PAPER, data=_row(client))
    assert response.status_code == 503
    assert "busy or being restarted" in response.get_data(as_text=True)
    assert response.headers["Retry-After"]
    with app.app_context():  # nothing half-stored: no row, no count, no audit entry
        assert db.session.scalar(select(func.count()).select_from(Signature)
                                 .where(Signature.source == "paper")) == 0
        petition_id = db.session.scalar(select(Petition.id))
        assert counts.confirmed_total(petition_id) == 7 and counts.drift(petition_id) == []
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "paper_signature")) == 0
    monkeypatch.setattr(paper_service, "add_paper_signature", real)
    assert client.post(PAPER, data=_row(client)).status_code == 303  # typed again: saved
    with app.app_context():
        assert counts.confirmed_total(db.session.scalar(select(Petition.id))) == 8


def test_the_database_lost_before_an_export_starts_is_a_503(organizer, monkeypatch):
    app, client, admin = organizer
    real = exports.Export.__post_init__

    def lose_the_database(self):
        _terminate_backend(admin, db.session.scalar(text("SELECT pg_backend_pid()")))
        real(self)

    monkeypatch.setattr(exports.Export, "__post_init__", lose_the_database)
    response = client.get("/organizer/petitions/ecps/export.xlsx")
    assert response.status_code == 503
    monkeypatch.setattr(exports.Export, "__post_init__", real)
    assert load_workbook(io.BytesIO(client.get(
        "/organizer/petitions/ecps/export.xlsx").get_data())).worksheets[0].max_row == 8


def _losing_the_database_after(admin, batches):
    """Export._batches that kills its snapshot's connection after that many batches."""
    real = exports.Export._batches

    def batches_then_lost(self, columns, options):
        pid = self.conn.execute(text("SELECT pg_backend_pid()")).scalar()
        for n, batch in enumerate(real(self, columns, options), 1):
            yield batch
            if n == batches:
                _terminate_backend(admin, pid)

    return batches_then_lost


def test_the_database_lost_during_a_small_download_is_a_503(organizer, monkeypatch):
    # The whole file is one chunk: it was a traceback escaping the response (the server's
    # bare 500), now the friendly 503 page.
    app, client, admin = organizer
    monkeypatch.setattr(exports.Export, "_batches", _losing_the_database_after(admin, 1))
    response = client.get("/organizer/petitions/ecps/export.xlsx")
    assert response.status_code == 503
    assert "busy or being restarted" in response.get_data(as_text=True)
    monkeypatch.undo()
    again = client.get("/organizer/petitions/ecps/export.xlsx")
    assert load_workbook(io.BytesIO(again.get_data())).worksheets[0].max_row == 8


def test_the_database_lost_mid_download_never_gives_a_file_that_looks_whole(organizer,
                                                                            monkeypatch):
    app, client, admin = organizer
    monkeypatch.setattr(exports, "ZIP_FLUSH_BYTES", 1)  # a chunk per batch of rows
    monkeypatch.setattr(exports.Export, "_batches", _losing_the_database_after(admin, 1))
    response = client.get("/organizer/petitions/ecps/export.xlsx")
    assert response.status_code == 200  # the first bytes had gone out
    # The stream ends with the error: the server drops the connection mid-body, and no
    # spreadsheet opens what arrived as if it were the whole list.
    with pytest.raises(OperationalError):
        response.get_data()
    response.close()
    monkeypatch.undo()
    with app.app_context():  # the export was logged before the first byte, as designed
        assert db.session.scalar(select(AuditEntry.rows).where(
            AuditEntry.action == "export_xlsx")) == 7
    again = client.get("/organizer/petitions/ecps/export.xlsx")
    assert load_workbook(io.BytesIO(again.get_data())).worksheets[0].max_row == 8
