"""'Did your alder reply?': some days after a letter, its sender is asked, once, by email;
the answers give each alder's reply rate."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, func, select, update

from petition.extensions import db
from petition.mail import outbox
from petition.models import Letter, LetterCampaign, LetterReply, OutboxPriority, Signature
from petition.models.base import utcnow
from petition.signing import tokens

REPLY_CHECK_TEMPLATE = "letter_reply_check"
REPLY_TOKEN_MAX_AGE = 180 * 24 * 3600  # answers keep coming in for a campaign's season


@dataclass(frozen=True)
class ReplyRate:
    replied: int  # senders who said the office replied
    answered: int  # senders who answered at all


def letters_due(now):
    """Letters whose senders should be asked now: sent at least their campaign's
    reply_check_days ago, never asked, from a signature that still stands."""
    due = []
    campaigns = db.session.execute(
        select(LetterCampaign.id, LetterCampaign.reply_check_days).order_by(LetterCampaign.id))
    for campaign_id, reply_check_days in campaigns.all():
        due.extend(db.session.scalars(
            select(Letter)
            .join(Signature, Signature.id == Letter.signature_id)
            .where(Letter.campaign_id == campaign_id, Letter.reply_asked_at.is_(None),
                   Letter.created_at <= now - timedelta(days=reply_check_days),
                   Signature.invalidated_at.is_(None), Signature.anonymized_at.is_(None))
            .order_by(Letter.id)))
    return due


def ask_for_replies(now=None):
    """Queue one 'Did your alder reply?' email per letter that is due; returns how many.

    Each letter is claimed with a conditional UPDATE first, so two runs at once ask once."""
    now = now or utcnow()
    asked = 0
    for letter in letters_due(now):
        claimed = db.session.execute(
            update(Letter).where(Letter.id == letter.id, Letter.reply_asked_at.is_(None))
            .values(reply_asked_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            continue
        signature = db.session.get(Signature, letter.signature_id)
        outbox.enqueue(kind="letter_reply_check", to_address=signature.email,
                       template=REPLY_CHECK_TEMPLATE, context={"letter_id": letter.id},
                       locale=signature.locale, signature_id=signature.id,
                       priority=OutboxPriority.BULK)
        asked += 1
    db.session.flush()
    return asked


def reply_token(signature):
    return tokens.make_token("letter_reply", current_app.config["SECRET_KEY"], signature.id,
                             signature.email_normalized)


def letter_for_token(token):
    """(status, letter): "ok", "expired" or "invalid" (a bad token, or no such letter)."""
    check = tokens.read_token("letter_reply", current_app.config["SECRET_KEY"], token,
                              REPLY_TOKEN_MAX_AGE)
    if check.status != "ok":
        return check.status, None
    signature = db.session.get(Signature, check.signature_id)
    if signature is None or not tokens.token_matches(check, signature.email_normalized):
        return "invalid", None
    letter = db.session.scalar(select(Letter).where(Letter.signature_id == signature.id))
    return ("ok", letter) if letter is not None else ("invalid", None)


def record_reply(letter, answer, now=None):
    """The sender's answer (they may change it, e.g. 'not yet' then 'yes'); flushes."""
    letter.reply, letter.reply_at = LetterReply(answer), now or utcnow()
    db.session.flush()


def reply_rates(petition_id):
    """{ward: ReplyRate} from the senders who answered."""
    rows = db.session.execute(
        select(Letter.ward, func.count(),
               func.count().filter(Letter.reply == LetterReply.YES))
        .where(and_(Letter.petition_id == petition_id, Letter.reply.is_not(None)))
        .group_by(Letter.ward)).all()
    return {ward: ReplyRate(replied=yes, answered=answered) for ward, answered, yes in rows}
