"""Wards, alder and District Council rosters: loaded by CLI commands, all or nothing."""

import csv
import io

import pytest
from sqlalchemy import func, select

from petition import demo
from petition.extensions import db
from petition.models import Alder, DistrictCouncilMember, Legislator, Ward

ALDERS = demo.ALDERS_FILE.read_text(encoding="utf-8")
COUNCILS = demo.COUNCILS_FILE.read_text(encoding="utf-8")


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def snapshot(app, model):
    with app.app_context():
        columns = [c.key for c in model.__table__.columns]
        return sorted(tuple(getattr(row, c) for c in columns)
                      for row in db.session.scalars(select(model)))


def edit_csv(text, change):
    """Apply change(rows) to the CSV rows (header first) and return the new text."""
    rows = list(csv.reader(io.StringIO(text)))
    change(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_wards_load_is_idempotent(app):
    first = run(app, "wards", "load")
    second = run(app, "wards", "load")
    assert first.exit_code == 0, first.output
    assert "50 created" in first.output
    assert "0 created, 0 updated, 50 unchanged" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ward)) == 50
        ward1 = db.session.get(Ward, 1)
        assert ward1.name == "Ward 1" and 14 in ward1.police_district_numbers
        assert -87.8 < ward1.label_lon < -87.6 and 41.9 < ward1.label_lat < 41.95


def test_good_alder_file_loads(app, tmp_path):
    result = run(app, "alders", "import", write(tmp_path, "alders.csv", ALDERS))
    assert result.exit_code == 0, result.output
    assert "50 created, 0 updated, 0 unchanged" in result.output
    # Two rows of the shipped file give an email address as the website: dropped, said so.
    assert "line 18: website 'http://www.David.Moore@cityofchicago.org' looks like an " \
           "email address" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Alder)) == 50
        assert db.session.scalar(select(func.count()).select_from(Ward)) == 50
        one = db.session.scalar(select(Alder).where(Alder.ward == 1))
        assert one.name == "Daniel La Spata"
        assert one.email == "Ward01@cityofchicago.org"
        assert one.office_address == "1958 North Milwaukee Avenue, Chicago, IL 60647"
        assert one.website == "https://www.the1stward.com/"
        assert "chicago-bike-lane-map" in one.source
        assert db.session.scalar(select(Alder.website).where(Alder.ward == 17)) == ""
        two_offices = db.session.scalar(select(Alder.office_address).where(Alder.ward == 36))
        assert two_offices == ("6560 West Fullerton Avenue, Unit C118, Suite A, Chicago, IL "
                               "60707; 2246 West Chicago Avenue, Chicago, IL 60622")


def test_reimporting_the_same_file_changes_nothing(app, tmp_path):
    path = write(tmp_path, "alders.csv", ALDERS)
    run(app, "alders", "import", path)
    before = snapshot(app, Alder)
    again = run(app, "alders", "import", path)
    assert again.exit_code == 0
    assert "0 created, 0 updated, 50 unchanged" in again.output
    assert snapshot(app, Alder) == before  # updated_at included


def test_a_changed_alder_is_updated(app, tmp_path):
    run(app, "alders", "import", write(tmp_path, "alders.csv", ALDERS))
    before = {row[1]: row for row in snapshot(app, Alder)}

    def new_alder(rows):
        header = rows[0]
        row = rows[1]  # ward 1
        row[header.index("alderperson")] = "Ana Nueva"
        row[header.index("ward_office_email")] = "ana@ward1.example.org"

    changed = write(tmp_path, "alders2.csv", edit_csv(ALDERS, new_alder))
    result = run(app, "alders", "import", changed)
    assert result.exit_code == 0, result.output
    assert "0 created, 1 updated, 49 unchanged" in result.output
    after = {row[1]: row for row in snapshot(app, Alder)}
    assert {w for w in after if after[w] != before[w]} == {1}
    with app.app_context():
        one = db.session.scalar(select(Alder).where(Alder.ward == 1))
        assert (one.name, one.email) == ("Ana Nueva", "ana@ward1.example.org")


def test_simple_header_and_byte_order_mark_are_accepted(app, tmp_path):
    text = ("ward,name,email,phone,office_address,website\n"
            "5,Desmon C. Yancy,Ward05@cityofchicago.org,(312) 744-6832,"
            "2230 East 71st Street,\n")
    result = run(app, "alders", "import", write(tmp_path, "a.csv", "\ufeff" + text))
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    assert "wards not in the file keep their alder" in result.output


BAD_ROWS = """\
ward,name,email,phone,office_address,website
,No Ward,a@example.org,,,
51,Too Far,b@example.org,,,
7,Bad Email,not-an-email,,,
8,Two Lines,c@example.org,,"1 N State St
Suite 100",
8,Duplicate,d@example.org,,,
9,Bad Site,e@example.org,,,javascript:alert(1)
10,Bad Phone,f@example.org,call me,,
11,Fine,g@example.org,,,
"""


