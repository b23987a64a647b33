"""Organizers' templates for letters and emails: placeholders in a locked-down Jinja.

An organizer's subject or body may use the placeholders in PLACEHOLDERS, `{% if %}` /
`{% elif %}` / `{% else %}`, comparisons, `and` / `or` / `not`, `~` and a few text filters.
Nothing else: no attribute or item access, calls, loops, macros, blocks, includes or
assignments, and no other names (`config`, `request`, `self`...). Templates are checked
when they are saved (the syntax, those rules, then a trial render with sample values) and
again every time they are rendered, in an ImmutableSandboxedEnvironment with StrictUndefined
and no globals: even a template stored before a rule existed cannot reach the app.
"""

import functools
import string

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.filters import FILTERS as JINJA_FILTERS
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

# What a template may name, with what each holds (all strings).
PLACEHOLDERS = (
    "alder_name",  # the signer's alder ("" outside Chicago or when not known)
    "greeting",  # "Dear Alder X" / "Dear Representative X and Senator Y" ("" for nobody)
    "ward",  # the signer's ward number ("" when none)
    "first_name",
    "last_name",
    "full_name",
    "address",  # the street address the signer gave
    "petition_title",
    "petition_url",
)
ALLOWED_FILTERS = ("upper", "lower", "title", "capitalize", "trim")
ALLOWED_NODES = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.If,
    nodes.CondExpr, nodes.Not, nodes.And, nodes.Or, nodes.Compare, nodes.Operand,
    nodes.Filter, nodes.Concat,
)
MAX_TEMPLATE_CHARS = 20_000
# Levels of the parsed template (filters, if blocks, and/or/not, ...): deep enough for any
# real template (an `or` over all 50 wards is about 55), shallow enough that Python
# compiles Jinja's output (at most 99 nested blocks, 200 nested brackets) and its stack
# holds the compiler and the render.
MAX_NESTING = 64

# Sample signers for the trial render: one in a ward, one outside Chicago.
SAMPLE_VALUES = (
    {"alder_name": "Daniel La Spata", "greeting": "Dear Alder Daniel La Spata", "ward": "1",
     "first_name": "Ana", "last_name": "Díaz", "full_name": "Ana Díaz",
     "address": "1958 N Milwaukee Ave"},
    {"alder_name": "", "greeting": "", "ward": "", "first_name": "Sam", "last_name": "Lee",
     "full_name": "Sam Lee", "address": "100 Main St, Evanston"},
)


class TemplateProblem(ValueError):
    """The template cannot be used; the message says why, for the organizer."""


def _environment():
    env = ImmutableSandboxedEnvironment(autoescape=False, undefined=StrictUndefined,
                                        keep_trailing_newline=True, auto_reload=False)
    env.globals.clear()  # no range, lipsum, cycler, joiner, namespace, dict
    env.filters = {name: JINJA_FILTERS[name] for name in ALLOWED_FILTERS}
    env.tests = {}
    return env


_ENV = _environment()

# What an organizer would call each construct that is not allowed, in their language.
CONSTRUCT_NAMES = {
    nodes.Getattr: _l("attribute access (.)"), nodes.Getitem: _l("item access ([])"),
    nodes.Call: _l("calls (...)"), nodes.For: _l("for loops"), nodes.Macro: _l("macros"),
    nodes.Block: _l("blocks"), nodes.Extends: _l("extends"), nodes.Include: _l("include"),
    nodes.Import: _l("import"), nodes.FromImport: _l("import"), nodes.Assign: _l("set"),
    nodes.AssignBlock: _l("set"), nodes.FilterBlock: _l("filter blocks"), nodes.With: _l("with"),
    nodes.CallBlock: _l("call blocks"), nodes.Test: _l("tests (is ...)"),
}


def placeholder_list():
    """'{{ alder_name }}, {{ ward }}, ...' for messages and help text."""
    return ", ".join("{{ " + name + " }}" for name in PLACEHOLDERS)


def _describe(node):
    """What an organizer would call a construct that is not allowed."""
    return CONSTRUCT_NAMES.get(type(node), type(node).__name__)


