"""Pages of a petition to state members speak of its members, in English and Spanish: the
organizers' dashboard leads with the House/Senate districts (maps and tables), the footer
names the offices the petition goes to, and the positions callers heard from a member (or an
alder) are shown to organizers."""

from html import unescape

import pytest

from petition import demo
from petition.extensions import db
from petition.models import PetitionTarget
from tests.conftest import form_token, login, sign_and_confirm
from tests.factories import make_organizer, make_petition
from tests.letters_support import ANA, SPANISH
from tests.test_state_letter_words import SLUG, signed


def organizer_page(app, path, headers=None):
    client = app.test_client()
    login(client, "org@example.org")
    return client.get(path, headers=headers).get_data(as_text=True)


def test_the_dashboard_of_a_state_petition_leads_with_its_districts(tirc_to_both, smtp_server):
    signed(tirc_to_both, smtp_server)
    html = organizer_page(tirc_to_both, f"/organizer/petitions/{SLUG}")
    assert "Letters to state members" in html and "Letters to alders" not in html
    assert 'id="dashboard-house-map-title"' in html and 'id="dashboard-senate-map-title"' in html
    assert 'id="dashboard-map-title"' not in html  # no ward map
    assert html.index('id="house-districts"') < html.index('id="daily-heading"')
    assert html.index('id="senate-districts"') < html.index('id="wards-heading"')
    assert "Signatures by City Council ward" in html
    assert "Stance on the ordinance" not in html and "Set a signature goal" not in html
    # The map's districts link to rows of the table on the same page.
    assert 'href="#house-3"' in html and '<tr id="house-3">' in html
    assert 'href="#house-4"' not in html  # no signer there, so no row to go to
    spanish = organizer_page(tirc_to_both, f"/organizer/petitions/{SLUG}", SPANISH)
    assert "Cartas a los legisladores estatales" in spanish
    assert "Firmas por distrito del Concejo Municipal" in spanish


def test_an_alder_petition_keeps_its_ward_dashboard(tirc_to_both):
    with tirc_to_both.app_context():
        demo.ensure_tirc_petition()[0].target = PetitionTarget.ALDER
        db.session.commit()
    html = organizer_page(tirc_to_both, f"/organizer/petitions/{SLUG}")
    assert "Letters to alders" in html and 'id="dashboard-map-title"' in html
    assert "Stance on the ordinance" in html and "house-districts" not in html


@pytest.mark.parametrize("target, english, spanish", [
    (PetitionTarget.STATE_HOUSE, "go to your State Representative's office",
     "llegan a la oficina de su representante estatal"),
    (PetitionTarget.STATE_BOTH, "go to the offices of your State Representative and your "
     "State Senator", "llegan a las oficinas de su representante estatal y de su "
     "senador/senadora estatal"),
    (PetitionTarget.ALDER, "go to your alder's office", "llegan a la oficina de su concejal"),
])
def test_the_footer_names_the_offices_the_petition_goes_to(tirc_to_both, target, english, spanish):
    with tirc_to_both.app_context():
        demo.ensure_tirc_petition()[0].target = target
        db.session.commit()
    client = tirc_to_both.test_client()
    footer = client.get(f"/petitions/{SLUG}").get_data(as_text=True).split("site-footer")[1]
    assert english in footer and ("alder's office" in footer) == (target is PetitionTarget.ALDER)
    footer = client.get(f"/petitions/{SLUG}", headers=SPANISH).get_data(as_text=True)
    assert spanish in footer.split("site-footer")[1]
    home = client.get("/").get_data(as_text=True).split("site-footer")[1]
    assert "the office it is addressed to: your alder's, or your state members'" in home


def test_the_positions_callers_heard_from_members_are_shown_to_organizers(tirc_to_both,
                                                                         smtp_server):
    ana = signed(tirc_to_both, smtp_server)
    call = f"/petitions/{SLUG}/call"
    for member, heard in (("house-3", "supports"), ("senate-2", "opposes"),
                          ("house-3", "supports"), ("senate-2", "")):
        response = ana.post(call, data={"member": member, "outcome": "spoke_to_alder",
                                        "heard_stance": heard,
                                        "csrf_token": form_token(ana, call)})
        assert response.status_code == 303
    html = organizer_page(tirc_to_both, f"/organizer/petitions/{SLUG}")
    assert "The State Representatives' positions, as callers heard them" in html
    assert "District 3 (Eva-Dina Delgado) — supports: 2 calls</li>" in html
    assert "District 2 (Omar Aquino) — opposes: 1 call</li>" in html
    spanish = organizer_page(tirc_to_both, f"/organizer/petitions/{SLUG}", SPANISH)
    assert "La postura de los senadores estatales, según la escucharon quienes llamaron" in spanish
    assert ": 2 llamadas</li>" in spanish and ": 1 llamada</li>" in spanish


def test_the_alders_position_callers_heard_is_on_the_ward_page(rosters):
    with rosters.app_context():
        petition = make_petition(slug="ecps-heard", call_script="Hi {{ alder_name }}")
        make_organizer("org@example.org", petitions=[petition])
    ana = rosters.test_client()
    sign_and_confirm(rosters, ana, slug="ecps-heard", **ANA)  # ward 1
    call = "/petitions/ecps-heard/call"
    for heard in ("undecided", "undecided", "supports"):
        assert ana.post(call, data={"outcome": "spoke_to_alder", "heard_stance": heard,
                                    "csrf_token": form_token(ana, call)}).status_code == 303
    html = organizer_page(rosters, "/organizer/petitions/ecps-heard/wards/1/stance")
    assert "The alder's position, as callers heard it" in html
    assert "<li>undecided: 2 calls</li><li>supports: 1 call</li>" in html


def test_the_organizers_letter_and_exports_pages_speak_of_state_members(tirc_to_both):
    campaign = unescape(organizer_page(tirc_to_both,
                                       f"/organizer/petitions/{SLUG}/letters/campaign"))
    assert "<h1>Letter to state members</h1>" in campaign
    assert "filled in for their own state members" in campaign
    assert "Delivery to the state members' offices" in campaign
    assert "One email per state member and day" in campaign
    assert "reply rate" not in campaign and "the signer's alder" not in campaign
    assert "the names of the signer's state members the letter goes to" in campaign
    # The preview greets the sample signer's members, in each language.
    assert "Dear Representative Eva-Dina Delgado and Senator Omar Aquino," in campaign
    assert "Estimado/a representante Eva-Dina Delgado y estimado/a senador/a Omar Aquino:" \
        in campaign
    spanish = organizer_page(tirc_to_both, f"/organizer/petitions/{SLUG}/letters/campaign", SPANISH)
    assert "Carta a los legisladores estatales" in spanish
    exports = unescape(organizer_page(tirc_to_both, f"/organizer/petitions/{SLUG}/exports"))
    assert "to hand to the State Representative's office" in exports
    assert f"/organizer/petitions/{SLUG}/districts/3/packet" in exports
    assert "to hand to the alder" not in exports and "/wards/3/packet" not in exports
