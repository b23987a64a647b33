"""Flask CLI commands."""

from sqlalchemy import func, select

from petition.extensions import db
from petition.models import Petition, PetitionState, PetitionTarget


def test_seed_demo_creates_the_ecps_petition_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "created" in first.output
    assert second.exit_code == 0 and "already present" in second.output
    assert "Petition 'tirc' created." in first.output
    assert "Petition 'tirc' already present." in second.output
    with app.app_context():
        # The ECPS petition (to alders) and the TIRC one (to State Representatives).
        assert db.session.scalar(select(func.count()).select_from(Petition)) == 2
        petition = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        assert petition.state is PetitionState.OPEN
        assert petition.target is PetitionTarget.ALDER
        tirc = db.session.scalar(select(Petition).where(Petition.slug == "tirc"))
        assert tirc.target is PetitionTarget.STATE_HOUSE and tirc.body_es
        assert "22 police districts" in petition.body
        assert "Community Commission for Public Safety and Accountability" in petition.body


def test_counts_rebuild_for_unknown_petition_fails_cleanly(app):
    result = app.test_cli_runner().invoke(args=["counts", "rebuild", "--petition", "nope"])
    assert result.exit_code != 0 and "No petition" in result.output


def test_organizer_create_prompts_twice_and_hashes(app):
    from petition.models import Organizer

    runner = app.test_cli_runner()
    result = runner.invoke(args=["organizer", "create", "Ana@Example.org", "--admin"],
                           input="a long enough password\na long enough password\n")
    assert result.exit_code == 0, result.output
    assert "Created administrator ana@example.org" in result.output
    assert "Password:" in result.output and "Repeat for confirmation" in result.output
    assert "a long enough password" not in result.output  # hidden input
    with app.app_context():
        organizer = db.session.scalar(select(Organizer))
        assert organizer.is_admin and organizer.password_hash.startswith("$argon2id$")


def test_organizer_create_reads_the_password_from_stdin_for_scripts(app):
    from petition.models import Organizer

    runner = app.test_cli_runner()
    result = runner.invoke(args=["organizer", "create", "bo@example.org", "--password-stdin"],
                           input="a long enough password\n")
    assert result.exit_code == 0 and "Created organizer bo@example.org" in result.output
    with app.app_context():
        organizer = db.session.scalar(select(Organizer))
        assert not organizer.is_admin
    from petition.organizer import passwords

    with app.app_context():
        assert passwords.verify_password(organizer.password_hash, "a long enough password")


def test_organizer_create_refuses_mismatch_weak_and_duplicate(app):
    runner = app.test_cli_runner()
    mismatch = runner.invoke(args=["organizer", "create", "a@example.org"],
                             input="a long enough password\nsomething else entirely\n"
                                   "a long enough password\na long enough password\n")
    assert "do not match" in mismatch.output and mismatch.exit_code == 0
    weak = runner.invoke(args=["organizer", "create", "b@example.org", "--password-stdin"],
                         input="short\n")
    assert weak.exit_code != 0 and "at least 12" in weak.output
    again = runner.invoke(args=["organizer", "create", "A@example.org", "--password-stdin"],
                          input="a long enough password\n")
    assert again.exit_code != 0 and "already an account" in again.output
    listing = runner.invoke(args=["organizer", "list"])
    assert listing.output.strip() == "a@example.org\torganizer"
    changed = runner.invoke(args=["organizer", "set-password", "a@example.org",
                                  "--password-stdin"], input="another long password\n")
    assert changed.exit_code == 0
