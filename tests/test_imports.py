"""Importing files of signatures (the service and `flask signatures import`): CSV and
XLSX, headers guessed, all or nothing, duplicates, consent, the counters, undo, and
every kind of bad file refused with a clear message and nothing stored."""

import sqlite3
from datetime import date, datetime, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from petition.blasts import service as blasts
from petition.extensions import db
from petition.imports import columns, service
from petition.imports.reading import ImportFileError, check_size, open_table
from petition.models import (
    AuditEntry,
    Blast,
    ImportBatch,
    OutboxMessage,
    Petition,
    Signature,
    WardStatus,
)
from petition.models.base import utcnow
from petition.petitions import counts
from tests.factories import make_organizer, make_petition, make_signature
from tests.import_support import (
    ACTION_NETWORK_HEADER,
    ANA,
    GOOGLE_FORMS_HEADER,
    HEADER,
    LUIS,
    ROSA,
    write_csv,
    write_xlsx,
)

TODAY = date(2026, 12, 3)


@pytest.fixture
def petition(ctx):
    return make_petition(slug="ecps", title="ECPS")


def run(petition, path, today=TODAY, **kwargs):
    table = open_table(path)
    mapping = columns.check_mapping(table.header, columns.guess(table.header))
    report, batch = service.import_file(petition, table, mapping, actor=None,
                                        file_name="f.csv", today=today, **kwargs)
    db.session.commit()
    return report, batch


def stored():
    return db.session.scalars(select(Signature).order_by(Signature.id)).all()


def nothing_stored():
    return (db.session.scalar(select(func.count()).select_from(Signature)) == 0
            and db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0)


