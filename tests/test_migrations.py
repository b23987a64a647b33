"""The migrations build exactly the schema the models describe."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from petition import create_app
from petition.extensions import db
from tests.conftest import BACKENDS, pg_url

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")


@pytest.fixture(params=BACKENDS)
def empty_app(request, tmp_path):
    config = {"APP_ENV": "testing", "SECRET_KEY": "x"}
    if request.param == "sqlite":
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path}/migrated.db"
    else:
        schema = request.getfixturevalue("pg_schema") + "_mig"
        from sqlalchemy import create_engine, text

        engine = create_engine(pg_url())
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        config["SQLALCHEMY_DATABASE_URI"] = pg_url()
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"options": f"-csearch_path={schema}"}
        }
        request.addfinalizer(lambda: _drop(engine, schema))
    return create_app(config)


def _drop(engine, schema):
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def test_upgrade_matches_models_and_downgrade_empties(empty_app):
    with empty_app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(directory=MIGRATIONS, revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()


def test_0023_counts_the_signatures_already_stored_per_district(empty_app):
    from datetime import datetime

    from sqlalchemy import text

    from petition.models import Petition, PetitionState

    with empty_app.app_context():
        upgrade(directory=MIGRATIONS, revision="0021")
        now = datetime(2026, 12, 1, 12, 0)
        petition = {c.name: None for c in Petition.__table__.columns if c.name != "id"}
        petition.update(slug="tirc", title="TIRC", summary="", body="", goal=10,
                        state=PetitionState.OPEN.value, target="state_house",
                        signing_paused=False, requires_confirmation=True,
                        accepts_outside_chicago=True, scoreboard_public=False,
                        paper_without_email_counts=True, created_at=now, updated_at=now)
        with db.engine.begin() as conn:
            petition_id = conn.execute(Petition.__table__.insert().values(
                **petition).returning(Petition.__table__.c.id)).scalar()
            for n, (house, confirmed, invalidated) in enumerate(
                    ((6, True, False), (6, False, False), (None, True, False),
                     (6, True, True))):
                conn.execute(text(
                    "INSERT INTO signatures (petition_id, first_name, last_name, email, "
                    "email_normalized, address, zip, opt_in, volunteer, ward_status, locale, "
                    "created_at, confirmed_at, invalidated_at, confirmation_sends, "
                    "state_house, state_senate) VALUES (:p, 'A', 'B', :e, :e, 'x', '60601', "
                    ":f, :f, 'geocoded', 'en', :now, :c, :i, 0, :h, :s)"),
                    {"p": petition_id, "e": f"s{n}@example.org", "f": False, "now": now,
                     "c": now if confirmed else None, "i": now if invalidated else None,
                     "h": house, "s": 3 if house else None})
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT chamber, district, confirmed, pending FROM district_counts "
                "ORDER BY chamber, district")).all()
        assert [tuple(r) for r in rows] == [("house", 0, 1, 0), ("house", 6, 1, 1),
                                            ("senate", 0, 1, 0), ("senate", 3, 1, 1)]
        downgrade(directory=MIGRATIONS, revision="base")


def test_0025_names_the_members_of_letters_and_calls_already_stored(empty_app):
    """A letter sent before 0025 on a petition to both members went to the signer's
    Senator too; one on a petition to State Representatives alone did not. A call on a
    petition to one chamber was to the signer's member there; on one to both, no one can
    tell which member it was."""
    from datetime import datetime

    from sqlalchemy import text

    from petition.models import Petition, PetitionState

    with empty_app.app_context():
        upgrade(directory=MIGRATIONS, revision="0024")
        now = datetime(2026, 12, 1, 12, 0)
        with db.engine.begin() as conn:
            for slug, target in (("both", "state_both"), ("house", "state_house")):
                petition = {c.name: None for c in Petition.__table__.columns
                            if c.name != "id"}
                petition.update(slug=slug, title=slug, summary="", body="", goal=10,
                                state=PetitionState.OPEN.value, target=target,
                                signing_paused=False, requires_confirmation=True,
                                accepts_outside_chicago=True, scoreboard_public=False,
                                paper_without_email_counts=True, created_at=now,
                                updated_at=now)
                petition_id = conn.execute(Petition.__table__.insert().values(
                    **petition).returning(Petition.__table__.c.id)).scalar()
                values = {"p": petition_id, "e": f"{slug}@example.org", "now": now,
                          "f": False}
                signature_id = conn.execute(text(
                    "INSERT INTO signatures (petition_id, first_name, last_name, email, "
                    "email_normalized, address, zip, opt_in, volunteer, ward_status, "
                    "locale, created_at, confirmed_at, confirmation_sends, state_house, "
                    "state_senate) VALUES (:p, 'A', 'B', :e, :e, 'x', '60601', :f, :f, "
                    "'geocoded', 'en', :now, :now, 0, 3, 2) RETURNING id"), values).scalar()
                campaign_id = conn.execute(text(
                    "INSERT INTO letter_campaigns (petition_id, subject, body, "
                    "supporters_may_edit, delivery, is_open, reply_check_days, "
                    "reply_rates_public, created_at, updated_at) VALUES (:p, 's', 'b', :f, "
                    "'each', :f, 14, :f, :now, :now) RETURNING id"), values).scalar()
                conn.execute(text(
                    "INSERT INTO letters (campaign_id, petition_id, signature_id, ward, "
                    "alder_name, recipient_chamber, recipient_district, alder_email, "
                    "signer_name, reply_to, subject, body, edited, for_digest, created_at) "
                    "VALUES (:c, :p, :s, 1, 'Rep', 'house', 3, 'rep@example.org', 'A B', "
                    ":e, 's', 'b', :f, :f, :now)"),
                    dict(values, c=campaign_id, s=signature_id))
                conn.execute(text(
                    "INSERT INTO calls (petition_id, signature_id, ward, outcome, created_at) "
                    "VALUES (:p, :s, 1, 'voicemail', :now)"), dict(values, s=signature_id))
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT petitions.slug, letters.senate_district FROM letters JOIN petitions "
                "ON petitions.id = letters.petition_id ORDER BY petitions.slug")).all()
            calls = conn.execute(text(
                "SELECT petitions.slug, calls.chamber, calls.district FROM calls JOIN "
                "petitions ON petitions.id = calls.petition_id ORDER BY petitions.slug")).all()
        assert [tuple(r) for r in rows] == [("both", 2), ("house", None)]
        assert [tuple(r) for r in calls] == [("both", None, None), ("house", "house", 3)]
        downgrade(directory=MIGRATIONS, revision="base")
