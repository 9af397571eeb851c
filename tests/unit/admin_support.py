"""What the admin service tests share: the tiny partnership of tests/fixtures/mini/ as `s`, and finding
its people, subgroups, themes and audit trail.

The partnership: admin@, chair@, lead@ (member, leads TR), owner@ (member), viewer@ and pat@police
(member, leads SUP, no password); themes 1 and 2; status updates in green, amber, red and blue.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from tests.conftest import DEMO_EMAILS, person_by_email
from tracker.models import AuditEvent, Partnership, Person, Subgroup, Theme

TODAY = date(2026, 11, 23)
NEW_PASSWORD = "a-new-password-123"


def who(session: Session, key: str) -> Person:
    email = DEMO_EMAILS.get(key, key)
    return person_by_email(session, email)


def audit_count(session: Session) -> int:
    return session.exec(select(func.count(AuditEvent.id))).one()


def last_event(session: Session) -> AuditEvent:
    return session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def subgroup(session: Session, code: str) -> Subgroup:
    return session.exec(select(Subgroup).where(Subgroup.code == code)).one()


def theme_ids(session: Session) -> dict[int, int]:
    return {t.number: t.id for t in session.exec(select(Theme))}


def new_person(**changes) -> dict:
    data = {"name": "Sam Example", "email": "Sam.Example@Council.example.org", "organisation": "Testshire Council",
            "job_title": "Commissioner", "sector": "public_health", "role": "member", "password": NEW_PASSWORD}
    return data | changes


def other_partnership(session: Session) -> tuple[Partnership, Person]:
    """A second, separate partnership with one admin of its own."""
    other = Partnership(slug="other", name="Other CDP", area="Elsewhere")
    session.add(other)
    session.flush()
    outsider = Person(partnership_id=other.id, name="Olly Outsider", email="olly@other.example.org", role="admin")
    session.add(outsider)
    session.flush()
    return other, outsider
