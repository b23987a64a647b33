"""A supporter removes their own signature from the link in their confirmation email."""

import re
import threading

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import Signature, WardCount
from petition.signing import tokens
from tests.conftest import (
    BACKENDS,
    csrf_token_from,
    deliver_mail,
    delivered_files,
    html_of,
    sign,
    text_of,
)
from tests.factories import make_petition, make_signature

RACE_ROUNDS = 120

CONFIRM = re.compile(r"https://petitions\.example\.org(/confirm/[A-Za-z0-9_.\-]+)")
REMOVE = re.compile(r"https://petitions\.example\.org(/remove/[A-Za-z0-9_.\-]+)")


@pytest.fixture
def links(app, client):
    with app.app_context():
        make_petition(slug="ecps")
    assert sign(client).status_code == 303
    deliver_mail(app)
    email = delivered_files(app)[-1]
    assert REMOVE.search(html_of(email))
    text = text_of(email)
    return CONFIRM.search(text).group(1), REMOVE.search(text).group(1)


def post(client, path):
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})


def signatures(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Signature))


def total(client):
    return client.get("/api/v1/petitions/ecps/counts").get_json()["total"]


def test_get_asks_and_changes_nothing(app, client, links):
    _, remove = links
    response = client.get(remove)
    assert response.status_code == 200
    assert "Remove my signature" in response.get_data(as_text=True)
    assert signatures(app) == 1


def test_removing_a_confirmed_signature_deletes_it_and_uncounts_it(app, client, links):
    confirm, remove = links
    post(client, confirm)
    assert total(client) == 1
    response = post(client, remove)
    assert response.status_code == 200
    assert "has been removed" in response.get_data(as_text=True)
    assert signatures(app) == 0
    assert total(client) == 0
    # The link is spent: the signature no longer exists.
    assert client.get(remove).status_code == 404
    # They may sign again later.
    assert sign(client).status_code == 303 and signatures(app) == 1


def test_removing_an_unconfirmed_signature_leaves_counts_alone(app, client, links):
    _, remove = links
    post(client, remove)
    assert signatures(app) == 0 and total(client) == 0


def test_a_confirm_token_does_not_remove_and_forgeries_fail(app, client, links):
    confirm, remove = links
    as_remove = "/remove/" + confirm.split("/confirm/")[1]
    assert client.get(as_remove).status_code == 404
    with app.app_context():
        signature_id = db.session.scalar(select(Signature.id))
    forged = tokens.make_token("remove", "wrong-secret", signature_id, "ana@example.org")
    assert client.get(f"/remove/{forged}").status_code == 404
    assert client.post(remove, data={}).status_code == 400  # no CSRF token
    assert signatures(app) == 1


def _race(app, paths):
    """POST each path's button at the same moment, each from its own browser."""
    clients = [app.test_client() for _ in paths]
    forms = [{"csrf_token": csrf_token_from(c.get(p).get_data(as_text=True))}
             for c, p in zip(clients, paths, strict=True)]
    barrier = threading.Barrier(len(paths))
    statuses = [None] * len(paths)

    def press(i):
        barrier.wait()
        statuses[i] = clients[i].post(paths[i], data=forms[i]).status_code

    threads = [threading.Thread(target=press, args=(i,)) for i in range(len(paths))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


# Only PostgreSQL runs the two for real at once (SQLite's write lock queues them).
@pytest.mark.parametrize("backend", [BACKENDS[1]])
def test_confirm_racing_removal_always_answers_a_page_and_counts_stay_exact(make_app):
    app = make_app()
    with app.app_context():
        petition = make_petition(slug="ecps")
        links = []
        for _ in range(RACE_ROUNDS):
            signature = make_signature(petition, ward=1)
            args = ("test-secret", signature.id, signature.email_normalized)
            links.append((f"/confirm/{tokens.make_token('confirm', *args)}",
                          f"/remove/{tokens.make_token('remove', *args)}"))
    outcomes = [_race(app, pair if n % 2 else pair[::-1]) for n, pair in enumerate(links)]
    # Confirming first shows the confirmed page, after the removal the link is spent (404);
    # the removal always goes through.
    assert {tuple(sorted(o)) for o in outcomes} <= {(200, 303), (200, 404)}, outcomes
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
        assert db.session.scalar(select(func.coalesce(func.sum(WardCount.confirmed), 0))) == 0
