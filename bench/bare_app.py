"""The baseline: a bare Flask endpoint that inserts one row, on the same database settings."""

import os
from datetime import UTC, datetime

from flask import Flask, request
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, create_engine, insert

from petition.config import database_uri
from petition.sqlite import configure_engine

metadata = MetaData()
rows = Table(
    "bench_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

engine = create_engine(database_uri(os.environ["DATABASE_URL"], ""))
if engine.dialect.name == "sqlite":
    configure_engine(engine, 30000)
metadata.create_all(engine)
# gunicorn --preload forks after this: workers must not share the master's connections.
engine.dispose()
app = Flask(__name__)


@app.post("/insert")
def insert_one():
    with engine.begin() as conn:
        conn.execute(insert(rows).values(email=request.form["email"],
                                         created_at=datetime.now(UTC).replace(tzinfo=None)))
    return "", 204
