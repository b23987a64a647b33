"""The per-petition dashboard: wards, stances, sorting, the SVG chart; public ward counts."""

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import AlderStance, Stance, WardStatus
from petition.petitions import dashboard
from tests.conftest import form_token, login
from tests.factories import make_confirmed, make_organizer, make_petition, make_signature

# A style attribute on a real tag (escaped markup inside a <textarea> is only text).
INLINE_STYLE = re.compile(r"<[a-zA-Z][^<>]*\sstyle=")


@pytest.fixture
def setup(app, client):
    with app.app_context():
        petition = make_petition(slug="ecps", title="ECPS")
        make_organizer("ana@example.org", petitions=[petition])
        for _ in range(3):
            make_confirmed(petition, ward=32)
        make_confirmed(petition, ward=5)
        make_confirmed(petition, ward_status=WardStatus.OUTSIDE_CHICAGO)
        make_signature(petition, ward=5, ward_status=WardStatus.GEOCODED)  # pending
        make_signature(petition, ward=5, ward_status=WardStatus.GEOCODED)
        make_signature(petition, ward=7, ward_status=WardStatus.GEOCODED,
                       created_at=datetime(2025, 1, 1, 5, 30))  # Dec 31 in Chicago
    login(client, "ana@example.org")
    return client


def _ward_order(html):
    return [int(n) for n in re.findall(r'<th scope="row">(\d+)</th>', html)]


def test_dashboard_shows_fifty_wards_with_counts(setup, app):
    html = setup.get("/organizer/petitions/ecps").get_data(as_text=True)
    assert _ward_order(html) == list(range(1, 51))
    with app.app_context():
        from petition.models import Petition

        petition = db.session.scalar(select(Petition))
        table = dashboard.ward_table(petition)
        rows = {r.ward: r for r in table.rows}
        assert rows[32].confirmed == 3 and rows[32].pending == 0
        assert rows[5].confirmed == 1 and rows[5].pending == 2
        assert rows[7].pending == 1 and rows[1].confirmed == 0
        assert all(r.letters == 0 for r in table.rows)
        assert table.outside == {"confirmed": 1, "pending": 0}
        assert table.totals == {"confirmed": 5, "pending": 3, "letters": 0}
        days = {d.day.isoformat(): d for d in dashboard.signatures_per_day(petition)}
        assert days["2024-12-31"].pending == 1


def test_dashboard_sorts_by_any_column_without_javascript(setup):
    html = setup.get("/organizer/petitions/ecps?sort=confirmed&dir=desc").get_data(as_text=True)
    assert _ward_order(html)[:2] == [32, 5]
    html = setup.get("/organizer/petitions/ecps?sort=pending&dir=desc").get_data(as_text=True)
    assert _ward_order(html)[:2] == [5, 7]
    html = setup.get("/organizer/petitions/ecps?sort=ward&dir=desc").get_data(as_text=True)
    assert _ward_order(html)[:2] == [50, 49]
    for column in dashboard.SORT_COLUMNS:
        assert f"sort={column}" in html
    # Unknown values fall back to the default instead of failing.
    assert setup.get("/organizer/petitions/ecps?sort=%27;drop&dir=x").status_code == 200


def test_dashboard_has_a_server_side_svg_chart_and_no_inline_styles_or_scripts(setup):
    html = setup.get("/organizer/petitions/ecps").get_data(as_text=True)
    assert "<svg" in html and 'class="chart-pending"' in html and 'class="chart-confirmed"' in html
    assert not INLINE_STYLE.search(html)
    assert "<script" not in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_stances_are_saved_per_petition_and_ward(setup, app):
    url = "/organizer/petitions/ecps"
    data = {f"ward_{n}": "unknown" for n in range(1, 51)}
    data.update(ward_32="supports", ward_5="opposes",
                csrf_token=form_token(setup, url))
    response = setup.post(url + "/stances?sort=stance", data=data)
    assert response.status_code == 303
    html = setup.get(url + "?sort=stance").get_data(as_text=True)
    assert _ward_order(html)[0] == 32 and _ward_order(html)[-1] == 5
    with app.app_context():
        stored = dict(db.session.execute(select(AlderStance.ward, AlderStance.stance)).all())
        assert stored == {32: Stance.SUPPORTS, 5: Stance.OPPOSES}
    # A row's own Save button saves that row only, and brings the organizer back to it.
    data.update(ward_7="supports", ward_8="opposes", save_ward="7")
    response = setup.post(url + "/stances", data=data)
    assert response.status_code == 303 and response.location.endswith("#ward-7")
    with app.app_context():
        stored = dict(db.session.execute(select(AlderStance.ward, AlderStance.stance)).all())
        assert stored == {32: Stance.SUPPORTS, 5: Stance.OPPOSES, 7: Stance.SUPPORTS}
    html = setup.get(url).get_data(as_text=True)
    assert 'name="save_ward" value="7"' in html
    del data["save_ward"]
    data["ward_3"] = "maybe"
    response = setup.post(url + "/stances", data=data)
    assert response.status_code == 400
    assert "Choose a stance" in response.get_data(as_text=True)


