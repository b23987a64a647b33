"""Flask CLI commands."""

from sqlalchemy import func, select

from petition.extensions import db
from petition.models import Petition, PetitionState


def test_seed_demo_creates_the_ecps_petition_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "created" in first.output
    assert second.exit_code == 0 and "already present" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Petition)) == 1
        petition = db.session.scalar(select(Petition))
        assert petition.slug == "ecps" and petition.state is PetitionState.OPEN
        assert "22 police districts" in petition.body
        assert "Community Commission for Public Safety and Accountability" in petition.body


def test_counts_rebuild_for_unknown_petition_fails_cleanly(app):
    result = app.test_cli_runner().invoke(args=["counts", "rebuild", "--petition", "nope"])
    assert result.exit_code != 0 and "No petition" in result.output
