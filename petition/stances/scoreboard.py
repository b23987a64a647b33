"""The public scoreboard: where each of the 50 alders stands, with their constituents'
signatures and letters, and how far the ordinance is from the 26 votes it needs."""

from dataclasses import dataclass
from datetime import datetime

from petition.letters.campaigns import campaign_for
from petition.letters.replies import ReplyRate, reply_rates
from petition.letters.reports import letters_sent_by_ward
from petition.lookup.service import alder_names
from petition.models import STANCE_ORDER, SUPPORTING, VOTES_TO_PASS, WARD_NUMBERS, Stance
from petition.petitions.counts import petition_counts
from petition.stances.calls import calls_by_ward
from petition.stances.goals import ward_goals
from petition.stances.service import current_stances
from petition.web.timezones import CITY_TZ, to_utc

SORTS = ("ward", "alder", "stance", "signers", "letters", "calls")


@dataclass(frozen=True)
class ScoreRow:
    ward: int
    alder: str | None
    stance: Stance
    since: datetime | None  # naive UTC of the last change
    source_url: str | None
    source_note: str | None
    signers: int  # confirmed constituents who signed
    letters_this_month: int
    calls_this_month: int = 0
    goal: int | None = None  # the ward's signature goal, if organizers set one
    replies: ReplyRate | None = None  # letter senders' answers, when shown publicly


@dataclass(frozen=True)
class Scoreboard:
    rows: list[ScoreRow]
    supporting: int  # co-sponsors and supporters, of all 50 wards
    stance_of_ward: dict  # {ward: Stance} for all 50, whatever the filter (the map)
    needed: int = VOTES_TO_PASS
    shows_replies: bool = False  # organizers made reply rates public


def month_start(now):
    """The first instant of the current Chicago month, as naive UTC."""
    local = now.astimezone(CITY_TZ)
    return to_utc(local.replace(day=1, hour=0, minute=0, second=0, microsecond=0,
                                tzinfo=None))


def scoreboard(petition, now, *, sort="ward", descending=False, stance=None):
    """The 50 wards (or those with `stance`), sorted by a column of SORTS."""
    known = current_stances(petition.id)
    names = alder_names()
    signers = petition_counts(petition)["wards"]
    this_month = month_start(now)
    letters = letters_sent_by_ward(petition.id, since=this_month)
    goals = ward_goals(petition.id)
    calls = calls_by_ward(petition.id, since=this_month)
    campaign = campaign_for(petition.id)
    shows_replies = campaign is not None and campaign.reply_rates_public
    rates = reply_rates(petition.id) if shows_replies else {}
    rows = []
    for ward in WARD_NUMBERS:
        row = known.get(ward)
        rows.append(ScoreRow(
            ward=ward, alder=names.get(ward), stance=row.stance if row else Stance.UNKNOWN,
            since=row.updated_at if row else None, source_url=row.source_url if row else None,
            source_note=row.source_note if row else None, signers=signers[str(ward)],
            letters_this_month=letters.get(ward, 0), calls_this_month=calls.get(ward, 0),
            goal=goals.get(ward), replies=rates.get(ward)))
    stance_of_ward = {row.ward: row.stance for row in rows}
    if stance is not None:
        rows = [row for row in rows if row.stance is stance]
    rows.sort(key=_sort_key(sort), reverse=descending)
    return Scoreboard(rows=rows, supporting=sum(s in SUPPORTING for s in stance_of_ward.values()),
                      stance_of_ward=stance_of_ward, shows_replies=shows_replies)


def _sort_key(sort):
    if sort == "alder":
        return lambda row: (row.alder is None, (row.alder or "").lower(), row.ward)
    if sort == "stance":
        return lambda row: (STANCE_ORDER[row.stance], row.ward)
    if sort == "signers":
        return lambda row: (row.signers, row.ward)
    if sort == "letters":
        return lambda row: (row.letters_this_month, row.ward)
    if sort == "calls":
        return lambda row: (row.calls_this_month, row.ward)
    return lambda row: row.ward


def as_json(board):
    """The scoreboard as the API answers it."""
    return {
        "supporting": board.supporting, "needed": board.needed, "of": len(WARD_NUMBERS),
        "wards": [{"ward": row.ward, "alder": row.alder, "stance": row.stance.value,
                   "since": row.since.isoformat() + "Z" if row.since else None,
                   "source_url": row.source_url, "source_note": row.source_note,
                   "confirmed_signers": row.signers,
                   "letters_this_month": row.letters_this_month,
                   "calls_this_month": row.calls_this_month, "ward_goal": row.goal,
                   **({"letters_replied": row.replies.replied if row.replies else 0,
                       "letters_answered": row.replies.answered if row.replies else 0}
                      if board.shows_replies else {})}
                  for row in board.rows],
    }
