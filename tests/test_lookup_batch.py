"""flask lookup batch IN.csv OUT.csv: paper signatures typed in by organizers."""

import csv

import pytest

from petition.lookup.batch import NEW_COLUMNS

ROWS = [
    ("Ana", "1958 N Milwaukee Ave", "60647", "a note, with a comma"),
    ("Bo", "1250 S Indiana Ave", "", ""),
    ("Cy", "1958 N Millwakie Ave", "", ""),
    ("Di", "1600 Chicago Ave, Evanston, IL", "", ""),
    ("Ed", "", "", "no address given"),
    ("Fe", "100 Chicago Ave", "", ""),
    ("Gus", "5000 N Sheridan", "60640", "ZIP in its own column"),
]


def write_csv(path, header, rows, bom=False):
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def batch(app, *args):
    return app.test_cli_runner().invoke(args=["lookup", "batch", *map(str, args)])


@pytest.mark.parametrize("bom", [False, True])
def test_columns_kept_and_filled(rosters, tmp_path, bom):
    src = write_csv(tmp_path / "in.csv", ["name", "address", "zip", "notes"], ROWS, bom=bom)
    result = batch(rosters, src, tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "out.csv")
    assert list(rows[0]) == ["name", "address", "zip", "notes", *NEW_COLUMNS]
    assert [(r["name"], r["address"], r["zip"], r["notes"]) for r in rows] == ROWS
    ana, bo, cy, di, ed, fe, gus = rows
    assert (ana["ward"], ana["alder"], ana["match"], ana["confidence"]) == \
        ("1", "Daniel La Spata", "interpolated", "high")
    assert ana["lon"].startswith("-87.68") and ana["lat"].startswith("41.91")
    assert ana["police_district"] == "14"
    assert (ana["state_house"], ana["state_senate"]) == ("3", "2")
    for row in (cy, di, ed, fe):  # no Chicago place, no districts
        assert (row["state_house"], row["state_senate"]) == ("", "")
    assert (bo["ward"], bo["confidence"], bo["candidate_wards"]) == ("34", "near_boundary",
                                                                     "3 34")
    assert (cy["ward"], cy["match"], cy["error"]) == ("", "none", "unknown_street")
    assert "1958 N MILWAUKEE AVE" in cy["suggestions"]
    assert (di["ward"], di["error"]) == ("", "outside_chicago")
    assert (ed["ward"], ed["error"]) == ("", "empty")
    assert (fe["ward"], fe["error"], fe["candidate_wards"]) == ("", "ambiguous_street", "2 42")
    assert gus["ward"] == "48" and gus["match"] == "exact"
    # Counts by match quality at the end.
    out = result.output
    assert "7 addresses in" in out
    assert "ward found: 3" in out
    assert "match exact         2" in out and "match interpolated  1" in out
    assert "confidence near_boundary 1" in out
    assert "no ward: 4" in out and "outside_chicago          1" in out
    with open(tmp_path / "out.csv", "rb") as fh:
        assert fh.read(3) == b"\xef\xbb\xbf" if bom else fh.read(3) != b"\xef\xbb\xbf"


def test_missing_address_column_is_a_clean_error(app, tmp_path):
    src = write_csv(tmp_path / "in.csv", ["name", "street"], [("Ana", "1958 N Milwaukee")])
    result = batch(app, src, tmp_path / "out.csv")
    assert result.exit_code != 0
    assert "there is no 'address' column (the header has: name, street)" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.csv").exists()


def test_existing_result_columns_are_not_overwritten(app, tmp_path):
    src = write_csv(tmp_path / "in.csv", ["Address", "Ward"], [("1958 N Milwaukee Ave", "7")])
    result = batch(app, src, tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    assert "the look-up's is 'ward_lookup'" in result.output
    assert "no alder roster is loaded" in result.output
    (row,) = read_csv(tmp_path / "out.csv")
    assert row["Ward"] == "7" and row["ward_lookup"] == "1" and row["alder"] == ""


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"name,address\nAna,1958 N Milwaukee,extra\n", "more cells than the header"),
    (b"address\n1958 N Milwaukee \xff Ave\n", "not UTF-8"),
    (b"address,Address\nx,y\n", "several 'address' columns"),
])
def test_bad_files_are_clean_errors(app, tmp_path, content, message):
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    result = batch(app, src, tmp_path / "out.csv")
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def test_short_rows_and_trailing_empty_cells_are_fine(app, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("name,address,notes\nAna,1958 N Milwaukee Ave\nBo,5000 N Sheridan Rd,,,\n",
                   encoding="utf-8")
    result = batch(app, src, tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "out.csv")
    assert [(r["name"], r["notes"], r["ward"]) for r in rows] == [("Ana", "", "1"),
                                                                  ("Bo", "", "48")]


def test_worker_processes_give_the_same_file(rosters, tmp_path):
    addresses = ["1958 N Milwaukee Ave", "1250 S Indiana Ave", "1958 N Millwakie Ave", "",
                 "100 Chicago Ave", "1600 Chicago Ave, Evanston, IL"]
    rows = [(str(i), f"{1000 + i} N Milwaukee Ave" if i % 7 else addresses[i % 6])
            for i in range(900)]
    src = write_csv(tmp_path / "in.csv", ["id", "address"], rows)
    one = batch(rosters, "--workers", "1", src, tmp_path / "one.csv")
    two = batch(rosters, "--workers", "2", src, tmp_path / "two.csv")
    assert one.exit_code == 0 and two.exit_code == 0, one.output + two.output
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    assert [r["id"] for r in read_csv(tmp_path / "two.csv")] == [str(i) for i in range(900)]
    assert "900 addresses in" in two.output


def test_messy_rows_get_the_same_answer_as_the_look_up(rosters, tmp_path):
    rows = [("1", "1958 N Milwakee Ave #3F", ""), ("2", "1958 Milwaukee Ave North IL", ""),
            ("3", "1958 n milwaukee ave", "60647-1234")]
    src = write_csv(tmp_path / "in.csv", ["id", "address", "zip"], rows)
    result = batch(rosters, src, tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    out = read_csv(tmp_path / "out.csv")
    assert [(r["ward"], r["match"], r["normalized_address"]) for r in out] == [
        ("1", "corrected", "1958 N MILWAUKEE AVE"), ("1", "interpolated", "1958 N MILWAUKEE AVE"),
        ("1", "interpolated", "1958 N MILWAUKEE AVE")]
