"""Accounts and sign-in: password hashing (argon2id), the password policy, signing in with a lockout
after too many wrong passwords, ending a person's sessions, and the look-ups the sign-in guard needs.

Plain Python, no Flask. A password is never hashed or checked inside an open database session: the
hash is read in one short session, checked with the session closed, and the outcome recorded in a
new one (argon2 takes a good part of a second, and an open SQLite transaction would hold the others
up meanwhile).

Every failure looks and takes the same: an unknown email, a deactivated person and a person with
no password (single sign-on only) are checked against a dummy hash, so they cost as much as a wrong
password; each counts towards the lockout of the email address given, known or not.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, func, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from zxcvbn import zxcvbn

from tracker.db import read_session, session_scope
from tracker.models import Account, AccountLockout, Person
from tracker.rules.clock import utc_now
from tracker.rules.text import holds_nul
from tracker.services import audit, embeds
from tracker.services.errors import InvalidInput, PermissionDenied
from tracker.services.reference import is_record_id

MIN_PASSWORD = 12
MAX_PASSWORD = 200
_ZXCVBN_MAX = 72  # zxcvbn >= 4.5 refuses a longer password (ValueError)
MIN_STRENGTH = 3  # zxcvbn's score (0-4): 3 is "safely unguessable", beyond a large guessing attack

_hasher = PasswordHasher()
_dummy_hash: str | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _dummy() -> str:
    """A hash to check against when there is no real one (made once per process, on first use or at
    start-up through `warm_up`)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_urlsafe(24))
    return _dummy_hash


