"""What the indicator tests share: the tiny partnership's indicator NIT, its people by key, counting
rows, and the fixture files."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, func, select

from tests.conftest import DEMO_EMAILS, person_by_email
from tracker.models import Indicator, Person

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _nit(session: Session) -> Indicator:
    return session.exec(select(Indicator).where(Indicator.code == "NIT")).one()


def _people(session: Session) -> dict[str, Person]:
    found = {key: person_by_email(session, email) for key, email in DEMO_EMAILS.items()}
    found["pat"] = person_by_email(session, "pat@police.example.org")
    return found


def _count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()
