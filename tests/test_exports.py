"""Exports by ward: CSV and zip streams, neutralised formulas, audit log, packets."""

import csv
import io
import zipfile

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import AuditEntry, Petition, PetitionTarget, Signature, WardStatus
from petition.models.base import utcnow
from petition.organizer import exports
from tests.conftest import login
from tests.factories import make_confirmed, make_organizer, make_petition, make_signature

BOM = "\ufeff"


@pytest.fixture
def setup(app, client):
    with app.app_context():
        petition = make_petition(slug="ecps", title="ECPS")
        make_organizer("ana@example.org", petitions=[petition])
        make_confirmed(petition, ward=32, first_name='=HYPERLINK("http://x","y")',
                       last_name="+SUM(A1)", address="-2 N State St", phone="+1 312 555 0100",
                       email="@evil@example.org", opt_in=True)
        make_confirmed(petition, ward=32, first_name="Ana", last_name="Díaz",
                       address="1958 N Milwaukee Ave, Apt 2", volunteer=True)
        make_confirmed(petition, ward=5, first_name="Tab", last_name="\tcell")
        make_confirmed(petition, ward=7, first_name='Jo "JJ"', last_name="O'Neil, Jr.",
                       address="1 N State St\nFloor 2")
        make_confirmed(petition, ward_status=WardStatus.OUTSIDE_CHICAGO, first_name="Out")
        make_signature(petition, ward=5, ward_status=WardStatus.GEOCODED, first_name="Pending")
        make_confirmed(petition, ward=5, first_name="Spam", invalidated_at=utcnow())
    login(client, "ana@example.org")
    return client


