"""A signer's traces beyond their signature row: the mail to them and their unsubscribe."""

from sqlalchemy import select

from petition.blasts import unsubscribes
from petition.mail import outbox
from petition.models import Signature


def forget_mail_and_unsubscribes(leaving):
    """Blank the mail to the signatures matching `leaving` (a WHERE condition on
    Signature) and drop unsubscribes only they hold; call it before they are deleted or
    blanked. Returns how many mail rows were blanked."""
    messages = outbox.forget_recipients(select(Signature.id).where(leaving))
    unsubscribes.forget_addresses_of(leaving)
    return messages
