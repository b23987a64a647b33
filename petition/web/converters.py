"""URL converters for numbers in paths: `<id:...>` and `<ward:...>`, parsed like every
other number (petition.web.numbers); anything else matches no route (404)."""

from werkzeug.routing import BaseConverter, ValidationError

from petition.models.ward import parse_ward
from petition.web.numbers import parse_id


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
