"""The Spanish catalogue follows petition/translations/GLOSSARY.md where a machine can tell."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from petition.web.templating import chicago_date, chicago_time, number

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "petition" / "translations" / "es" / "LC_MESSAGES" / "messages.po"


def _spanish():
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            yield message.id, text or ""


SPANISH = list(_spanish())

# (what is wrong, a pattern that finds it)
SPAIN_NOT_CHICAGO = [
    ("« » quotes: use “ ”", re.compile(r"[«»]")),
    ("\"pulse\"/\"presione\": use \"oprima\" or \"toque\"",
     re.compile(r"\b(pulse|presione)\b", re.IGNORECASE)),
    ("10.000 style: Chicago writes 10,000", re.compile(r"(?<![\d.])\d{1,3}(\.\d{3})+(?![\d.])")),
    ("\"u W\": it is \"o W\"", re.compile(r"\bu W\b")),
    ("bare \"Consejo(s) de Distrito\": the ward's council; say \"… de Distrito Policial\"",
     re.compile(r"Consejos? de Distrito(?! Policial)")),
    ("\"oficina del distrito\": say \"oficina del concejal\"",
     re.compile(r"oficina del distrito", re.IGNORECASE)),
    ("\"abarca\": a ward includes parts of police districts", re.compile(r"\babarca")),
]


@pytest.mark.parametrize("rule, pattern", SPAIN_NOT_CHICAGO, ids=[r for r, _ in SPAIN_NOT_CHICAGO])
def test_the_catalogue_speaks_chicago_spanish(rule, pattern):
    offending = [(msgid, text) for msgid, text in SPANISH if pattern.search(text)]
    assert offending == [], rule


def test_every_opened_question_and_exclamation_closes():
    unclosed = [text for _, text in SPANISH
                if text.count("¿") > text.count("?") or text.count("¡") > text.count("!")]
    assert unclosed == []


def test_the_glossary_checker_catches_what_it_should():
    """The rules above find the slips the native reader found (so the test can fail)."""
    slips = ["Firmé «Hola»", "pulse el botón", "de 1 a 10.000.000", "agregue N, S, E u W",
             "Su Consejo de Distrito electo:", "la oficina del distrito", "abarca los"]
    for slip in slips:
        assert any(p.search(slip) for _, p in SPAIN_NOT_CHICAGO), slip
    assert not any(p.search("Su Consejo de Distrito Policial y 10,000 firmas")
                   for _, p in SPAIN_NOT_CHICAGO)


def test_the_glossary_is_there():
    glossary = (ROOT / "petition" / "translations" / "GLOSSARY.md").read_text()
    for entry in ("| ward | distrito", "| alder | concejal / concejala",
                  "| police district | distrito policial", "Consejo de Distrito Policial",
                  "| ward office | oficina del concejal"):
        assert entry in glossary


# English term in the msgid -> what its Spanish must say (GLOSSARY.md)
TERMS = [
    (re.compile(r"District Councils?\b"), re.compile(r"Consejos? de Distrito Policial")),
    (re.compile(r"police districts?", re.IGNORECASE),
     re.compile(r"distritos? policial(es)?", re.IGNORECASE)),
    (re.compile(r"ward office", re.IGNORECASE), re.compile(r"oficina del concejal", re.IGNORECASE)),
    (re.compile(r"^Flagged"), re.compile(r"en revisión")),
]


@pytest.mark.parametrize("english, spanish", TERMS, ids=[e.pattern for e, _ in TERMS])
def test_glossary_terms_are_translated_the_same_way_everywhere(english, spanish):
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    stray = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid, text in zip(ids, strings, strict=False):
            if msgid and english.search(msgid) and not spanish.search(text or ""):
                stray.append((msgid, text))
    assert stray == []


SPANISH_PAGE = {"Accept-Language": "es-MX,es;q=0.9"}


def test_numbers_and_dates_as_chicago_writes_them(app):
    moment = datetime(2026, 11, 24, 20, 5)  # naive UTC: 2:05 p.m. in Chicago
    with app.test_request_context("/", headers=SPANISH_PAGE):
        assert number(10_000_000) == "10,000,000"
        assert chicago_time(moment).replace("\u202f", " ") == \
            "24 de noviembre de 2026, 2:05 p.m."
        assert chicago_date(moment) == "24 de noviembre de 2026"
    with app.test_request_context("/"):
        assert number(10_000_000) == "10,000,000"
        assert chicago_time(moment).replace("\u202f", " ") == "November 24, 2026, 2:05 PM"
