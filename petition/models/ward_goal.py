"""A petition's signature goal for one ward, set by its organizers."""

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db


class WardGoal(db.Model):
    __tablename__ = "ward_goals"

    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True)
    ward: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal: Mapped[int] = mapped_column(Integer)

    def __repr__(self):
        return f"<WardGoal petition={self.petition_id} ward={self.ward} goal={self.goal}>"
