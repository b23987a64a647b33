"""An email organizers send to a petition's signers (who opted in), by ward."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow
from petition.models.legislator import CHAMBER_DISTRICTS, HOUSE, SENATE, parse_districts
from petition.models.ward import parse_wards


class BlastStatus(enum.Enum):
    DRAFT = "draft"  # can be edited, previewed and tested
    QUEUED = "queued"  # one outbox row per recipient; the content is fixed


class BlastFormat(enum.Enum):
    TEXT = "text"
    MARKDOWN = "markdown"


class Blast(db.Model):
    __tablename__ = "blasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizers.id", ondelete="SET NULL"), nullable=True
    )
    created_by_email: Mapped[str] = mapped_column(String(254))
    # Templates with placeholders (petition.mail.sandbox), checked when saved.
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # The same in Spanish, optional (both or neither): Spanish readers get it.
    subject_es: Mapped[str | None] = mapped_column(String(200), nullable=True)
    body_es: Mapped[str | None] = mapped_column(Text, nullable=True)
    format: Mapped[BlastFormat] = mapped_column(
        Enum(BlastFormat, name="blast_format", values_callable=lambda e: [m.value for m in e],
             validate_strings=True),
        default=BlastFormat.TEXT,
    )
    # The audience: every ward, or the wards listed ("1,32"), or the Illinois House or
    # Senate districts listed; and, optionally, signers outside Chicago and those whose
    # ward is not known.
    all_wards: Mapped[bool] = mapped_column(Boolean, default=True)
    wards: Mapped[str] = mapped_column(String(200), default="")
    house_districts: Mapped[str] = mapped_column(String(400), default="", server_default="")
    senate_districts: Mapped[str] = mapped_column(String(200), default="", server_default="")
    include_outside: Mapped[bool] = mapped_column(Boolean, default=False)
    include_unknown: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[BlastStatus] = mapped_column(
        Enum(BlastStatus, name="blast_status", values_callable=lambda e: [m.value for m in e],
             validate_strings=True),
        default=BlastStatus.DRAFT,
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    queued_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    queued_by_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    # When queued: rows queued, and audience members left out as unsubscribed.
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    skipped_unsubscribed: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def ward_numbers(self):
        return parse_wards(self.wards)

    @property
    def languages(self):
        """The languages the email is written in: ("en",) or ("en", "es")."""
        return ("en", "es") if self.subject_es and self.body_es else ("en",)

    def templates_in(self, language):
        """(subject, body) templates in `language` if written in it, else in English."""
        if language in self.languages and language == "es":
            return self.subject_es, self.body_es
        return self.subject, self.body

    @property
    def house_numbers(self):
        return parse_districts(self.house_districts, CHAMBER_DISTRICTS[HOUSE])

    @property
    def senate_numbers(self):
        return parse_districts(self.senate_districts, CHAMBER_DISTRICTS[SENATE])

    @property
    def is_draft(self):
        return self.status is BlastStatus.DRAFT

    def __repr__(self):
        return f"<Blast {self.id} {self.status.value}>"
