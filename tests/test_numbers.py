"""Numbers that are not numbers: ids and ward numbers in queries, forms, paths and files are
parsed by one parser (petition.web.numbers), and bad ones get a clear 400 or form error."""

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import AuditEntry, Blast, OutboxMessage, WardStatus
from petition.models.ward import parse_ward, parse_wards
from petition.web.numbers import MAX_ID, parse_id
from tests.conftest import form_token, login
from tests.factories import make_confirmed, make_organizer, make_petition

# Passes str.isdigit() but not int(); past PostgreSQL's integer; far past it.
NOT_NUMBERS = ["⁰⁴⁵", "9" * 39, "9" * 70]


def test_the_parser_takes_ascii_digits_in_range_only():
    assert parse_id("1") == 1 and parse_id(" 42 ") == 42 and parse_id("007") == 7
    assert parse_id(str(MAX_ID)) == MAX_ID and parse_id("0" * 30 + "5") == 5
    for bad in NOT_NUMBERS + [str(MAX_ID + 1), "0", "-1", "+1", "1_0", "٤٥", "1.0", "",
                              " ", "1e3", "0x10", "1\x00", "9" * 10_000, None, 7]:
        assert parse_id(bad) is None, bad
    assert parse_ward("7") == 7 and parse_ward(" 07 ") == 7 and parse_ward("50") == 50
    for bad in NOT_NUMBERS + ["0", "51", "٤", "-3", ""]:
        assert parse_ward(bad) is None, bad
    assert parse_wards("3,⁴,51,4") == [3, 4] and parse_wards(None) == []


@pytest.fixture
def organizer(app):
    with app.app_context():
        petition = make_petition(slug="ecps")
        make_organizer("ana@example.org", is_admin=True)
        make_confirmed(petition, ward=3, ward_status=WardStatus.GEOCODED, opt_in=True)
        blast = Blast(petition_id=petition.id, subject="Hi", body="Hello", wards="",
                      all_wards=True, created_by_email="ana@example.org")
        db.session.add(blast)
        db.session.commit()
    client = app.test_client()
    login(client, "ana@example.org")
    return client


@pytest.fixture
def blast_id(app, organizer):
    with app.app_context():
        return db.session.scalar(select(Blast.id))


@pytest.mark.parametrize("value", NOT_NUMBERS)
@pytest.mark.parametrize("path, name", [
    ("/organizer/petitions/ecps/export.csv", "ward"),
    ("/organizer/petitions/ecps/export.zip", "ward"),
    ("/organizer/petitions/ecps/emails/{blast}", "after"),
    ("/organizer/admin/audit", "before"),
])
def test_query_numbers_are_a_clear_400(app, organizer, blast_id, path, name, value):
    response = organizer.get(path.format(blast=blast_id), query_string={name: value})
    assert response.status_code == 400
    assert name in response.get_data(as_text=True).lower()
    json = organizer.get(path.format(blast=blast_id), query_string={name: value},
                         headers={"Accept": "application/json"})
    assert json.status_code == 400 and name in json.get_json()["error"].lower()


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_form_ids_are_a_form_error(app, organizer, blast_id, value):
    page = f"/organizer/petitions/ecps/emails/{blast_id}"
    response = organizer.post(f"{page}/test", data={
        "csrf_token": form_token(organizer, page), "signer": value})
    assert response.status_code == 303
    assert "reload the page" in organizer.get(page).get_data(as_text=True)
    flagged = "/organizer/petitions/ecps/flagged"
    response = organizer.post(flagged, data={"csrf_token": form_token(organizer, flagged),
                                             "signature_id": ["1", value]})
    assert response.status_code == 302
    assert "Choose the signatures" in organizer.get(flagged).get_data(as_text=True)
    with app.app_context():  # nothing was done with either
        assert "approve_flagged" not in db.session.scalars(select(AuditEntry.action)).all()
        assert "blast_test" not in db.session.scalars(select(OutboxMessage.kind)).all()


def test_the_first_signer_previewed_after_a_test(app, organizer, blast_id):
    page = f"/organizer/petitions/ecps/emails/{blast_id}"
    response = organizer.post(f"{page}/test", data={"csrf_token": form_token(organizer, page)})
    assert response.status_code == 303 and "after=" not in response.headers["Location"]
    assert organizer.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("number", ["99999999999999999999", str(MAX_ID + 1), "0", "٤"])
def test_huge_ids_in_paths_are_404(app, organizer, blast_id, number):
    token = form_token(organizer, "/organizer/admin/organizers")
    for path in (f"/organizer/petitions/ecps/emails/{number}",
                 f"/organizer/petitions/ecps/emails/{number}/edit",
                 f"/organizer/petitions/ecps/wards/{number}/packet"):
        assert organizer.get(path).status_code == 404, path
    for path in (f"/organizer/petitions/ecps/emails/{number}/test",
                 f"/organizer/petitions/ecps/emails/{number}/send",
                 f"/organizer/admin/organizers/{number}/active",
                 f"/organizer/petitions/ecps/organizers/{number}/remove",
                 f"/organizer/petitions/ecps/invalidations/{number}/restore"):
        assert organizer.post(path, data={"csrf_token": token}).status_code == 404, path


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_alders_import_refuses_such_a_ward(app, tmp_path, value):
    path = tmp_path / "alders.csv"
    path.write_text(f"ward,name,email\n{value},Someone,someone@example.org\n",
                    encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["alders", "import", str(path)])
    assert result.exit_code != 0
    assert "line 2: ward" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
