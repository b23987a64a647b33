"""Attacks on the exports (.xlsx, .csv, .zip, packets) as an outside tester would try them:
hostile names and titles must give files that open (well-formed XML, every part), tampered
query parameters a clear 400, never a 500 or a download cut off half-way."""

import io
import xml.dom.minidom
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from petition.extensions import db
from petition.models import AuditEntry, Organizer, Petition, PetitionTarget, Signature
from tests.conftest import login
from tests.factories import make_confirmed, make_organizer, make_petition
from tests.hostile import HOSTILE_TEXT

XLSX = "/organizer/petitions/{slug}/export.xlsx"
# What a browser can send and a database can hold (no NUL on PostgreSQL), in every column.
STORABLE = [v for v in HOSTILE_TEXT if v and "\x00" not in v]
FREE_TEXT = ("first_name", "last_name", "address", "zip", "email", "phone")


@pytest.fixture
def petitions(app, client):
    with app.app_context():
        alders = make_petition(slug="alders", title="ECPS")
        house = make_petition(slug="house", title="HB 1234", target=PetitionTarget.STATE_HOUSE)
        make_organizer("ana@example.org", petitions=[alders, house])
        for petition in (alders, house):
            make_confirmed(petition, ward=1, state_house=4, state_senate=2, first_name="Ida")
    login(client, "ana@example.org")
    return client


def _length(column):
    return Signature.__table__.c[column].type.length or None


def _parts_are_xml(body):
    """Every XML part of the workbook parses (Excel refuses the whole file otherwise)."""
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            xml.dom.minidom.parseString(archive.read(name))


def _workbook(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    body = response.get_data()
    _parts_are_xml(body)
    return load_workbook(io.BytesIO(body))


def test_one_sheet_per_district_of_a_petition_to_the_house_opens(app, petitions):
    # Its rows go by district: the by-ward layout once crashed after the 200 had gone out.
    workbook = _workbook(petitions.get(XLSX.format(slug="house") + "?sheets=ward"))
    assert all(" district " in title for title in workbook.sheetnames)
    assert any(row[0] == "Ida" for ws in workbook.worksheets for row in ws.values)
    with app.app_context():
        assert [e.action for e in db.session.scalars(select(AuditEntry))] == [
            "export_xlsx_by_ward"]


@pytest.mark.parametrize("title", ["ECPS \ufffe now", "ECPS \uffff", "\ufffe"])
def test_a_title_xml_cannot_hold_still_gives_a_workbook_that_opens(app, petitions, title):
    # The petition form refuses control characters, not these two noncharacters.
    with app.app_context():
        make_petition(slug="odd", title=title,
                      organizers=[db.session.scalar(select(Organizer))])
    for query in ("", "?sheets=ward"):
        workbook = _workbook(petitions.get(XLSX.format(slug="odd") + query))
        assert all("\ufffe" not in t and "\uffff" not in t for t in workbook.sheetnames)
        assert "\ufffe" not in (workbook.properties.title or "")


def test_hostile_names_in_every_column_give_a_workbook_that_opens(app, petitions):
    with app.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == "alders"))
        for n, value in enumerate(STORABLE):
            make_confirmed(petition, ward=2, email_normalized=f"hostile-{n}",
                           **{name: value[:_length(name)] for name in FREE_TEXT})
    for query in ("?ward=2", "?ward=2&sheets=ward"):
        rows = list(_workbook(petitions.get(XLSX.format(slug="alders") + query))
                    .worksheets[0].values)[1:]
        assert len(rows) == len(STORABLE)
        for row, value in zip(rows, STORABLE, strict=True):
            # Dropped: what XML cannot hold; a CR reads back as a line feed (XML's own rule).
            expected = "".join(ch for ch in value if ch not in "\x07\x1b\ufffe\uffff")
            expected = expected.replace("\r\n", "\n").replace("\r", "\n")
            assert (row[0] or "") == expected[:_length("first_name")], (value, row[0])
            # Text stays text: a formula-like name is a string cell, never run.
            assert not str(row[0] or "").startswith("=") or value.startswith("=")


FUZZ = ["ward=abc", "ward=999", "ward=0", "ward=-1", "ward=1e3", "ward=%D9%A3", "ward=%00",
        "ward=%ff", "status=bogus", "status=%ff", "status=", "district=-1", "district=0",
        "district=119", "district=abc", "district=%D9%A3", "district=" + "9" * 40,
        "district=4&ward=1", "sheets=zip", "sheets=%ff", "invalidated=%ff"]


@pytest.mark.parametrize("query", FUZZ)
@pytest.mark.parametrize("slug", ["alders", "house"])
def test_fuzzed_parameters_are_a_clear_400_or_a_file(petitions, slug, query):
    for name in ("export.xlsx", "export.csv", "export.zip"):
        response = petitions.get(f"/organizer/petitions/{slug}/{name}?{query}")
        body = response.get_data()  # the whole stream: nothing may break half-way
        assert response.status_code in (200, 400), (name, query, response.status_code)
        if response.status_code == 200 and name == "export.xlsx":
            _parts_are_xml(body)


@pytest.mark.parametrize("path", ["districts/0/packet", "districts/119/packet",
                                  "districts/-1/packet", "districts/abc/packet",
                                  "wards/0/packet", "wards/51/packet", "wards/1e3/packet"])
def test_packets_for_districts_and_wards_that_do_not_exist_are_404(petitions, path):
    assert petitions.get(f"/organizer/petitions/house/{path}").status_code == 404
