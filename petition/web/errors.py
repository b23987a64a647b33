"""Error pages for people and JSON errors for the API."""

from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import (
    BadHost,
    BadRequest,
    HTTPException,
    InternalServerError,
    SecurityError,
)

from petition.web.uploads import MEGABYTE, upload_limit

# When to try again after a database outage (a restart takes a few seconds).
RETRY_AFTER_SECONDS = "5"
# Raised while Flask binds the URL map to the request's Host: then no URL can be built.
HOST_ERRORS = (BadHost, SecurityError)
PLAIN_TEXT = {"Content-Type": "text/plain; charset=utf-8"}


class Refused(BadRequest):
    """A 400 whose description tells the person what was wrong (already translated)."""


def refuse(message):
    """Answer 400 with `message`: an error page, or {"error": message} for JSON clients."""
    raise Refused(description=message)


def wants_json():
    """Whether the client gets JSON: the API, `.json` URLs, or an Accept that asks for it."""
    return (request.path.startswith("/api/") or request.path.endswith(".json")
            or request.accept_mimetypes.best == "application/json")


def _describe(code):
    messages = {
        400: _("The request could not be understood."),
        404: _("We could not find that page."),
        405: _("That action is not allowed here."),
        409: _("That cannot be done right now."),
        413: _("What you sent is too large."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Please try again in a moment."),
        503: _("The service is busy or being restarted. Please try again in a moment."),
    }
    return messages.get(code, _("Something went wrong."))


def _respond(code, message=None):
    message = message or _describe(code)
    if isinstance(request.routing_exception, HOST_ERRORS):
        # A Host such as "." or "a..b" (or a label over 63 characters) leaves Flask no URL
        # adapter, and the page links its styles with url_for: answer in plain text.
        return message, code, PLAIN_TEXT
    if wants_json():
        return jsonify({"error": message}), code
    template = "errors/404.html" if code == 404 else "errors/error.html"
    return render_template(template, code=code, message=message), code


def database_unavailable(exc):
    """The 503 page (or JSON) for a database that is restarting or unreachable."""
    # Say so and when to come back. A dropped connection makes SQLAlchemy replace the whole
    # pool, so the app recovers by itself once the database is back.
    current_app.logger.warning("database unavailable: %s", exc)
    response = current_app.make_response(_respond(503))
    response.headers["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def init_app(app):
    """Register the error handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return _respond(400, _("This form expired or was sent from another site. "
                               "Go back, reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if exc.code is None or exc.code < 400:
            return exc
        if exc.code == 413 and upload_limit():
            return _respond(413, _("The file is too large: at most %(mb)d MB. Split it into "
                                   "smaller files.", mb=upload_limit() // MEGABYTE))
        return _respond(exc.code, exc.description if isinstance(exc, Refused) else None)

    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(InterfaceError, database_unavailable)

    @app.errorhandler(InternalServerError)
    def server_error(_exc):
        # Flask has already logged the exception with its traceback.
        return _respond(500)
