"""The baselines: bare Flask endpoints that insert one row, on the same database settings.

- `POST /insert`: SQLAlchemy Core on a plain engine, the leanest way to insert a row.
- `POST /insert-orm`: Flask-SQLAlchemy, a model and `db.session.add` + `commit`, the way
  a Flask app usually inserts a row.
"""

import os
from datetime import UTC, datetime

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, create_engine, insert

from petition.config import database_uri
from petition.database import configure_sqlite_engine

DATABASE_URI = database_uri(os.environ["DATABASE_URL"], "")

metadata = MetaData()
rows = Table(
    "bench_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

engine = create_engine(DATABASE_URI)
if engine.dialect.name == "sqlite":
    configure_sqlite_engine(engine, 30000)
metadata.create_all(engine)
# gunicorn --preload forks after this: workers must not share the master's connections.
engine.dispose()

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = DATABASE_URI
db = SQLAlchemy(app)


class BenchRow(db.Model):
    __tablename__ = "bench_orm_rows"
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False)


with app.app_context():
    if db.engine.dialect.name == "sqlite":
        configure_sqlite_engine(db.engine, 30000)
    db.create_all()
    db.engine.dispose()


def _now():
    return datetime.now(UTC).replace(tzinfo=None)


@app.post("/insert")
def insert_one():
    with engine.begin() as conn:
        conn.execute(insert(rows).values(email=request.form["email"], created_at=_now()))
    return "", 204


@app.post("/insert-orm")
def insert_one_orm():
    db.session.add(BenchRow(email=request.form["email"], created_at=_now()))
    db.session.commit()
    return "", 204
