"""The progress bar shows progress at small counts, and the deadline when there is one."""

import re
from datetime import datetime

import pytest

from petition.petitions.counts import next_milestone
from tests.factories import make_confirmed, make_petition


@pytest.mark.parametrize(("total", "goal", "milestone"), [
    (0, 5000, 100), (3, 5000, 100), (99, 5000, 100), (100, 5000, 250), (260, 5000, 500),
    (999, 5000, 1000), (2600, 5000, 5000), (4999, 5000, 5000), (7000, 5000, 5000),
    (3, 150, 100), (120, 150, 150), (3, 100, 100), (3, 60, 60), (12, 0, 12), (0, 0, 1),
    (30_000, 1_000_000, 50_000),
])
def test_next_milestone(total, goal, milestone):
    assert next_milestone(total, goal) == milestone


def test_three_of_five_thousand_fills_toward_the_first_hundred(app, client):
    with app.app_context():
        petition = make_petition(slug="small", goal=5000,
                                 deadline=datetime(2027, 6, 2, 4, 59))  # June 1, Chicago
        for ward in (1, 2, 3):
            make_confirmed(petition, ward=ward)
    html = client.get("/petitions/small").get_data(as_text=True)
    assert '<progress class="progress-bar" max="100" value="3"' in html
    assert "3 of the first 100" in html
    assert "Signing closes on June 1, 2027." in html
    widget = client.get("/petitions/small/widget").get_data(as_text=True)
    assert 'max="100" value="3"' in widget and "3 of the first 100" in widget
    body = client.get("/api/v1/petitions/small/counts").get_json()
    assert body["total"] == 3 and body["milestone"] == 100
    client.get("/language/es")
    html = client.get("/petitions/small").get_data(as_text=True)
    assert "1 de junio de 2027" in html


def test_near_the_goal_the_bar_fills_toward_the_goal(app, client):
    with app.app_context():
        petition = make_petition(slug="near", goal=4)
        for ward in (1, 2, 3):
            make_confirmed(petition, ward=ward)
    html = client.get("/petitions/near").get_data(as_text=True)
    assert 'max="4" value="3"' in html
    assert re.search(r'<p class="progress-milestone[^>]*\shidden>', html)
