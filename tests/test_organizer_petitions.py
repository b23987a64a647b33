"""Organizers create, edit, open, close and pause petitions."""

from datetime import datetime

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import AuditEntry, Petition, PetitionState
from petition.petitions import admin as petition_admin
from petition.web.forms import FieldError
from tests.conftest import form_token, login
from tests.factories import make_organizer, make_petition

FORM = {
    "title": "Fund the District Councils",
    "slug": "district-councils",
    "summary": "Short summary.",
    "body": "# Heading\n\n<script>alert(1)</script> **bold**",
    "goal": "5000",
    "deadline": "2030-03-01T23:59",
    "requires_confirmation": "y",
}


@pytest.fixture
def organizer_client(app, client):
    with app.app_context():
        make_organizer("ana@example.org")
    login(client, "ana@example.org")
    return client


def _post(client, url, data, page=None):
    data = dict(data, csrf_token=form_token(client, page or url))
    return client.post(url, data=data)


def test_create_petition_as_draft_assigned_to_its_creator(app, organizer_client):
    response = _post(organizer_client, "/organizer/petitions/new", FORM)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/organizer/petitions/district-councils")
    with app.app_context():
        petition = db.session.scalar(select(Petition))
        assert petition.state is PetitionState.DRAFT and petition.goal == 5000
        assert not petition.accepts_outside_chicago and petition.requires_confirmation
        # Typed in Chicago time (CST, UTC-6), stored in UTC.
        assert petition.deadline == datetime(2030, 3, 2, 5, 59)
        assert [o.email for o in petition.organizers] == ["ana@example.org"]
    page = organizer_client.get("/organizer/petitions/district-councils/edit")
    html = page.get_data(as_text=True)
    assert 'value="2030-03-01T23:59"' in html
    assert "<strong>bold</strong>" in html and "<script>alert" not in html


def test_slug_clash_and_bad_values_are_form_errors(app, organizer_client):
    with app.app_context():
        make_petition(slug="taken")
    response = _post(organizer_client, "/organizer/petitions/new", dict(FORM, slug="taken"))
    assert response.status_code == 400
    assert "already uses the address taken" in response.get_data(as_text=True)
    for field, value, message in [
        ("slug", "Bad Slug!", "lower-case letters"),
        ("slug", "a", "lower-case letters"),
        ("goal", "many", "goal"),
        ("goal", "0", "from 1 to 10,000,000"),
        ("deadline", "tomorrow", "Not a valid datetime"),
        ("deadline", "9999-12-31T23:59", "between the years 2000 and 2999"),
        ("deadline", "0001-01-01T00:00", "between the years 2000 and 2999"),
        ("title", "", "Enter a title"),
        ("title", "x\x00y", "control characters"),
    ]:
        response = _post(organizer_client, "/organizer/petitions/new",
                         dict(FORM, **{field: value}))
        assert response.status_code == 400, (field, value)
        assert message in response.get_data(as_text=True), (field, value)


def test_edit_petition_keeps_slug_once_opened(app, organizer_client):
    with app.app_context():
        from petition.models import Organizer

        ana = db.session.scalar(select(Organizer))
        make_petition(slug="draft-one", state=PetitionState.DRAFT, organizers=[ana])
        make_petition(slug="open-one", organizers=[ana])
    url = "/organizer/petitions/draft-one/edit"
    response = _post(organizer_client, url, dict(FORM, slug="renamed"))
    assert response.status_code == 303
    url = "/organizer/petitions/open-one/edit"
    response = _post(organizer_client, url, dict(FORM, slug="renamed-again"))
    assert response.status_code == 400
    assert "cannot change after the petition has opened" in response.get_data(as_text=True)
    response = _post(organizer_client, url, dict(FORM, slug="open-one", title="New title"))
    assert response.status_code == 303
    with app.app_context():
        slugs = set(db.session.scalars(select(Petition.slug)))
        assert slugs == {"renamed", "open-one"}
        assert db.session.scalar(select(Petition.title).where(Petition.slug == "open-one")) \
            == "New title"


def test_state_transitions_are_enforced(app, organizer_client):
    with app.app_context():
        from petition.models import Organizer

        make_petition(slug="p", state=PetitionState.DRAFT,
                      organizers=[db.session.scalar(select(Organizer))])
    dash = "/organizer/petitions/p"

    def move(state):
        return _post(organizer_client, "/organizer/petitions/p/state", {"state": state}, dash)

    assert move("closed").status_code == 303  # draft -> closed is not allowed
    assert "cannot become closed" in organizer_client.get(dash).get_data(as_text=True)
    move("open")
    move("closed")
    move("archived")
    assert move("open").status_code == 303
    assert move("nonsense").status_code == 303
    with app.app_context():
        petition = db.session.scalar(select(Petition))
        assert petition.state is PetitionState.ARCHIVED
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert actions.count("petition_state") == 3


