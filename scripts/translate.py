"""Keep the Spanish catalogue in step: extract, update, fill from a dict, compile.

    python scripts/translate.py [TRANSLATIONS.py ...]

Each TRANSLATIONS.py defines a dict ES mapping an English msgid (or a (singular, plural)
pair) to its Spanish text (or pair), and may define ES_CONTEXT mapping (context, msgid) to
Spanish for messages the code marks with pgettext("letter", "Delivered"). Existing
translations are kept unless given again.
Prints the msgids still missing a translation and exits 1 if any are.
"""

import runpy
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "petition" / "translations" / "messages.pot"
PO = ROOT / "petition" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
PYBABEL = Path(sys.executable).with_name("pybabel")


def main(sources):
    subprocess.run([str(PYBABEL), "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
                    "-k", "lazy_gettext", "--sort-output", "--no-location", "-o", str(POT),
                    "."], check=True, cwd=ROOT)
    subprocess.run([str(PYBABEL), "-q", "update", "-i", str(POT), "-d",
                    str(PO.parent.parent.parent), "-l", "es", "--no-fuzzy-matching",
                    "--ignore-obsolete"], check=True, cwd=ROOT)
    given = {}
    for source in sources:
        module = runpy.run_path(source)
        given.update({(None, msgid): text for msgid, text in module.get("ES", {}).items()})
        given.update(module.get("ES_CONTEXT", {}))
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = (message.context, message.id)
        if key in given:
            message.string = given[key]
        filled = all(message.string) if isinstance(message.string, tuple) else message.string
        if not filled:
            missing.append(key)
        message.flags.discard("fuzzy")
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True)
    with MO.open("wb") as fh:
        write_mo(fh, catalog)
    for context, msgid in missing:
        print(f"missing: {msgid!r}" + (f" (context {context!r})" if context else ""))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
