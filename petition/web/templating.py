"""Template filters and globals."""

import re

from babel import Locale
from babel.dates import format_date, format_time
from babel.lists import format_list
from babel.numbers import format_decimal
from flask_babel import get_locale
from markdown_it import MarkdownIt
from markupsafe import Markup

from petition.web.i18n import LANGUAGES
from petition.web.identity import organization
from petition.web.timezones import to_local

# Raw HTML off: organizers write Markdown, and nothing they type can inject markup.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text):
    """Markdown to safe HTML."""
    return Markup(_markdown.render(text or ""))


def and_list(items):
    """[3, 34] -> "3 and 34" in the page's language."""
    return format_list([str(i) for i in items], locale=get_locale() or "en")


# A time abbreviation that ends a sentence keeps one period: "10:30 a.m.", not "a.m..".
_DOUBLED_PERIOD = re.compile(r"(\b[ap]\.\s?m\.)\.")


def one_final_period(sentence):
    """A sentence whose time ("… a las 10:30 a.m.") already ends it with a period."""
    return type(sentence)(_DOUBLED_PERIOD.sub(r"\1", sentence))


# Babel's regional data for each language: Chicago's Spanish is United States Spanish
# ("24 de noviembre de 2026, 2:05 p.m.", 10,000 with a comma), not Spain's. Parsed once:
# Babel parses a locale given by name on every call, half the cost of writing a number.
FORMAT_LOCALES = {"en": Locale.parse("en_US"), "es": Locale.parse("es_US")}


def format_locale():
    """The Babel locale dates and numbers are written in on this page."""
    return FORMAT_LOCALES.get(str(get_locale() or "en"), FORMAT_LOCALES["en"])


def number(value):
    """A number as the page's language writes it in Chicago: 10,000,000 in both (Babel's
    plain "es" would write Spain's 10.000.000)."""
    return format_decimal(value, locale=format_locale())


def chicago_time(utc_naive):
    """A naive UTC time from the database, as Chicago wall-clock text in the page's language
    ("November 24, 2026, 2:05 PM" / "24 de noviembre de 2026, 2:05 p.m.")."""
    if utc_naive is None:
        return ""
    local, locale = to_local(utc_naive), format_locale()
    return (f"{format_date(local.date(), format='long', locale=locale)}, "
            f"{format_time(local.time(), format='short', locale=locale)}")


def chicago_date(utc_naive):
    """A naive UTC time as a long Chicago date in the page's language ("June 1, 2027")."""
    if utc_naive is None:
        return ""
    return format_date(to_local(utc_naive).date(), format="long", locale=format_locale())


US_NUMBER_DIGITS = 10
EXTENSION = re.compile(r"\s*(?:ext\.?|x|#)\s*(\d+)\s*$", re.IGNORECASE)


def tel_href(phone):
    """A tel: URL for a phone number as people write it ("(312) 744-6820 ext. 5")."""
    text = phone or ""
    extension = EXTENSION.search(text)
    number = text[:extension.start()] if extension else text
    digits = "".join(c for c in number if c.isascii() and c.isdigit())
    if number.strip().startswith("+"):
        digits = "+" + digits
    elif len(digits) == US_NUMBER_DIGITS:
        digits = "+1" + digits
    elif len(digits) == US_NUMBER_DIGITS + 1 and digits.startswith("1"):
        digits = "+" + digits
    return f"tel:{digits}" + (f";ext={extension.group(1)}" if extension else "")


def phone_link(phone):
    """A phone number as a link a phone can dial (plain text when it has no digits)."""
    if not any(c.isascii() and c.isdigit() for c in phone or ""):
        return phone or ""
    return Markup('<a href="{}">{}</a>').format(tel_href(phone), phone)


def init_app(app):
    """Register filters, globals and extensions on the Jinja environment."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "en")
    app.jinja_env.globals["other_languages"] = _other_languages
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["organization"] = organization
    app.jinja_env.filters["and_list"] = and_list
    app.jinja_env.filters["one_final_period"] = one_final_period
    app.jinja_env.filters["chicago_time"] = chicago_time
    app.jinja_env.filters["chicago_date"] = chicago_date
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["phone_link"] = phone_link
    app.jinja_env.filters["tel_href"] = tel_href


def _other_languages():
    """(code, name) of the languages the page can switch to."""
    current = str(get_locale() or "en")
    return [(code, name) for code, name in LANGUAGES.items() if code != current]


def localized(obj, field):
    """`obj.<field>_<locale>` when the page is in that language and it is filled in, else
    `obj.<field>` (English): a petition's text in the supporter's language when it has one."""
    locale = str(get_locale() or "en")
    if locale != "en":
        value = getattr(obj, f"{field}_{locale}", None)
        if value:
            return value
    return getattr(obj, field)
