"""Flask CLI commands."""

import re

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


def test_seed_demo_spreads_tirc_signers_over_the_house_districts_once(app):
    """The TIRC demo petition gets signers at real addresses, placed by the real look-up,
    spread over Chicago's House districts; its counters agree with them; a second run
    adds none."""
    from petition.models import DistrictCount, Signature, WardStatus

    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    added = int(re.search(r"Petition 'tirc': (\d+) demo signers", first.output).group(1))
    assert 200 <= added <= 300
    second = runner.invoke(args=["seed-demo"])
    assert "demo signers" not in second.output
    with app.app_context():
        tirc = db.session.scalar(select(Petition).where(Petition.slug == "tirc"))
        signers = db.session.scalars(select(Signature).where(
            Signature.petition_id == tirc.id)).all()
        assert len(signers) == added
        assert all(s.ward_status is WardStatus.GEOCODED and s.state_house and s.state_senate
                   for s in signers)
        pending = sum(s.confirmed_at is None for s in signers)
        assert 0 < pending < added / 5
        ecps = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        assert db.session.scalar(select(func.count()).select_from(Signature).where(
            Signature.petition_id == ecps.id)) == 0
        house = {row.district: row.confirmed for row in db.session.scalars(select(
            DistrictCount).where(DistrictCount.petition_id == tirc.id,
                                 DistrictCount.chamber == "house"))}
    assert len([n for n in house.values() if n]) >= 25  # most of Chicago's House districts
    assert max(house.values()) < added / 5  # spread, not piled up in one
    public = app.test_client().get("/api/v1/petitions/tirc/counts").get_json()
    assert sum(public["house_districts"].values()) == added - pending
    verify = runner.invoke(args=["counts", "verify", "--dry-run"])
    assert verify.exit_code == 0, verify.output
    assert "tirc: counters agree with the signatures." in verify.output
