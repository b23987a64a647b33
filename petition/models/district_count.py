"""Valid signatures per petition and Illinois House or Senate district, confirmed and
pending: the public counts and the dashboard of a petition to state members."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow

# The district of signatures with none: outside Chicago, or not placed yet (districts
# start at 1).
NO_DISTRICT = 0


class DistrictCount(db.Model):
    """Kept in step with the ward counters (petitions/counts.py `tally`), so per-district
    counts read ~60 rows per chamber whatever the number of signatures."""

    __tablename__ = "district_counts"

    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True
    )
    chamber: Mapped[str] = mapped_column(String(6), primary_key=True)  # "house" or "senate"
    district: Mapped[int] = mapped_column(Integer, primary_key=True)  # or NO_DISTRICT
    confirmed: Mapped[int] = mapped_column(Integer, default=0)
    pending: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self):
        return f"<DistrictCount {self.petition_id} {self.chamber} {self.district}>"
