"""Spreadsheet exports (.xlsx): read back with openpyxl, every stress value as typed."""

import csv
import io
import re
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from petition.extensions import db
from petition.models import AuditEntry, Petition, PetitionTarget, Signature, WardStatus
from petition.models.base import utcnow
from petition.organizer import xlsx
from tests.conftest import login
from tests.factories import make_confirmed, make_organizer, make_petition, make_signature

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LONG_NAME = "Maximiliana Concepción de la Santísima Trinidad Zúñiga-Olmos"  # 60 characters
# (first name, last name, address, ZIP, email, phone): what the file must hold, as typed.
STRESS = [
    ("José", "Núñez", "1958 N Milwaukee Ave", "06047", "jose@example.org", "00312555012"),
    ("李", "小龍", "2233 S Wentworth Ave", "60616", "li@example.org", "+1 312 555 0199"),
    ("=1+1", "+tel", "-minus", "@sum", "-dash@example.org", "+1 312 555 0100"),
    ('=HYPERLINK("http://x","y")', "@SUM(A1)", "=cmd|' /C calc'!A0", "60601",
     "h@example.org", "-1"),
    ("1/2", "3-4", '12 "A" St, Apt 3, Rear, "Back"', "60602", "q@example.org", "1e5"),
    (LONG_NAME, "O'Neil, Jr. & <Sons>", "1 N State St\nFloor 2", "60603", "l@example.org",
     "(312) 555-0123"),
]


@pytest.fixture
def setup(app, client):
    with app.app_context():
        petition = make_petition(slug="ecps", title="ECPS: Empowering Communities [2026]?")
        make_organizer("ana@example.org", petitions=[petition])
        for first, last, address, zip_code, email, phone in STRESS:
            make_confirmed(petition, ward=32, first_name=first, last_name=last,
                           address=address, zip=zip_code, email=email, phone=phone,
                           opt_in=first == "José")
        make_confirmed(petition, ward=5, first_name="Five", phone=None)
        make_confirmed(petition, ward_status=WardStatus.OUTSIDE_CHICAGO, first_name="Out")
        make_signature(petition, ward=5, ward_status=WardStatus.GEOCODED, first_name="Pending")
        make_confirmed(petition, ward=5, first_name="Spam", invalidated_at=utcnow())
    login(client, "ana@example.org")
    return client


