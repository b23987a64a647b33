"""The import page: upload, choose columns, preview with wards and problems, import all or
nothing, undo (admins); the file kept between steps under the instance folder only for
its organizer; size limits (a clear 413, never a 500); access and CSRF; Spanish."""

import io
import os
import re

import pytest
from sqlalchemy import delete, func, select

from petition.extensions import db
from petition.models import AuditEntry, ImportBatch, OutboxMessage, Petition, Signature
from petition.petitions import counts
from tests.conftest import csrf_token_from, login
from tests.factories import make_organizer, make_petition, make_signature
from tests.hostile import HOSTILE_INPUT
from tests.import_support import ANA, LUIS, ROSA, write_csv, write_xlsx

PAGE = "/organizer/petitions/ecps/import"
TOKEN_IN_URL = re.compile(r"/organizer/petitions/ecps/import/([A-Za-z0-9_-]{32})")


@pytest.fixture
def organizer(app, client):
    with app.app_context():
        petition = make_petition(slug="ecps", title="ECPS")
        make_petition(slug="other", title="Other")
        make_organizer("ana@example.org", petitions=[petition])
        make_organizer("zoe@example.org")  # runs no petition
        make_organizer("boss@example.org", is_admin=True)
    login(client, "ana@example.org")
    return client


def upload(client, data, name="list.csv"):
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    return client.post(PAGE, data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def uploaded(client, path, name="list.csv"):
    with open(path, "rb") as fh:
        response = upload(client, fh.read(), name)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.location


def run_import(client, preview_url, **extra):
    page = client.get(preview_url).get_data(as_text=True)
    form = dict(re.findall(r'<input type="hidden" name="([a-z_0-9]+)" value="([^"]*)"', page))
    form.update(extra, csrf_token=csrf_token_from(page))
    return client.post(preview_url.split("?")[0], data=form)


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_upload_preview_and_import_a_csv(app, organizer, tmp_path):
    url = uploaded(organizer, write_csv(tmp_path / "a.csv", [ROSA, ANA, LUIS, ROSA]))
    page = organizer.get(url).get_data(as_text=True)
    assert '<option selected value="1">First Name</option>' in page
    assert "Ward 1" in page and "Ward 26" in page
    assert "already signed: will be skipped" in page  # ROSA again, line 5
    response = run_import(organizer, url, source="partner")
    assert response.status_code == 303 and "done=" in response.location
    done = organizer.get(response.location).get_data(as_text=True)
    assert "Imported 3 signatures." in done
    assert "3 imported, 1 duplicates skipped, of 4 rows." in done
    with app.app_context():
        assert count(Signature) == 3 and count(OutboxMessage) == 0
        petition = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        assert counts.drift(petition.id) == [] and counts.confirmed_total(petition.id) == 3
        assert {s.source for s in db.session.scalars(select(Signature))} == {"partner"}
        assert db.session.scalar(select(ImportBatch)).organizer_email == "ana@example.org"
    token = TOKEN_IN_URL.search(url).group(1)
    assert not os.path.exists(os.path.join(app.config["IMPORT_FOLDER"], token))
    assert organizer.get(url).status_code == 404  # the file is gone


def test_an_xlsx_and_the_columns_chosen_by_hand(app, organizer, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["x", "Rosa", "Parks", "1958 N Milwaukee Ave"]],
                      header=["id", "Given", "Family", "Where"])
    url = uploaded(organizer, path, "list.xlsx")
    page = organizer.get(url)
    assert page.status_code == 400 and "Choose the file&#39;s column for: Street address" \
        in page.get_data(as_text=True)
    chosen = f"{url}?first_name=2&last_name=3&address=4"
    assert "Ward 1" in organizer.get(chosen).get_data(as_text=True)
    assert run_import(organizer, chosen).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Signature.last_name)) == "Parks"


def test_a_bad_row_imports_nothing_and_says_which_line(app, organizer, tmp_path):
    url = uploaded(organizer, write_csv(tmp_path / "b.csv", [
        ROSA, ANA, ROSA[:6] + ["2999-01-01", "yes"]]))
    response = run_import(organizer, url)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nothing was imported" in html
    assert "Line 4: The date signed 2999-01-01 is in the future." in html
    with app.app_context():
        assert count(Signature) == 0 and count(ImportBatch) == 0
    assert organizer.get(url).status_code == 200  # the file is kept to try again


@pytest.mark.parametrize("content, message", [
    (b"", "The file is empty."),
    ("First Name,Last\n".encode("utf-16"), "This is not a text file we can read."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel file (.xls)"),
])
def test_bad_files_are_form_errors(app, organizer, content, message):
    response = upload(organizer, content)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    folder = app.config["IMPORT_FOLDER"]
    assert not os.path.exists(folder) or os.listdir(folder) == []


def test_files_over_the_limit_are_refused_clearly(make_app, tmp_path):
    app = make_app(IMPORT_MAX_BYTES=2000)
    client = app.test_client()
    with app.app_context():
        make_organizer("ana@example.org", petitions=[make_petition(slug="ecps")])
    login(client, "ana@example.org")
    just_over = b"First Name,Last Name,Address\n" + b"A,B,1 Main St\n" * 160
    response = upload(client, just_over)
    assert response.status_code == 400
    assert "The file is too large: at most 0 MB." in response.get_data(as_text=True)
    # Far over: refused while the request is read (MAX_CONTENT_LENGTH), before the view.
    response = upload(client, b"x" * (200 * 1024))
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)


