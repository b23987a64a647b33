"""Organizer emails in English and Spanish: each signer gets their language, the footer is
always in theirs, and the preview and the test show both versions."""

from sqlalchemy import select, update

from petition.extensions import db
from petition.models import Blast, Petition, Signature
from tests import test_blasts
from tests.conftest import html_of, text_of
from tests.test_blasts import blast_id, compose, deliver, post, send

blast_app = test_blasts.blast_app
org = test_blasts.org

SUBJECT_ES = "Hola {{ first_name }}, del distrito {{ ward }}"
BODY_ES = ("Estimada/o {{ full_name }}:\n\nLlame hoy a {{ alder_name }} sobre "
           "“{{ petition_title }}”.\n\n{{ petition_url }}")


def bilingual(client, **fields):
    return compose(client, subject_es=SUBJECT_ES, body_es=BODY_ES, **fields)


def _spanish_title(app):
    with app.app_context():
        db.session.execute(update(Petition).values(title_es="Control comunitario ya"))
        db.session.commit()


def _id_of(app, first_name):
    with app.app_context():
        return db.session.scalar(select(Signature.id).where(Signature.first_name == first_name))


def test_each_signer_gets_their_language_with_their_footer(blast_app, org, smtp_server):
    _spanish_title(blast_app)
    response = bilingual(org, audience="chosen", wards=["1", "48"])
    assert response.status_code == 303
    with blast_app.app_context():
        saved = db.session.get(Blast, blast_id(response))
        assert (saved.subject_es, saved.body_es) == (SUBJECT_ES, BODY_ES)
    assert send(org, blast_id(response)).status_code == 303
    assert deliver(blast_app).sent == 2
    [to_ana] = smtp_server.sink.to("Ana.Diaz@gmail.com")  # signed in English
    [to_ben] = smtp_server.sink.to("ben@example.org")  # signed in Spanish
    assert to_ana["Subject"] == "Hi Ana in ward 1"
    assert "Call Daniel La Spata today." in text_of(to_ana)
    assert "Unsubscribe" in text_of(to_ana) and "Hola" not in text_of(to_ana)
    assert to_ben["Subject"] == "Hola Ben, del distrito 48"
    body = text_of(to_ben)
    assert "Estimada/o Ben Okafor:" in body
    assert "Llame hoy a Leni Manaa-Hoppenworth sobre “Control comunitario ya”." in body
    assert "Cancelar la suscripción" in body and "Unsubscribe" not in body
    assert '<html lang="es">' in html_of(to_ben) and '<div lang="es">' in html_of(to_ben)


def test_without_spanish_a_spanish_signer_gets_english_with_a_spanish_footer(
        blast_app, org, smtp_server):
    bid = blast_id(compose(org, audience="chosen", wards=["48"]))
    send(org, bid)
    deliver(blast_app)
    [to_ben] = smtp_server.sink.to("ben@example.org")
    assert to_ben["Subject"] == "Hi Ben in ward 48"
    assert "Call Leni Manaa-Hoppenworth today." in text_of(to_ben)
    assert "Cancelar la suscripción" in text_of(to_ben)
    html = html_of(to_ben)
    assert '<html lang="es">' in html and '<div lang="en">' in html


def test_the_preview_and_the_test_show_both_versions(blast_app, org, smtp_server):
    _spanish_title(blast_app)
    bid = blast_id(bilingual(org, audience="chosen", wards=["1"]))
    page = f"/organizer/petitions/ecps/emails/{bid}"
    html = org.get(page).get_data(as_text=True)
    assert "Preview for Ana Díaz (ward 1)" in html
    assert "Preview in Spanish for Ana Díaz (ward 1)" in html
    assert "Hi Ana in ward 1" in html and "Hola Ana, del distrito 1" in html
    assert "Llame hoy a Daniel La Spata sobre “Control comunitario ya”." in html
    assert '<div lang="es">' in html

    response = post(org, f"{page}/test", page, signer=str(_id_of(blast_app, "Ana")))
    assert response.status_code == 303
    assert "2 tests, one per language, are on their way to org@example.org." in org.get(
        response.headers["Location"]).get_data(as_text=True)
    assert deliver(blast_app).sent == 2
    tests = {m["Subject"]: text_of(m) for m in smtp_server.sink.to("org@example.org")}
    assert set(tests) == {"[Test] Hi Ana in ward 1", "[Prueba] Hola Ana, del distrito 1"}
    assert "Unsubscribe" in tests["[Test] Hi Ana in ward 1"]
    spanish = tests["[Prueba] Hola Ana, del distrito 1"]
    assert "PRUEBA: solo usted recibió esto." in spanish
    assert "Cancelar la suscripción" in spanish
    assert smtp_server.sink.to("Ana.Diaz@gmail.com") == []


