"""SQLite settings that let concurrent writers wait instead of failing."""

import contextlib
import contextvars
from contextlib import contextmanager

from sqlalchemy import event

# GET requests only read; everything else (POSTs, CLI commands) may write.
write_intent = contextvars.ContextVar("sqlite_write_intent", default=True)


def writes_on_get(view):
    """Mark a GET view that writes (an export that records an audit entry, say).

    On SQLite its transactions then take the write lock up front like a POST's do;
    a read transaction that later writes can fail at once under concurrent writers.
    """
    view.sqlite_writes_on_get = True
    return view


@contextmanager
def read_only():
    """Transactions begun inside only read: no write lock on SQLite."""
    token = write_intent.set(False)
    try:
        yield
    finally:
        write_intent.reset(token)


def configure_engine(engine, busy_timeout_ms):
    """Use WAL, a busy timeout and BEGIN IMMEDIATE for writing transactions."""

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


@contextlib.contextmanager
def reading():
    """Begin transactions inside this block with a plain BEGIN, even in a request that
    writes: a long read (an export's snapshot) must not hold SQLite's write lock."""
    token = write_intent.set(False)
    try:
        yield
    finally:
        write_intent.reset(token)
