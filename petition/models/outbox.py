"""Outgoing email, written in the same transaction as the change that caused it."""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow


class OutboxStatus(enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # permanent failure, or retries exhausted
    SKIPPED = "skipped"  # not sent on purpose (the recipient unsubscribed...): not a failure


class OutboxPriority(enum.IntEnum):
    """Which mail goes first: the worker claims the most urgent due mail before the rest."""

    URGENT = 0  # someone is waiting for it now (the link that confirms a signature)
    NORMAL = 1  # one person's message to a representative
    BULK = 2  # organizer emails, digests, reminders: never ahead of the two above


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        # The worker's claim: due rows, most urgent first, oldest first.
        Index("ix_outbox_due", "status", "priority", "next_attempt_at", "id"),
        # Progress of an organizer email: its rows by status. Only organizer emails have
        # a blast, so the other rows (every signature's confirmation) stay out of it.
        Index("ix_outbox_blast_status", "blast_id", "status",
              postgresql_where=text("blast_id IS NOT NULL"),
              sqlite_where=text("blast_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    to_address: Mapped[str] = mapped_column(String(254))
    reply_to: Mapped[str | None] = mapped_column(String(254), nullable=True)
    # Either the content itself, or a template rendered at delivery time from `context`
    # (rendering then costs the request nothing, and bulk mail is one small row each).
    subject: Mapped[str | None] = mapped_column(String(300), nullable=True)
    body_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    body_html: Mapped[str | None] = mapped_column(Text, nullable=True)
    template: Mapped[str | None] = mapped_column(String(80), nullable=True)
    context: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    locale: Mapped[str] = mapped_column(String(10), default="en", server_default="en")
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    signature_id: Mapped[int | None] = mapped_column(
        ForeignKey("signatures.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # The organizer email (petition.models.blast) this row delivers to one signer, if any.
    blast_id: Mapped[int | None] = mapped_column(
        ForeignKey("blasts.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, name="outbox_status", values_callable=lambda e: [m.value for m in e],
             validate_strings=True),
        default=OutboxStatus.PENDING,
    )
    priority: Mapped[int] = mapped_column(SmallInteger, default=OutboxPriority.NORMAL,
                                          server_default=str(int(OutboxPriority.NORMAL)))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A worker's claim on the row; when it lapses (the worker died) another worker retries.
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)

    def __repr__(self):
        return f"<OutboxMessage {self.id} {self.kind} {self.status.value}>"