def test_pause_switch(app, organizer_client):
    with app.app_context():
        from petition.models import Organizer

        make_petition(slug="p", organizers=[db.session.scalar(select(Organizer))])
    _post(organizer_client, "/organizer/petitions/p/signing", {"paused": "1"},
          "/organizer/petitions/p")
    with app.app_context():
        assert db.session.scalar(select(Petition)).signing_paused
        assert not db.session.scalar(select(Petition)).can_sign()
    _post(organizer_client, "/organizer/petitions/p/signing", {"paused": "0"},
          "/organizer/petitions/p")
    with app.app_context():
        assert not db.session.scalar(select(Petition)).signing_paused


def test_state_service_refuses_forbidden_moves(ctx):
    admin = make_organizer(is_admin=True)
    petition = make_petition(state=PetitionState.ARCHIVED)
    with pytest.raises(FieldError):
        petition_admin.change_state(petition, PetitionState.OPEN, actor=admin)


def test_admin_assigns_organizers(app, client):
    with app.app_context():
        make_organizer("boss@example.org", is_admin=True)
        make_organizer("ana@example.org")
        make_petition(slug="p", title="The petition")
    login(client, "boss@example.org")
    page = client.get("/organizer/petitions/p/organizers").get_data(as_text=True)
    assert "ana@example.org" in page
    with app.app_context():
        from petition.models import Organizer

        ana_id = db.session.scalar(select(Organizer.id).where(Organizer.email == "ana@example.org"))
    response = _post(client, "/organizer/petitions/p/organizers", {"organizer_id": ana_id})
    assert response.status_code == 303
    assert _post(client, "/organizer/petitions/p/organizers",
                 {"organizer_id": "999"}).status_code == 400
    other = app.test_client()
    login(other, "ana@example.org")
    assert other.get("/organizer/petitions/p").status_code == 200
    response = _post(client, f"/organizer/petitions/p/organizers/{ana_id}/remove", {},
                     "/organizer/petitions/p/organizers")
    assert response.status_code == 303
    assert other.get("/organizer/petitions/p").status_code == 404


def test_admin_creates_and_deactivates_organizers(app, client):
    with app.app_context():
        make_organizer("boss@example.org", is_admin=True)
    login(client, "boss@example.org")
    url = "/organizer/admin/organizers"
    response = _post(client, url, {"email": "new@example.org", "password": "short"})
    assert response.status_code == 400 and "at least 12" in response.get_data(as_text=True)
    response = _post(client, url, {"email": "new@example.org",
                                   "password": "a long enough password"})
    assert response.status_code == 303
    response = _post(client, url, {"email": "NEW@example.org",
                                   "password": "a long enough password"})
    assert response.status_code == 400
    assert "already an account" in response.get_data(as_text=True)
    with app.app_context():
        from petition.models import Organizer

        new_id = db.session.scalar(select(Organizer.id).where(Organizer.email == "new@example.org"))
        boss_id = db.session.scalar(select(Organizer.id).where(
            Organizer.email == "boss@example.org"))
    _post(client, f"{url}/{new_id}/active", {"active": "0"}, url)
    response = _post(client, f"{url}/{boss_id}/active", {"active": "0"}, url)
    assert "cannot deactivate your own" in client.get(url).get_data(as_text=True)
    with app.app_context():
        assert not db.session.get(Organizer, new_id).active
        assert db.session.get(Organizer, boss_id).active
        log = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert log == ["organizer_create", "organizer_deactivate"]
    page = client.get("/organizer/admin/audit").get_data(as_text=True)
    assert "organizer_create" in page and "boss@example.org" in page


def test_organizers_edit_the_text_in_both_languages(app, organizer_client):
    data = dict(FORM, title_es="Título en español", summary_es="Resumen",
                body_es="Texto *completo*")
    assert _post(organizer_client, "/organizer/petitions/new", data).status_code == 303
    with app.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == FORM["slug"]))
        assert (petition.title_es, petition.summary_es, petition.body_es) == (
            "Título en español", "Resumen", "Texto *completo*")
    edit = f"/organizer/petitions/{FORM['slug']}/edit"
    page = organizer_client.get(edit).get_data(as_text=True)
    assert 'value="Título en español"' in page
    _post(organizer_client, edit, dict(FORM, title_es="", summary_es="", body_es=""))
    with app.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == FORM["slug"]))
        assert petition.title_es is None and petition.body_es is None


def test_wtforms_own_messages_follow_the_visitor_language(organizer_client):
    organizer_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es-MX,es;q=0.9"
    response = _post(organizer_client, "/organizer/petitions/new",
                     dict(FORM, deadline="mañana"))
    assert response.status_code == 400
    assert "No es un valor para la fecha y la hora válido" in response.get_data(as_text=True)
    organizer_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = _post(organizer_client, "/organizer/petitions/new",
                     dict(FORM, deadline="tomorrow"))
    assert "Not a valid datetime value" in response.get_data(as_text=True)
