"""A petition and its lifecycle."""

import enum
import re
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Enum, Integer, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from petition.extensions import db
from petition.models.base import utcnow

# Lower-case words joined by hyphens; anything else can never name a petition, so it is
# refused before it reaches the database (PostgreSQL rejects NUL bytes outright).
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


def is_valid_slug(value):
    """Whether `value` has the shape of a petition slug."""
    return isinstance(value, str) and SLUG_PATTERN.match(value) is not None


class PetitionState(enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class PetitionTarget(enum.Enum):
    """Whom a petition asks: each signer's own alder, or their members of the Illinois
    General Assembly. Letters, per-district counts and exports follow it."""

    ALDER = "alder"
    STATE_HOUSE = "state_house"  # the State Representative
    STATE_SENATE = "state_senate"  # the State Senator
    STATE_BOTH = "state_both"  # both state members

    @property
    def chambers(self):
        """The Illinois chambers the target reaches ("house", "senate"); none for alders."""
        return {"state_house": ("house",), "state_senate": ("senate",),
                "state_both": ("house", "senate")}.get(self.value, ())


# Which states each state may move to; everything else is refused.
TRANSITIONS = {
    PetitionState.DRAFT: {PetitionState.OPEN, PetitionState.ARCHIVED},
    PetitionState.OPEN: {PetitionState.CLOSED},
    PetitionState.CLOSED: {PetitionState.OPEN, PetitionState.ARCHIVED},
    PetitionState.ARCHIVED: set(),
}


class Petition(db.Model):
    __tablename__ = "petitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # The same texts in Spanish, shown to Spanish readers when filled in.
    title_es: Mapped[str | None] = mapped_column(String(200), nullable=True)
    summary_es: Mapped[str | None] = mapped_column(Text, nullable=True)
    body_es: Mapped[str | None] = mapped_column(Text, nullable=True)
    # How long signers' details are kept, in the organizers' words (the privacy page).
    retention: Mapped[str | None] = mapped_column(Text, nullable=True)
    retention_es: Mapped[str | None] = mapped_column(Text, nullable=True)
    # What to say when calling one's alder, offered after signing ({{ alder_name }} filled in).
    call_script: Mapped[str | None] = mapped_column(Text, nullable=True)
    call_script_es: Mapped[str | None] = mapped_column(Text, nullable=True)
    goal: Mapped[int] = mapped_column(Integer, default=1000)
    state: Mapped[PetitionState] = mapped_column(
        Enum(PetitionState, name="petition_state", values_callable=lambda e: [m.value for m in e],
             validate_strings=True),
        default=PetitionState.DRAFT,
    )
    target: Mapped[PetitionTarget] = mapped_column(
        Enum(PetitionTarget, name="petition_target",
             values_callable=lambda e: [m.value for m in e], validate_strings=True),
        default=PetitionTarget.ALDER, server_default=PetitionTarget.ALDER.value)
    signing_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    deadline: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    requires_confirmation: Mapped[bool] = mapped_column(Boolean, default=True)
    accepts_outside_chicago: Mapped[bool] = mapped_column(Boolean, default=True)
    # Whether anyone may see where each alder stands (/petitions/<slug>/alders).
    scoreboard_public: Mapped[bool] = mapped_column(Boolean, default=False,
                                                    server_default=false())
    # Whether paper signatures collected without an email count in the public total.
    paper_without_email_counts: Mapped[bool] = mapped_column(Boolean, default=True,
                                                             server_default=true())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    organizers = relationship("Organizer", secondary="petition_organizers",
                              back_populates="petitions", order_by="Organizer.email")

    def can_transition_to(self, new_state):
        """Whether the petition may move from its state to `new_state`."""
        return new_state in TRANSITIONS[self.state]

    def can_sign(self, now=None):
        """Whether supporters may sign right now."""
        now = now or utcnow()
        if self.state is not PetitionState.OPEN or self.signing_paused:
            return False
        return self.deadline is None or now < self.deadline

    def refuses_signature(self, outside_chicago, now=None):
        """Why the petition refuses a signature now ("closed", or "outside_chicago" for a
        Chicago-only petition and an address outside the city), or None if it takes it."""
        if not self.can_sign(now):
            return "closed"
        if outside_chicago and not self.accepts_outside_chicago:
            return "outside_chicago"
        return None

    def can_be_listed(self):
        """Whether the petition appears on the public list."""
        return self.state is PetitionState.OPEN

    def can_be_viewed(self):
        """Whether the public may see the petition page at all."""
        return self.state in (PetitionState.OPEN, PetitionState.CLOSED)

    def __repr__(self):
        return f"<Petition {self.slug}>"
