"""The sign-in service (tracker.services.auth): the lockout after too many wrong passwords, the same
work for every kind of failure, no password hashing inside an open transaction, the password policy
on every password set, changing one's own password, and ending a person's sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD, person_by_email
from tests.crafted import give_password
from tracker import cli
from tracker.db import create_schema, make_engine
from tracker.models import AccountLockout, AuditEvent, Partnership, Person
from tracker.services import auth as accounts
from tracker.services import people
from tracker.services.errors import InvalidInput

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
CHAIR = DEMO_EMAILS["chair"]
NEW = "heron-kettle-Lantern-42"


@pytest.fixture
def db(engine):
    give_password(engine, *DEMO_EMAILS.values())  # quick to check, so thirty tries take no time
    return engine


class SpyHasher:
    """The service's argon2 hasher, noting what each check saw."""

    def __init__(self, real, note):
        self.real, self.note = real, note

    def hash(self, password):
        return self.real.hash(password)

    def verify(self, password_hash, password):
        self.note(password_hash)
        return self.real.verify(password_hash, password)


def events(engine, verb: str) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.verb == verb).order_by(AuditEvent.id)))


def epoch_of(engine, email: str) -> int:
    with Session(engine) as s:
        return person_by_email(s, email).session_epoch


# --- Lockout ------------------------------------------------------------------------------------


def test_thirty_wrong_passwords_lock_the_account_for_fifteen_minutes(db):
    for _attempt in range(29):
        assert accounts.sign_in(db, CHAIR, "not-the-password", "10.0.0.1", now=NOW) == accounts.SignIn()
    locked = accounts.sign_in(db, CHAIR, "not-the-password", "10.0.0.1", now=NOW)
    assert not locked.ok and locked.locked_minutes == 15
    # Even the right password is refused while locked, and says how long is left.
    assert accounts.sign_in(db, CHAIR, DEMO_PASSWORD, now=NOW + timedelta(minutes=5, seconds=30)).locked_minutes == 10
    assert accounts.sign_in(db, CHAIR.upper(), DEMO_PASSWORD, now=NOW + timedelta(minutes=14)).locked_minutes == 1
    assert accounts.sign_in(db, CHAIR, DEMO_PASSWORD, now=NOW + timedelta(minutes=15, seconds=1)).ok
    [lockout] = events(db, "lockout")
    assert "locked for 15 minutes after 30 wrong passwords" in lockout.summary
    assert lockout.entity_type == "Account" and lockout.partnership_id is not None  # in the partnership's trail


def test_wrong_passwords_spread_beyond_the_window_do_not_lock(db):
    rules = accounts.Lockout(attempts=3, minutes=15)
    for minute in (0, 10, 26, 40):  # never three within fifteen minutes
        assert accounts.sign_in(db, CHAIR, "wrong-one", now=NOW + timedelta(minutes=minute), rules=rules).locked_minutes == 0
    assert accounts.sign_in(db, CHAIR, DEMO_PASSWORD, now=NOW + timedelta(minutes=41), rules=rules).ok


def test_signing_in_clears_the_count(db):
    rules = accounts.Lockout(attempts=3, minutes=15)
    accounts.sign_in(db, CHAIR, "wrong-one", now=NOW, rules=rules)
    accounts.sign_in(db, CHAIR, "wrong-two", now=NOW, rules=rules)
    assert accounts.sign_in(db, CHAIR, DEMO_PASSWORD, now=NOW, rules=rules).ok
    accounts.sign_in(db, CHAIR, "wrong-three", now=NOW, rules=rules)
    assert accounts.sign_in(db, CHAIR, DEMO_PASSWORD, now=NOW, rules=rules).ok


def test_an_unknown_email_locks_like_a_known_one(db):
    """The answer must not tell which emails have accounts: an unknown one locks the same way."""
    rules = accounts.Lockout(attempts=3, minutes=15)
    for email in ("nobody@example.org", CHAIR):
        results = [accounts.sign_in(db, email, "wrong-password", now=NOW, rules=rules) for _ in range(3)]
        assert [r.locked_minutes for r in results] == [0, 0, 15]
    with Session(db) as s:
        assert {row.email for row in s.exec(select(AccountLockout))} == {"nobody@example.org", CHAIR}


