"""A signer confirms or chooses their ward: POST /petitions/<slug>/my-ward."""

import re

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import Signature, WardStatus
from petition.models.base import utcnow
from petition.petitions import counts as count_service
from petition.signing import ward_choice as signature_ward
from tests.conftest import csrf_token_from, deliver_mail, delivered_files, sign, text_of
from tests.factories import make_petition, make_signature

LINK = re.compile(r"https://petitions\.example\.org(/confirm/[A-Za-z0-9_.\-]+)")
FORM = re.compile(r'<form method="post" action="(/petitions/ecps/my-ward)"[^>]*>(.*?)</form>',
                  re.S)


@pytest.fixture
def ecps(rosters):
    with rosters.app_context():
        make_petition(slug="ecps", goal=10)
    return rosters


def counts(client):
    return client.get("/api/v1/petitions/ecps/counts").get_json()


def signature_of(app, email):
    with app.app_context():
        s = db.session.scalar(select(Signature).where(Signature.email == email))
        return s.id, s.ward, s.ward_status, s.confirmed_at


def sign_and_confirm(app, client, email, **stored):
    """The real flow: the sign form, the emailed link, the Confirm button.

    `stored` sets signature fields between signing and confirming (as the signing-time
    geocoding would), so the counters stay consistent.
    """
    assert sign(client, email=email).status_code == 303
    if stored:
        _set_signature(app, email, **stored)
    deliver_mail(app)
    [message] = [m for m in delivered_files(app) if m["To"] == email]
    path = LINK.search(text_of(message)).group(1)
    page = client.get(path).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 303


def remember_signed(app, client, email):
    """session["signed"]["signature_id"], which the sign view is about to store."""
    signature_id = signature_of(app, email)[0]
    with client.session_transaction() as session:
        session["signed"] = {**session["signed"], "signature_id": signature_id}
    return signature_id


def choose(client, ward, page_path="/petitions/ecps/my-ward"):
    """Open the page, find the ward form, post it as a browser would."""
    html = client.get(page_path).get_data(as_text=True)
    forms = FORM.findall(html)
    assert forms, "no ward form on the page"
    assert any('name="ward"' in body for _action, body in forms)
    return client.post("/petitions/ecps/my-ward",
                       data={"csrf_token": csrf_token_from(html), "ward": str(ward)})


def test_confirmed_signer_chooses_a_ward_and_the_count_moves(ecps):
    client = ecps.test_client()
    sign_and_confirm(ecps, client, "ana@example.org")
    before = counts(client)
    _id, old_ward, _status, confirmed_at = signature_of(ecps, "ana@example.org")
    assert confirmed_at is not None
    new_ward = 12 if old_ward != 12 else 13

    # The city map's link for a ward asks to confirm it; its form posts the choice.
    page = client.get(f"/petitions/ecps/my-ward?ward={new_ward}").get_data(as_text=True)
    assert f"Is ward {new_ward} your ward?" in page
    assert "You chose this ward." not in page  # not yet
    assert "Julia M. Ramirez" in page or "Marty Quinn" in page
    response = choose(client, new_ward, f"/petitions/ecps/my-ward?ward={new_ward}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/petitions/ecps/confirmed")
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Saved: your signature counts in ward {new_ward}." in followed

    after = counts(client)
    assert after["total"] == before["total"] == 1
    assert after["wards"][str(new_ward)] == 1
    old_key = str(old_ward) if old_ward else "unknown"
    old_after = after["unknown_ward"] if old_key == "unknown" else after["wards"][old_key]
    assert old_after == 0
    assert signature_of(ecps, "ana@example.org")[1:3] == (new_ward, WardStatus.CONFIRMED)

    # Changing again moves the count again, from the chosen ward.
    assert choose(client, 7).status_code == 303
    again = counts(client)
    assert again["wards"]["7"] == 1 and again["wards"][str(new_ward)] == 0
    assert again["total"] == 1