def _workbook(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"] == XLSX_TYPE
    return load_workbook(io.BytesIO(response.get_data()))


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_every_stress_value_reads_back_as_typed(setup):
    response = setup.get("/organizer/petitions/ecps/export.xlsx?ward=32")
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="ecps-wards-32-\d{8}-\d{4}\.xlsx"', disposition)
    workbook = _workbook(response)
    assert len(workbook.worksheets) == 1
    sheet = workbook.worksheets[0]
    rows = _rows(sheet)
    assert rows[0] == ["first name", "last name", "address", "ZIP", "email", "phone", "ward",
                       "signed at (America/Chicago)", "confirmed at (America/Chicago)",
                       "opt-in", "volunteer", "source", "sheet number", "signed on"]
    assert [tuple(r[:6]) for r in rows[1:]] == STRESS  # no apostrophe, no number, no date
    assert all(isinstance(v, str) for r in rows[1:] for v in r[:6])
    assert [r[6] for r in rows[1:]] == [32] * len(STRESS)  # a number
    assert rows[1][9:] == ["yes", "no", None, None, None]
    assert rows[2][9:] == ["no", "no", None, None, None]
    for cell in sheet[2] + sheet[3]:
        assert cell.data_type != "f"


def test_no_cell_is_a_formula_in_the_raw_xml(setup):
    body = setup.get("/organizer/petitions/ecps/export.xlsx?status=all").get_data()
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    cells = re.findall(r"<c( [^>]*)?(/>|>.*?</c>)", sheet_xml, re.DOTALL)
    # The header's 14 and 9 rows of 11 (these have no source, sheet or day signed), less
    # the empty cells: 3 phones and a confirming time.
    assert len(cells) == 14 + 11 * 9 - 4
    references = [re.search(r' r="([A-N])(\d+)"', a).groups() for a, _c in cells]
    assert len(set(references)) == len(cells)
    rows = [re.search(r'<row r="(\d+)">(.*?)</row>', r, re.DOTALL).groups()
            for r in re.findall(r"<row .*?</row>", sheet_xml, re.DOTALL)]
    assert [n for n, _cells in rows] == [str(n) for n in range(1, 11)]
    for n, row in rows:  # each cell's reference names its row, columns in order
        columns = re.findall(r'<c r="([A-N])' + n + '"', row)
        assert columns == sorted(columns) and len(columns) == row.count("<c ")
    for attributes, _content in cells:
        kind = re.search(r' t="([^"]+)"', attributes or "")
        assert kind is None or kind.group(1) in ("inlineStr", "s"), attributes
    for value in ("=1+1", "+tel", "@sum", '=HYPERLINK("http://x","y")', "-1"):
        assert re.search(r'<c r="[A-F]\d+" t="inlineStr"><is><t xml:space="preserve">'
                         + re.escape(value) + "</t></is></c>", sheet_xml), value
    assert "O'Neil, Jr. &amp; &lt;Sons&gt;" in sheet_xml


def test_times_are_chicago_date_times(setup, app):
    with app.app_context():
        jose = db.session.scalar(select(Signature).where(Signature.first_name == "José"))
        jose.created_at = datetime(2026, 1, 15, 18, 30, 5)  # 12:30:05 CST (UTC-6)
        jose.confirmed_at = datetime(2026, 7, 4, 3, 0, 0)  # July 3, 22:00 CDT (UTC-5)
        db.session.commit()
    sheet = _workbook(setup.get("/organizer/petitions/ecps/export.xlsx?ward=32")).worksheets[0]
    assert sheet["H2"].value == datetime(2026, 1, 15, 12, 30, 5)
    assert sheet["I2"].value == datetime(2026, 7, 3, 22, 0, 0)
    assert sheet["H2"].number_format == xlsx.DATE_FORMAT
    assert sheet["I2"].is_date


def test_header_frozen_filtered_widths_and_title(setup):
    body = setup.get("/organizer/petitions/ecps/export.xlsx?ward=32&ward=5&status=all"
                     "&invalidated=include").get_data()
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:O{sheet.max_row}"
    assert sheet.max_row == 1 + len(STRESS) + 3  # Five, Pending, Spam
    assert sheet.column_dimensions["C"].width >= 30
    assert sheet.column_dimensions["D"].width <= 10
    assert sheet["A1"].font.bold
    assert sheet["O1"].value == "invalidated at (America/Chicago)"
    assert sheet.title == "Wards 5, 32, pending too, inva…"
    assert len(sheet.title) <= 31
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.properties.title.startswith("ECPS: Empowering Communities [2026]? · Wards")


def test_sheet_titles_respect_excels_rules():
    assert xlsx.sheet_title("Ward 32", "ECPS: [draft] a/b\\c? *now*") == (
        "Ward 32 · ECPS draft a b c now")
    title = xlsx.sheet_title("Wards 5, 32", "Torture Inquiry and Relief Commission")
    assert title == "Wards 5, 32 · Torture Inquiry…" and len(title) <= 31
    assert xlsx.sheet_title("Ward 1", "'quoted'") == "Ward 1 · 'quoted"
    assert xlsx.sheet_title("", "'") == "·"
    assert xlsx.sheet_title("W", "Ünïcödé 李") == "W · Ünïcödé 李"


def test_one_sheet_per_ward_beside_the_zip(setup):
    workbook = _workbook(setup.get("/organizer/petitions/ecps/export.xlsx?sheets=ward"))
    titles = workbook.sheetnames
    assert len(titles) == 51 and titles[0].startswith("Ward 1 · ECPS")
    assert titles[-1].startswith("Outside Chicago · ")
    assert len(set(titles)) == 51 and all(len(t) <= 31 for t in titles)
    ward32 = _rows(workbook[titles[31]])
    assert titles[31].startswith("Ward 32 · ")
    assert [tuple(r[:6]) for r in ward32[1:]] == STRESS
    assert [r[0] for r in _rows(workbook[titles[4]])[1:]] == ["Five"]
    assert _rows(workbook[titles[4]])[1][5] is None  # no phone: an empty cell
    assert _rows(workbook[titles[-1]])[1][6] == "outside"
    assert _rows(workbook[titles[0]]) == [ward32[0]]  # a header and no rows
    workbook = _workbook(setup.get("/organizer/petitions/ecps/export.xlsx?sheets=ward"
                                   "&ward=5&ward=32&status=all"))
    assert [t.split(" · ")[0] for t in workbook.sheetnames] == ["Ward 5", "Ward 32"]
    assert [r[0] for r in _rows(workbook.worksheets[0])[1:]] == ["Five", "Pending"]


@pytest.mark.parametrize("query", ["ward=51", "ward=abc", "status=bogus", "sheets=zip",
                                   "sheets=%00", "ward=1e3"])
def test_bad_parameters_are_400(setup, query):
    response = setup.get(f"/organizer/petitions/ecps/export.xlsx?{query}")
    assert response.status_code == 400
    if "%00" not in query:  # refused, with its own message, before the view
        assert "must be" in response.get_data(as_text=True)


def test_xlsx_exports_are_audit_logged(setup, app):
    assert setup.head("/organizer/petitions/ecps/export.xlsx").status_code == 200
    setup.get("/organizer/petitions/ecps/export.xlsx?ward=32&ward=5").get_data()
    setup.get("/organizer/petitions/ecps/export.xlsx?sheets=ward").get_data()
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.action, e.wards, e.rows) for e in entries] == [
            ("export_xlsx", "5,32", 7), ("export_xlsx_by_ward", "", 8)]
        assert entries[0].details == {"status": "confirmed", "invalidated": False}


