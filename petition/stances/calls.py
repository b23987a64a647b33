"""Calls to alders' offices, or to a petition's state members: whom to call, what to say,
and what callers report."""

import re
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import force_locale, get_locale
from sqlalchemy import func, select

from petition.extensions import db
from petition.lookup.greetings import greeting
from petition.lookup.members import legislators
from petition.mail import sandbox
from petition.mail.sandbox import TemplateProblem
from petition.models import Alder, Call, CallOutcome, PetitionTarget, WardStatus
from petition.models.base import utcnow
from petition.models.legislator import HOUSE
from petition.web.links import petition_url
from petition.web.templating import and_list, localized

MAX_CALLS_PER_DAY = 5  # reports per signature: more is a stuck button or a game
SURE_WARDS = (WardStatus.GEOCODED, WardStatus.CONFIRMED)
# The roster lists some City Hall lines as "(312) 744-3063 / 3074/6813": dial the first.
ANOTHER_NUMBER = re.compile(r"\s*[/;,]\s*|\s+or\s+", re.IGNORECASE)


@dataclass(frozen=True)
class StateMemberCall:
    """A state member to call: their district office's number, or a vacant seat."""

    chamber: str  # "house" or "senate"
    district: int
    name: str  # "" for a vacant seat
    phone: str
    vacant: bool


@dataclass(frozen=True)
class CallSheet:
    """What the call page shows: the alder (or, for a petition to state members, each
    member), the numbers and the filled-in script."""

    ward: int
    alder_name: str
    ward_office_phone: str
    city_hall_phone: str
    script: str
    members: tuple[StateMemberCall, ...] = ()

    @property
    def phone(self):
        """The first number to call."""
        numbers = [m.phone for m in self.members if m.phone]
        return (numbers or [self.ward_office_phone or self.city_hall_phone])[0]


def first_number(phones):
    """The first of the numbers a roster field lists."""
    return ANOTHER_NUMBER.split((phones or "").strip(), maxsplit=1)[0]


def _script(signature, petition, people):
    """The organizers' call script for `people` ((role, name) pairs), in the page's language
    when they wrote it in that language (names listed in the script's language)."""
    script = localized(petition, "call_script") or ""
    written_in = str(get_locale() or "en") if script != (petition.call_script or "") else "en"
    with force_locale(written_in):
        values = sandbox.signer_values(
            signature, alder_name=and_list(name for _role, name in people),
            greeting=greeting(people), petition_title=localized(petition, "title"),
            petition_url=petition_url(petition))
    try:
        return sandbox.render(script, values)
    except TemplateProblem:
        return ""  # organizers are told when they save it; callers still get the numbers


def _state_sheet(signature, petition):
    """The state members this signer can call (vacant seats included, so the page says
    so), or None when their districts are not known or no seat is in the roster."""
    seats = [(chamber, signature.state_house if chamber == HOUSE else signature.state_senate)
             for chamber in petition.target.chambers]
    if any(district is None for _chamber, district in seats):
        return None
    rows = legislators(seats)
    members = tuple(StateMemberCall(chamber, district, row.name, first_number(row.phone),
                                    row.vacant)
                    for chamber, district in seats if (row := rows.get((chamber, district))))
    if not members:
        return None
    people = [(m.chamber, m.name) for m in members if not m.vacant]
    return CallSheet(ward=signature.ward, alder_name=and_list(name for _role, name in people),
                     ward_office_phone="", city_hall_phone="",
                     script=_script(signature, petition, people), members=members)


def call_sheet(signature, petition):
    """The call this supporter can make, or None (no sure ward, no alder, no number)."""
    if signature.ward is None or signature.ward_status not in SURE_WARDS:
        return None
    if petition.target is not PetitionTarget.ALDER:
        return _state_sheet(signature, petition)
    alder = db.session.scalar(select(Alder).where(Alder.ward == signature.ward))
    if alder is None or not (alder.phone or alder.city_hall_phone):
        return None
    return CallSheet(ward=signature.ward, alder_name=alder.name,
                     ward_office_phone=first_number(alder.phone),
                     city_hall_phone=first_number(alder.city_hall_phone),
                     script=_script(signature, petition, [("alder", alder.name)]))


def calls_today(signature_id, now):
    return db.session.scalar(select(func.count()).select_from(Call).where(
        Call.signature_id == signature_id, Call.created_at >= now - timedelta(days=1)))


def log_call(signature, petition, outcome, heard_stance=None, note=None, *, member=None,
             now=None):
    """Record a reported call for the signer's own ward, and for `member` (the
    StateMemberCall of the call sheet they called, on a petition to state members);
    False when over today's limit."""
    now = now or utcnow()
    if calls_today(signature.id, now) >= MAX_CALLS_PER_DAY:
        return False
    db.session.add(Call(petition_id=petition.id, signature_id=signature.id,
                        ward=signature.ward, outcome=CallOutcome(outcome),
                        chamber=member.chamber if member else None,
                        district=member.district if member else None,
                        heard_stance=heard_stance, note=note, created_at=now))
    db.session.flush()
    return True


def calls_by_ward(petition_id, since=None):
    """{ward: calls reported} (since a naive UTC time, if given)."""
    return _calls_per(Call.ward, petition_id, since)


def calls_to_members(petition_id, chamber, since=None):
    """{district: calls reported to that chamber's member} (since a naive UTC time)."""
    return _calls_per(Call.district, petition_id, since, Call.chamber == chamber)


def _calls_per(place_column, petition_id, since, *conditions):
    """{place: calls reported} grouped by `place_column`."""
    query = (select(place_column, func.count())
             .where(Call.petition_id == petition_id, *conditions).group_by(place_column))
    if since is not None:
        query = query.where(Call.created_at >= since)
    return dict(db.session.execute(query).all())


def heard_in_ward(petition_id, ward):
    """{Stance: n}: the alder's positions callers from one ward heard."""
    return dict(db.session.execute(
        select(Call.heard_stance, func.count())
        .where(Call.petition_id == petition_id, Call.ward == ward,
               Call.heard_stance.is_not(None))
        .group_by(Call.heard_stance)).all())


def heard_from_members(petition_id, chamber):
    """{district: {Stance: n}}: the positions callers heard from one chamber's members."""
    heard = {}
    for district, stance, n in db.session.execute(
            select(Call.district, Call.heard_stance, func.count())
            .where(Call.petition_id == petition_id, Call.chamber == chamber,
                   Call.heard_stance.is_not(None))
            .group_by(Call.district, Call.heard_stance)):
        heard.setdefault(district, {})[stance] = n
    return heard


def outcomes_of_ward(petition_id, ward):
    """{CallOutcome: n} for one ward, for the packet and the dashboard."""
    return dict(db.session.execute(
        select(Call.outcome, func.count())
        .where(Call.petition_id == petition_id, Call.ward == ward)
        .group_by(Call.outcome)).all())
