"""Render templated outbox messages when they are sent, in the recipient's language."""

from flask_babel import force_locale

from petition.services import signing
from petition.services.mail_transport import PermanentFailure

# Template name -> function(context) returning (subject, text, html).
RENDERERS = {
    signing.CONFIRMATION_TEMPLATE: signing.render_confirmation_email,
}


def render(template, context, locale):
    """Subject, text and HTML for a templated message; unknown templates fail for good."""
    renderer = RENDERERS.get(template)
    if renderer is None:
        raise PermanentFailure(f"no renderer for template {template!r}")
    with force_locale(locale or "en"):
        return renderer(context or {})