def test_sign_in_and_failures_are_in_the_audit_trail_without_the_password(db):
    assert accounts.sign_in(db, CHAIR, DEMO_PASSWORD, "10.0.0.7").ok
    accounts.sign_in(db, CHAIR, "guessed-wrong", "10.0.0.8")
    accounts.sign_in(db, "nobody@example.org", "guessed-wrong", "10.0.0.9")
    [signed_in] = events(db, "sign_in")
    assert signed_in.actor_id is not None and signed_in.entity_type == "Account"
    assert "10.0.0.7" in signed_in.summary
    failed = events(db, "sign_in_failed")
    assert [e.entity_type for e in failed] == ["Account", "Account"]
    assert failed[0].partnership_id is not None and failed[1].partnership_id is None  # nobody's trail
    assert "10.0.0.8" in failed[0].summary and "nobody@example.org" in failed[1].summary
    for event in failed + [signed_in]:
        assert "guessed-wrong" not in f"{event.summary}{event.before}{event.after}"
        assert DEMO_PASSWORD not in f"{event.summary}{event.before}{event.after}"


# --- The same work for every failure; no hashing in a transaction --------------------------------


def test_every_kind_of_failure_checks_one_hash(db, monkeypatch):
    """Unknown email, no password (single sign-on only), deactivated, wrong password: each costs one
    argon2 check, so their timing does not tell them apart."""
    with Session(db) as s:
        sso_only = person_by_email(s, DEMO_EMAILS["viewer"])
        sso_only.password_hash = None
        gone = person_by_email(s, DEMO_EMAILS["owner"])
        gone.is_active = False
        s.add_all([sso_only, gone])
        s.commit()
    checks = []
    monkeypatch.setattr(accounts, "_hasher", SpyHasher(accounts._hasher, checks.append))
    for email in ("nobody@example.org", DEMO_EMAILS["viewer"], DEMO_EMAILS["owner"], CHAIR):
        checks.clear()
        assert accounts.sign_in(db, email, "wrong-password") == accounts.SignIn()
        assert len(checks) == 1, email


def test_the_password_is_checked_with_no_database_connection_held(tmp_path, monkeypatch):
    engine = make_engine(f"sqlite:///{tmp_path / 'file.db'}")
    create_schema(engine)
    with Session(engine) as s:
        partnership = Partnership(slug="p", name="P", area="A")
        s.add(partnership)
        s.flush()
        s.add(Person(partnership_id=partnership.id, name="Pat", email="pat@example.org",
                     password_hash=accounts.hash_password(NEW)))
        s.commit()
    held = []
    monkeypatch.setattr(accounts, "_hasher", SpyHasher(accounts._hasher, lambda _: held.append(engine.pool.checkedout())))
    assert accounts.sign_in(engine, "pat@example.org", NEW).ok
    assert not accounts.sign_in(engine, "pat@example.org", "wrong-password-x").ok
    assert held == [0, 0]
    engine.dispose()


# --- The password policy ---------------------------------------------------------------------------


@pytest.mark.parametrize("password, words", [
    ("short-one", "at least 12 characters"),
    ("password1234", "too easy to guess"),
    ("Password123!", "too easy to guess"),
    ("qwertyuiop123", "too easy to guess"),
    ("xxxxxxxxxxxx", "too easy to guess"),
    ("            ", "only spaces"),
    ("x" * 201, "no more than 200"),
])
def test_the_policy_refuses_short_and_common_passwords(password, words):
    assert words in accounts.password_problem(password)


def test_the_policy_allows_a_long_unusual_password():
    assert accounts.password_problem(NEW) is None
    assert accounts.password_problem("kettle-Moor7") is None


def test_the_policy_applies_to_an_admin_reset_and_a_new_person(db):
    with Session(db) as s:
        actor, chair = person_by_email(s, DEMO_EMAILS["admin"]), person_by_email(s, CHAIR)
        with pytest.raises(InvalidInput) as refused:
            people.reset_password(s, actor, chair.id, "password1234")
        assert "too easy to guess" in refused.value.errors["password"]
        with pytest.raises(InvalidInput) as refused:
            people.create_person(s, actor, {"name": "N", "email": "n@example.org", "password": "liverpool2024"})
        assert "too easy to guess" in refused.value.errors["password"]