def test_csv_says_utf8_once(setup):
    for method in (setup.get, setup.head):
        response = method("/organizer/petitions/ecps/export.csv")
        response.get_data()
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8; header=present"


def test_a_sheet_past_excels_row_limit_goes_on(monkeypatch, make_app):
    monkeypatch.setattr(xlsx, "MAX_DATA_ROWS", 4)
    monkeypatch.setattr(xlsx, "MAX_ROW_BYTES", xlsx.ZIP32_LIMIT // 4 + 1)  # zip64 from 4 rows
    app = make_app(EXPORT_BATCH_SIZE=3)
    client = app.test_client()
    with app.app_context():
        petition = make_petition(slug="big", title="Big")
        make_organizer("ana@example.org", petitions=[petition])
        for i in range(10):
            make_confirmed(petition, ward=1, first_name=f"F{i}")
    login(client, "ana@example.org")
    response = client.get("/organizer/petitions/big/export.xlsx")
    assert response.is_streamed
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == ["All wards (1) · Big", "All wards (2) · Big",
                                   "All wards (3) · Big"]
    names = [r[0] for ws in workbook.worksheets for r in _rows(ws)[1:]]
    assert names == [f"F{i}" for i in range(10)]
    assert [ws.auto_filter.ref for ws in workbook.worksheets] == ["A1:N5", "A1:N5", "A1:N3"]
    body = response.get_data()
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None

    def local_extra(name):  # the zip64 sizes sit in the member's local header
        offset = archive.getinfo(name).header_offset
        return int.from_bytes(body[offset + 28:offset + 30], "little")

    assert local_extra("xl/worksheets/sheet1.xml") and not local_extra("xl/worksheets/sheet3.xml")


def test_control_characters_are_dropped_not_a_broken_file(setup, app):
    with app.app_context():
        signature = db.session.scalar(select(Signature).where(Signature.first_name == "Five"))
        signature.last_name = "Bell\x07\x0b\x1fend\ufffe"
        signature.address = "tab\there"
        db.session.commit()
    rows = _rows(_workbook(setup.get("/organizer/petitions/ecps/export.xlsx?ward=5"))
                 .worksheets[0])
    assert rows[1][1:3] == ["Bellend", "tab\there"]


def test_paper_rows_carry_their_source_sheet_and_day_signed(setup, app):
    with app.app_context():
        petition = db.session.scalar(select(Signature.petition_id))
        make_confirmed(db.session.get(Signature, 1).petition, ward=32, first_name="Paper",
                       source="paper", sheet_number="=7 & <b>", signed_on=date(2026, 11, 24))
        assert petition
    rows = _rows(_workbook(setup.get("/organizer/petitions/ecps/export.xlsx?ward=32"))
                 .worksheets[0])
    paper = next(r for r in rows if r[0] == "Paper")
    assert paper[11:] == ["paper", "=7 & <b>", "2026-11-24"]  # text, never a formula
    csv_rows = list(csv.reader(io.StringIO(setup.get(
        "/organizer/petitions/ecps/export.csv?ward=32").get_data().decode("utf-8")[1:])))
    paper = next(r for r in csv_rows if r[0] == "Paper")
    assert paper[11:] == ["paper", "'=7 & <b>", "2026-11-24"]  # neutralised in the CSV


@pytest.fixture
def state_setup(app, client, request):
    """A petition to state members: signers in House 3, 3, 6 (Senate 2, 2, 3), one outside."""
    with app.app_context():
        petition = make_petition(slug="tirc", title="TIRC", target=request.param)
        make_organizer("ana@example.org", petitions=[petition])
        for name, house, senate in (("Ana", 3, 2), ("Ben", 3, 2), ("Cy", 6, 3)):
            make_confirmed(petition, ward=1, first_name=name, state_house=house,
                           state_senate=senate)
        make_signature(petition, ward=1, first_name="Pending", state_house=6, state_senate=3)
        make_confirmed(petition, ward_status=WardStatus.OUTSIDE_CHICAGO, first_name="Out")
    login(client, "ana@example.org")
    return client


@pytest.mark.parametrize("state_setup, chamber", [
    (PetitionTarget.STATE_HOUSE, "House"), (PetitionTarget.STATE_BOTH, "House"),
    (PetitionTarget.STATE_SENATE, "Senate")], indirect=["state_setup"])
def test_a_state_petition_has_one_sheet_per_district(state_setup, chamber, app):
    first, second = (3, 6) if chamber == "House" else (2, 3)
    response = state_setup.get("/organizer/petitions/tirc/export.xlsx?sheets=ward")
    workbook = _workbook(response)
    assert workbook.sheetnames == [f"{chamber} district {first} · TIRC",
                                   f"{chamber} district {second} · TIRC",
                                   f"{chamber} district unknown · TIRC"]
    sheets = [_rows(ws) for ws in workbook.worksheets]
    assert [[r[0] for r in rows[1:]] for rows in sheets] == [["Ana", "Ben"], ["Cy"], ["Out"]]
    assert [ws.auto_filter.ref for ws in workbook.worksheets] == ["A1:N3", "A1:N2", "A1:N2"]
    assert workbook.properties.title == f"TIRC · All {chamber} districts"
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.action, entry.rows) == ("export_xlsx_by_ward", 4)
        assert entry.details["chamber"] == chamber.lower()
    # Chosen districts, pending too: a sheet each, also for a district with no signer.
    workbook = _workbook(state_setup.get(
        f"/organizer/petitions/tirc/export.xlsx?sheets=ward&district={second}&district=9"
        "&status=all"))
    assert workbook.sheetnames == [f"{chamber} district {second} · TIRC",
                                   f"{chamber} district 9 · TIRC"]
    assert [r[0] for r in _rows(workbook.worksheets[0])[1:]] == ["Cy", "Pending"]
    assert _rows(workbook.worksheets[1])[1:] == []
    # One sheet of one district, and the ward filter still works on such a petition.
    workbook = _workbook(state_setup.get(f"/organizer/petitions/tirc/export.xlsx?district={first}"))
    assert workbook.sheetnames == [f"{chamber} district {first} · TIRC"]
    assert [r[0] for r in _rows(workbook.worksheets[0])[1:]] == ["Ana", "Ben"]
    workbook = _workbook(state_setup.get("/organizer/petitions/tirc/export.xlsx?sheets=ward"
                                         "&ward=1"))
    assert workbook.sheetnames == ["Ward 1 · TIRC"]