def test_unconfirmed_signer_chooses_a_ward_and_it_counts_on_confirmation(ecps):
    client = ecps.test_client()
    assert sign(client, email="bo@example.org").status_code == 303
    remember_signed(ecps, client, "bo@example.org")
    response = choose(client, 5)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/petitions/ecps/signed")
    assert counts(client)["total"] == 0  # nothing counted before confirmation
    assert signature_of(ecps, "bo@example.org")[1:3] == (5, WardStatus.CONFIRMED)

    deliver_mail(ecps)
    path = LINK.search(text_of(delivered_files(ecps)[-1])).group(1)
    page = client.get(path).get_data(as_text=True)
    client.post(path, data={"csrf_token": csrf_token_from(page)})
    assert counts(client)["wards"]["5"] == 1


def test_only_the_signers_own_session_can_change_their_ward(ecps):
    ana, bo, stranger = ecps.test_client(), ecps.test_client(), ecps.test_client()
    sign_and_confirm(ecps, ana, "ana@example.org")
    sign_and_confirm(ecps, bo, "bo@example.org")
    ana_before = signature_of(ecps, "ana@example.org")

    # A browser with no signature in its session: refused, GET and POST.
    assert stranger.get("/petitions/ecps/my-ward").status_code == 403
    page = stranger.get("/petitions/ecps").get_data(as_text=True)
    refused = stranger.post("/petitions/ecps/my-ward",
                            data={"csrf_token": csrf_token_from(page), "ward": "9"})
    assert refused.status_code == 403
    assert "We cannot find your signature in this browser" in refused.get_data(as_text=True)

    # Bo's browser changes Bo's signature only; nothing in the form names a signature.
    assert choose(bo, 9).status_code == 303
    assert signature_of(ecps, "bo@example.org")[1] == 9
    assert signature_of(ecps, "ana@example.org") == ana_before


def test_a_session_for_another_petition_is_refused(ecps):
    client = ecps.test_client()
    with ecps.app_context():
        other = make_petition(slug="other")
        foreign = make_signature(other, confirmed_at=utcnow())
        foreign_id = foreign.id
    with client.session_transaction() as session:
        session["confirmed_signature"] = foreign_id
        session["signed"] = {"slug": "ecps", "signature_id": foreign_id}
    assert client.get("/petitions/ecps/my-ward").status_code == 403


@pytest.mark.parametrize("ward", ["51", "0", "abc", "", "-3", "12.5", "1e1", "<b>"])
def test_an_invalid_ward_is_a_form_error(ecps, ward):
    client = ecps.test_client()
    sign_and_confirm(ecps, client, "ana@example.org")
    before = signature_of(ecps, "ana@example.org")
    response = choose(client, ward)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Choose a ward from 1 to 50." in html
    assert "<b>" not in html
    assert signature_of(ecps, "ana@example.org") == before


def test_without_the_csrf_token_nothing_changes(ecps):
    client = ecps.test_client()
    sign_and_confirm(ecps, client, "ana@example.org")
    before = signature_of(ecps, "ana@example.org")
    response = client.post("/petitions/ecps/my-ward", data={"ward": "3"})
    assert response.status_code == 400
    assert signature_of(ecps, "ana@example.org") == before


def _set_signature(app, email, **fields):
    with app.app_context():
        signature = db.session.scalar(select(Signature).where(Signature.email == email))
        for key, value in fields.items():
            setattr(signature, key, value)
        db.session.commit()


def test_near_boundary_signature_gets_a_two_ward_map_and_buttons(ecps):
    client = ecps.test_client()
    sign_and_confirm(ecps, client, "ana@example.org", ward=34,
                     ward_status=WardStatus.NEAR_BOUNDARY, candidate_wards="3,34",
                     lon=-87.622667, lat=41.866091)
    assert counts(client)["wards"]["34"] == 1
    html = client.get("/petitions/ecps/my-ward").get_data(as_text=True)
    assert "close to the line between wards 3 and 34" in html
    assert "ward-map-candidates" in html
    assert '<button type="submit" name="ward" value="3"' in html
    assert '<button type="submit" name="ward" value="34"' in html
    response = client.post("/petitions/ecps/my-ward",
                           data={"csrf_token": csrf_token_from(html), "ward": "3"})
    assert response.status_code == 303
    after = counts(client)
    assert after["wards"]["3"] == 1 and after["wards"]["34"] == 0 and after["total"] == 1


