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
