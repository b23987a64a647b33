"""Attacks on the paper entry page (/organizer/petitions/<slug>/paper): hostile text in every
field, dates at the calendar's ends, tampered ward and duplicate decisions, no CSRF token,
another petition's organizer. A clear form error in the organizer's language or a row
stored as typed, never a 500, never a stored row lost."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import Petition, Signature
from petition.petitions import counts
from tests import test_paper
from tests.conftest import csrf_token_from, login
from tests.factories import make_organizer, make_petition
from tests.hostile import HOSTILE_TEXT
from tests.test_paper import PAGE, paper_rows, post, row, today

paper = test_paper.paper

FIELDS = ("first_name", "last_name", "address", "zip", "email", "phone", "signed_on",
          "sheet_number", "collected_by", "suggested_address", "ward", "duplicate",
          "keep_address")
NEAR_A_LINE = "1600 N Milwaukee Ave"  # wards 1 and 32


def _counted(app):
    with app.app_context():
        petition_id = db.session.scalar(select(Petition.id))
        assert counts.drift(petition_id) == []
        return counts.confirmed_total(petition_id)


@pytest.mark.parametrize("value", [v for v in HOSTILE_TEXT if len(v) < 20_000])
def test_hostile_text_in_every_field_is_an_error_or_stored_as_typed(app, paper, value):
    for name in FIELDS:
        before = len(paper_rows(app))
        response = post(paper, **{name: value})
        assert response.status_code in (200, 303, 400), (name, value[:30])
        body = response.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body and "<img src=x" not in body
        rows = paper_rows(app)
        if response.status_code == 303 and name in ("first_name", "last_name",
                                                   "sheet_number", "collected_by"):
            assert len(rows) == before + 1 and getattr(rows[-1], name) == value.strip()
        elif response.status_code != 303:
            assert len(rows) == before
    assert _counted(app) == len(paper_rows(app))
    # What was stored shows escaped in the last rows.
    page = paper.get(PAGE).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize("day, message", [
    ("0001-01-01", "before the petition existed"), ("1900-01-01", "before the petition"),
    ("9999-12-31", "cannot be in the future"), ("10000-01-01", "Not a valid date"),
    ("2026-02-30", "Not a valid date"), ("1e3", "Not a valid date"),
    ("٢٠٢٦-٠١-٠١", "Not a valid date"), ("2026-1-1'--", "Not a valid date"),
])
def test_dates_at_the_ends_of_the_calendar_are_form_errors(app, paper, day, message):
    response = post(paper, signed_on=day)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert paper_rows(app) == []


@pytest.mark.parametrize("ward", ["0", "51", "-1", "1e3", "٣", "40", "1.0", " 1 ", "32\x00"])
def test_a_tampered_ward_near_a_line_is_a_form_error_and_saves_nothing(app, paper, ward):
    response = post(paper, address=NEAR_A_LINE, ward=ward)
    html = response.get_data(as_text=True)
    if ward.strip() == "1":  # a choice, with white space around it
        assert response.status_code == 303
        return
    assert response.status_code == 400 and paper_rows(app) == []
    if "\x00" in ward:
        assert "Remove the invisible control characters" in html
        return
    assert "Choose one of the wards shown for this address." in html
    assert 'name="ward" value="32"' in html
    paper.get("/language/es")
    html = post(paper, address=NEAR_A_LINE, ward=ward).get_data(as_text=True)
    assert "Elija uno de los distritos que se muestran para esta dirección." in html


def test_a_ward_sent_where_no_choice_is_asked_changes_nothing(app, paper):
    assert post(paper, ward="40").status_code == 303  # 1958 N Milwaukee Ave: ward 1
    assert [r.ward for r in paper_rows(app)] == [1]


@pytest.mark.parametrize("decision", ["ADD", "add ", "skip\x00", "delete", "1", "add,skip"])
def test_a_tampered_duplicate_decision_is_a_form_error(app, paper, decision):
    response = post(paper, duplicate=decision)
    if decision.strip() == "add":  # white space is trimmed: a real choice
        assert response.status_code == 303
        return
    assert response.status_code == 400 and paper_rows(app) == []


def test_skip_on_a_row_that_repeats_nothing_stores_nothing(app, paper):
    assert post(paper, duplicate="skip").status_code == 303
    assert paper_rows(app) == [] and _counted(app) == 0


def test_without_a_csrf_token_nothing_is_saved_and_the_form_says_why(app, paper):
    response = paper.post(PAGE, data=row())
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    response = paper.post(PAGE, data=dict(row(), csrf_token="forged." * 5))
    assert response.status_code == 400 and paper_rows(app) == []


def test_another_petitions_organizer_cannot_type_in_or_see_the_rows(app, client, paper):
    assert post(paper, first_name="Ida").status_code == 303
    with app.app_context():
        other = make_petition(slug="other", created_at=today() - timedelta(days=3))
        make_organizer("mal@example.org", petitions=[other])
    mallory = app.test_client()
    login(mallory, "mal@example.org")
    assert mallory.get(PAGE).status_code == 404
    token = csrf_token_from(mallory.get("/organizer/petitions/other/paper").get_data(
        as_text=True))
    response = mallory.post(PAGE, data=dict(row(first_name="Eve"), csrf_token=token))
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Signature)) == 1
