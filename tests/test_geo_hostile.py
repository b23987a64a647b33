"""Hostile or junk input never raises and always yields a result with an error."""

import importlib
import itertools
import random

import pytest

from petition.geo import Geocoder, LookupResult

P = importlib.import_module("petition.geo.parse")

HOSTILE = [
    "", " ", "\t\n", "\x00", "1958 N Milwaukee\x00 Ave", "\x1b[31m1958 N Milwaukee Ave",
    "A" * 10_000, "1958 N Milwaukee Ave " * 600, "9" * 5000, "1958 " + "N " * 3000,
    "\ud800", "1958 N Milwaukee \udfff Ave", "💥🔥🏠", "1958 N Milwaukee Ave 🏠",
    "'; DROP TABLE signatures; --", "1' OR '1'='1", "<script>alert(1)</script>",
    "<b>1958</b> N Milwaukee", "{{7*7}}", "${jndi:ldap://x}", "%00%0d%0a", "../../etc/passwd",
    "١٩٥٨ N Milwaukee Ave", "１９５８ Ｎ Ｍｉｌｗａｕｋｅｅ Ａｖｅ", "Ⅻ N Milwaukee",
    "-1 N Milwaukee Ave", "0 N Milwaukee Ave", "99999999999999999999 N Milwaukee Ave",
    "1958-1958-1958 N Milwaukee", "#####", ",,,,", "////", "----", "()()", "& & &",
    "1958 N Milwaukee Ave Apt 2 Apt 3 Apt 4 Chicago IL IL 60647 60647",
    "N N N N N", "AVE AVE AVE", "1958", "60647", "Chicago, IL", "Apt 2",
    "ONE TWO THREE", "1 1 1 1 1 1", "1958 N", "1958 N Ave", "1958 Ave O O O O",
]


@pytest.fixture(scope="module")
def geo():
    return Geocoder.default()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_never_raise(geo, text):
    r = geo.lookup_address(text)
    assert isinstance(r, LookupResult)
    d = r.to_dict()
    assert set(d) >= {"ward", "error", "confidence"}
    if r.ward is None:
        assert r.error is not None or r.candidate_wards
    assert r.confidence in ("high", "near_boundary", "none")


@pytest.mark.parametrize(
    "value", [None, 123, 4.5, b"1958 N Milwaukee Ave", ["x"], {"a": 1}, object()]
)
def test_non_strings(geo, value):
    r = geo.lookup_address(value)
    assert r.ward is None and r.error


def test_long_input_is_rejected_quickly(geo):
    r = geo.lookup_address("1958 N Milwaukee Ave " * 600)
    assert r.error == "too_long"


def test_random_bytes_fuzz(geo):
    rng = random.Random(7)
    alphabet = "0123456789 NSEWAVESTDR#,.-/&'\x00\ud800é🏠\n\t"
    for _ in range(300):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        r = geo.lookup_address(s)
        assert isinstance(r, LookupResult)
        assert r.error != "internal_error", s


def test_the_tagger_takes_every_short_string_of_cleaned_characters():
    # parse() calls usaddress unguarded: what clean_text leaves (letters, digits, spaces and
    # #-/,&'();) never makes it raise, alone or after a house number (intersections).
    alphabet = "A1 #-/,&'();"
    assert P.clean_text(alphabet) == alphabet
    for length in range(1, 5):
        for chars in itertools.product(alphabet, repeat=length):
            text = "".join(chars)
            assert isinstance(P._tag(text), list)
            assert isinstance(P._tag("1 " + text), list)
            assert isinstance(P.parse(text), P.ParsedAddress)