def test_dashboard_json_for_organizers(setup):
    data = setup.get("/organizer/petitions/ecps/wards.json?sort=confirmed&dir=desc").get_json()
    assert data["wards"][0] == {"ward": 32, "alder": None, "stance": "unknown", "confirmed": 3,
                                "pending": 0, "letters_sent": 0}
    assert data["totals"]["confirmed"] == 5


def test_public_ward_counts_page_has_no_personal_data(app, client):
    with app.app_context():
        petition = make_petition(slug="ecps")
        make_confirmed(petition, ward=32, first_name="Zelda", email="zelda@example.org",
                       address="4400 N Secret St")
    page = client.get("/petitions/ecps/wards")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'id="ward-32"><th scope="row">32</th><td class="num">1</td>', html)
    for private in ("Zelda", "zelda@", "Secret"):
        assert private not in html
    assert not INLINE_STYLE.search(html)
    assert client.get("/petitions/nope/wards").status_code == 404


def test_counts_json_is_cacheable_for_a_few_seconds(app, client):
    with app.app_context():
        petition = make_petition(slug="ecps")
        make_confirmed(petition, ward=1)
    response = client.get("/api/v1/petitions/ecps/counts")
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "max-age=15" in cache
    etag = response.headers["ETag"]
    assert response.headers["Last-Modified"]
    again = client.get("/api/v1/petitions/ecps/counts", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data()
    with app.app_context():
        from petition.models import Petition

        make_confirmed(db.session.scalar(select(Petition)), ward=2)
    changed = client.get("/api/v1/petitions/ecps/counts", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["total"] == 2


def test_dashboard_names_alders_and_draws_a_choropleth(rosters, client):
    from petition.models import Alder

    app = rosters
    with app.app_context():
        petition = make_petition(slug="ecps")
        make_organizer("ana@example.org", petitions=[petition])
        for _ in range(4):
            make_confirmed(petition, ward=32)
        make_confirmed(petition, ward=1)
        alder_32 = db.session.scalar(select(Alder.name).where(Alder.ward == 32))
    login(client, "ana@example.org")
    html = client.get("/organizer/petitions/ecps?sort=alder").get_data(as_text=True)
    assert alder_32 and alder_32 in html
    assert 'id="dashboard-map-title"' in html and 'href="#ward-32"' in html
    # Ward 32 has the most signatures: the darkest class; ward 1 a lighter one; ward 2 none.
    assert re.search(r'<path class="ward" d="[^"]+" fill="#08519c" fill-rule="evenodd">'
                     r"<title>Ward 32: 4 confirmed signatures</title>", html)
    assert re.search(r'fill="#f2f2f2" fill-rule="evenodd"><title>Ward 2: 0 confirmed', html)
    assert not INLINE_STYLE.search(html)
    public = client.get("/petitions/ecps/wards").get_data(as_text=True)
    assert 'id="signatures-map-title"' in public and alder_32 in public
    assert "Key: signatures per ward" in public and not INLINE_STYLE.search(public)


def test_choropleth_classes():
    from petition.maps.charts import choropleth_classes

    assert choropleth_classes({}) == []
    assert choropleth_classes({1: 0}) == []
    assert choropleth_classes({1: 1}) == [1]
    assert choropleth_classes({1: 3}) == [1, 2, 3]
    assert choropleth_classes({1: 100, 2: 5}) == [20, 40, 60, 80, 100]


def test_workspace_speaks_spanish(setup):
    headers = {"Accept-Language": "es"}
    html = setup.get("/organizer/petitions/ecps", headers=headers).get_data(as_text=True)
    assert "Firmas por día" in html and "Postura sobre la ordenanza" in html
    body = setup.get("/organizer/petitions/ecps/export.csv", headers=headers).get_data(
        as_text=True)
    assert body.lstrip("\ufeff").startswith("nombre,apellido,dirección")
