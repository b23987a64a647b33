"""The Illinois General Assembly roster: `flask legislators import`, all or nothing."""

from pathlib import Path

from sqlalchemy import func, select

from petition import demo
from petition.extensions import db
from petition.models import Legislator, Signature, WardStatus
from tests.factories import make_petition, make_signature
from tests.test_rosters import edit_csv, run, snapshot, write

SHIPPED = demo.LEGISLATORS_FILE.read_text(encoding="utf-8")
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "illinois" / \
    "il_general_assembly_roster_2026.csv"


def seat(app, chamber, district):
    with app.app_context():
        return db.session.scalar(select(Legislator).where(
            Legislator.chamber == chamber, Legislator.district == district))


def test_shipped_roster_loads_and_repeats_without_change(app, tmp_path):
    path = write(tmp_path, "ga.csv", SHIPPED)
    first = run(app, "legislators", "import", path)
    assert first.exit_code == 0, first.output
    assert "Legislators: 60 created, 0 updated, 0 unchanged" in first.output
    before = snapshot(app, Legislator)
    again = run(app, "legislators", "import", path)
    assert "0 created, 0 updated, 60 unchanged" in again.output
    assert snapshot(app, Legislator) == before
    # City Hall's members (SOURCES.md: House 6, Senate 3).
    house6 = seat(app, "house", 6)
    assert house6.name and not house6.vacant and house6.email
    assert house6.website.startswith("https://www.ilga.gov/House/Members/")
    # A member without an email is imported, with a warning naming the row.
    assert "has no email: letters cannot be sent to them" in first.output
    assert seat(app, "senate", 16).email == ""


def test_statewide_roster_with_a_vacancy_then_the_seat_filled(app, tmp_path):
    text = SHARED.read_text(encoding="utf-8") if SHARED.exists() else None
    if text is None:  # the shared roster is beside the checkout; the shipped one suffices
        text = SHIPPED + "senate,59,VACANT (left office),,,,,\n"
    result = run(app, "legislators", "import", write(tmp_path, "all.csv", text))
    assert result.exit_code == 0, result.output
    assert "vacant seats: senate 59" in result.output
    vacant = seat(app, "senate", 59)
    assert vacant.vacant and vacant.name == "" and vacant.email == ""

    def fill(rows):
        rows.append(["senate", "59", "New Member", "Republican", "new@example.org",
                     "618-555-0100", "1 Main St, Marion, IL", "", "", "", "", "", ""][
                         :len(rows[0])])
        rows[:] = [r for r in rows if not (r[0] == "senate" and r[1] == "59"
                                           and r[2].startswith("VACANT"))]
    filled = run(app, "legislators", "import", write(tmp_path, "filled.csv",
                                                     edit_csv(text, fill)))
    assert filled.exit_code == 0, filled.output
    assert "1 updated" in filled.output
    member = seat(app, "senate", 59)
    assert not member.vacant and member.name == "New Member"


BAD = """\
chamber,district,name,party,email,phone,office_address,website
house,119,Nobody,Democratic,a@example.org,,,
senate,60,Nobody Else,Democratic,b@example.org,,,
assembly,3,Wrong Chamber,,c@example.org,,,
house,6,Someone,Democratic,not-an-email,,,
house,7,,Democratic,d@example.org,,,
house,8,Fine,Democratic,e@example.org,,,
house,8,Twice,Democratic,f@example.org,,,
house,9,Bad Site,Democratic,g@example.org,,,javascript:alert(1)
house,x,Letters,Democratic,h@example.org,,,
"""


def test_bad_rows_are_reported_by_line_and_nothing_changes(app, tmp_path):
    run(app, "legislators", "import", write(tmp_path, "ga.csv", SHIPPED))
    before = snapshot(app, Legislator)
    result = run(app, "legislators", "import", write(tmp_path, "bad.csv", BAD))
    assert result.exit_code != 0
    out = result.output
    assert "nothing was changed: 8 problem(s)" in out
    assert "line 2: House district 119 does not exist" in out
    assert "line 3: Senate district 60 does not exist" in out
    assert "line 4: chamber 'assembly' is not house or senate" in out
    assert "line 5: email 'not-an-email' is not a valid email address" in out
    assert "line 6: name is missing" in out
    assert "line 8: house district 8 is already on line 7" in out
    assert "line 9: website 'javascript:alert(1)' must be a web address" in out
    assert "line 10: House district 'x' is not a whole number" in out
    assert "Traceback" not in out
    assert snapshot(app, Legislator) == before


def test_missing_columns_are_line_1(app, tmp_path):
    result = run(app, "legislators", "import", write(tmp_path, "h.csv",
                                                     "chamber,name\nhouse,Someone\n"))
    assert result.exit_code != 0
    assert "line 1: missing column(s): district" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Legislator)) == 0


def test_signatures_stored_before_the_districts_get_them_from_their_point(app):
    with app.app_context():
        petition = make_petition(slug="ecps")
        old = make_signature(petition, ward=42, ward_status=WardStatus.GEOCODED,
                             lon=-87.6324, lat=41.8836)  # City Hall: House 6, Senate 3
        no_point = make_signature(petition, ward=42, ward_status=WardStatus.CONFIRMED,
                                  email="b@example.org")
        ids = old.id, no_point.id
    first = run(app, "lookup", "fill-districts")
    assert first.exit_code == 0, first.output
    assert "recorded for 1 signature(s)" in first.output
    assert "recorded for 0 signature(s)" in run(app, "lookup", "fill-districts").output
    with app.app_context():
        old, no_point = (db.session.get(Signature, i) for i in ids)
        assert (old.state_house, old.state_senate) == (6, 3)
        assert (no_point.state_house, no_point.state_senate) == (None, None)
