"""The parser's fast path gives exactly what the CRF tagger path gives."""

import csv
import gzip
import importlib
import random
from pathlib import Path

from tests.hostile import HOSTILE_STRINGS

P = importlib.import_module("petition.geo.parse")
DATA = Path(__file__).resolve().parent.parent / "petition" / "data"


def corpus(n=20000, seed=7):
    rng = random.Random(seed)
    with gzip.open(DATA / "chicago_address_points.csv.gz", "rt", encoding="utf-8") as fh:
        rows = rng.sample(list(csv.DictReader(fh)), n // 2)
    texts = []
    for r in rows:
        base = " ".join(x for x in (r["house_number"], r["street_dir"], r["street_name"],
                                    r["street_type"]) if x)
        texts += [base, f"{base}, 606{rng.randint(0, 60):02d}",
                  base.lower().replace(" ave", " avenue") + " apt 2"]
    with gzip.open(DATA / "chicago_city_geocoder_addresses.csv.gz", "rt",
                   encoding="utf-8") as fh:
        texts += [r["input_address"] for r in csv.DictReader(fh)]
    return texts + list(HOSTILE_STRINGS) + [
        "1958 N Milwaukee Ave Evanston", "100 W St Louis Ave", "1 N State St Chicago IL",
        "5 W Park Ave", "12 E Oak St", "7 N Lincoln Park West", "4 S Broadway", "9 N Ave",
        "123 Main Street, 60201", "1600 W Chicago Ave Rear", "2000 N Ashland Ave 2R",
    ]


def test_fast_path_equals_the_tagger(monkeypatch):
    texts = corpus()
    with monkeypatch.context() as patch:
        patch.setattr(P, "_fast_tokens", lambda body: None)  # every text goes to the tagger
        slow = [P.parse(t) for t in texts]
    fast = [P.parse(t) for t in texts]
    differences = [(t, f, s) for t, f, s in zip(texts, fast, slow, strict=True) if f != s]
    assert differences == []


def test_fast_path_takes_the_common_shape_and_declines_the_rest():
    assert P._fast_tokens("1958 N MILWAUKEE AVE") is not None
    assert P._fast_tokens("1958 N MILWAUKEE AVE, 60647") is not None
    assert P._fast_tokens("2233 S DR MARTIN LUTHER KING JR DR") is None  # six words: tagger
    for body in ("1958 N MILWAUKEE AVE APT 2", "4 S BROADWAY", "7 N LINCOLN PARK WEST",
                 "100 W ST LOUIS AVE", "1 N STATE ST CHICAGO IL", "1958 N MILWAUKEE"):
        assert P._fast_tokens(body) is None, body
