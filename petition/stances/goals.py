"""Signature goals per ward: set one by one, or the petition's goal spread evenly."""

from sqlalchemy import delete, select

from petition.extensions import db
from petition.models import WARD_NUMBERS, WardGoal
from petition.organizer import audit

MAX_WARD_GOAL = 1_000_000


def ward_goals(petition_id):
    """{ward: goal} for the wards that have one."""
    return dict(db.session.execute(
        select(WardGoal.ward, WardGoal.goal).where(WardGoal.petition_id == petition_id)).all())


def even_split(total, wards=WARD_NUMBERS):
    """`total` spread over the wards as evenly as whole signatures allow (the first wards
    take the remainder): 5,000 over 50 wards is 100 each."""
    share, extra = divmod(max(total, 0), len(wards))
    return {ward: share + (1 if i < extra else 0) for i, ward in enumerate(wards)}


def set_ward_goals(petition, goals, *, actor):
    """Replace the petition's ward goals with {ward: goal} (0 or None: no goal); flushes."""
    db.session.execute(delete(WardGoal).where(WardGoal.petition_id == petition.id))
    kept = {ward: goal for ward, goal in goals.items() if ward in WARD_NUMBERS and goal}
    db.session.add_all(WardGoal(petition_id=petition.id, ward=ward, goal=goal)
                       for ward, goal in sorted(kept.items()))
    audit.record(actor, "ward_goals", petition=petition,
                 details={"wards": len(kept), "total": sum(kept.values())})
    db.session.flush()
    return kept
