"""Attacks on `flask legislators import` (and the rosters' shared reader): hostile files are
refused whole, with the line and what is wrong, and change nothing; the good ones load."""

import pytest

from petition.models import Alder, Legislator
from tests.test_legislators import SHIPPED, seat
from tests.test_rosters import ALDERS, edit_csv, run, snapshot, write

HEADER = "chamber,district,name,party,email,phone,office_address,website\n"
ROW = "house,1,Ana Ruiz,Democratic,ana@example.org,773-236-0117,1 Main St,https://x.org/a\n"
TAIL = "senate,2,Bo Li,Republican,bo@example.org,,,\n"


@pytest.fixture
def loaded(app, tmp_path):
    """The shipped roster loaded: a bad file must leave it exactly as it is."""
    assert run(app, "legislators", "import", write(tmp_path, "ga.csv", SHIPPED)).exit_code == 0
    return snapshot(app, Legislator)


def _refused(app, tmp_path, loaded, data, *messages):
    result = run(app, "legislators", "import", write(tmp_path, "bad.csv", data))
    assert result.exit_code == 1, result.output
    assert "nothing was changed" in result.output
    for message in messages:
        assert message in result.output, result.output
    assert snapshot(app, Legislator) == loaded
    return result.output


@pytest.mark.parametrize("data, message", [
    # An unclosed quote swallowed the rest of the file into one cell: the name (or, with
    # line breaks joined, the office address) took the rows after it, which were lost.
    (HEADER + 'house,1,"Ana Ruiz,Democratic,ana@example.org,,,\n',
     "line 2: this row cannot be read as CSV"),
    (HEADER + 'house,1,Ana Ruiz,D,ana@example.org,,"1 Main St\n' + TAIL + TAIL,
     "line 2: this row cannot be read as CSV"),
    (HEADER + 'house,1,"Ana" Ruiz,D,ana@example.org,,,\n', "line 2: this row cannot be read"),
    # Formulas saved as their text, in every kind of cell.
    (HEADER + 'house,1,"=HYPERLINK(""http://x"",""y"")",D,a@example.org,,,\n',
     "line 2: name '=HYPERLINK"),
    (HEADER + "house,1,Ana Ruiz,=1+1,a@example.org,,,\n", "line 2: party '=1+1' is a spreadsheet"),
    (HEADER + "house,1,Ana Ruiz,D,a@example.org,,@SUM(A1),\n", "office address '@SUM(A1)'"),
    (HEADER + "house,1,=cmd|' /C calc'!A0,D,a@example.org,,,\n", "is a spreadsheet formula"),
    # Districts that do not exist, written every way.
    (HEADER + "house,0,Ana,D,a@example.org,,,\n", "House district 0 does not exist"),
    (HEADER + "house,119,Ana,D,a@example.org,,,\n", "House district 119 does not exist"),
    (HEADER + "senate,60,Ana,D,a@example.org,,,\n", "Senate district 60 does not exist"),
    (HEADER + "house,-1,Ana,D,a@example.org,,,\n", "is not a whole number"),
    (HEADER + "house,1e3,Ana,D,a@example.org,,,\n", "is not a whole number"),
    (HEADER + "senate,٣,Ana,D,a@example.org,,,\n", "is not a whole number"),
    (HEADER + "house," + "9" * 400 + ",Ana,D,a@example.org,,,\n", "does not exist"),
    (HEADER + "assembly,1,Ana,D,a@example.org,,,\n", "is not house or senate"),
    # The same seat twice, spelled differently.
    (HEADER + ROW + "House,01,Bob,D,b@example.org,,,\n", "line 3: house district 1 is already"),
    # Control characters, line separators, huge cells.
    (HEADER + "house,1,An\x00a,D,a@example.org,,,\n", "name contains control characters"),
    (HEADER + "house,1,Ana\u2028Bcc: x@example.org,D,a@example.org,,,\n",
     "name contains control characters"),
    (HEADER + 'house,1,Ana,D,"a@example.org\r\nBcc: x@example.org",,,\n',
     "email contains control characters"),
    (HEADER + "house,1," + "A" * 200_000 + ",D,a@example.org,,,\n", "name is longer than"),
    (HEADER + "house,1," + "A" * 121 + ",D,a@example.org,,,\n", "longer than 120"),
    (HEADER + "house,1,Ana,D,a@example.org,,,javascript:alert(1)\n", "must be a web address"),
    (HEADER, "the file has no rows"),
    ("", "the file is empty or has no header row"),
])
def test_hostile_rosters_are_refused_whole(app, tmp_path, loaded, data, message):
    _refused(app, tmp_path, loaded, data.encode("utf-8"), message)


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1", "cp1252"])
def test_a_roster_in_another_encoding_is_refused(app, tmp_path, loaded, encoding):
    data = (HEADER + ROW.replace("Ana Ruiz", "Aarón Ortíz")).encode(encoding)
    _refused(app, tmp_path, loaded, data, "is not UTF-8 text")


def test_a_roster_over_the_size_limit_is_refused(app, tmp_path, loaded):
    data = (HEADER + ROW * 30_000).encode()  # over 2 MB
    _refused(app, tmp_path, loaded, data, "larger than")


@pytest.mark.parametrize("ending", ["\r\n", "\r", "\n"])
def test_a_byte_order_mark_and_any_line_ending_load(app, tmp_path, loaded, ending):
    text = "\ufeff" + (HEADER + ROW + TAIL).replace("\n", ending)
    result = run(app, "legislators", "import", write(tmp_path, "ok.csv", text))
    assert result.exit_code == 0, result.output
    assert "0 created, 2 updated" in result.output
    assert seat(app, "house", 1).name == "Ana Ruiz" and seat(app, "senate", 2).name == "Bo Li"


def test_a_formula_in_the_alder_roster_is_refused_too(app, tmp_path):
    def hostile(rows):
        rows[1][rows[0].index("alderperson")] = '=HYPERLINK("http://x","Daniel")'

    assert run(app, "alders", "import", write(tmp_path, "a.csv", ALDERS)).exit_code == 0
    before = snapshot(app, Alder)
    result = run(app, "alders", "import", write(tmp_path, "b.csv", edit_csv(ALDERS, hostile)))
    assert result.exit_code == 1 and "is a spreadsheet formula" in result.output
    assert snapshot(app, Alder) == before
