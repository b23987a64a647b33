"""The supporter's letter to their own alder (or state members, by the petition's target):
the draft they see, sending it once.

A letter's text is fixed when the supporter sends it (they may have edited it, and what
they saw is what goes): the `letters` row keeps the subject and body as sent, and a later
change to the campaign's template never changes a letter already sent. Delivered on its
own, the outbox row only names the letter ({"letter_id": n}) and the email is assembled
from the stored text when it is delivered (petition/letters/mail.py); in a digest,
`letters.digests` does the same for the day's letters to one alder.
"""

import logging
import re
from dataclasses import dataclass
from urllib.parse import quote

from flask_babel import force_locale
from sqlalchemy import select, update

from petition.database import insert
from petition.extensions import db
from petition.letters import campaigns
from petition.letters.campaigns import SUBJECT_CHARS, campaign_for
from petition.letters.mail import LETTER_TEMPLATE
from petition.letters.recipients import ALDER, Recipients, recipients_for
from petition.lookup.greetings import greeting
from petition.mail import outbox, sandbox
from petition.mail.sandbox import TemplateProblem
from petition.models import Letter, LetterCampaign, LetterDelivery, WardStatus
from petition.models.base import utcnow
from petition.models.legislator import HOUSE, SENATE
from petition.models.letter import NAMES_SEPARATOR
from petition.web.links import petition_url
from petition.web.templating import and_list

log = logging.getLogger(__name__)

MAX_LETTER_CHARS = 5000
# Wards whose signers may write: the ward is known, not a guess near a ward line.
SURE_WARD_STATUSES = (WardStatus.GEOCODED, WardStatus.CONFIRMED)


@dataclass
class LetterDraft:
    """What the letter page shows a supporter.

    ``status``: ``ready`` (may send), ``sent`` (``letter`` is theirs), ``closed`` (no open
    campaign), ``not_confirmed``, ``set_aside`` (invalidated or anonymized),
    ``outside_chicago``, ``no_ward``, ``near_boundary`` (confirm the ward first),
    ``no_alder`` (no office email on the roster), a state target's ``no_district``,
    ``vacant``, ``no_member`` or ``no_email`` (see letters.recipients) or ``broken`` (the
    template fails). ``alder`` is the first recipient with an email (an alder or a state
    member); ``recipients`` all of them, with those who have no email.
    """

    status: str
    campaign: LetterCampaign | None = None
    alder: object = None  # letters.recipients.Recipient
    recipients: Recipients | None = None
    subject: str = ""
    body: str = ""
    letter: Letter | None = None
    language: str = "en"  # the language of subject and body

    @property
    def languages(self):
        """The languages the supporter may choose between for this letter."""
        return campaigns.letter_languages(self.campaign) if self.campaign else ("en",)

    @property
    def editable(self):
        return self.campaign is not None and self.campaign.supporters_may_edit

    @property
    def mailto(self):
        if self.alder is None or not self.body:
            return None
        emails = [p.email for p in self.recipients.with_email] if self.recipients else \
            [self.alder.email]
        return mailto_url(",".join(emails), self.subject, self.body)


def letter_of(campaign_id, signature_id):
    return db.session.scalar(select(Letter).where(Letter.campaign_id == campaign_id,
                                                  Letter.signature_id == signature_id))


def draft_for(signature, petition, language=None):
    """The supporter's letter as the page should show it (see LetterDraft), in `language`
    (or the language they signed in) when the campaign's letter is written in it."""
    campaign = campaign_for(petition.id)
    if campaign is None:
        return LetterDraft("closed")
    letter = letter_of(campaign.id, signature.id)
    if letter is not None:
        return LetterDraft("sent", campaign, subject=letter.subject, body=letter.body,
                           letter=letter)
    if not campaign.is_open:
        return LetterDraft("closed", campaign)
    if not signature.is_confirmed:
        return LetterDraft("not_confirmed", campaign)
    if signature.is_invalidated or signature.anonymized_at is not None:
        return LetterDraft("set_aside", campaign)
    if signature.ward_status is WardStatus.OUTSIDE_CHICAGO:
        return LetterDraft("outside_chicago", campaign)
    if signature.ward is None:
        return LetterDraft("no_ward", campaign)
    if signature.ward_status not in SURE_WARD_STATUSES:
        return LetterDraft("near_boundary", campaign)
    recipients = recipients_for(signature, petition.target)
    if recipients.status != "ready":
        return LetterDraft(recipients.status, campaign, recipients=recipients)
    alder = recipients.with_email[0]
    written_in = campaigns.letter_languages(campaign)
    language = next(code for code in (language, signature.locale, "en") if code in written_in)
    subject_template, body_template, title = campaigns.templates_in(campaign, petition, language)
    people = recipients.with_email
    with force_locale(language):  # the letter's language, not the page's
        values = sandbox.signer_values(
            signature, alder_name=and_list(p.name for p in people),
            greeting=greeting((p.role, p.name) for p in people), petition_title=title,
            petition_url=petition_url(petition))
    try:
        subject = sandbox.one_line(sandbox.render(subject_template, values), SUBJECT_CHARS)
        body = sandbox.render(body_template, values)
    except TemplateProblem:
        log.exception("letter template of petition %s does not render", petition.id)
        return LetterDraft("broken", campaign, alder=alder, recipients=recipients)
    return LetterDraft("ready", campaign, alder=alder, recipients=recipients, subject=subject,
                       body=_plain_newlines(body).strip(), language=language)


