"""A supporter's signature on a petition."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from petition.extensions import db
from petition.models.base import utcnow
from petition.models.ward import parse_wards


class WardStatus(enum.Enum):
    """How a signature's ward was decided."""

    UNKNOWN = "unknown"  # not looked up yet, or the address did not match
    GEOCODED = "geocoded"  # geocoded with confidence
    NEAR_BOUNDARY = "near_boundary"  # geocoded close to a ward line; `ward` is the best guess
    CONFIRMED = "confirmed"  # the supporter confirmed or chose the ward
    OUTSIDE_CHICAGO = "outside_chicago"


class Signature(db.Model):
    __tablename__ = "signatures"
    __table_args__ = (
        # One signature per person per petition; the code relies on this to catch races.
        Index("uq_signatures_petition_email", "petition_id", "email_normalized", unique=True),
        Index("ix_signatures_petition_confirmed", "petition_id", "confirmed_at"),
        # Per-ward exports and packets read a petition's rows by ward in id order (keyset
        # pagination); the export's count and filter columns follow, so its count reads the
        # index alone and rows it filters out are never fetched (6M signatures: 0024).
        Index("ix_signatures_petition_ward", "petition_id", "ward", "id", "ward_status",
              "confirmed_at", "invalidated_at", "anonymized_at"),
        # A petition to state members exports and counts by House or Senate district.
        Index("ix_signatures_petition_house", "petition_id", "state_house", "id"),
        Index("ix_signatures_petition_senate", "petition_id", "state_senate", "id"),
        # Only set-aside signatures have a batch: indexing the NULLs of every other row
        # would cost each signing an index write for nothing.
        Index("ix_signatures_invalidation_id", "invalidation_id",
              postgresql_where=text("invalidation_id IS NOT NULL"),
              sqlite_where=text("invalidation_id IS NOT NULL")),
        # The dashboard's signatures-by-source table groups a petition's rows by source.
        Index("ix_signatures_petition_source", "petition_id", "source"),
        # Only imported signatures have a batch (as with invalidation_id above).
        Index("ix_signatures_import_batch_id", "import_batch_id",
              postgresql_where=text("import_batch_id IS NOT NULL"),
              sqlite_where=text("import_batch_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    email_normalized: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(200))
    zip: Mapped[str] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    volunteer: Mapped[bool] = mapped_column(Boolean, default=False)
    ward: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ward_status: Mapped[WardStatus] = mapped_column(
        Enum(WardStatus, name="ward_status", values_callable=lambda e: [m.value for m in e],
             validate_strings=True),
        default=WardStatus.UNKNOWN,
    )
    # Other wards the point could be in when it sits near a line, e.g. "12,13".
    candidate_wards: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # The Illinois House and Senate districts, recorded with the ward (None: not known).
    state_house: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state_senate: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # How the address was placed: exact, interpolated, street, point or none.
    geocode_match: Mapped[str | None] = mapped_column(String(16), nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    ip_address: Mapped[str | None] = mapped_column(String(45), nullable=True)
    # The language the supporter used, so later emails reach them in it.
    locale: Mapped[str] = mapped_column(String(10), default="en", server_default="en")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Set when personal data was dropped after the campaign; ward and dates are kept.
    anonymized_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    confirmation_sends: Mapped[int] = mapped_column(Integer, default=0)
    last_confirmation_sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Set aside by an admin (spam, bots): not counted, left out of exports by default.
    invalidated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # The batch that set it aside (kept after a restore, as history).
    invalidation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invalidations.id", ondelete="SET NULL"), nullable=True
    )

    # Where the signature came from: a link's ?source= / utm_source token, or "paper".
    source: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # Paper signatures typed in by organizers: the sheet, the day written on it, and who
    # collected it.
    sheet_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    collected_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # The import (a CSV or XLSX file) that added it; undoing the import deletes it.
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), nullable=True
    )

    petition = relationship("Petition", lazy="joined")

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    @property
    def is_invalidated(self):
        return self.invalidated_at is not None

    @property
    def candidate_ward_numbers(self):
        """The wards the address lies near, as numbers (stored as "3,4")."""
        return parse_wards(self.candidate_wards)

    @property
    def ward_key(self):
        """The key this signature is counted under: a ward number, 'outside' or 'unknown'."""
        return ward_key_for(self.ward_status, self.ward)

    def __repr__(self):
        return f"<Signature {self.id} petition={self.petition_id}>"


def ward_key_for(ward_status, ward):
    """The counter key for a ward status and number: "1".."50", "outside" or "unknown"."""
    if ward_status is WardStatus.OUTSIDE_CHICAGO or ward_status == "outside_chicago":
        return "outside"
    return str(ward) if ward is not None else "unknown"
