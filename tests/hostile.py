"""A corpus of hostile strings that every public form and API must survive."""

HOSTILE_STRINGS = [
    "",
    " ",
    "\x00",
    "Ana\x00Díaz",
    "\x07\x1b[31mred\x1b[0m",
    "line\nbreak",
    "tab\there",
    "\r\nBcc: victim@example.org",
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e\u2066mark\u2069",  # RTL/LTR marks and isolates
    "\ufeffbom",
    "Zoë 🏳️‍🌈 👩🏽‍🔧",
    "𝕬𝖓𝖆",
    "ﷺ" * 40,
    "A" * 10_000,
    "x" * 100_001,
    "' OR '1'='1' --",
    "'; DROP TABLE signatures; --",
    "Robert'); DELETE FROM petitions;--",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ config }}",
    "{% raw %}{{ 7*7 }}{% endraw %}",
    "${7*7}",
    "%00%0d%0a",
    "../../etc/passwd",
    "\ud800",  # a lone surrogate (only reachable through JSON or Python)
    "\uffff\ufffe",
    "=HYPERLINK(\"http://x\",\"y\")",
    "+1-312-555-0100",
    "@SUM(A1:A9)",
]



def _encodable(value):
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# What a browser can send as text (a lone surrogate has no UTF-8 form; its bytes are below).
HOSTILE_TEXT = [v for v in HOSTILE_STRINGS if _encodable(v)]

# Raw bytes that are not valid UTF-8, for form bodies.
BROKEN_UTF8 = [b"\xff\xfe\xfd", b"Ana \xc3\x28", b"\xed\xa0\x80", b"\xf0\x28\x8c\xbc"]

# For organizer forms and query parameters (tests/test_organizer_hostile.py): one of each
# kind, numbers that are not numbers among them.
HOSTILE_INPUT = [
    "",
    "\x00",
    "Ana\x00Díaz",
    "line\r\nbreak",
    "A" * 10_000,
    "\u202eevil\u202c",
    "\u200b",
    "<script>alert(1)</script>",
    "' OR '1'='1' --",
    "%_%",
    "=cmd|' /C calc'!A0",
    "-1",
    "⁰⁴⁵",
    "٤٥",
    "2147483648",  # one past PostgreSQL's integer
    "9" * 39,
    "9" * 70,
    "1e309",
    "9999-12-31T23:59",  # valid dates at the ends of what Python can hold
    "0001-01-01T00:00",
]

# Invalid UTF-8 as percent-escapes, sent as they are in a query string or form body.
BROKEN_ESCAPES = ["%ff%fe%fd", "Ana%20%c3%28", "%ed%a0%80", "%f0%28%8c%bc"]