def test_an_english_only_email_sends_one_test(blast_app, org, smtp_server):
    bid = blast_id(compose(org, audience="chosen", wards=["1"]))
    page = f"/organizer/petitions/ecps/emails/{bid}"
    html = org.get(page).get_data(as_text=True)
    assert "Preview in Spanish" not in html
    post(org, f"{page}/test", page, signer=str(_id_of(blast_app, "Ana")))
    assert deliver(blast_app).sent == 1


def test_half_a_spanish_version_is_refused(blast_app, org):
    response = compose(org, subject_es=SUBJECT_ES)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Write both the Spanish subject and the Spanish message, or neither." in html
    response = compose(org, body_es=BODY_ES)
    assert response.status_code == 400
    with blast_app.app_context():
        assert db.session.scalar(select(Blast)) is None


def test_a_spanish_template_breaking_the_rules_is_refused_at_its_field(blast_app, org):
    response = compose(org, subject_es="Hola {{ config }}", body_es=BODY_ES)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "“config” is not a placeholder." in html
    assert 'id="subject_es-error-1"' in html
    response = compose(org, subject_es=SUBJECT_ES, body_es="{% for x in y %}{% endfor %}")
    assert response.status_code == 400
    assert "Templates cannot use for loops." in response.get_data(as_text=True)


def test_the_form_keeps_the_spanish_version_when_edited(blast_app, org):
    bid = blast_id(bilingual(org))
    html = org.get(f"/organizer/petitions/ecps/emails/{bid}/edit").get_data(as_text=True)
    assert 'lang="es"' in html and "Hola {{ first_name }}, del distrito {{ ward }}" in html


def test_the_sent_emails_page_in_spanish(blast_app, org, smtp_server):
    bid = blast_id(compose(org, audience="chosen", wards=["1"]))
    send(org, bid)
    deliver(blast_app)
    org.get("/language/es")
    html = org.get(f"/organizer/petitions/ecps/emails/{bid}").get_data(as_text=True)
    # Emails are masculine ("correos"): the labels agree, unlike the letters' ones.
    assert "<dt>Entregados</dt>" in html and "<dt>Fallidos</dt>" in html
    listing = org.get("/organizer/petitions/ecps/emails").get_data(as_text=True)
    assert ">Entregados</th>" in listing and ">Fallidos</th>" in listing


def test_a_spanish_organizer_reads_why_a_template_is_refused_in_spanish(blast_app, org):
    org.get("/language/es")
    response = compose(org, body="{% for x in y %}{% endfor %}")
    assert response.status_code == 400
    assert "Las plantillas no pueden usar bucles for." in response.get_data(as_text=True)


def test_hostile_spanish_fields_and_names(blast_app, org, smtp_server):
    for subject_es in ("Hola\r\nBcc: everyone@example.org", "Hola\x00"):
        response = compose(org, subject_es=subject_es, body_es=BODY_ES)
        assert response.status_code == 400
    with blast_app.app_context():
        db.session.execute(update(Signature).where(Signature.first_name == "Ben")
                           .values(first_name="[gana](https://evil.example) <b>Ben</b>"))
        db.session.commit()
    bid = blast_id(compose(org, audience="chosen", wards=["48"], format="markdown",
                           subject_es="Hola {{ first_name }}",
                           body_es="**Hola** {{ first_name }}: [la audiencia](https://example.org)"))
    send(org, bid)
    assert deliver(blast_app).sent == 1
    [to_ben] = smtp_server.sink.to("ben@example.org")
    html = html_of(to_ben)
    assert "<strong>Hola</strong>" in html and 'href="https://example.org"' in html
    assert "evil.example\"" not in html and "<b>Ben</b>" not in html
    assert "Bcc" not in str(to_ben)


def test_the_greeting_follows_the_language_of_the_organizers_words(blast_app, org,
                                                                   smtp_server):
    """{{ greeting }} greets the signer's alder in the language the email is written in:
    an English-only email to a Spanish signer says "Dear Alder", a Spanish one
    "Estimado/a concejal"."""
    english = compose(org, audience="chosen", wards=["48"], body="{{ greeting }}: call today.")
    send(org, blast_id(english))
    deliver(blast_app)
    [to_ben] = smtp_server.sink.to("ben@example.org")  # signed in Spanish
    assert "Dear Alder Leni Manaa-Hoppenworth: call today." in text_of(to_ben)
    smtp_server.messages.clear()
    spanish = compose(org, audience="chosen", wards=["48"], body="{{ greeting }}: call.",
                      subject_es=SUBJECT_ES, body_es="{{ greeting }}: llame hoy.")
    send(org, blast_id(spanish))
    deliver(blast_app)
    [to_ben] = smtp_server.sink.to("ben@example.org")
    assert "Estimado/a concejal Leni Manaa-Hoppenworth: llame hoy." in text_of(to_ben)