@pytest.mark.parametrize("state_setup", [PetitionTarget.STATE_SENATE], indirect=True)
def test_the_exports_page_offers_a_sheet_per_district(state_setup):
    html = state_setup.get("/organizer/petitions/tirc/exports").get_data(as_text=True)
    assert "one sheet per district" in html and "one sheet per ward" not in html


@pytest.mark.parametrize("state_setup", [PetitionTarget.STATE_SENATE], indirect=True)
def test_district_sheet_titles_in_spanish(state_setup):
    response = state_setup.get("/organizer/petitions/tirc/export.xlsx?sheets=ward",
                               headers={"Accept-Language": "es"})
    assert _workbook(response).sheetnames == [
        "Senado, distrito 2 · TIRC", "Senado, distrito 3 · TIRC",
        "Senado, sin distrito · TIRC"]


def test_a_signer_without_a_ward_has_an_empty_ward_cell(setup, app):
    with app.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        make_confirmed(petition, first_name="Nowhere")  # no ward: the look-up found none
    sheet = _workbook(setup.get("/organizer/petitions/ecps/export.xlsx?ward=unknown")).worksheets[0]
    rows = _rows(sheet)
    assert [r[0] for r in rows[1:]] == ["Nowhere"] and rows[1][6] is None
    assert sheet.title.startswith("Ward unknown · ")