@pytest.mark.parametrize("write", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_file_is_imported_placed_counted_and_never_emailed(petition, tmp_path, write):
    path = write(tmp_path / "list", [ROSA, ANA, LUIS])
    report, batch = run(petition, path, source="ActionNetwork")
    assert (report.rows, report.imported, report.duplicates, report.refused) == (3, 3, 0, 0)
    rosa, ana, luis = stored()
    assert (rosa.ward, rosa.ward_status, rosa.state_house) == (1, WardStatus.GEOCODED, 3)
    assert rosa.zip == "60647" and rosa.phone == "(312) 555-0100"
    assert rosa.signed_on == date(2026, 11, 24) and ana.signed_on == date(2026, 11, 20)
    assert ana.ward == 26 and ana.last_name == "Díaz"
    assert luis.email == "" and luis.email_normalized.startswith("import-")
    assert {s.source for s in stored()} == {"actionnetwork"}
    assert all(s.confirmed_at and s.confirmation_sends == 0 for s in stored())
    assert all(s.import_batch_id == batch.id for s in stored())
    assert [s.opt_in for s in stored()] == [True, False, False]
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert counts.confirmed_total(petition.id) == 3
    assert counts.drift(petition.id) == []
    assert dict(report.by_ward) == {"1": 1, "26": 1, "11": 1}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert entry.rows == 3 and entry.details["import_batch_id"] == batch.id
    assert batch.columns["first_name"] == "First Name" and batch.imported == 3


def test_headers_of_action_network_and_google_forms_are_guessed():
    an = columns.named(ACTION_NETWORK_HEADER, columns.guess(ACTION_NETWORK_HEADER))
    assert an == {"first_name": "first_name", "last_name": "last_name",
                  "address": "can2_user_address", "zip": "zip_code", "email": "email",
                  "phone": "can2_phone", "consent": "can2_subscription_status"}
    forms = columns.named(GOOGLE_FORMS_HEADER, columns.guess(GOOGLE_FORMS_HEADER))
    assert forms == {"first_name": "What is your first name?",
                     "last_name": "What is your last name?",
                     "address": "Street address (where you live)", "zip": "ZIP code",
                     "email": "Email Address", "phone": "Phone number",
                     "signed_on": "Timestamp",
                     "consent": "Can we email you updates about the campaign?"}
    spreadsheet = ["First Name", "Last Name", "Address 1", "Address 2", "Zip Code", "E-mail"]
    assert columns.named(spreadsheet, columns.guess(spreadsheet)) == {
        "first_name": "First Name", "last_name": "Last Name", "address": "Address 1",
        "address2": "Address 2", "zip": "Zip Code", "email": "E-mail"}


def test_action_network_and_google_forms_exports_import(petition, tmp_path):
    an = write_csv(tmp_path / "an.csv", [
        ["u1", "Rosa", "Parks", "rosa@example.org", "60647", "US", "IL", "Chicago",
         "1958 N Milwaukee Ave", "3125550100", "subscribed", "subscribed", "ecps"],
        ["u2", "Ana", "Diaz", "ana@example.org", "60622", "US", "IL", "Chicago",
         "2511 W Division St", "", "", "unsubscribed", ""]], header=ACTION_NETWORK_HEADER)
    report, _batch = run(petition, an)
    assert report.imported == 2 and [s.opt_in for s in stored()] == [True, False]
    forms = write_xlsx(tmp_path / "forms.xlsx", [
        [datetime(2026, 11, 30, 18, 5, 9), "luis@example.org", "Luis", "Gómez",
         "3400 S Halsted St", 60608, 3125550111, "Yes, keep me posted"]],
        header=GOOGLE_FORMS_HEADER)
    report, _batch = run(petition, forms)
    luis = stored()[-1]
    assert report.imported == 1 and luis.opt_in and luis.zip == "60608"
    assert luis.signed_on == date(2026, 11, 30) and luis.phone == "3125550111"


def test_preview_shows_each_rows_ward_or_problem_and_changes_nothing(petition, tmp_path):
    make_signature(petition, email="ana@example.org")
    path = write_csv(tmp_path / "p.csv", [ROSA, ROSA, ANA, ["", "X", "1 Main", "", "", "",
                                                            "", ""]])
    table = open_table(path)
    rows = service.preview(petition, table, columns.guess(table.header), today=TODAY)
    assert [r.line for r in rows] == [2, 3, 4, 5]
    assert rows[0].placement.ward == 1 and not rows[0].duplicate and not rows[0].problem
    assert rows[1].duplicate and rows[2].duplicate  # in the file; already signed
    assert rows[3].problem == "Missing: First name."
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1


def test_a_bad_row_stops_the_import_with_its_line_and_reason(petition, tmp_path):
    future = (TODAY + timedelta(days=1)).isoformat()
    path = write_csv(tmp_path / "bad.csv", [ROSA, ANA, ROSA[:6] + [future, "yes"], LUIS,
                                            ["Bo", "Li", "1 Main St", "6064", "not-an-email",
                                             "", "", "yes"]])
    report, batch = run(petition, path)
    assert batch is None and not report.ok and report.refused == 2
    assert report.problems == [
        (4, "The date signed 2026-12-04 is in the future."),
        (6, "The email not-an-email is not a valid address.")]
    assert nothing_stored() and counts.drift(petition.id) == []


def test_outside_chicago_is_refused_when_the_petition_takes_chicagoans_only(ctx, tmp_path):
    chicago_only = make_petition(slug="only", accepts_outside_chicago=False)
    open_to_all = make_petition(slug="all")
    path = write_csv(tmp_path / "o.csv", [ROSA, ["Eve", "Out", "1600 Pennsylvania Ave NW",
                                                 "20500", "", "", "", ""]])
    report, batch = run(chicago_only, path)
    assert batch is None and report.problems[0][0] == 3
    assert "outside Chicago" in report.problems[0][1] and nothing_stored()
    report, batch = run(open_to_all, path)
    assert report.imported == 2 and stored()[1].ward_status is WardStatus.OUTSIDE_CHICAGO


def test_duplicates_in_the_file_and_against_signatures_are_skipped(petition, tmp_path):
    make_signature(petition, email="ROSA+x@example.org", confirmed_at=utcnow(), ward=1)
    make_signature(petition, first_name="ana", last_name="DÍAZ", email="other@example.org",
                   address="2511 w. Division St.", ward=26, confirmed_at=utcnow())
    luis_again = list(LUIS)
    luis_again[4] = "luis@example.org"  # same name and address, an email this time
    path = write_csv(tmp_path / "d.csv", [ROSA, ANA, LUIS, luis_again, LUIS])
    report, batch = run(petition, path)
    assert (report.imported, report.in_file, report.existing) == (1, 2, 2)
    assert batch.duplicates == 4 and batch.rows == 5
    assert [s.first_name for s in stored() if s.import_batch_id] == ["Luis"]
    assert counts.drift(petition.id) == [] and counts.confirmed_total(petition.id) == 3


def test_rows_without_consent_never_get_organizer_emails(petition, tmp_path):
    run(petition, write_csv(tmp_path / "c.csv", [ROSA, ANA, LUIS]))
    blast = Blast(petition_id=petition.id, subject="s", body="b", all_wards=True,
                  include_unknown=True, include_outside=True, created_by_email="x@y.z")
    db.session.add(blast)
    db.session.flush()
    assert blasts.audience_count(blast).recipients == 1
    rosa = db.session.scalar(select(Signature).where(Signature.first_name == "Rosa"))
    assert blasts.preview_signer(blast).id == rosa.id
    for signature in stored()[1:]:
        assert blasts.audience_signer(blast, signature.id) is None


def test_consent_must_be_a_clear_yes_or_no(petition, tmp_path):
    report, _ = run(petition, write_csv(tmp_path / "m.csv", [ROSA[:7] + ["maybe"]]))
    assert report.problems == [(2, "The consent maybe is neither yes nor no.")]


def test_undo_removes_the_batch_and_its_counts(petition, tmp_path):
    admin = make_organizer("boss@example.org", is_admin=True)
    make_signature(petition, confirmed_at=utcnow(), ward=1)
    _report, batch = run(petition, write_csv(tmp_path / "u.csv", [ROSA, ANA, LUIS]))
    assert counts.confirmed_total(petition.id) == 4
    assert service.undo(petition, batch, actor=admin) == 3
    db.session.commit()
    assert counts.confirmed_total(petition.id) == 1 and counts.drift(petition.id) == []
    assert len(stored()) == 1 and batch.is_undone and batch.removed == 3
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import_undo"))
    assert entry.organizer_email == "boss@example.org" and entry.rows == 3
    with pytest.raises(service.FieldError):
        service.undo(petition, batch, actor=admin)


def test_formulas_are_text_never_run(petition, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["=1+1", '=HYPERLINK("http://x.example","y")'] + ROSA[2:])
    workbook.save(tmp_path / "f.xlsx")
    write_csv(tmp_path / "f.csv", [["@SUM(A1)", "+1"] + ANA[2:]])
    run(petition, str(tmp_path / "f.xlsx"))
    run(petition, str(tmp_path / "f.csv"))
    names = [(s.first_name, s.last_name) for s in stored()]
    assert names == [("=1+1", '=HYPERLINK("http://x.example","y")'), ("@SUM(A1)", "+1")]


def test_encodings_utf8_with_and_without_bom_then_windows_1252(petition, tmp_path):
    for name, encoding in (("bom", "utf-8-sig"), ("plain", "utf-8"), ("win", "cp1252")):
        path = write_csv(tmp_path / f"{name}.csv", [ANA], encoding=encoding)
        assert open_table(path).header[0] == "First Name"
        report, _ = run(petition, path)
        assert report.imported == 1 or report.existing == 1
    assert [s.last_name for s in stored()] == ["Díaz"]


@pytest.mark.parametrize("content, message", [
    (b"", "The file is empty."),
    ("First Name,Last\n".encode("utf-16"), "This is not a text file we can read."),
    (b"First Name,Last\nA\x81,B\n", "in an encoding we cannot read"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel file (.xls)"),
    (b"PK\x03\x04not really a zip", "could not be read as a spreadsheet"),
    (b"\n\n", "The file has no header row"),
    (b'First Name,Last Name,Address\n"Ann,Lee\n', "Line 2 is not valid CSV"),
])
def test_bad_files_get_a_clear_message(ctx, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(
            ")", r"\)").replace(".", r"\.")):
        check_size(str(path), 1000)
        table = open_table(str(path))
        list(table.rows())


def test_a_file_over_the_limit_and_missing_columns_are_refused(petition, tmp_path):
    path = write_csv(tmp_path / "big.csv", [ROSA] * 50)
    with pytest.raises(ImportFileError, match="too large: at most 0 MB"):
        check_size(path, 1000)
    table = open_table(write_csv(tmp_path / "cols.csv", [["Rosa"]], header=["First Name"]))
    with pytest.raises(ImportFileError, match="Last name, Street address"):
        columns.check_mapping(table.header, columns.guess(table.header))


def test_the_command_imports_with_counts_and_refuses_bad_files(app, tmp_path):
    with app.app_context():
        make_petition(slug="ecps", title="ECPS")
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["signatures", "--help"]).output
    assert "import" in listed and "anonymize" in listed  # one `flask signatures` group
    good = write_csv(tmp_path / "good.csv", [ROSA, ANA, LUIS, ROSA])
    result = runner.invoke(args=["signatures", "import", good, "--petition", "ecps",
                                 "--source", "partner", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "imported:   3" in result.output and "duplicates: 1 (1 within the file" in result.output
    assert "refused:    0" in result.output and "       1 1" in result.output
    assert "      26 1" in result.output
    again = runner.invoke(args=["signatures", "import", good, "--petition", "ecps"])
    assert "imported:   0" in again.output and "duplicates: 4 (1 within the file, 3 already" \
        in again.output
    bad = write_csv(tmp_path / "bad.csv", [ROSA, ["", "x", "y", "", "", "", "", ""]])
    refused = runner.invoke(args=["signatures", "import", bad, "--petition", "ecps"])
    assert refused.exit_code == 1 and "line 3: Missing: First name." in refused.output
    assert "Nothing was imported" in refused.output
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    failed = runner.invoke(args=["signatures", "import", str(empty), "--petition", "ecps"])
    assert failed.exit_code == 1 and "The file is empty." in failed.output
    verify = runner.invoke(args=["counts", "verify", "--dry-run"])
    assert verify.exit_code == 0 and "counters agree" in verify.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Signature)) == 3
        assert db.session.scalar(select(Petition.slug)) == "ecps"


def test_the_command_with_two_workers_gives_the_same_result(app, tmp_path):
    with app.app_context():
        make_petition(slug="ecps", title="ECPS")
    path = write_csv(tmp_path / "w.csv", [ROSA, ANA, LUIS])
    result = app.test_cli_runner().invoke(args=["signatures", "import", path, "--petition",
                                                "ecps", "--workers", "2"])
    assert result.exit_code == 0 and "imported:   3" in result.output, result.output


def test_checking_holds_no_write_lock_so_signing_goes_on(petition, tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("SQLite's write lock")
    path = write_csv(tmp_path / "l.csv", [ROSA, ANA, LUIS])
    database = db.engine.url.database
    db.session.scalar(select(func.count()).select_from(Signature))  # a transaction is open
    writes = []

    def meanwhile(_rows):  # another process writes while the rows are checked
        other = sqlite3.connect(database, timeout=0)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()
        writes.append(True)

    report, batch = run(petition, path, on_progress=meanwhile)
    assert writes and report.imported == 3 and batch is not None
