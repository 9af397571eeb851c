"""What the subgroup and terms-of-reference tests share: the tiny partnership's people and subgroups,
their versions of the terms of reference, a valid new version, the audit trail, a second partnership."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from tests.conftest import DEMO_EMAILS, person_by_email
from tracker.models import AuditEvent, Person, Subgroup, TermsOfReference

TODAY = date(2026, 11, 23)


def people(session: Session) -> dict[str, Person]:
    found = {role: person_by_email(session, email) for role, email in DEMO_EMAILS.items()}
    found["pat"] = person_by_email(session, "pat@police.example.org")
    return found


def subgroup(session: Session, code: str) -> Subgroup:
    return session.exec(select(Subgroup).where(Subgroup.code == code)).one()


def tor_rows(session: Session, subgroup_id: int) -> list[TermsOfReference]:
    return list(session.exec(select(TermsOfReference).where(TermsOfReference.subgroup_id == subgroup_id)
                             .order_by(TermsOfReference.version)).all())


def new_tor(session: Session, **changes) -> dict:
    data = {
        "purpose": "Oversee the treatment and recovery part of the plan, and report to the board.",
        "scope": "Adult treatment, recovery support and harm reduction.",
        "responsibilities": "Own the theme 2 actions; report each quarter.",
        "membership": "Commissioners, providers, probation and people with lived experience.",
        "quorum": "Four members including the lead or deputy",
        "meeting_frequency": "Every six weeks",
        "reports_to": "The partnership board",
        "approved_on": date(2026, 11, 1),
        "review_due": date(2027, 11, 1),
        "change_note": "Annual review: scope widened to harm reduction.",
        "interdependencies": [(subgroup(session, "SUP").id, "Referrals from the criminal justice system.")],
    }
    return data | changes


def audit_count(session: Session) -> int:
    return session.exec(select(func.count(AuditEvent.id))).one()


def _other_partnership(session: Session) -> int:
    from tracker.models import Partnership

    partnership = Partnership(slug="elsewhere", name="Elsewhere CDP", area="Elsewhere")
    session.add(partnership)
    session.flush()
    return partnership.id
