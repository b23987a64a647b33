"""HTTP hardening: security headers, caching rules and the client IP behind proxies."""

import ipaddress

from flask import abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
])


_COMMON = (
    ("X-Content-Type-Options", "nosniff"),
    # Confirmation and removal links carry tokens in the path: never leak them.
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "geolocation=(self), camera=(), microphone=(), payment=()"),
)
_DEFAULT = (("Content-Security-Policy", CONTENT_SECURITY_POLICY),
            ("X-Frame-Options", "DENY")) + _COMMON
_FRAMABLE = (("Content-Security-Policy",
              CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")),
             ) + _COMMON
_HSTS = (("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),)
_NO_STORE = (("Cache-Control", "no-store"),)


def client_address(text):
    """`text` as an IP address in its short form, or None when it is not one."""
    try:
        address = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    # A zone ("fe80::1%eth0") never names a client on the internet, and makes the text
    # longer than the 45 characters stored for an address.
    if getattr(address, "scope_id", None) is not None:
        return None
    return str(address)


class ValidClientAddress:
    """WSGI middleware behind ProxyFix: REMOTE_ADDR is an IP address, or absent when the
    trusted X-Forwarded-For entry is not one (the request goes on without an address)."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        address = client_address(environ.get("REMOTE_ADDR"))
        if address is None:
            environ.pop("REMOTE_ADDR", None)
        else:
            environ["REMOTE_ADDR"] = address
        return self.wsgi_app(environ, start_response)


def checks_control_characters(view):
    """Mark a view that refuses control characters in every field and parameter itself,
    with a message next to the field; the request-wide NUL check then leaves it alone."""
    view.checks_control_characters = True
    return view


def allow_framing(view):
    """Let other sites embed this view in an iframe (the petition widget)."""
    view.allow_framing = True
    return view


def init_app(app):
    """Trust the configured proxies and add security headers to every response."""
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # Only then are X-Forwarded-For/-Proto believed; otherwise a client could claim
        # any IP address and slip past per-IP limits.
        # ProxyFix copies that header's entry into REMOTE_ADDR whatever it holds.
        app.wsgi_app = ProxyFix(ValidClientAddress(app.wsgi_app), x_for=proxies,
                                x_proto=proxies, x_host=proxies)

    @app.before_request
    def _refuse_nul():
        # No person types a NUL byte, and PostgreSQL cannot store one: whatever form or
        # query let it through would otherwise fail deep in the database with a 500.
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if getattr(view, "checks_control_characters", False):
            return
        if any("\x00" in value for value in request.args.values()) or (
            request.method != "GET" and request.mimetype in _FORM_TYPES
            and any("\x00" in value for value in request.form.values())
        ):
            abort(400)

    @app.after_request
    def _security_headers(response):
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        headers = _FRAMABLE if getattr(view, "allow_framing", False) else _DEFAULT
        if request.is_secure:
            headers = headers + _HSTS
        # Pages carry CSRF tokens, names or signatures: nothing dynamic is stored by a
        # cache unless its view says otherwise (the public counts do; static files too).
        if request.endpoint != "static":
            headers = headers + _NO_STORE
        # One pass over what the view set, then add the rest: this runs on every response.
        present = {name.lower() for name in response.headers.keys()}
        response.headers.extend([(k, v) for k, v in headers if k.lower() not in present])
        return response
