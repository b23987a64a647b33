"""Database helpers: the dialect's INSERT, and SQLite settings for concurrent writers.

On SQLite, writing transactions start with BEGIN IMMEDIATE (the write lock) so that
concurrent writers wait their turn instead of failing; GET requests, and code inside
`read_only()`, begin with a plain BEGIN and must not write.
"""

import contextvars
from contextlib import contextmanager

from flask import g, request
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import InterfaceError, OperationalError

from petition.extensions import db
from petition.web.errors import database_unavailable

# GET requests only read; everything else (POSTs, CLI commands) may write.
write_intent = contextvars.ContextVar("sqlite_write_intent", default=True)

READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")


# Each dialect's INSERT: it has `on_conflict_do_nothing()` and `on_conflict_do_update()`.
DIALECT_INSERTS = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


def dialect_name():
    """The name of the database in use: "postgresql" or "sqlite"."""
    return db.session.get_bind().dialect.name


def insert(model):
    """An INSERT for `model` in the dialect of the database in use: it has
    `on_conflict_do_nothing()` and `on_conflict_do_update()`, so a unique index settles
    races (of two requests inserting the same key, one inserts and the other does not)."""
    return DIALECT_INSERTS[dialect_name()](model)


def in_each_dialect(build):
    """{dialect name: build(that dialect's insert)}: a statement the hot paths build once,
    at import, and run with their values as parameters (see `insert`)."""
    return {name: build(dialect_insert) for name, dialect_insert in DIALECT_INSERTS.items()}


def writes_on_get(view):
    """Mark a GET view that writes (an export that records an audit entry, say).

    On SQLite its transactions then take the write lock up front like a POST's do;
    a read transaction that later writes can fail at once under concurrent writers.
    """
    view.sqlite_writes_on_get = True
    return view


@contextmanager
def read_only():
    """Transactions begun inside only read: no write lock on SQLite (a long read, such as
    an export's snapshot, must not hold it even in a request that writes)."""
    token = write_intent.set(False)
    try:
        yield
    finally:
        write_intent.reset(token)


def init_request_sessions(app):
    """End each request's database session before its response leaves (the 503 page if
    the database is lost by then); call it after every other init_app."""

    @app.after_request
    def _end_session(response):
        # Flask-SQLAlchemy's teardown would roll back too, but after error handling: a
        # connection lost there fails the rollback and the client gets a blank 500.
        if response.is_streamed:
            return response  # its body still reads as it goes out; teardown ends it
        try:
            db.session.remove()
        except (OperationalError, InterfaceError) as exc:
            # The failed rollback invalidated the connection; this only forgets it.
            db.session.remove()
            return database_unavailable(exc)
        return response


def init_sqlite(app):
    """Use WAL, a busy timeout and BEGIN IMMEDIATE for writing transactions on SQLite."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        for engine in db.engines.values():
            configure_sqlite_engine(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @app.before_request
    def _mark_read_only():
        view = app.view_functions.get(request.endpoint)
        if request.method in READ_ONLY_METHODS and not getattr(
                view, "sqlite_writes_on_get", False):
            g.sqlite_write_token = write_intent.set(False)

    @app.teardown_request
    def _reset_write_intent(_exc):
        token = g.pop("sqlite_write_token", None)
        if token is not None:
            write_intent.reset(token)


def configure_sqlite_engine(engine, busy_timeout_ms):
    """Set the engine's connections up for concurrent writers (see the module docstring)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take over BEGIN from pysqlite so we can choose IMMEDIATE (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A deferred transaction that reads and then writes gets SQLITE_BUSY at once,
        # without waiting, when another writer committed in between; taking the write
        # lock up front makes every writer wait its turn under busy_timeout instead.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")
