"""The confirmation email: queued when someone signs, rendered when it is sent."""

from flask import current_app, render_template

from petition.extensions import db
from petition.mail import outbox
from petition.mail.renderers import RenderedMail, renderer
from petition.mail.transport import PermanentFailure
from petition.models import OutboxPriority, Signature
from petition.signing import tokens
from petition.web.links import external_url

CONFIRMATION_TEMPLATE = "confirm_signature"


def queue_confirmation_email(signature_id, to_address, locale, now=None):
    """Put the confirmation email in the outbox, in the caller's transaction."""
    outbox.enqueue(kind="confirmation", to_address=to_address, template=CONFIRMATION_TEMPLATE,
                   context={"signature_id": signature_id}, locale=locale,
                   signature_id=signature_id, now=now, priority=OutboxPriority.URGENT)


@renderer(CONFIRMATION_TEMPLATE)
def render_confirmation_email(context):
    """The confirmation email, with confirm and remove links made now."""
    signature = db.session.get(Signature, context.get("signature_id"))
    if signature is None:
        raise PermanentFailure("the signature no longer exists")
    secret_key = current_app.config["SECRET_KEY"]
    values = {
        "signature": signature,
        "petition": signature.petition,
        "confirm_url": external_url("signing.confirm", token=tokens.make_token(
            "confirm", secret_key, signature.id, signature.email_normalized)),
        "remove_url": external_url("signing.remove", token=tokens.make_token(
            "remove", secret_key, signature.id, signature.email_normalized)),
        "petition_url": external_url("petitions.petition", slug=signature.petition.slug),
    }
    return RenderedMail(
        subject=render_template("email/confirm_signature.subject.txt", **values).strip(),
        text=render_template("email/confirm_signature.txt", **values),
        html=render_template("email/confirm_signature.html", **values),
    )
