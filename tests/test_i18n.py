"""English and Spanish: chosen by the browser or by the visible switch, and complete."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.conftest import deliver_mail, delivered_files, sign, text_of
from tests.factories import make_petition

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "petition" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}


@pytest.fixture
def petition(app):
    with app.app_context():
        return make_petition(slug="ecps", title="Control comunitario").slug


def test_english_by_default(client, petition):
    html = client.get("/petitions/ecps").get_data(as_text=True)
    assert '<html lang="en">' in html and "Sign the petition" in html
    assert 'hreflang="es"' in html and "Español" in html


def test_spanish_from_the_browser(client, petition):
    html = client.get("/petitions/ecps", headers=SPANISH).get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "Firmar la petición" in html and "Código postal" in html
    assert "Sign the petition" not in html
    assert 'hreflang="en"' in html and "English" in html


def test_the_switch_sticks_and_goes_back(client, petition):
    response = client.get("/language/es?next=/petitions/ecps")
    assert response.status_code == 302 and response.headers["Location"] == "/petitions/ecps"
    html = client.get("/petitions/ecps").get_data(as_text=True)  # no Accept-Language
    assert '<html lang="es">' in html
    client.get("/language/en?next=/")
    assert '<html lang="en">' in client.get("/petitions/ecps", headers=SPANISH).get_data(
        as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "/\\evil.example", "javascript:alert(1)", "evil",
                                    "/\n//evil.example", "/\u200b"])
def test_the_switch_never_redirects_off_site(client, target):
    response = client.get("/language/es", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_unknown_language_changes_nothing(client, petition):
    client.get("/language/xx")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_form_errors_in_spanish(client, petition):
    client.get("/language/es")
    response = sign(client, first_name="", zip="123", email="no-es-correo")
    html = response.get_data(as_text=True)
    for text in ("Escriba su nombre.", "Escriba un código postal de 5 dígitos",
                 "Escriba un correo electrónico válido", "Por favor, corrija lo siguiente"):
        assert text in html


def test_confirmation_email_in_the_signers_language(app, client, petition):
    client.get("/language/es")
    assert sign(client).status_code == 303
    assert "Revise su correo" in client.get("/petitions/ecps/signed").get_data(as_text=True)
    deliver_mail(app)
    [message] = delivered_files(app)
    assert message["Subject"] == "Confirme su firma: Control comunitario"
    body = text_of(message)
    assert "Hola, Ana:" in body and "Gracias por firmar “Control comunitario”." in body
    assert "¿Cambió de opinión?" in body


def test_api_errors_follow_the_language(client):
    response = client.get("/api/v1/petitions/nope/counts", headers=SPANISH)
    assert response.status_code == 404
    missing = client.get("/api/v1/nothing", headers=SPANISH).get_json()
    assert missing == {"error": "No encontramos esa página."}


def test_every_string_is_translated_and_compiled():
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    untranslated = [m.id for m in catalog if m.id and not (
        all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert untranslated == []
    with PO.with_suffix(".mo").open("rb") as fh:
        compiled = read_mo(fh)
    def pairs(messages):
        return {(m.context, _key(m.id)): _key(m.string) for m in messages if m.id}

    assert pairs(catalog) == pairs(compiled), "run scripts/translate.py to compile"


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def test_the_catalogue_covers_every_string_in_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "-q", "extract", "-F",
                    "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
                   cwd=ROOT, check=True)
    with pot.open("rb") as fh:
        in_code = {m.id for m in read_po(fh) if m.id}
    with PO.open("rb") as fh:
        in_catalogue = {m.id for m in read_po(fh) if m.id}
    assert in_code - in_catalogue == set(), "run scripts/translate.py and translate"


def test_a_petition_in_both_languages(app, client):
    with app.app_context():
        make_petition(slug="both", title="Fund the councils", title_es="Financien los consejos",
                      summary="English summary", summary_es="Resumen en español",
                      body="English **text**", body_es="Texto en **español**")
        make_petition(slug="english-only", title="Only English")
    english = client.get("/petitions/both").get_data(as_text=True)
    assert "Fund the councils" in english and "Financien" not in english
    spanish = client.get("/petitions/both", headers=SPANISH).get_data(as_text=True)
    assert "<h1>Financien los consejos</h1>" in spanish
    assert "Resumen en español" in spanish and "<strong>español</strong>" in spanish
    # No Spanish text yet: the English text, on a Spanish page.
    fallback = client.get("/petitions/english-only", headers=SPANISH).get_data(as_text=True)
    assert "Only English" in fallback and "Firmar la petición" in fallback


def test_the_demo_petition_is_bilingual(app, client):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    spanish = client.get("/petitions/ecps", headers=SPANISH).get_data(as_text=True)
    assert "Comisión Comunitaria para la Seguridad Pública" in spanish
    assert "22 distritos policiales" in spanish
