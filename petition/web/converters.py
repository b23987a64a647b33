"""Numbers in URLs, parsed like every other number (petition.web.numbers): the path
converters `<id:...>` and `<ward:...>` (anything else matches no route: 404) and ids in
query parameters (anything else: a 400 that says so)."""

from flask import request
from flask_babel import gettext as _
from werkzeug.routing import BaseConverter, ValidationError

from petition.models.ward import parse_ward
from petition.web.errors import refuse
from petition.web.numbers import MAX_ID, parse_id


class _NumberConverter(BaseConverter):
    regex = "[0-9]+"
    part_isolating = True
    parse = staticmethod(parse_id)

    def to_python(self, value):
        number = self.parse(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value):
        return str(int(value))


class IdConverter(_NumberConverter):
    """A database id, 1 to MAX_ID: a bigger one would fail PostgreSQL's query."""


class WardConverter(_NumberConverter):
    """A ward number, 1 to 50."""

    parse = staticmethod(parse_ward)


def init_app(app):
    """Register the converters (before any blueprint: rules read them when added)."""
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["ward"] = WardConverter


def id_arg(name):
    """The query parameter `name` as an id: None when absent or empty, else the id, else
    a 400 that says what is wrong."""
    value = request.args.get(name, "")
    if not value.strip():
        return None
    number = parse_id(value)
    if number is None:
        refuse(_("“%(name)s” must be a whole number from 1 to %(max)d.", name=name,
                 max=MAX_ID))
    return number
