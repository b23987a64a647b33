"""After signing and after confirming: call the alder with the organizers' words, in the
signer's language, and one primary action per page."""

import re

from tests.conftest import sign, sign_and_confirm
from tests.factories import make_petition

SCRIPT = "Hello, I live in ward {{ ward }}. I ask Alder {{ alder_name }} to fund the Councils."
SCRIPT_ES = "Hola, vivo en el distrito {{ ward }}. Pido a {{ alder_name }} que firme."


def _main(html):
    return html.split('<main', 1)[1].split("</main>", 1)[0]


def test_the_signed_page_offers_a_call_with_the_script(rosters):
    with rosters.app_context():
        make_petition(slug="ecps", call_script=SCRIPT, call_script_es=SCRIPT_ES)
    client = rosters.test_client()
    assert sign(client, volunteer="y").status_code == 303  # 1958 N Milwaukee Ave: ward 1
    html = client.get("/petitions/ecps/signed").get_data(as_text=True)
    assert "Call Daniel La Spata" in html
    assert re.search(r'<a class="button secondary" href="tel:\+1\d{10}">Call \(', html)
    assert "Hello, I live in ward 1. I ask Alder Daniel La Spata to fund the Councils." in html
    assert "the organizers will get in touch" in html
    client.get("/language/es")
    html = client.get("/petitions/ecps/signed").get_data(as_text=True)
    assert "Hola, vivo en el distrito 1. Pido a Daniel La Spata que firme." in html


def test_the_confirmed_page_has_one_primary_action(rosters):
    with rosters.app_context():
        make_petition(slug="ecps", call_script=SCRIPT)
    client = rosters.test_client()
    response = sign_and_confirm(rosters, client)
    html = _main(client.get(response.headers["Location"]).get_data(as_text=True))
    assert html.count("button primary") == 1
    assert re.search(r'<a class="button primary" href="tel:', html)  # no letter: call first
