"""The shipped data files and the prebuilt index agree with their sources."""

import csv
import gzip
import io
import json

import numpy as np
import pytest

from petition.geo.legislative import read_npz
from petition.geo.names import canonical_name
from scripts.build_geo_data import DEFAULT_OUT, INDEX_NAME, SHIPPED, build_index, read_csv


@pytest.fixture(scope="module")
def index():
    return read_npz(DEFAULT_OUT / INDEX_NAME)


def test_all_shipped_files_present():
    for _, shipped in SHIPPED:
        assert (DEFAULT_OUT / shipped).exists(), shipped
    assert (DEFAULT_OUT / "SOURCES.md").exists()


def test_row_counts(index):
    addr = read_csv(DEFAULT_OUT / "chicago_address_points.csv.gz")
    assert len(addr) == 267_987
    city = read_csv(DEFAULT_OUT / "chicago_city_geocoder_addresses.csv.gz")
    assert len(city) == 3_810
    n_addr, n_city, _n_inter = index["counts"].tolist()
    # Every distinct (street, number) of the address points is in the index; rows merge
    # only where two spellings of one street (DR MARTIN L KING JR / DR MARTIN LUTHER KING
    # JR, LAKE SHORE / DUSABLE LAKE SHORE) carry the same number.
    distinct = {(r["street_dir"], canonical_name(r["street_name"]), r["street_type"],
                 int(r["house_number"])) for r in addr}
    assert n_addr == len(distinct)
    assert 267_000 <= n_addr <= 267_987
    assert len(index["pt_num"]) >= n_addr + n_city
    assert n_city > 200  # City-geocoder points not already in the permit points
    assert len(read_csv(DEFAULT_OUT / "chicago_intersections.csv.gz")) == 24_048
    assert len(read_csv(DEFAULT_OUT / "chicago_street_names_2017.csv.gz")) == 2_582
    assert len(read_csv(DEFAULT_OUT / "chicago_alders.csv")) == 50
    assert len(read_csv(DEFAULT_OUT / "chicago_district_council_members_2023.csv")) == 65
    assert sorted(index["ward_num"].tolist()) == list(range(1, 51))
    assert len(index["dist_num"]) == 22


def test_wards_are_the_2023_map():
    with gzip.open(DEFAULT_OUT / "chicago_wards_2023.geojson.gz", "rt") as fh:
        fc = json.load(fh)
    props = fc["features"][0]["properties"]
    assert "ward_id" in props and "edit_date" in props  # 2023 dataset fields (p293-wvbd)
    assert len(fc["features"]) == 50


def test_index_is_reproducible(index):
    rebuilt = build_index(DEFAULT_OUT)
    assert sorted(rebuilt) == sorted(index)
    for k in rebuilt:
        assert np.array_equal(rebuilt[k], index[k]), k


def test_alders_csv_is_a_plain_copy():
    with open(DEFAULT_OUT / "chicago_alders.csv", newline="") as fh:
        rows = list(csv.DictReader(io.StringIO(fh.read())))
    assert rows[0]["ward"] == "1"
