"""Extension instances, unbound until create_app() calls init_app()."""

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
mail = Mail()
babel = Babel()
login_manager = LoginManager()
# Rate limits keyed by client IP by default (behind a proxy, see ProxyFix in the README);
# storage from RATELIMIT_STORAGE_URI: memory:// unless set (redis://... in production).
limiter = Limiter(key_func=get_remote_address)


def _lookup_rate():
    return current_app.config["LOOKUP_RATE_LIMIT"]


# The address look-up page and API share one budget per client IP.
lookup_limit = limiter.shared_limit(_lookup_rate, scope="lookup")
