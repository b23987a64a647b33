"""INSERT ... ON CONFLICT DO NOTHING RETURNING, for whichever database the session uses.

The unique index named by `index_elements` settles races: of two requests inserting the
same key at once, one gets the new row's key back and the other gets None.
"""

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from petition.extensions import db

_STATEMENTS = {}


def insert_unless_present(table, index_elements, returning, values):
    """Insert one row of `values` unless the unique index on `index_elements` already has
    its key; returns the `returning` column of the new row, or None. The statement is
    built once per table and database (values go in as bind parameters)."""
    connection = db.session.connection()
    dialect = connection.dialect.name
    key = (table.name, tuple(index_elements), returning, dialect)
    statement = _STATEMENTS.get(key)
    if statement is None:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = (insert(table).on_conflict_do_nothing(index_elements=list(index_elements))
                     .returning(table.c[returning]))
        _STATEMENTS[key] = statement
    return connection.execute(statement, values).scalar()
