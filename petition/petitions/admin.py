"""Creating and editing petitions, and moving them through their states."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from petition.extensions import db
from petition.mail import sandbox
from petition.mail.sandbox import TemplateProblem
from petition.models import Petition, PetitionState, PetitionTarget
from petition.models.base import utcnow
from petition.models.petition import is_valid_slug
from petition.organizer import audit
from petition.web.forms import FieldError
from petition.web.links import external_url

RESERVED_SLUGS = {"new"}


@dataclass(frozen=True)
class PetitionFields:
    title: str
    slug: str
    summary: str
    body: str
    goal: int
    deadline: datetime | None  # naive UTC
    requires_confirmation: bool
    accepts_outside_chicago: bool
    title_es: str | None = None
    summary_es: str | None = None
    body_es: str | None = None
    retention: str | None = None
    retention_es: str | None = None
    call_script: str | None = None
    call_script_es: str | None = None
    scoreboard_public: bool = False
    target: PetitionTarget = PetitionTarget.ALDER
    paper_without_email_counts: bool = True


def slug_problem(slug):
    """Why a slug is refused (a message), or None."""
    if not is_valid_slug(slug) or len(slug) < 3 or "--" in slug:
        return _("Use 3 to 80 lower-case letters, digits and single hyphens, starting and "
                 "ending with a letter or digit, like ecps-2025.")
    if slug in RESERVED_SLUGS:
        return _("This address is reserved; choose another.")
    return None


def _check_call_scripts(fields):
    """Call scripts are templates like letters: refuse one that would not fill in."""
    url = external_url("petitions.petition", slug=fields.slug)
    for name in ("call_script", "call_script_es"):
        source = getattr(fields, name)
        try:
            if source:
                sandbox.check(source, petition_title=fields.title, petition_url=url)
        except TemplateProblem as exc:
            raise FieldError(str(exc), field=name) from exc


def _save(petition, fields):
    problem = slug_problem(fields.slug)
    if problem:
        raise FieldError(problem, field="slug")
    _check_call_scripts(fields)
    for name, value in vars(fields).items():
        setattr(petition, name, value)
    try:
        # The unique index settles clashes, even between two organizers saving at once.
        with db.session.begin_nested():
            db.session.add(petition)
            db.session.flush()
    except IntegrityError as exc:
        raise FieldError(_("Another petition already uses the address %(slug)s; choose "
                              "another.", slug=fields.slug), field="slug") from exc


def create_petition(fields, *, actor, now=None):
    """A new draft petition; the organizer who creates it runs it."""
    now = now or utcnow()
    petition = Petition(state=PetitionState.DRAFT, signing_paused=False, created_at=now,
                        updated_at=now)
    _save(petition, fields)
    if not actor.is_admin:
        petition.organizers.append(actor)
    audit.record(actor, "petition_create", petition=petition, details={"slug": fields.slug},
                 now=now)
    db.session.flush()
    return petition


def update_petition(petition, fields, *, actor, now=None):
    """Change a petition's text and settings. The slug is fixed once the petition has been
    opened: it is in links that were shared and emailed."""
    if fields.slug != petition.slug and petition.state is not PetitionState.DRAFT:
        raise FieldError(_("The address cannot change after the petition has opened: "
                              "links to it have been shared."), field="slug")
    _save(petition, fields)
    audit.record(actor, "petition_edit", petition=petition, now=now)
    db.session.flush()
    return petition


def change_state(petition, new_state, *, actor, now=None):
    """Move the petition to `new_state` if the lifecycle allows it (FieldError if not)."""
    if not petition.can_transition_to(new_state):
        raise FieldError(_("A petition that is %(old)s cannot become %(new)s.",
                              old=state_label(petition.state), new=state_label(new_state)))
    old = petition.state
    petition.state = new_state
    audit.record(actor, "petition_state", petition=petition,
                 details={"from": old.value, "to": new_state.value}, now=now)
    db.session.flush()
    return petition


def set_signing_paused(petition, paused, *, actor, now=None):
    petition.signing_paused = bool(paused)
    audit.record(actor, "signing_paused" if paused else "signing_resumed", petition=petition,
                 now=now)
    db.session.flush()
    return petition


def state_label(state):
    return {
        PetitionState.DRAFT: _("draft"),
        PetitionState.OPEN: _("open"),
        PetitionState.CLOSED: _("closed"),
        PetitionState.ARCHIVED: _("archived"),
    }[state]