def test_bad_rows_are_reported_by_line_and_nothing_changes(app, tmp_path):
    run(app, "alders", "import", write(tmp_path, "alders.csv", ALDERS))
    before = snapshot(app, Alder)
    result = run(app, "alders", "import", write(tmp_path, "bad.csv", BAD_ROWS))
    assert result.exit_code != 0
    out = result.output
    assert "nothing was changed: 6 problem(s)" in out
    assert "line 2: ward is missing" in out
    assert "line 3: ward 51 does not exist" in out
    assert "line 4: email 'not-an-email' is not a valid email address" in out
    # The quoted address spans lines 5-6, so the duplicate row starts on line 7.
    assert "line 7: ward 8 is already on line 5" in out
    assert "line 8: website 'javascript:alert(1)' must be a web address" in out
    assert "line 9: phone 'call me' is not a phone number" in out
    assert "line 10" not in out
    assert snapshot(app, Alder) == before
    good = BAD_ROWS.splitlines()[0] + "\n" + "\n".join(BAD_ROWS.splitlines()[4:6]) + "\n"
    result = run(app, "alders", "import", write(tmp_path, "good.csv", good))
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(Alder.office_address).where(Alder.ward == 8)) == \
            "1 N State St, Suite 100"


@pytest.mark.parametrize("header, missing", [
    ("ward,name,mail", "email or ward_office_email"),
    ("wrd,alderperson,ward_office_email", "ward"),
    ("", "empty"),
])
def test_a_wrong_header_is_line_1_and_changes_nothing(app, tmp_path, header, missing):
    run(app, "alders", "import", write(tmp_path, "alders.csv", ALDERS))
    before = snapshot(app, Alder)
    text = header + "\n1,Someone Else,x@example.org\n" if header else ""
    result = run(app, "alders", "import", write(tmp_path, "h.csv", text))
    assert result.exit_code != 0
    assert missing in result.output
    assert snapshot(app, Alder) == before


def test_a_file_that_is_not_utf8_is_a_clean_error(app, tmp_path):
    data = "ward,name,email\n1,Dani\xe9l,x@example.org\n".encode("latin-1")
    result = run(app, "alders", "import", write(tmp_path, "latin.csv", data))
    assert result.exit_code != 0
    assert "line 2: the file is not UTF-8" in result.output
    assert "Traceback" not in result.output


def test_district_councils_import_replace_and_validate(app, tmp_path):
    path = write(tmp_path, "dc.csv", COUNCILS)
    first = run(app, "district-councils", "import", path)
    assert first.exit_code == 0, first.output
    assert "65 created" in first.output
    again = run(app, "district-councils", "import", path)
    assert "0 created, 0 updated, 65 unchanged, 0 removed" in again.output
    with app.app_context():
        names = db.session.scalars(select(DistrictCouncilMember.name).where(
            DistrictCouncilMember.district == 14).order_by(DistrictCouncilMember.id)).all()
        assert names == ["Christopher M. Laurent", "Ashley Vargas", "David Orlikoff"]

    # District 14 only: a member left, another changed role; other districts untouched.
    only_14 = ("district,name,role_as_listed\n"
               "14,Christopher M. Laurent,Chair\n"
               "14,Ashley Vargas,Secretary\n")
    result = run(app, "district-councils", "import", write(tmp_path, "dc14.csv", only_14))
    assert result.exit_code == 0, result.output
    assert "0 created, 1 updated, 1 unchanged, 1 removed" in result.output
    with app.app_context():
        rows = db.session.execute(select(DistrictCouncilMember.name, DistrictCouncilMember.role)
                                  .where(DistrictCouncilMember.district == 14)
                                  .order_by(DistrictCouncilMember.id)).all()
        assert [tuple(r) for r in rows] == [("Christopher M. Laurent", "Chair"),
                                            ("Ashley Vargas", "Secretary")]
        assert db.session.scalar(select(func.count()).select_from(DistrictCouncilMember)) == 64

    before = snapshot(app, DistrictCouncilMember)
    bad = ("district,name,role\n"
           "13,Nobody,Chair\n"  # there is no 13th district
           "14,,Chair\n"
           "14,Ann Example,Chair\n"
           "14,ann example,Chair\n")
    result = run(app, "district-councils", "import", write(tmp_path, "bad.csv", bad))
    assert result.exit_code != 0
    assert "line 2: police district 13 does not exist" in result.output
    assert "line 3: name is missing" in result.output
    assert "line 5: ann example is already listed for district 14 on line 4" in result.output
    assert snapshot(app, DistrictCouncilMember) == before


def test_seed_demo_loads_the_rosters_once(app):
    first = run(app, "seed-demo")
    second = run(app, "seed-demo")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "Alders: 50 created" in first.output
    assert "Alders: 0 created, 0 updated, 50 unchanged" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ward)) == 50
        assert db.session.scalar(select(func.count()).select_from(Alder)) == 50
        assert db.session.scalar(
            select(func.count()).select_from(DistrictCouncilMember)) == 65
        assert db.session.scalar(select(func.count()).select_from(Legislator)) == 60
    assert "State legislators: 60 created" in first.output
    assert "State legislators: 0 created, 0 updated, 60 unchanged" in second.output
