"""An organizer's email as each signer gets it: their placeholders, their language, their
unsubscribe link (also in the List-Unsubscribe headers)."""

from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from petition.blasts import unsubscribes
from petition.extensions import db
from petition.lookup.greetings import greeting
from petition.lookup.service import alders_by_ward
from petition.mail import sandbox
from petition.mail.renderers import RenderedMail, renderer
from petition.mail.transport import PermanentFailure, Skip
from petition.models import Blast, BlastFormat, Petition, Signature, WardStatus
from petition.web.links import petition_url
from petition.web.templating import render_markdown

BLAST_TEMPLATE = "blast"
SUBJECT_CHARS = 300
UNSUBSCRIBED = "unsubscribed"  # the skip reason recorded on the outbox row


@dataclass(frozen=True)
class RenderedBlast(RenderedMail):
    """A signer's copy, and the message part of its HTML for the preview page."""

    body_html: object = None
    language: str = "en"  # the language of the organizer's subject and message


def render_for(blast, signature, *, unsubscribe_url, test=False):
    """The email as `signature`'s signer gets it, in the current locale (the signer's
    language): the organizer's Spanish version if there is one, else the English one; the
    footer always in the signer's language."""
    petition = db.session.get(Petition, blast.petition_id)
    locale = str(get_locale() or "en")
    language = locale if locale in blast.languages else "en"
    subject_template, body_template = blast.templates_in(language)
    title = (petition.title_es or petition.title) if language == "es" else petition.title
    alder = alders_by_ward([signature.ward]).get(signature.ward) if signature.ward else None
    in_city = signature.ward_status is not WardStatus.OUTSIDE_CHICAGO
    alder_name = alder.name if alder and in_city else ""
    with force_locale(language):  # the greeting in the organizer's words' language
        alder_greeting = greeting([("alder", alder_name)])
    values = sandbox.signer_values(
        signature, alder_name=alder_name, greeting=alder_greeting,
        petition_title=title, petition_url=petition_url(petition))
    if not in_city:
        values["ward"] = ""
    subject = sandbox.one_line(sandbox.render(subject_template, values), SUBJECT_CHARS)
    text = sandbox.render(body_template, values).strip()
    if blast.format is BlastFormat.MARKDOWN:
        # Values are escaped for Markdown, so a signer's name cannot become a link.
        escaped = {k: sandbox.escape_markdown(v) for k, v in values.items()}
        body_html = render_markdown(sandbox.render(body_template, escaped))
    else:
        body_html = Markup("").join(
            Markup("<p>{}</p>").format(escape(p.strip()).replace("\n", Markup("<br>")))
            for p in text.split("\n\n") if p.strip())
    if test:
        subject = _("[Test] %(subject)s", subject=subject)
    context = {"text": text, "body_html": body_html, "petition": petition,
               "unsubscribe_url": unsubscribe_url, "test": test,
               "petition_url": petition_url(petition), "language": language}
    return RenderedBlast(
        subject=subject[:SUBJECT_CHARS],
        text=render_template("email/blast.txt", **context),
        html=render_template("email/blast.html", **context),
        headers=unsubscribes.list_headers(unsubscribe_url),
        body_html=body_html,
        language=language,
    )


@renderer(BLAST_TEMPLATE)
def render_blast_email(context):
    """Outbox renderer: one signer's copy, checked against the unsubscribe list now."""
    blast = db.session.get(Blast, context.get("blast_id"))
    if blast is None:
        raise PermanentFailure("the email no longer exists")
    signature = db.session.get(Signature, context.get("signature_id"))
    if signature is None or signature.anonymized_at is not None:
        raise Skip("the signature was removed")
    secret = current_app.config["SECRET_KEY"]
    if context.get("test"):
        url = unsubscribes.test_unsubscribe_url(secret, context.get("organizer_email") or "")
        rendered = render_for(blast, signature, unsubscribe_url=url, test=True)
    else:
        if unsubscribes.is_unsubscribed(signature.email_normalized):
            raise Skip(UNSUBSCRIBED)
        if signature.is_invalidated:
            raise Skip("the signature was set aside")
        if not signature.opt_in:
            raise Skip("no longer opted in")
        url = unsubscribes.unsubscribe_url(secret, signature.id, signature.email_normalized)
        rendered = render_for(blast, signature, unsubscribe_url=url)
    return rendered
