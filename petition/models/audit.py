"""Who looked at or changed signers' data: exports, packets, invalidations."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    organizer_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizers.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # A copy of the address, so the entry still says who after the account is deleted.
    organizer_email: Mapped[str] = mapped_column(String(254))
    # e.g. export_csv, export_zip, export_xlsx, export_xlsx_by_ward, packet, invalidate,
    # restore, assign, organizer_create
    action: Mapped[str] = mapped_column(String(40))
    petition_id: Mapped[int | None] = mapped_column(
        ForeignKey("petitions.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # The wards concerned, e.g. "1,32,outside"; empty means every ward.
    wards: Mapped[str] = mapped_column(String(400), default="")
    rows: Mapped[int | None] = mapped_column(Integer, nullable=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    def __repr__(self):
        return f"<AuditEntry {self.id} {self.action}>"