def _plain_newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def mailto_url(address, subject, body):
    """A mailto: link (RFC 6068): every reserved character percent-encoded, line breaks
    as %0D%0A."""
    body = _plain_newlines(body).replace("\n", "\r\n")
    return (f"mailto:{quote(address, safe='@,')}?subject={quote(subject, safe='')}"
            f"&body={quote(body, safe='')}")


# What a display name in Reply-To keeps: letters (any script), digits, spaces, hyphens and
# apostrophes. Quotes, angle brackets, commas, @ and the like are dropped: the mail library
# re-folds the header without quoting the name, so they could add reply addresses.
_UNSAFE_IN_NAME = re.compile(r"[^\w \-'’]|_")


def reply_to_for(signature):
    """'Ana Díaz <ana@example.org>' (a safe display name), or the bare address."""
    raw = f"{signature.first_name} {signature.last_name}"
    name = " ".join(_UNSAFE_IN_NAME.sub(" ", raw).split())
    value = f"{name} <{signature.email}>" if name else signature.email
    return value if len(value) <= 254 else signature.email


def _senator_district(first, recipients):
    """The State Senator's district when the letter names the State Representative first
    and goes to the Senator too (a petition to both members), else None."""
    if first.role != HOUSE:
        return None
    return next((p.district for p in recipients.people if p.role == SENATE), None)


@dataclass(frozen=True)
class SendResult:
    status: str  # "sent" (now or before) or a LetterDraft status that stopped it
    letter_id: int | None = None
    created: bool = False


def send_letter(signature, petition, body=None, *, language=None, now=None):
    """Send the supporter's letter once: the unique index on (campaign, signature) settles
    a double submit, even two at the same moment; the loser sends nothing.

    `body` is the supporter's edited text, used only if the campaign allows editing (the
    caller has checked its length and characters); `language` the one the page showed."""
    now = now or utcnow()
    draft = draft_for(signature, petition, language)
    if draft.status == "sent":
        return SendResult("sent", draft.letter.id, created=False)
    if draft.status != "ready":
        return SendResult(draft.status)
    campaign, alder = draft.campaign, draft.alder
    text = draft.body
    if campaign.supporters_may_edit and body is not None:
        text = _plain_newlines(body).strip()[:MAX_LETTER_CHARS]
    # Digests gather a day's letters per ward office or state member (letters/digests.py).
    for_digest = campaign.delivery is LetterDelivery.DIGEST
    people = draft.recipients.with_email
    letter_id = db.session.scalar(
        insert(Letter)
        .values(campaign_id=campaign.id, petition_id=petition.id, signature_id=signature.id,
                ward=signature.ward, alder_name=NAMES_SEPARATOR.join(p.name for p in people)[:120],
                alder_email=alder.email,
                recipient_chamber=None if alder.role == ALDER else alder.role,
                recipient_district=None if alder.role == ALDER else alder.district,
                senate_district=_senator_district(alder, draft.recipients),
                signer_name=f"{signature.first_name} {signature.last_name}".strip()[:201],
                reply_to=reply_to_for(signature), subject=draft.subject, body=text,
                edited=text != draft.body, for_digest=for_digest, created_at=now)
        .on_conflict_do_nothing(index_elements=["campaign_id", "signature_id"])
        .returning(Letter.id))
    if letter_id is None:
        existing = letter_of(campaign.id, signature.id)
        return SendResult("sent", existing.id if existing else None, created=False)
    if not for_digest:
        # One email per recipient (both state members: two); the letter keeps the first.
        message_ids = [outbox.enqueue(
            kind="letter", to_address=person.email, reply_to=reply_to_for(signature),
            template=LETTER_TEMPLATE, context={"letter_id": letter_id}, locale="en",
            signature_id=signature.id, now=now) for person in people]
        message_id = message_ids[0]
        db.session.execute(update(Letter).where(Letter.id == letter_id)
                           .values(outbox_message_id=message_id)
                           .execution_options(synchronize_session=False))
    db.session.flush()
    return SendResult("sent", letter_id, created=True)


def anonymize_letters(petition_id):
    """Blank the signers' words and addresses in a petition's letters (after a campaign);
    wards and dates stay, so the counts do. Returns how many letters."""
    return db.session.execute(
        update(Letter).where(Letter.petition_id == petition_id)
        .values(signer_name="", reply_to="", subject="", body="")
        .execution_options(synchronize_session=False)
    ).rowcount
