"""Which language a person sees: their choice (a cookie), else their browser's."""

from babel import Locale
from flask import Blueprint, has_request_context, redirect, request, url_for

from petition.web.links import local_path

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

bp = Blueprint("i18n", __name__)

# Parsed once: building a babel Locale reads its data file's path on every call.
_LOCALE_OBJECTS = {code: Locale.parse(code) for code in LANGUAGES}


def locale_object(code):
    """The babel Locale for one of LANGUAGES."""
    return _LOCALE_OBJECTS[code]


def locale_for_babel():
    """Flask-Babel's locale: the request's language, or the default outside a request
    (CLI commands and the outbox worker, e.g. `flask organizer create`)."""
    if not has_request_context():
        return locale_object(DEFAULT)
    return locale_object(select_locale())


def select_locale():
    """The chosen language if any, else the best match for Accept-Language, else English."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT


def varies_by_language(response):
    """Mark a response a cache may keep as depending on the language, which comes from
    Accept-Language or the language cookie: one copy per language, never the wrong one."""
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


@bp.get("/language/<code>")
def choose(code):
    """Switch language and go back where the person was; the choice sticks for a year."""
    response = redirect(local_path(request.args.get("next")) or url_for("petitions.index"))
    if code in LANGUAGES:
        response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    return response
