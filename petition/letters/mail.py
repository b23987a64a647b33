"""The emails to alders' offices: one letter, or a day's digest of letters.

Both are rendered when they are sent, from the text as each supporter sent it.
"""

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import or_, select

from petition.extensions import db
from petition.letters import replies
from petition.letters.replies import REPLY_CHECK_TEMPLATE
from petition.mail.renderers import RenderedMail, renderer
from petition.mail.transport import PermanentFailure, Skip
from petition.models import Letter, LetterCampaign, LetterDigest, Petition, Signature
from petition.web.links import external_url, petition_url
from petition.web.templating import and_list

LETTER_TEMPLATE = "letter"
DIGEST_TEMPLATE = "letter_digest"
SUBJECT_CHARS = 300

# Why a letter was not sent: stored in English on its outbox row (the worker has no reader),
# shown to organizers in their language through SKIP_REASONS.
WITHDRAWN = "the letter was withdrawn (its signature was removed)"
SET_ASIDE = "the signature was set aside"
DIGEST_EMPTIED = "no letters left in this digest (removed or set aside)"
SKIP_REASONS = {
    WITHDRAWN: _l("the letter was withdrawn (its signature was removed)"),
    SET_ASIDE: _l("the signature was set aside"),
    DIGEST_EMPTIED: _l("no letters left in this digest (removed or set aside)"),
}


def valid_signatures():
    """The ids of signatures whose letters still go: not set aside, not anonymized."""
    return select(Signature.id).where(Signature.invalidated_at.is_(None),
                                      Signature.anonymized_at.is_(None))


def letter_still_standing(context):
    """(letter, signature) of a queued message; Skip if either was removed or set aside."""
    letter = db.session.get(Letter, context.get("letter_id"))
    if letter is None:
        raise Skip(WITHDRAWN)
    signature = db.session.get(Signature, letter.signature_id)
    if signature is None or signature.is_invalidated or signature.anonymized_at is not None:
        raise Skip(SET_ASIDE)
    return letter, signature


@renderer(LETTER_TEMPLATE)
def render_letter_email(context):
    """The email of one letter to the alder's office, from the text as it was sent."""
    letter, signature = letter_still_standing(context)
    petition = signature.petition
    values = {"letter": letter, "petition": petition, "petition_url": petition_url(petition),
              "site_url": current_app.config["PUBLIC_URL"], "signature": signature}
    return RenderedMail(subject=letter.subject,
                        text=render_template("email/letter.txt", **values),
                        html=render_template("email/letter.html", **values))


@renderer(DIGEST_TEMPLATE)
def render_digest_email(context):
    """One alder's digest, listing the letters as their senders sent them."""
    digest = db.session.get(LetterDigest, context.get("digest_id"))
    if digest is None:
        raise PermanentFailure("the digest no longer exists")
    letters = db.session.scalars(
        select(Letter)
        .where(or_(Letter.digest_id == digest.id, Letter.senate_digest_id == digest.id),
               Letter.body != "",
               Letter.signature_id.in_(valid_signatures()))
        .order_by(Letter.created_at, Letter.id)
    ).all()
    if not letters:
        raise Skip(DIGEST_EMPTIED)
    petition = db.session.scalar(
        select(Petition).join(LetterCampaign, LetterCampaign.petition_id == Petition.id)
        .where(LetterCampaign.id == digest.campaign_id)
    )
    values = {"digest": digest, "letters": letters, "petition": petition,
              "petition_url": petition_url(petition), "greeting": _digest_greeting(digest),
              "site_url": current_app.config["PUBLIC_URL"]}
    subject = _digest_subject(digest, len(letters), petition.title)
    return RenderedMail(subject=" ".join(subject.split())[:SUBJECT_CHARS],
                        text=render_template("email/letter_digest.txt", **values),
                        html=render_template("email/letter_digest.html", **values))


def _digest_greeting(digest):
    if digest.chamber == "house":
        return _("To %(name)s, State Representative for Illinois House district %(number)d:",
                 name=digest.alder_name, number=digest.ward)
    if digest.chamber == "senate":
        return _("To %(name)s, State Senator for Illinois Senate district %(number)d:",
                 name=digest.alder_name, number=digest.ward)
    return _("To %(name)s, alder of ward %(ward)d:", name=digest.alder_name, ward=digest.ward)


def _digest_subject(digest, num, title):
    if digest.chamber == "house":
        return ngettext("%(num)d letter from a constituent in House district %(number)d: "
                        "%(title)s",
                        "%(num)d letters from constituents in House district %(number)d: "
                        "%(title)s", num, number=digest.ward, title=title)
    if digest.chamber == "senate":
        return ngettext("%(num)d letter from a constituent in Senate district %(number)d: "
                        "%(title)s",
                        "%(num)d letters from constituents in Senate district %(number)d: "
                        "%(title)s", num, number=digest.ward, title=title)
    return ngettext("%(num)d letter from a constituent in ward %(ward)d: %(title)s",
                    "%(num)d letters from constituents in ward %(ward)d: %(title)s",
                    num, ward=digest.ward, title=title)


@renderer(REPLY_CHECK_TEMPLATE)
def render_reply_check_email(context):
    """'Did your alder reply?', to a letter's sender, with a link to answer."""
    letter, signature = letter_still_standing(context)
    values = {"letter": letter, "signature": signature, "petition": signature.petition,
              "answer_url": external_url("letter_replies.reply",
                                         token=replies.reply_token(signature))}
    return RenderedMail(subject=_("Did %(name)s reply to your letter?",
                                          name=and_list(letter.recipient_names)),
                        text=render_template("email/letter_reply_check.txt", **values),
                        html=render_template("email/letter_reply_check.html", **values))
