"""The SQL of the common signing: a new signature on an open petition, in one statement.

Nearly every sign POST is a new supporter on an open petition. For that case the petition's
terms are checked inside the INSERT (INSERT ... SELECT FROM petitions WHERE it may be signed)
instead of in a query of their own, and on PostgreSQL the confirmation email goes into the
outbox in the same statement (a data-modifying CTE). That saves round trips, not checks:
the statement inserts nothing when the petition is unknown, not open, paused, past its
deadline or only for Chicago residents, or when the email already signed, and the caller
then takes the general path, which reads the terms and says why. The statements are
built once per database and take every value as a bind parameter.
"""

from sqlalchemy import Boolean, bindparam, case, func, literal, null, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from petition.models import OutboxMessage, OutboxStatus, Petition, PetitionState, Signature

# The signature's values that come from the request (bind parameters of the same name).
SIGNER_COLUMNS = (
    "first_name", "last_name", "email", "email_normalized", "address", "zip", "phone",
    "opt_in", "volunteer", "ward", "ward_status", "candidate_wards", "geocode_match", "lon",
    "lat", "ip_address", "locale",
)

_STATEMENTS = {}


def new_signature_statement(dialect_name, confirmation_template):
    """The statement for `dialect_name`; it returns (id, confirmation_sends) of a new row.

    confirmation_sends is 1 when the petition asks for email confirmation, else 0. On
    PostgreSQL the confirmation email (kind "confirmation", `confirmation_template`) is
    queued by the statement itself; on SQLite the caller queues it.
    """
    key = (dialect_name, confirmation_template)
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _build(dialect_name, confirmation_template)
        _STATEMENTS[key] = statement
    return statement


def _build(dialect_name, confirmation_template):
    signatures, petitions = Signature.__table__, Petition.__table__
    now = bindparam("now", type_=signatures.c.created_at.type)
    requires_confirmation = petitions.c.requires_confirmation
    source = select(
        petitions.c.id,
        *(bindparam(name, type_=signatures.c[name].type) for name in SIGNER_COLUMNS),
        now,
        case((requires_confirmation, 1), else_=0),
        case((requires_confirmation, now), else_=null()),
    ).where(
        # The same rules as PetitionRules.can_sign and the outside-Chicago check.
        petitions.c.slug == bindparam("slug"),
        petitions.c.state == PetitionState.OPEN,
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
        .returning(signatures.c.id, signatures.c.confirmation_sends)
    )
    if dialect_name != "postgresql":
        return signed
    signed = signed.cte("signed")
    outbox = OutboxMessage.__table__
    queued = pg_insert(outbox).from_select(
        ["kind", "to_address", "template", "context", "locale", "headers", "signature_id",
         "status", "attempts", "created_at", "next_attempt_at"],
        select(
            literal("confirmation", outbox.c.kind.type),
            bindparam("email", type_=outbox.c.to_address.type),
            literal(confirmation_template, outbox.c.template.type),
            func.json_build_object("signature_id", signed.c.id),
            bindparam("locale", type_=outbox.c.locale.type),
            func.json_build_object(),
            signed.c.id,
            literal(OutboxStatus.PENDING, outbox.c.status.type),
            literal(0),
            now,
            now,
        ).where(signed.c.confirmation_sends == 1),
    ).cte("queued")
    return select(signed.c.id, signed.c.confirmation_sends).add_cte(queued)
