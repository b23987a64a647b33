"""Server-side ward maps: valid XML, escaped, accessible, small."""

import xml.etree.ElementTree as ET

import pytest

from petition.geo import Geocoder
from petition.maps.svg import MapInputError, WardMaps

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = 'Ward <script>alert("x")</script> & \x00\x07 \ud800 ]]> \'q\''


@pytest.fixture(scope="module")
def maps():
    return WardMaps.from_geocoder(Geocoder.default())


def parse(svg):
    return ET.fromstring(svg)  # raises on invalid XML


def test_city_map_is_valid_small_and_has_every_ward(maps):
    svg = maps.city(title="Chicago's wards", id="city",
                    links={n: f"/lookup?ward={n}&x=1" for n in range(1, 51)})
    root = parse(svg)
    assert len(svg.encode()) < 60_000
    assert root.tag == SVG + "svg"
    paths = root.findall(f".//{SVG}path")
    assert len(paths) == 50
    links = root.findall(f".//{SVG}a")
    assert [a.get("href") for a in links][:2] == ["/lookup?ward=1&x=1", "/lookup?ward=2&x=1"]
    assert all(a.get("aria-label", "").startswith("Ward ") for a in links)
    # Interactive maps are a group (links stay reachable); titles label the map.
    assert root.get("role") == "group"
    title = root.find(f"{SVG}title")
    assert title.text == "Chicago's wards"
    assert root.get("aria-labelledby") == title.get("id")
    assert "style=" not in svg and "<script" not in svg


def test_city_map_without_links_is_an_image_and_takes_fill_colours(maps):
    svg = maps.city(title="Signatures per ward", id="choro",
                    fills={1: "#08519c", 2: "rgb(10, 20, 30)", 3: "teal"},
                    classes={1: "level-5"}, highlight=[2], labels=False)
    root = parse(svg)
    assert root.get("role") == "img"
    paths = root.findall(f".//{SVG}path")
    by_title = {p.find(f"{SVG}title").text: p for p in paths}
    assert by_title["Ward 1"].get("fill") == "#08519c"
    assert by_title["Ward 1"].get("class") == "ward level-5"
    assert by_title["Ward 2"].get("fill") == "rgb(10, 20, 30)"
    assert "ward-highlight" in by_title["Ward 2"].get("class")
    assert by_title["Ward 3"].get("fill") == "teal"
    assert root.findall(f".//{SVG}text") == []


def test_everything_given_is_escaped(maps):
    svg = maps.city(title=HOSTILE, id="hostile", desc=HOSTILE, titles={1: HOSTILE},
                    links={1: '/lookup?ward=1&q="><script>'})
    root = parse(svg)
    assert "<script" not in svg
    title = root.find(f"{SVG}title").text
    assert "<script>" in title and "\x00" not in title  # kept as text, not markup
    link = root.find(f".//{SVG}a")
    assert link.get("href") == '/lookup?ward=1&q="><script>'
    for svg in (maps.ward(1, title=HOSTILE, id="w", point=(-87.68, 41.91),
                          point_label=HOSTILE, desc=HOSTILE),
                maps.candidates([3, 34], point=(-87.622667, 41.866091), title=HOSTILE,
                                id="c", labels={3: HOSTILE}, links={3: "?ward=3&a=<b>"})):
        parse(svg)
        assert "<script" not in svg


@pytest.mark.parametrize("bad", [
    {"fills": {1: 'red" onload="alert(1)'}},
    {"fills": {1: "url(javascript:alert(1))"}},
    {"classes": {1: 'x" onclick="y'}},
    {"links": {1: "javascript:alert(1)"}},
    {"links": {1: "//evil.example/"}},
    {"id": 'x" onload="y'},
])
def test_unsafe_colours_classes_links_and_ids_are_refused(maps, bad):
    kwargs = {"title": "t", "id": "ok"}
    kwargs.update(bad)
    with pytest.raises(MapInputError):
        maps.city(**kwargs)


def test_single_ward_map_has_the_point_inside_the_view(maps):
    svg = maps.ward(1, title="Ward 1", id="w1", point=(-87.687829, 41.9169393))
    root = parse(svg)
    assert root.get("role") == "img"
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    circles = root.findall(f".//{SVG}circle")
    assert circles
    for c in circles:
        assert 0 <= float(c.get("cx")) <= width and 0 <= float(c.get("cy")) <= height
    assert len(svg) < 20_000


def test_candidate_map_labels_the_candidate_wards(maps):
    svg = maps.candidates([3, 34], point=(-87.622667, 41.866091), title="Near a line",
                          id="cand", labels={3: "Ward 3", 34: "Ward 34"},
                          links={3: "/lookup?ward=3", 34: "/lookup?ward=34"})
    root = parse(svg)
    labels = [t.text for t in root.findall(f".//{SVG}text")]
    assert labels == ["Ward 3", "Ward 34"]
    assert {a.get("href") for a in root.findall(f".//{SVG}a")} == {"/lookup?ward=3",
                                                                   "/lookup?ward=34"}
    assert len(svg) < 20_000


def test_unknown_ward_is_an_input_error(maps):
    with pytest.raises(MapInputError):
        maps.ward(51, title="x", id="x")