def _nodes_within_nesting(tree):
    """The tree's nodes, root first; TemplateProblem past MAX_NESTING levels. Walked with
    a list, not recursion, so that no depth can overflow the stack here."""
    pending = [(tree, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_NESTING:
            raise TemplateProblem(_("The template is nested too deeply."))
        yield node
        pending.extend((child, depth + 1) for child in reversed(list(node.iter_child_nodes())))


def check_rules(source):
    """Raise TemplateProblem unless `source` parses and uses only what is allowed."""
    if len(source) > MAX_TEMPLATE_CHARS:
        raise TemplateProblem(_("Use at most %(max)d characters.", max=MAX_TEMPLATE_CHARS))
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(_("The template has an error on line %(line)d: %(message)s",
                                line=exc.lineno or 1, message=exc.message or "")) from exc
    except RecursionError as exc:
        raise TemplateProblem(_("The template is nested too deeply.")) from exc
    for node in _nodes_within_nesting(tree):
        if not isinstance(node, ALLOWED_NODES):
            raise TemplateProblem(_("Templates cannot use %(what)s. Use placeholders such as "
                                    "{{ first_name }} and {%% if ward %%}...{%% endif %%}.",
                                    what=_describe(node)))
        if isinstance(node, nodes.Name) and (node.ctx != "load" or node.name not in PLACEHOLDERS):
            raise TemplateProblem(_("“%(name)s” is not a placeholder. Use one of: "
                                    "%(placeholders)s.", name=node.name,
                                    placeholders=placeholder_list()))
        if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            raise TemplateProblem(_("The filter “%(name)s” is not available. Use one of: "
                                    "%(filters)s.", name=node.name,
                                    filters=", ".join(ALLOWED_FILTERS)))


@functools.lru_cache(maxsize=128)
def _compiled(source):
    check_rules(source)
    try:
        return _ENV.from_string(source)
    except (RecursionError, MemoryError, SyntaxError) as exc:
        # Within the rules, yet more than Python's compiler takes: refused, not a 500.
        raise TemplateProblem(_("The template is nested too deeply.")) from exc


def render(source, values):
    """Render a template with `values` (PLACEHOLDERS -> strings); TemplateProblem if it
    breaks the rules or fails to render."""
    template = _compiled(source)
    missing = [name for name in PLACEHOLDERS if name not in values]
    if missing:
        raise ValueError(f"values missing for {missing}")
    try:
        return template.render({name: values[name] for name in PLACEHOLDERS})
    except SecurityError as exc:
        raise TemplateProblem(_("The template tried something that is not allowed.")) from exc
    except Exception as exc:  # TypeError comparing "32" > 10, UndefinedError...
        raise TemplateProblem(_("The template cannot be filled in: %(error)s",
                                error=str(exc))) from exc


def check(source, *, petition_title, petition_url, one_line=False):
    """Check a template as an organizer saves it: the rules, then a trial render with
    sample signers. Raises TemplateProblem; returns a sample rendering."""
    samples = []
    for sample in SAMPLE_VALUES:
        values = dict(sample, petition_title=petition_title, petition_url=petition_url)
        samples.append(render(source, values))
    if not samples[0].strip():
        raise TemplateProblem(_("With a sample signer, this comes out empty."))
    if one_line and any("\n" in s or "\r" in s for s in samples):
        raise TemplateProblem(_("This must stay on one line."))
    return samples[0]


def signer_values(signature, *, alder_name, greeting, petition_title, petition_url):
    """The placeholder values for one signer (`greeting` from lookup.greetings)."""
    first = signature.first_name or ""
    last = signature.last_name or ""
    return {
        "alder_name": alder_name or "",
        "greeting": greeting,
        "ward": str(signature.ward) if signature.ward is not None else "",
        "first_name": first,
        "last_name": last,
        "full_name": f"{first} {last}".strip(),
        "address": signature.address or "",
        "petition_title": petition_title,
        "petition_url": petition_url,
    }


_MARKDOWN_PUNCTUATION = set(string.punctuation)


def escape_markdown(value):
    """A value that Markdown shows as typed: every ASCII punctuation mark backslash-escaped,
    so a name like "[win](https://x)" or "**Ana**" is text, not a link or bold."""
    return "".join("\\" + ch if ch in _MARKDOWN_PUNCTUATION else ch for ch in value)


def one_line(text, limit):
    """A subject: white space collapsed to single spaces, cut to `limit` characters."""
    return " ".join(text.split())[:limit]