def _csv(response):
    body = response.get_data()
    assert body.startswith(BOM.encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8")[1:])))


def test_csv_export_defaults_to_confirmed_valid_signatures(setup, app):
    response = setup.get("/organizer/petitions/ecps/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="ecps-all-wards-')
    assert disposition.endswith('.csv"')
    rows = _csv(response)
    assert rows[0] == ["first name", "last name", "address", "ZIP", "email", "phone", "ward",
                       "signed at (UTC)", "confirmed at (UTC)", "opt-in", "volunteer", "source",
                       "sheet number", "signed on"]
    names = [r[0] for r in rows[1:]]
    assert "Ana" in names and "Out" in names
    assert "Pending" not in names and "Spam" not in names
    ana = next(r for r in rows if r[0] == "Ana")
    assert ana[1] == "Díaz" and ana[2] == "1958 N Milwaukee Ave, Apt 2"
    assert ana[6] == "32" and ana[9] == "no" and ana[10] == "yes"
    assert len(ana[7]) == 19 and len(ana[8]) == 19  # YYYY-MM-DD HH:MM:SS
    assert next(r for r in rows if r[0] == "Out")[6] == "outside"


def test_formula_cells_are_neutralised(setup):
    rows = _csv(setup.get("/organizer/petitions/ecps/export.csv"))
    evil = next(r for r in rows if "HYPERLINK" in r[0])
    assert evil[0] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert evil[1] == "'+SUM(A1)" and evil[2] == "'-2 N State St"
    assert evil[4] == "'@evil@example.org" and evil[5] == "'+1 312 555 0100"
    assert evil[9] == "yes"
    tab = next(r for r in rows if r[0] == "Tab")
    assert tab[1] == "'\tcell"
    quoted = next(r for r in rows if r[0].startswith("Jo "))
    assert quoted[:2] == ['Jo "JJ"', "O'Neil, Jr."] and quoted[2].startswith("1 N State St")
    assert len(quoted) == 14  # ... volunteer, source, sheet number, signed on
    assert exports.neutralise("=1+1") == "'=1+1" and exports.neutralise("Ana") == "Ana"


# Formulas behind characters nobody sees, or in full-width and small forms.
HIDDEN_FORMULAS = ["\u200b=cmd|' /C calc'!A0", "\uff1d1+1", "\uff0bSUM(A1)", "\uff0d2",
                   "\uff20SUM(A1)", "\ufe661", "\u2060=1", "\ufeff+1", "\u202e=1", "\u00a0=1",
                   "\u3000@x", "\n=1", "\x7f=1", "\u0085=1", "\U000e0041=1"]


def test_hidden_and_full_width_formulas_are_neutralised(setup, app):
    with app.app_context():
        petition = db.session.scalar(select(Petition))
        for value in HIDDEN_FORMULAS:
            make_confirmed(petition, ward=40, first_name=value, last_name="x" + value,
                           address=value)
    rows = _csv(setup.get("/organizer/petitions/ecps/export.csv?ward=40"))
    assert sorted(r[0] for r in rows[1:]) == sorted("'" + v for v in HIDDEN_FORMULAS)
    assert sorted(r[2] for r in rows[1:]) == sorted("'" + v for v in HIDDEN_FORMULAS)
    assert {r[1][:1] for r in rows[1:]} == {"x"}  # a risky character later is fine
    assert [exports.neutralise(v) for v in HIDDEN_FORMULAS] == [
        "'" + v for v in HIDDEN_FORMULAS]
    for fine in ("Ana", "1958 N Milwaukee", "Ñandú", "李", "(312) 555-0100", ""):
        assert exports.neutralise(fine) == fine


def test_ward_filter_status_and_invalidated_options(setup):
    rows = _csv(setup.get("/organizer/petitions/ecps/export.csv?ward=5"))
    assert [r[0] for r in rows[1:]] == ["Tab"]
    rows = _csv(setup.get("/organizer/petitions/ecps/export.csv?ward=5&ward=outside"))
    assert [r[0] for r in rows[1:]] == ["Tab", "Out"]
    rows = _csv(setup.get("/organizer/petitions/ecps/export.csv?ward=5&status=all"))
    assert [r[0] for r in rows[1:]] == ["Tab", "Pending"]
    assert rows[2][8] == ""  # not confirmed
    rows = _csv(setup.get("/organizer/petitions/ecps/export.csv?ward=5&invalidated=include"))
    assert [r[0] for r in rows[1:]] == ["Tab", "Spam"]
    assert rows[0][-1] == "invalidated at (UTC)" and rows[2][-1]


@pytest.mark.parametrize("query", ["ward=51", "ward=0", "ward=abc", "ward=", "status=bogus",
                                   "ward=1e3"])
def test_bad_export_parameters_are_400_not_500(setup, query):
    response = setup.get(f"/organizer/petitions/ecps/export.csv?{query}")
    assert response.status_code == 400
    assert "must be" in response.get_data(as_text=True)


def test_exports_and_packets_are_audit_logged(setup, app):
    assert setup.head("/organizer/petitions/ecps/export.csv").status_code == 200  # not logged
    setup.get("/organizer/petitions/ecps/export.csv?ward=32&ward=5").get_data()
    setup.get("/organizer/petitions/ecps/export.zip").get_data()
    setup.get("/organizer/petitions/ecps/wards/32/packet")
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.action, e.wards, e.rows) for e in entries] == [
            ("export_csv", "5,32", 3), ("export_zip", "", 5), ("packet", "32", 2)]
        assert all(e.organizer_email == "ana@example.org" for e in entries)
        assert entries[0].petition_id == db.session.scalar(select(Petition.id))
        assert entries[0].details == {"status": "confirmed", "invalidated": False}


