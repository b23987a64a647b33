"""Render templated outbox messages when they are sent, in the recipient's language."""

from flask_babel import force_locale

from petition.blasts import service as blasts
from petition.letters import digests as letter_digests
from petition.letters import service as letters
from petition.mail.transport import PermanentFailure
from petition.signing import service as signing

# Template name -> function(context) returning (subject, text, html) or
# (subject, text, html, extra headers).
RENDERERS = {
    signing.CONFIRMATION_TEMPLATE: signing.render_confirmation_email,
    letters.LETTER_TEMPLATE: letters.render_letter_email,
    letter_digests.DIGEST_TEMPLATE: letter_digests.render_digest_email,
    blasts.BLAST_TEMPLATE: blasts.render_blast_email,
}


def render(template, context, locale):
    """Subject, text, HTML and extra headers for a templated message; unknown templates
    fail for good."""
    renderer = RENDERERS.get(template)
    if renderer is None:
        raise PermanentFailure(f"no renderer for template {template!r}")
    with force_locale(locale or "en"):
        rendered = renderer(context or {})
    if len(rendered) == 3:
        return (*rendered, {})
    return rendered
