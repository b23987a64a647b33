"""Where a signature came from: a short token on the petition link (`?source=whatsapp`,
or the usual `utm_source`), carried through the sign form and stored on the signature."""

import re

# Lower-case letters, digits, "-" and "_", starting with a letter or digit (so never a
# spreadsheet formula in an export), at most this long.
MAX_LENGTH = 40
SOURCE_PATTERN = re.compile(rf"^[a-z0-9][a-z0-9_-]{{0,{MAX_LENGTH - 1}}}$")
# What paper signatures typed in by organizers carry.
PAPER = "paper"


def clean_source(value):
    """`value` as a source token, or None when it is not a short, safe token or is the
    paper one (never an error: a signer cannot help what their link said)."""
    if not isinstance(value, str):
        return None
    token = value.strip().lower()
    # "paper" marks the rows organizers type in: a link must not pass for one.
    return token if SOURCE_PATTERN.match(token) and token != PAPER else None


def source_from_args(args):
    """The source a petition link names: `source`, else `utm_source`, else None."""
    return clean_source(args.get("source")) or clean_source(args.get("utm_source"))