def warm_up() -> None:
    _dummy()


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the hash. Without a hash it is checked against a dummy one and
    refused, so it takes as long as a real check."""
    try:
        if not password_hash:
            _hasher.verify(_dummy(), password)
            return False
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --- The password policy ---------------------------------------------------------------------


def password_problem(password: object, user_inputs: tuple[str, ...] = ()) -> str | None:
    """What is wrong with a new password, in words, or None when it will do: at least 12 characters,
    and not a common or breached password nor close to one (zxcvbn ships its lists: no network)."""
    if not isinstance(password, str) or password == "":
        return "Enter a new password"
    if len(password) < MIN_PASSWORD:
        return f"Use a password of at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"Use a password of no more than {MAX_PASSWORD} characters"
    if not password.strip():
        return "A password cannot be only spaces"
    words = [w for value in user_inputs for w in value.lower().replace("@", " ").replace(".", " ").split() if w]
    # zxcvbn's time grows with length, and from 4.5 it raises ValueError beyond 72 characters (a 500
    # for any longer password we allow): the first 72 characters tell enough.
    result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=words)
    if result["score"] < MIN_STRENGTH:
        warning = (result["feedback"].get("warning") or "").rstrip(".")
        why = f" ({warning[:1].lower() + warning[1:]})" if warning else ""
        return (f"This password is too easy to guess{why}: it is a common or breached password or close to one. "
                "Use three or four unrelated words, or a longer phrase")
    return None


def check_password(password: object, user_inputs: tuple[str, ...] = ()) -> str:
    """The password if the policy allows it; else ValueError with what to change (for validators)."""
    problem = password_problem(password, user_inputs)
    if problem:
        raise ValueError(problem)
    return password  # type: ignore[return-value]


def end_sessions(person: Person) -> None:
    """End every session the person has (each is checked against this number on every request)."""
    person.session_epoch = (person.session_epoch or 0) + 1


# --- Signing in --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    attempts: int = 30  # wrong passwords ...
    minutes: int = 15  # ... within this many minutes lock the email address for this many minutes


@dataclass(frozen=True)
class SignIn:
    """The outcome: the person and their session epoch, or why not (`locked_minutes` > 0: locked)."""

    person_id: int | None = None
    epoch: int = 0
    locked_minutes: int = 0
    role: str = ""  # where they land: members on their own actions

    @property
    def ok(self) -> bool:
        return self.person_id is not None


def normalise_email(email: object) -> str:
    # An email with a NUL character is no email: PostgreSQL cannot store or compare one (DataError, a 500).
    return email.strip().lower()[:254] if isinstance(email, str) and not holds_nul(email) else ""


def _note_address(address: object) -> str:
    """The client address as noted with a wrong password: text without NUL (PostgreSQL cannot store it)."""
    return address.replace("\x00", "") if isinstance(address, str) else ""


def _utc(moment: datetime | None) -> datetime | None:
    # SQLite gives back naive datetimes; they were written in UTC.
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _minutes_left(until: datetime | None, now: datetime) -> int:
    until = _utc(until)
    if until is None or until <= now:
        return 0
    return max(1, -(-int((until - now).total_seconds()) // 60))


def locked_minutes(engine: Engine, email: str, now: datetime | None = None) -> int:
    """How many minutes the email address stays locked (0: not locked)."""
    now = now or utc_now()
    with read_session(engine) as session:
        row = session.exec(select(AccountLockout).where(AccountLockout.email == email)).first()
        return _minutes_left(row.locked_until, now) if row else 0


def _account(person: Person | None) -> Account:
    return Account(id=person.id, partnership_id=person.partnership_id) if person is not None else Account()


def _load_secret(engine: Engine, email: str) -> tuple[int | None, str | None, int]:
    with read_session(engine) as session:
        row = session.exec(select(Person.id, Person.password_hash, Person.is_active, Person.session_epoch)
                           .where(Person.email == email)).first()
    if row is None or not row[2]:
        return None, None, 0
    return row[0], row[1], row[3] or 0


def _count_failure(session: Session, email: str, address: str, rules: Lockout, now: datetime) -> AccountLockout:
    """One more wrong password for this email, counted in one UPDATE so workers cannot lose a count.
    `address` is as _note_address gives it."""
    fresh = AccountLockout.window_started >= now - timedelta(minutes=rules.minutes)
    for _ in range(2):
        result = session.execute(update(AccountLockout).where(AccountLockout.email == email).values(
            failures=case((fresh, AccountLockout.failures + 1), else_=1),  # a new window once one is over
            window_started=case((fresh, AccountLockout.window_started), else_=now),
            last_address=address[:64]))
        if result.rowcount:
            break
        try:
            with session.begin_nested():
                session.add(AccountLockout(email=email, failures=1, window_started=now, last_address=address[:64]))
            break
        except IntegrityError:
            continue  # another worker added it meanwhile: count on it
    row = session.exec(select(AccountLockout).where(AccountLockout.email == email)).one()
    session.refresh(row)
    if row.failures >= rules.attempts:  # locked: the count starts again after the lockout
        row.locked_until, row.failures, row.window_started = now + timedelta(minutes=rules.minutes), 0, now
        session.add(row)
    return row


def sign_in(engine: Engine, email: str, password: str, address: str = "", rules: Lockout = Lockout(),
            now: datetime | None = None) -> SignIn:
    """Check an email address and password. Records the sign-in, or the failure (and the lockout it
    may lead to) in the audit trail. A locked address is refused without checking the password."""
    now = now or utc_now()
    email = normalise_email(email)
    address = _note_address(address)  # it is written into the audit trail's summary too
    password = password if isinstance(password, str) else ""
    if not email:
        return SignIn()
    minutes = locked_minutes(engine, email, now)
    if minutes:
        return SignIn(locked_minutes=minutes)
    person_id, password_hash, _ = _load_secret(engine, email)
    ok = verify_password(password_hash, password[:1000]) and person_id is not None  # no session open here
    with session_scope(engine) as session:
        person = session.get(Person, person_id) if person_id is not None else None
        if ok and person is not None:
            session.execute(update(AccountLockout).where(AccountLockout.email == email).values(
                failures=0, locked_until=None))
            audit.record(session, person, "sign_in", _account(person), after={}, summary=f"{person.name} signed in"
                         + (f" from {address}" if address else ""))
            return SignIn(person_id=person.id, epoch=person.session_epoch or 0, role=person.role)
        row = _count_failure(session, email, address, rules, now)
        where = f" from {address}" if address else ""
        entity = _account(person)
        audit.record(session, None, "sign_in_failed", entity, after={},
                     summary=f"Failed sign-in as {email}{where} ({row.failures or rules.attempts} in {rules.minutes} minutes)")
        if row.locked_until is not None and _utc(row.locked_until) > now:
            audit.record(session, None, "lockout", entity, after={},
                         summary=f"{email} locked for {rules.minutes} minutes after {rules.attempts} wrong passwords"
                                 f"{where}")
            return SignIn(locked_minutes=rules.minutes)
    return SignIn()


def authenticate(session: Session, email: str, password: str) -> Person | None:
    """The active person with this email and password, or None (for scripts and tests: it checks
    inside the caller's session and records nothing; the sign-in page uses `sign_in`)."""
    person = session.exec(select(Person).where(Person.email == normalise_email(email))).first()
    active = person is not None and person.is_active
    return person if verify_password(person.password_hash if active else None, password) and active else None


def record_sign_out(engine: Engine, person_id: int) -> None:
    """Signing out ends every session the person has, on every device, and is recorded."""
    with session_scope(engine) as session:
        person = session.get(Person, person_id)
        if person is None:
            return
        end_sessions(person)
        session.add(person)
        audit.record(session, person, "sign_out", _account(person), after={}, summary=f"{person.name} signed out")


# --- Changing one's own password ---------------------------------------------------------------


def change_own_password(engine: Engine, person_id: int, current: str, new: str, confirm: str,
                        address: str = "", rules: Lockout = Lockout()) -> int:
    """Change the signed-in person's password: the current one must be right (a wrong one counts
    towards the lockout), the new one must pass the policy and be typed twice. Ends every other
    session; returns the new session epoch, for the session that made the change."""
    email = _email_of(engine, person_id)
    person_id, password_hash, _ = _load_secret(engine, email) if email else (None, None, 0)
    if person_id is None:
        raise PermissionDenied("Your session has ended: sign in again.")
    errors: dict[str, str] = {}
    if not isinstance(current, str) or not current:
        errors["current"] = "Enter your current password"
    problem = password_problem(new, (email,))
    if problem:
        errors["new"] = problem
    elif new != confirm:
        errors["confirm"] = "The two new passwords are not the same: type it again"
    elif new == current:
        errors["new"] = "Choose a new password that is not the same as the current one"
    if errors:
        raise InvalidInput(errors)
    locked = locked_minutes(engine, email)
    if locked:
        raise InvalidInput({"current": f"Too many attempts: try again in {locked} minute{'s' if locked != 1 else ''}"})
    if not password_hash or not verify_password(password_hash, current):
        if password_hash:
            with session_scope(engine) as session:
                _count_failure(session, email, _note_address(address), rules, utc_now())
        raise InvalidInput({"current": "This is not your current password: check it and try again"})
    new_hash = hash_password(new)  # before the session opens
    with session_scope(engine) as session:
        person = session.get(Person, person_id)
        if person is None or not person.is_active:
            raise PermissionDenied("Your session has ended: sign in again.")
        person.password_hash = new_hash
        end_sessions(person)
        session.add(person)
        audit.record(session, person, "update", person, before={"password": "set"}, after={"password": "changed"},
                     summary=f"{person.name} changed their password")
        return person.session_epoch


def _email_of(engine: Engine, person_id: int) -> str:
    # Only a row id is looked up: None, text or a number beyond INTEGER is no person (PostgreSQL would
    # raise on "abc" or 2**40, a 500), and "5" is not person 5.
    if not is_record_id(person_id):
        return ""
    with read_session(engine) as session:
        person = session.get(Person, person_id)
        return person.email if person is not None else ""


# --- What the sign-in guard looks up ----------------------------------------------------------


def session_person(engine: Engine, person_id: int, epoch: int) -> Person | None:
    """The person a session names, if they are active and the session is not ended (detached, its
    columns loaded: the request's later units of work reuse it rather than read it again)."""
    with read_session(engine) as session:
        person = session.get(Person, person_id)
        if person is None or not person.is_active or (person.session_epoch or 0) != epoch:
            return None
        session.expunge(person)
        return person


def sso_person(engine: Engine, email: str) -> tuple[int, int] | None:
    """(id, session epoch) of the active person with this email (from the single sign-on header)."""
    with read_session(engine) as session:
        person = session.exec(select(Person).where(func.lower(Person.email) == email.lower())).first()
        return (person.id, person.session_epoch or 0) if person is not None and person.is_active else None


def embed_partnership(engine: Engine, token: str, scope: str) -> int | None:
    """The partnership whose embed token this is, for this scope (None: not valid)."""
    with read_session(engine) as session:
        return embeds.resolve(session, token, scope)


def signed_in_person(session: Session, person_id: int) -> Person | None:
    """The person a session belongs to, if they are still active (None otherwise)."""
    person = session.get(Person, person_id)
    return person if person is not None and person.is_active else None