def test_zip_has_one_csv_per_ward(setup):
    response = setup.get("/organizer/petitions/ecps/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    names = archive.namelist()
    assert names == [f"ward-{n:02d}.csv" for n in range(1, 51)] + ["outside-chicago.csv"]
    assert archive.read("ward-07.csv").decode("utf-8-sig").count("O'Neil, Jr.") == 1
    assert archive.testzip() is None
    ward32 = list(csv.reader(io.StringIO(archive.read("ward-32.csv").decode("utf-8-sig"))))
    assert len(ward32) == 3 and {r[6] for r in ward32[1:]} == {"32"}
    assert len(archive.read("ward-01.csv").decode("utf-8-sig").splitlines()) == 1  # header
    response = setup.get("/organizer/petitions/ecps/export.zip?ward=5&ward=32&status=all")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.namelist() == ["ward-05.csv", "ward-32.csv"]
    assert len(archive.read("ward-05.csv").decode("utf-8-sig").splitlines()) == 3


def test_streaming_export_of_many_rows_in_small_batches(make_app):
    app = make_app(EXPORT_BATCH_SIZE=997)
    client = app.test_client()
    with app.app_context():
        petition = make_petition(slug="big")
        make_organizer("ana@example.org", petitions=[petition])
        now = utcnow()
        db.session.execute(
            Signature.__table__.insert(),
            [{"petition_id": petition.id, "first_name": f"F{i}", "last_name": "L",
              "email": f"s{i}@example.org", "email_normalized": f"s{i}@example.org",
              "address": "1 N State St", "zip": "60602", "opt_in": False, "volunteer": False,
              "ward": i % 50 + 1, "ward_status": "geocoded", "locale": "en",
              "created_at": now, "confirmed_at": now, "confirmation_sends": 1}
             for i in range(5003)])
        db.session.commit()
    login(client, "ana@example.org")
    response = client.get("/organizer/petitions/big/export.csv")
    assert response.is_streamed
    chunks = list(response.response)
    body = b"".join(chunks).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 5004
    assert [r[0] for r in rows[1:]] == [f"F{i}" for i in range(5003)]  # signing order
    assert len(chunks) > 3  # sent in pieces, not as one body


def test_packet_lists_the_wards_signers_for_printing(setup):
    response = setup.get("/organizer/petitions/ecps/wards/32/packet")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 constituents in Ward 32" in html
    assert "Díaz" in html and "1958 N Milwaukee Ave, Apt 2" in html
    assert "Tab" not in html and "Spam" not in html and "Out" not in html
    assert "packet.css" in html and "style=" not in html
    assert setup.get("/organizer/petitions/ecps/wards/51/packet").status_code == 404


@pytest.fixture
def state_setup(app, client):
    """A petition to State Representatives: signers in House districts 3, 3 and 6."""
    with app.app_context():
        petition = make_petition(slug="tirc", title="TIRC", target=PetitionTarget.STATE_HOUSE)
        make_organizer("ana@example.org", petitions=[petition])
        for name, house, senate in (("Ana", 3, 2), ("Ben", 3, 2), ("Cy", 6, 3)):
            make_confirmed(petition, ward=1, first_name=name, state_house=house,
                           state_senate=senate)
        make_confirmed(petition, ward_status=WardStatus.OUTSIDE_CHICAGO, first_name="Out")
    login(client, "ana@example.org")
    return client


def test_a_state_petition_exports_by_house_district(state_setup, app):
    rows = _csv(state_setup.get("/organizer/petitions/tirc/export.csv?district=3"))
    assert [r[0] for r in rows[1:]] == ["Ana", "Ben"]
    response = state_setup.get("/organizer/petitions/tirc/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.namelist() == ["house-district-003.csv", "house-district-006.csv",
                                  "house-district-unknown.csv"]
    assert "Cy" in archive.read("house-district-006.csv").decode("utf-8-sig")
    assert "Out" in archive.read("house-district-unknown.csv").decode("utf-8-sig")
    response = state_setup.get("/organizer/petitions/tirc/export.zip?district=6")
    assert "house-districts-6" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.namelist() == ["house-district-006.csv"]
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.details["chamber"] == "house" and entry.details["districts"] == [6]


@pytest.mark.parametrize("query, message", [
    ("district=119", "An Illinois House district is a number from 1 to 118; got &#39;119&#39;."),
    ("district=abc", "An Illinois House district is a number from 1 to 118"),
    ("district=3&ward=1", "Choose signers by ward or by district, not both."),
])
def test_bad_district_parameters_are_400(state_setup, query, message):
    response = state_setup.get(f"/organizer/petitions/tirc/export.csv?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_district_on_a_petition_to_alders_is_400(setup):
    response = setup.get("/organizer/petitions/ecps/export.csv?district=3")
    assert response.status_code == 400
    assert "This petition asks alders" in response.get_data(as_text=True)
