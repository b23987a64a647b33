"""The SQL of the common signing: a new signature on an open petition, in one statement.

Nearly every sign POST is a new supporter on an open petition that asks for email
confirmation. For that case the petition's terms are checked inside the INSERT (INSERT ...
SELECT FROM petitions WHERE it may be signed) instead of in a query of their own, and on
PostgreSQL the confirmation email goes into the outbox in the same statement (a
data-modifying CTE). That saves round trips, not checks: the statement inserts nothing
when the petition is unknown, not open, paused, past its deadline, only for Chicago
residents or without email confirmation, or when the email already signed, and the
caller then takes the general path, which reads the terms and says why. The statements
are built once per database and take every value as a bind parameter.
"""

import functools
import re

from sqlalchemy import Boolean, bindparam, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from petition.models import OutboxMessage, OutboxStatus, Petition, PetitionState, Signature

# The signature's values that come from the request (bind parameters of the same name).
SIGNER_COLUMNS = (
    "first_name", "last_name", "email", "email_normalized", "address", "zip", "phone",
    "opt_in", "volunteer", "ward", "ward_status", "candidate_wards", "geocode_match", "lon",
    "lat", "ip_address", "locale",
)


def first_row_autocommit(engine, sql, params):
    """Run driver SQL on PostgreSQL as its own transaction; its first row, or None.

    This runs on every signature, so it talks to the pooled psycopg connection directly:
    SQLAlchemy's Connection would switch the isolation level on checkout and back on
    checkin and build a result object, which costs as much CPU as the statement itself.
    What it does keep from SQLAlchemy: errors arrive as SQLAlchemy's own exceptions
    (a lost connection is an OperationalError, answered with a 503), and a lost
    connection is thrown away with the rest of the pool, as SQLAlchemy does.
    """
    dbapi_error = engine.dialect.loaded_dbapi.Error
    try:
        pooled = engine.raw_connection()
    except dbapi_error as exc:  # the server is down or refusing connections
        raise _wrapped(engine, sql, params, exc, lost=False) from exc
    connection = pooled.driver_connection
    try:
        connection.autocommit = True
        try:
            return connection.execute(sql, params).fetchone()
        finally:
            if not connection.broken:
                connection.autocommit = False
    except dbapi_error as exc:
        lost = engine.dialect.is_disconnect(exc, connection, None)
        if lost:
            pooled.invalidate(exc)
            engine.dispose()  # after a restart every pooled connection is dead
        raise _wrapped(engine, sql, params, exc, lost) from exc
    finally:
        pooled.close()


def _wrapped(engine, sql, params, exc, lost):
    # The parameters are a signer's name, email and address: keep them out of logs.
    return DBAPIError.instance(sql, params, exc, engine.dialect.loaded_dbapi.Error,
                               hide_parameters=True, connection_invalidated=lost,
                               dialect=engine.dialect)


@functools.cache
def new_signature_statement(dialect_name, confirmation_template):
    """The statement for `dialect_name`; it returns the new signature's id, if any.

    On PostgreSQL the confirmation email (kind "confirmation", `confirmation_template`)
    is queued by the statement itself; on SQLite the caller queues it.
    """
    return _build(dialect_name, confirmation_template)


def new_signature_sql(dialect, confirmation_template):
    """The PostgreSQL statement as driver SQL, for `first_row_autocommit`.

    Every value is a named parameter of a plain Python type (the ward status as its
    text), so the driver takes them as they are, with no SQLAlchemy type processing on
    each call: this runs on every signature.
    """
    sql = _DRIVER_SQL.get((dialect.driver, confirmation_template))
    if sql is None:
        sql = new_signature_statement(dialect.name, confirmation_template).compile(
            dialect=dialect).string
        _DRIVER_SQL[(dialect.driver, confirmation_template)] = sql
    return sql


# Compiled once per driver: the text does not depend on the engine.
_DRIVER_SQL = {}


def _text(value):
    """A constant of ours as an SQL string literal (the statements carry no user text)."""
    if not re.fullmatch(r"[a-z_]+", value):
        raise ValueError(f"not a plain constant: {value!r}")
    return literal_column(f"'{value}'")


def _build(dialect_name, confirmation_template):
    signatures, petitions = Signature.__table__, Petition.__table__
    now = bindparam("now", type_=signatures.c.created_at.type)
    source = select(
        petitions.c.id,
        *(bindparam(name, type_=signatures.c[name].type) for name in SIGNER_COLUMNS),
        now,
        literal_column("1"),  # confirmation_sends: this first email
        now,
    ).where(
        # The same rules as PetitionRules.can_sign and the outside-Chicago check.
        petitions.c.slug == bindparam("slug"),
        petitions.c.requires_confirmation.is_(True),
        petitions.c.state == _text(PetitionState.OPEN.value),
        petitions.c.signing_paused.is_(False),
        or_(petitions.c.deadline.is_(None), petitions.c.deadline > now),
        or_(petitions.c.accepts_outside_chicago, bindparam("inside_chicago", type_=Boolean)),
    )
    insert = pg_insert if dialect_name == "postgresql" else sqlite_insert
    signed = (
        insert(signatures)
        .from_select(["petition_id", *SIGNER_COLUMNS, "created_at", "confirmation_sends",
                      "last_confirmation_sent_at"], source)
        .on_conflict_do_nothing(index_elements=["petition_id", "email_normalized"])
        .returning(signatures.c.id)
    )
    if dialect_name != "postgresql":
        return signed
    signed = signed.cte("signed")
    outbox = OutboxMessage.__table__
    queued = pg_insert(outbox).from_select(
        ["kind", "to_address", "template", "context", "locale", "headers", "signature_id",
         "status", "attempts", "created_at", "next_attempt_at"],
        select(
            _text("confirmation"),
            bindparam("email", type_=outbox.c.to_address.type),
            _text(confirmation_template),
            func.json_build_object(_text("signature_id"), signed.c.id),
            bindparam("locale", type_=outbox.c.locale.type),
            func.json_build_object(),
            signed.c.id,
            _text(OutboxStatus.PENDING.value),
            literal_column("0"),
            now,
            now,
        ),
    ).cte("queued")
    return select(signed.c.id).add_cte(queued)