def test_fifty_megabytes_get_a_413_not_a_500(app, organizer):
    response = upload(organizer, b"A,B,C\n" * (50 * 1024 * 1024 // 6))
    assert response.status_code == 413
    assert "The file is too large: at most 20 MB." in response.get_data(as_text=True)
    # Other pages keep the site's 1 MB limit.
    token = csrf_token_from(organizer.get("/organizer/petitions/ecps/paper").get_data(
        as_text=True))
    assert organizer.post("/organizer/petitions/ecps/paper", data={
        "csrf_token": token, "first_name": "x" * (2 * 1024 * 1024)}).status_code == 413


def test_the_file_belongs_to_its_organizer_and_petition(app, organizer, tmp_path):
    url = uploaded(organizer, write_csv(tmp_path / "a.csv", [ROSA]))
    token = TOKEN_IN_URL.search(url).group(1)
    with app.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == "other"))
        make_organizer("bo@example.org", petitions=[petition, db.session.scalar(
            select(Petition).where(Petition.slug == "ecps"))])
    other = app.test_client()
    login(other, "bo@example.org")
    assert other.get(url).status_code == 404  # another organizer of the same petition
    assert organizer.get(f"/organizer/petitions/other/import/{token}").status_code == 404
    for bad in ("..%2F..%2Fetc%2Fpasswd", "x" * 32, "a" * 31):
        assert organizer.get(f"{PAGE}/{bad}").status_code == 404


def test_no_file_is_a_form_error(organizer):
    token = csrf_token_from(organizer.get(PAGE).get_data(as_text=True))
    response = organizer.post(PAGE, data={"csrf_token": token},
                              content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a file to import." in response.get_data(as_text=True)


def test_access_control_and_csrf(app, client, organizer, tmp_path):
    anonymous = app.test_client()
    assert anonymous.get(PAGE).status_code in (302, 401)
    assert anonymous.post(PAGE, data={}).status_code in (302, 400, 401)
    stranger = app.test_client()
    login(stranger, "zoe@example.org")
    assert stranger.get(PAGE).status_code == 404
    assert organizer.get("/organizer/petitions/other/import").status_code == 404
    response = organizer.post(PAGE, data={"file": (io.BytesIO(b"a,b\n1,2\n"), "x.csv")},
                              content_type="multipart/form-data")
    assert response.status_code == 400 and "This form expired" in response.get_data(
        as_text=True)
    url = uploaded(organizer, write_csv(tmp_path / "a.csv", [ROSA]))
    assert organizer.post(url, data={"first_name": "1", "last_name": "2",
                                     "address": "3"}).status_code == 400
    with app.app_context():
        assert count(Signature) == 0


def test_an_admin_undoes_an_import(app, organizer, tmp_path):
    with app.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        make_signature(petition, confirmed_at=petition.created_at, ward=1)
        petition_id = petition.id
    assert run_import(organizer, uploaded(organizer, write_csv(
        tmp_path / "a.csv", [ROSA, ANA]))).status_code == 303
    with app.app_context():
        batch_id = db.session.scalar(select(ImportBatch.id))
    undo = f"/organizer/petitions/ecps/imports/{batch_id}/undo"
    token = csrf_token_from(organizer.get(PAGE).get_data(as_text=True))
    assert organizer.post(undo, data={"csrf_token": token}).status_code == 403
    admin = app.test_client()
    login(admin, "boss@example.org")
    page = admin.get(PAGE).get_data(as_text=True)
    assert "Undo this import" in page
    assert admin.post(undo, data={}).status_code == 400  # no CSRF token
    response = admin.post(undo, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 303
    assert "Import undone: 2 signatures removed." in admin.get(PAGE).get_data(as_text=True)
    with app.app_context():
        assert count(Signature) == 1 and counts.drift(petition_id) == []
        assert counts.confirmed_total(petition_id) == 1
        assert db.session.scalar(select(AuditEntry.action).order_by(
            AuditEntry.id.desc())) == "import_undo"
    verify = app.test_cli_runner().invoke(args=["counts", "verify", "--dry-run"])
    assert verify.exit_code == 0, verify.output
    assert admin.post("/organizer/petitions/other/imports/1/undo", data={
        "csrf_token": csrf_token_from(page)}).status_code == 404


def test_the_page_speaks_spanish(app, organizer, tmp_path):
    organizer.get("/language/es")
    assert "Importar firmas" in organizer.get(PAGE).get_data(as_text=True)
    url = uploaded(organizer, write_csv(tmp_path / "a.csv", [ROSA, ["", "x", "y", "", "",
                                                                    "", "", ""]]))
    html = organizer.get(url).get_data(as_text=True)
    assert "Qué columna es cuál" in html and "Falta: Nombre." in html
    html = run_import(organizer, url).get_data(as_text=True)
    assert "No se importó nada" in html and "Línea 3: Falta: Nombre." in html


def test_the_dashboard_and_paper_page_link_here(organizer):
    for page in ("/organizer/petitions/ecps", "/organizer/petitions/ecps/paper"):
        assert PAGE in organizer.get(page).get_data(as_text=True)


def test_hostile_input_in_every_field_is_never_a_500(app, organizer, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ROSA])
    url = uploaded(organizer, path)
    token = csrf_token_from(organizer.get(url).get_data(as_text=True))
    for value in HOSTILE_INPUT:
        for name in ("first_name", "last_name", "address", "zip", "consent", "source"):
            query = organizer.get(url, query_string={name: value})
            assert query.status_code in (200, 400), (name, value)
            posted = organizer.post(url, data={"csrf_token": token, "first_name": "1",
                                               "last_name": "2", "address": "3",
                                               name: value})
            assert posted.status_code in (303, 400), (name, value)
            assert b"<script>alert(1)</script>" not in posted.get_data()
            if posted.status_code == 303:  # a harmless value: imported, so upload again
                with app.app_context():
                    db.session.execute(delete(Signature))
                    db.session.commit()
                url = uploaded(organizer, path)
