"""Failed log-ins per email address, for growing delays between guesses."""

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db


class LoginThrottle(db.Model):
    """Keyed by a hash of the typed email, so unknown addresses are throttled the same way
    as real accounts (the delay reveals nothing) and no typed address is stored."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime, index=True)
