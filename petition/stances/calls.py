"""Calls to alders' offices: whom to call, what to say, and what callers report."""

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from petition.extensions import db
from petition.mail import sandbox
from petition.mail.sandbox import TemplateProblem
from petition.models import Alder, Call, CallOutcome, WardStatus
from petition.models.base import utcnow
from petition.web.links import petition_url
from petition.web.templating import localized

MAX_CALLS_PER_DAY = 5  # reports per signature: more is a stuck button or a game
SURE_WARDS = (WardStatus.GEOCODED, WardStatus.CONFIRMED)
# The roster lists some City Hall lines as "(312) 744-3063 / 3074/6813": dial the first.
ANOTHER_NUMBER = re.compile(r"\s*[/;,]\s*|\s+or\s+", re.IGNORECASE)


@dataclass(frozen=True)
class CallSheet:
    """What the call page shows: the alder, the numbers and the filled-in script."""

    ward: int
    alder_name: str
    ward_office_phone: str
    city_hall_phone: str
    script: str


def first_number(phones):
    """The first of the numbers a roster field lists."""
    return ANOTHER_NUMBER.split((phones or "").strip(), maxsplit=1)[0]


def call_sheet(signature, petition):
    """The call this supporter can make, or None (no sure ward, no alder, no number)."""
    if signature.ward is None or signature.ward_status not in SURE_WARDS:
        return None
    alder = db.session.scalar(select(Alder).where(Alder.ward == signature.ward))
    if alder is None or not (alder.phone or alder.city_hall_phone):
        return None
    values = sandbox.signer_values(signature, alder_name=alder.name,
                                   petition_title=localized(petition, "title"),
                                   petition_url=petition_url(petition))
    try:
        script = sandbox.render(localized(petition, "call_script") or "", values)
    except TemplateProblem:
        script = ""  # organizers are told when they save it; callers still get the numbers
    return CallSheet(ward=signature.ward, alder_name=alder.name,
                     ward_office_phone=first_number(alder.phone),
                     city_hall_phone=first_number(alder.city_hall_phone), script=script)


def calls_today(signature_id, now):
    return db.session.scalar(select(func.count()).select_from(Call).where(
        Call.signature_id == signature_id, Call.created_at >= now - timedelta(days=1)))


def log_call(signature, petition, outcome, heard_stance=None, note=None, *, now=None):
    """Record a reported call for the signer's own ward; False when over today's limit."""
    now = now or utcnow()
    if calls_today(signature.id, now) >= MAX_CALLS_PER_DAY:
        return False
    db.session.add(Call(petition_id=petition.id, signature_id=signature.id,
                        ward=signature.ward, outcome=CallOutcome(outcome),
                        heard_stance=heard_stance, note=note, created_at=now))
    db.session.flush()
    return True


def calls_by_ward(petition_id, since=None):
    """{ward: calls reported} (since a naive UTC time, if given)."""
    query = (select(Call.ward, func.count()).where(Call.petition_id == petition_id)
             .group_by(Call.ward))
    if since is not None:
        query = query.where(Call.created_at >= since)
    return dict(db.session.execute(query).all())


def outcomes_of_ward(petition_id, ward):
    """{CallOutcome: n} for one ward, for the packet and the dashboard."""
    return dict(db.session.execute(
        select(Call.outcome, func.count())
        .where(Call.petition_id == petition_id, Call.ward == ward)
        .group_by(Call.outcome)).all())


