"""Text shown to people goes through the catalogue: Babel can extract every message in the
code and the templates, and roster values shown on public pages have Spanish."""

import ast
import csv
from pathlib import Path

import pytest
from jinja2 import nodes

from petition.lookup.councils import ROLE_NAMES, role_name

ROOT = Path(__file__).resolve().parent.parent
# The names Babel extracts (its defaults plus babel.cfg's -k _l -k lazy_gettext).
EXTRACTED = {"_", "gettext", "ngettext", "pgettext", "npgettext", "N_", "_l", "lazy_gettext"}
GETTEXT_FUNCTIONS = {"gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext",
                     "lazy_ngettext", "lazy_pgettext"}
MESSAGE_ARGUMENT = {"pgettext": 1, "npgettext": 1, "lazy_pgettext": 1}
SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}


def python_problems(source, name="module.py"):
    """Where a Python module shows text Babel cannot extract: an f-string or other
    expression as a message, gettext imported under a name Babel does not know, or a
    helper that hands gettext out so that calls through it are invisible."""
    tree = ast.parse(source)
    problems, aliases = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("flask_babel", "babel.support"):
            for alias in node.names:
                if alias.name in GETTEXT_FUNCTIONS:
                    aliases[alias.asname or alias.name] = alias.name
                    if (alias.asname or alias.name) not in EXTRACTED:
                        problems.append(f"{name}:{node.lineno}: {alias.name} imported as "
                                        f"{alias.asname}, which Babel does not extract")
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            problems += [f"{name}:{node.lineno}: {call.func.id}() inside an f-string, which "
                         "Babel does not extract" for call in ast.walk(node)
                         if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                         and call.func.id in aliases]
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Name) \
                and node.value.id in aliases:
            problems.append(f"{name}:{node.lineno}: a helper returns {node.value.id}; "
                            "calls through it are not extracted")
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Call) and node.args and _is_text(node.args[0]):
            problems.append(f"{name}:{node.lineno}: text passed to the result of a call, "
                            "which Babel does not extract")
        if isinstance(node.func, ast.Name) and node.func.id in aliases:
            position = MESSAGE_ARGUMENT.get(aliases[node.func.id], 0)
            if len(node.args) > position and not _is_literal(node.args[position]):
                problems.append(f"{name}:{node.lineno}: {node.func.id}() of "
                                f"{ast.unparse(node.args[position])[:60]}, not a literal")
    return problems


def _is_literal(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_text(node):
    return _is_literal(node) or isinstance(node, ast.JoinedStr)


def template_problems(env, source, name="template.html"):
    """Where a template translates something that is not a literal message."""
    problems = []
    for call in env.parse(source).find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name in EXTRACTED | {"gettext"}):
            continue
        position = MESSAGE_ARGUMENT.get(call.node.name, 0)
        argument = call.args[position] if len(call.args) > position else None
        if not (isinstance(argument, nodes.Const) and isinstance(argument.value, str)):
            problems.append(f"{name}:{call.lineno}: {call.node.name}() of something that is "
                            "not a literal message")
    return problems


def test_every_python_message_can_be_extracted():
    problems = []
    for path in sorted((ROOT / "petition").rglob("*.py")):
        problems += python_problems(path.read_text(), str(path.relative_to(ROOT)))
    assert problems == []


def test_every_template_message_can_be_extracted(app):
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.*")):
        if path.suffix in (".html", ".txt"):
            problems += template_problems(app.jinja_env, path.read_text(),
                                          str(path.relative_to(ROOT)))
    assert problems == []


@pytest.mark.parametrize("source", [
    'from flask_babel import gettext as _\nx = _(f"Hello {name}")\n',
    'from flask_babel import gettext as _\nx = _("Hello " + name)\n',
    'from flask_babel import lazy_gettext as _l\nx = _l(label)\n',
    'from flask_babel import gettext as tr\nx = tr("Hello")\n',
    'from flask_babel import gettext\n\ndef _g():\n    return gettext\n\nx = _g()("Hello")\n',
    'from flask_babel import pgettext\nx = pgettext("letter", f"Sent {n}")\n',
    'from flask_babel import gettext as _\nx = f\'<title>{escape(_("Key"))}</title>\'\n',
])
def test_the_python_check_finds_text_babel_cannot_see(source):
    assert python_problems(source) != []


def test_the_python_check_passes_extractable_text():
    source = ('from flask_babel import gettext as _\nfrom flask_babel import pgettext\n'
              'x = _("Hello %(name)s", name=name)\ny = pgettext("letter", "Sent")\n'
              'z = f\'<title>{title}</title>\'\n')
    assert python_problems(source) == []


@pytest.mark.parametrize("source", ['{{ _(label) }}', '{{ _("Hello " ~ name) }}',
                                    '{{ pgettext("letter", word) }}'])
def test_the_template_check_finds_text_babel_cannot_see(app, source):
    assert template_problems(app.jinja_env, source) != []


def test_the_template_check_passes_extractable_text(app):
    source = '{{ _("Hello %(name)s", name=name) }} {{ pgettext("letter", "Sent") }}'
    assert template_problems(app.jinja_env, source) == []


def _roster_roles():
    path = ROOT / "petition" / "data" / "chicago_district_council_members_2023.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        return sorted({row["role_as_listed"] for row in csv.DictReader(fh)
                       if row["role_as_listed"].strip()})


def test_every_council_role_in_the_shipped_roster_has_spanish(app):
    roles = _roster_roles()
    assert roles  # the roster has roles, so this can fail
    with app.test_request_context("/", headers=SPANISH):
        untranslated = [role for role in roles if str(role_name(role)) == role]
    assert untranslated == []


def test_every_known_role_has_spanish(app):
    with app.test_request_context("/", headers=SPANISH):
        untranslated = [key for key, name in ROLE_NAMES.items()
                        if str(name) == str(name._args[0])]
    assert untranslated == []
