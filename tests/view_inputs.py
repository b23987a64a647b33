"""What a view reads from the request, found in its source (so a new field or parameter is
walked by tests/test_organizer_hostile.py without anyone listing it), and the forms a page
shows with their current values."""

import ast
import inspect
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser

from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

# Our own functions that read the query parameter their first argument names.
QUERY_READERS = {"id_arg"}
_MULTIDICTS = {"args": "query", "form": "form"}


@dataclass
class ViewInputs:
    """Names a view reads: query parameters, and fields of the form it receives."""

    query: set = field(default_factory=set)
    form: set = field(default_factory=set)


def form_fields(form_class):
    """The field names of a WTForms class, the CSRF token included (Flask-WTF adds it)."""
    names = {name for name in dir(form_class)
             if isinstance(getattr(form_class, name, None), UnboundField)}
    return names | {"csrf_token"}


def _module_functions(module):
    tree = ast.parse(inspect.getsource(module))
    return {node.name: node for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _request_multidict(node):
    """"query" / "form" when `node` is request.args / request.form, else None."""
    if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "request"):
        return _MULTIDICTS.get(node.attr)
    return None


def _first_string(call):
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(
            call.args[0].value, str):
        return call.args[0].value
    return None


def _form_class(module, name):
    value = getattr(module, name, None)
    return value if inspect.isclass(value) and issubclass(value, FlaskForm) else None


def _read(module, functions, node, found, seen):
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            callee = inner.func
            where = _request_multidict(callee.value) if isinstance(
                callee, ast.Attribute) else None
            name = _first_string(inner)
            if where and callee.attr in ("get", "getlist") and name:
                getattr(found, where).add(name)
            elif isinstance(callee, ast.Name) and callee.id in QUERY_READERS and name:
                found.query.add(name)
            elif isinstance(callee, ast.Name) and _form_class(module, callee.id) and \
                    "request.args" in ast.unparse(inner):
                found.query |= form_fields(_form_class(module, callee.id)) - {"csrf_token"}
            elif isinstance(callee, ast.Name) and callee.id in functions and \
                    callee.id not in seen:
                seen.add(callee.id)
                _read(module, functions, functions[callee.id], found, seen)
        elif isinstance(inner, ast.Subscript) and _request_multidict(inner.value) and \
                isinstance(inner.slice, ast.Constant):
            getattr(found, _request_multidict(inner.value)).add(inner.slice.value)
        elif isinstance(inner, ast.Name) and _form_class(module, inner.id):
            found.form |= form_fields(_form_class(module, inner.id))


def view_inputs(view):
    """The query parameters and form fields `view` (and the helpers of its module that
    it calls) reads: request.args / request.form look-ups, QUERY_READERS, and the fields
    of every form class it names (built from request.args: query parameters)."""
    function = inspect.unwrap(view)
    module = sys.modules[function.__module__]
    functions = _module_functions(module)
    found = ViewInputs()
    _read(module, functions, functions[function.__name__], found, {function.__name__})
    return found


class _Forms(HTMLParser):
    """Every <form> of a page: its action, method and fields with their current values."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "",
                               "method": (attrs.get("method") or "get").upper(),
                               "fields": {}})
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self.forms[-1]["fields"].setdefault(attrs["name"], [])
            elif kind not in ("submit", "button", "image", "file"):
                self.forms[-1]["fields"].setdefault(attrs["name"], []).append(
                    attrs.get("value") or ("y" if kind == "checkbox" else ""))
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self.forms[-1]["fields"][self._select] = []
        elif tag == "option" and self._select:
            values = self.forms[-1]["fields"][self._select]
            if "selected" in attrs:
                values[:] = [attrs.get("value", "")]
            elif not values:
                values.append(attrs.get("value", ""))
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self.forms[-1]["fields"][self._textarea] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            values = self.forms[-1]["fields"][self._textarea]
            # HTML drops a line break right after <textarea>.
            values[0] += data.removeprefix("\r\n").removeprefix("\n") if not values[0] \
                else data


def page_forms(html):
    """[{"action", "method", "fields": {name: [values]}}] for every form on the page."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms
