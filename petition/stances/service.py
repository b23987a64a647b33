"""Recording an alder's stance: the current row, a history entry and the audit log together."""

from dataclasses import dataclass

from sqlalchemy import select

from petition.extensions import db
from petition.models import (
    WARD_NUMBERS,
    AlderStance,
    Petition,
    PetitionState,
    Stance,
    StanceChange,
)
from petition.models.base import utcnow
from petition.organizer import audit


@dataclass(frozen=True)
class StanceEvidence:
    """Why organizers say so: a link (a vote, a statement) and/or a short note."""

    url: str | None = None
    note: str | None = None


def current_stances(petition_id):
    """{ward: AlderStance} for the wards with a recorded stance."""
    return {row.ward: row for row in db.session.scalars(
        select(AlderStance).where(AlderStance.petition_id == petition_id))}


def record_stance(petition, ward, stance, evidence=StanceEvidence(), *, actor, row=None,
                  now=None):
    """Set one ward's stance; True when it changed (history and audit written); flushes."""
    if ward not in WARD_NUMBERS:
        raise ValueError(f"no ward {ward!r}")
    now = now or utcnow()
    row = row or db.session.get(AlderStance, (petition.id, ward))
    if row is None:
        if stance is Stance.UNKNOWN and evidence == StanceEvidence():
            return False
        row = AlderStance(petition_id=petition.id, ward=ward)
        db.session.add(row)
    elif (row.stance, row.source_url, row.source_note) == (stance, evidence.url, evidence.note):
        return False
    row.stance, row.source_url, row.source_note = stance, evidence.url, evidence.note
    row.updated_at, row.updated_by_id = now, actor.id
    db.session.add(StanceChange(petition_id=petition.id, ward=ward, stance=stance,
                                source_url=evidence.url, source_note=evidence.note,
                                changed_at=now, changed_by_id=actor.id,
                                changed_by_email=actor.email))
    audit.record(actor, "stance_change", petition=petition, wards=[ward], now=now,
                 details={"stance": stance.value, "source_url": evidence.url,
                          "source_note": evidence.note})
    db.session.flush()
    return True


def history(petition_id, ward):
    """The ward's stance changes on the petition, newest first."""
    return db.session.scalars(
        select(StanceChange)
        .where(StanceChange.petition_id == petition_id, StanceChange.ward == ward)
        .order_by(StanceChange.changed_at.desc(), StanceChange.id.desc())).all()


def public_stance(petition, ward):
    """The ward's alder's stance on the petition, or None when its scoreboard is private."""
    if not petition.scoreboard_public or ward not in WARD_NUMBERS:
        return None
    row = db.session.get(AlderStance, (petition.id, ward))
    return row.stance if row else Stance.UNKNOWN


def public_stances_of_ward(ward):
    """[(petition, stance)] for the open petitions that show where alders stand."""
    if ward not in WARD_NUMBERS:
        return []
    petitions = db.session.scalars(
        select(Petition).where(Petition.state == PetitionState.OPEN,
                               Petition.scoreboard_public.is_(True)).order_by(Petition.id))
    return [(petition, public_stance(petition, ward)) for petition in petitions]