def test_the_policy_applies_to_the_command_line(db, monkeypatch, capsys):
    monkeypatch.setenv("TRACKER_NEW_PASSWORD", "iloveyou1234")
    assert cli.main(["set-password", "--email", CHAIR], engine=db) == 1
    assert "too easy to guess" in capsys.readouterr().err
    assert accounts.sign_in(db, CHAIR, DEMO_PASSWORD).ok


# --- Ending sessions ---------------------------------------------------------------------------------


def test_a_password_reset_a_role_change_and_the_command_line_end_sessions(db, monkeypatch):
    start = epoch_of(db, CHAIR)
    with Session(db) as s:
        actor, chair = person_by_email(s, DEMO_EMAILS["admin"]), person_by_email(s, CHAIR)
        people.reset_password(s, actor, chair.id, NEW)
        s.commit()
    assert epoch_of(db, CHAIR) == start + 1
    with Session(db) as s:
        actor, chair = person_by_email(s, DEMO_EMAILS["admin"]), person_by_email(s, CHAIR)
        people.change_role(s, actor, chair.id, "member")
        s.commit()
    assert epoch_of(db, CHAIR) == start + 2
    monkeypatch.setenv("TRACKER_NEW_PASSWORD", "another-Heron-lantern")
    assert cli.main(["set-password", "--email", CHAIR], engine=db) == 0
    assert epoch_of(db, CHAIR) == start + 3
    with Session(db) as s:
        person_id = person_by_email(s, CHAIR).id
    assert accounts.session_person(db, person_id, start + 2) is None
    assert accounts.session_person(db, person_id, start + 3).id == person_id


def test_signing_out_ends_the_sessions_and_is_recorded(db):
    with Session(db) as s:
        person_id = person_by_email(s, CHAIR).id
    accounts.record_sign_out(db, person_id)
    assert accounts.session_person(db, person_id, 0) is None
    assert accounts.session_person(db, person_id, 1).id == person_id
    assert "signed out" in events(db, "sign_out")[0].summary


# --- Changing one's own password -----------------------------------------------------------------------


def chair_id(engine) -> int:
    with Session(engine) as s:
        return person_by_email(s, CHAIR).id


@pytest.mark.parametrize("current, new, confirm, field, words", [
    ("", NEW, NEW, "current", "Enter your current password"),
    (DEMO_PASSWORD, "short", "short", "new", "at least 12"),
    (DEMO_PASSWORD, "password1234", "password1234", "new", "too easy to guess"),
    (DEMO_PASSWORD, NEW, NEW + "x", "confirm", "not the same"),
    ("not-my-password", NEW, NEW, "current", "not your current password"),
])
def test_changing_your_password_refuses_bad_input_and_changes_nothing(db, current, new, confirm, field, words):
    with pytest.raises(InvalidInput) as refused:
        accounts.change_own_password(db, chair_id(db), current, new, confirm)
    assert words in refused.value.errors[field]
    assert accounts.sign_in(db, CHAIR, DEMO_PASSWORD).ok
    assert epoch_of(db, CHAIR) == 0


def test_changing_your_password_works_and_ends_your_other_sessions(db):
    epoch = accounts.change_own_password(db, chair_id(db), DEMO_PASSWORD, NEW, NEW)
    assert epoch == epoch_of(db, CHAIR) == 1
    assert not accounts.sign_in(db, CHAIR, DEMO_PASSWORD).ok
    assert accounts.sign_in(db, CHAIR, NEW).ok
    [event] = [e for e in events(db, "update") if "changed their password" in e.summary]
    assert NEW not in f"{event.before}{event.after}"


def test_wrong_current_passwords_count_towards_the_lockout(db):
    rules = accounts.Lockout(attempts=2, minutes=15)
    for _ in range(2):
        with pytest.raises(InvalidInput):
            accounts.change_own_password(db, chair_id(db), "not-my-password", NEW, NEW, rules=rules)
    with pytest.raises(InvalidInput) as refused:
        accounts.change_own_password(db, chair_id(db), DEMO_PASSWORD, NEW, NEW, rules=rules)
    assert "Too many attempts: try again in 15 minutes" in refused.value.errors["current"]
