"""Development mail pages."""

from petition.mail import outbox, worker
from petition.mail.transport import transport_for
from tests.conftest import base_config


def test_dev_mail_pages_list_and_show_links(make_app):
    app = make_app(APP_ENV="development")
    with app.app_context():
        outbox.enqueue(kind="test", to_address="dev@example.org", subject="Confirm please",
                       body_text="Open https://petitions.example.org/confirm/abc to confirm.")
        from petition.extensions import db

        db.session.commit()
        worker.deliver_due(transport_for(app), batch_size=5, lease_seconds=60, max_attempts=3)
    client = app.test_client()
    listing = client.get("/dev/mail").get_data(as_text=True)
    assert "Confirm please" in listing and "dev@example.org" in listing
    name = listing.split('href="/dev/mail/')[1].split('"')[0]
    page = client.get(f"/dev/mail/{name}").get_data(as_text=True)
    assert 'href="https://petitions.example.org/confirm/abc"' in page
    assert client.get("/dev/mail/..%2f..%2fetc%2fpasswd").status_code == 404
    assert client.get("/dev/mail/nope.eml").status_code == 404


def test_dev_mail_pages_do_not_exist_outside_development(client):
    assert client.get("/dev/mail").status_code == 404
    assert base_config  # the shared test config is testing, not development