def test_no_ward_signature_gets_the_city_map_linking_to_the_choice(ecps):
    client = ecps.test_client()
    sign_and_confirm(ecps, client, "ana@example.org", ward=None,
                     ward_status=WardStatus.UNKNOWN)
    html = client.get("/petitions/ecps/my-ward").get_data(as_text=True)
    assert "Choose your ward" in html
    assert html.count('<a href="/petitions/ecps/my-ward?ward=') == 50
    assert '<label for="ward-choice-select">' in html


def test_service_refuses_bad_wards_and_moves_outside_counts(ecps):
    with ecps.app_context():
        petition = make_petition(slug="svc")
        signature = make_signature(petition, ward=None, ward_status=WardStatus.OUTSIDE_CHICAGO,
                                   confirmed_at=utcnow())
        for bad in (0, 51, "3", None, True, 2.0):
            with pytest.raises(signature_ward.InvalidWard):
                signature_ward.set_signature_ward(signature, bad)
        change = signature_ward.set_signature_ward(signature, 44)
        db.session.commit()
        assert change.counted and change.old_ward is None and change.new_ward == 44
        totals = count_service.petition_counts(petition)
        assert totals["outside_chicago"] == 0 and totals["wards"]["44"] == 1


def test_the_partials_render_from_a_signature(ecps):
    """What the page after signing does: build the answer from the stored ward/location."""
    from flask import render_template_string

    from petition.lookup import service as lookup

    with ecps.test_request_context("/petitions/ecps/signed"):
        petition = make_petition(slug="partials")
        signature = make_signature(petition, ward=1, ward_status=WardStatus.GEOCODED,
                                   lon=-87.687829, lat=41.9169393, geocode_match="interpolated")
        answer = lookup.answer_for_signature(signature)
        assert (answer.status, answer.ward, answer.police_district) == ("found", 1, 14)
        card = render_template_string('{% include "lookup/_alder_card.html" %}', answer=answer)
        assert "Daniel La Spata" in card and "Ashley Vargas" in card
        assert 'role="img"' in card
        choice = signature_ward.ward_choice_for_signature(signature, petition.slug)
        assert choice.mode == "confirmed" and not choice.chosen
        html = render_template_string('{% include "lookup/_ward_choice.html" %}',
                                      ward_choice=choice)
        assert "Your signature counts in ward 1." in html
        assert 'name="csrf_token"' in html and f"/petitions/{petition.slug}/my-ward" in html

        unknown = make_signature(petition, ward=None, ward_status=WardStatus.UNKNOWN)
        assert lookup.answer_for_signature(unknown).status == "unknown"
        outside = make_signature(petition, ward_status=WardStatus.OUTSIDE_CHICAGO)
        assert lookup.answer_for_signature(outside).status == "outside_chicago"


def test_the_card_renders_nothing_without_a_ward_and_survives_a_bad_one(ecps):
    from flask import render_template_string

    from petition.lookup.service import LookupAnswer

    with ecps.test_request_context("/"):
        include = '{% include "lookup/_alder_card.html" %}'
        assert render_template_string(include, answer=LookupAnswer(status="unknown")) == ""
        html = render_template_string(include, answer=LookupAnswer(status="found", ward=77))
        assert "Ward 77" in html and "<svg" not in html


def test_near_a_line_that_follows_a_street_the_signer_is_asked_which_side(ecps):
    # 1600 N Milwaukee Ave: the line between wards 1 and 32 runs along W North Ave there.
    client = ecps.test_client()
    assert sign(client, email="ana@example.org", address="1600 N Milwaukee Ave",
                zip="60647").status_code == 303
    assert signature_of(ecps, "ana@example.org")[2] is WardStatus.NEAR_BOUNDARY
    html = client.get("/petitions/ecps/my-ward").get_data(as_text=True)
    assert "Is your home north or south of W North Ave?" in html
    assert re.search(r'name="ward" value="32"[^>]*>North of W North Ave \(ward 32\)', html)
    assert re.search(r'name="ward" value="1"[^>]*>South of W North Ave \(ward 1\)', html)
    assert re.search(r'<text [^>]*class="street-label"[^>]*>W North Ave</text>', html)
    client.get("/language/es")
    html = client.get("/petitions/ecps/my-ward").get_data(as_text=True)
    assert "W North Ave" in html and "North of" not in html

