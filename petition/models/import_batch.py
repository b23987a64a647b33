"""One import of a file of signatures (CSV or XLSX), which an admin can undo."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow


class ImportBatch(db.Model):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    organizer_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizers.id", ondelete="SET NULL"), nullable=True
    )
    # A copy of the address (or "(command line)"), so the batch still says who after the
    # account is deleted.
    organizer_email: Mapped[str] = mapped_column(String(254))
    file_name: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(40))  # stored on every signature it adds
    # The file's columns each of ours was read from: {"first_name": "First Name", ...}
    columns: Mapped[dict] = mapped_column(JSON, default=dict)
    rows: Mapped[int] = mapped_column(Integer, default=0)  # data rows in the file
    imported: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)  # skipped
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    undone_by_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    removed: Mapped[int | None] = mapped_column(Integer, nullable=True)  # by the undo

    @property
    def is_undone(self):
        return self.undone_at is not None
