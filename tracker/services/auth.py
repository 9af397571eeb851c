"""Accounts and sign-in: password hashing (argon2id) and looking people up to sign them in."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from tracker.models import Person

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, email: str, password: str) -> Person | None:
    """The active person with this email and password, or None (the same for every failure)."""
    person = session.exec(select(Person).where(Person.email == email.strip().lower())).first()
    if person is None or not person.is_active:
        _hasher.hash(password)  # spend the same time as a real check, so emails cannot be probed
        return None
    return person if verify_password(person.password_hash, password) else None


def signed_in_person(session: Session, person_id: int) -> Person | None:
    """The person a session belongs to, if they are still active (None otherwise)."""
    person = session.get(Person, person_id)
    return person if person is not None and person.is_active else None
