"""Phone numbers are links a phone can dial; District Council roles in the page's language."""

import pytest

from petition.web.templating import phone_link, tel_href


@pytest.mark.parametrize(("written", "href"), [
    ("(312) 744-6820", "tel:+13127446820"),
    ("1-312-744-6820", "tel:+13127446820"),
    ("312.744.6820 ext. 5", "tel:+13127446820;ext=5"),
    ("312-744-6820 x12", "tel:+13127446820;ext=12"),
    ("+44 20 7946 0958", "tel:+442079460958"),
])
def test_tel_href(written, href):
    assert tel_href(written) == href


def test_phone_link_escapes_and_skips_text_without_digits():
    assert str(phone_link('312 <b>"')) == '<a href="tel:312">312 &lt;b&gt;&#34;</a>'
    assert phone_link("call the office") == "call the office"
    assert phone_link(None) == ""


def test_the_alder_card_dials_and_translates_council_roles(rosters):
    client = rosters.test_client()
    html = client.get("/lookup?address=1250+S+Indiana+Ave").get_data(as_text=True)
    assert '<a href="tel:+13127446820">(312) 744-6820</a>' in html
    assert "(Chair)" in html
    client.get("/language/es")
    html = client.get("/lookup?address=1250+S+Indiana+Ave").get_data(as_text=True)
    assert "(Chair)" not in html and "(Nominating Committee)" not in html
    assert "(Presidencia)" in html and "(Comité de Nominaciones)" in html
