"""What the maturity tests share: finding a subgroup and its deputy, the current framework, whole sets
of scores, opening and agreeing a round, and counting what was written.

Most tests run on the seeded Northamptonshire partnership (framework version 1 with 8 dimensions,
and four illustrative signed-off assessments of the TR and SUP subgroups). The Treatment and
Recovery subgroup (TR) is led by the demo lead; the demo owner is a plain member of it. The hints
are checked on a small partnership built in code, so their expected figures are known exactly.
"""

from __future__ import annotations

from sqlmodel import Session, func, select

from tests.conftest import TODAY, person_by_email
from tracker.models import (
    AuditEvent,
    MaturityAssessment,
    MaturityFramework,
    MaturityRater,
    MaturityRating,
    MaturityScore,
    Person,
    Subgroup,
)
from tracker.services import maturity

GOOD = "Minutes of the last three meetings show it."


def subgroup(session: Session, code: str) -> Subgroup:
    return session.exec(select(Subgroup).where(Subgroup.code == code)).one()


def deputy(session: Session) -> Person:
    return person_by_email(session, "a.malik@cgl.example.org")  # TR's deputy lead


def framework(session: Session, partnership_id: int) -> maturity.FrameworkView:
    return maturity.current_framework(session, partnership_id)


def full(fw: maturity.FrameworkView, score: int = 3, **overrides: int) -> dict:
    """A complete set of ratings: `score` on every dimension, or overrides by dimension key."""
    return {d.id: {"score": overrides.get(d.key, score), "evidence": GOOD, "improvement": "Do the next thing."}
            for d in fw.dimensions}


def agreed(fw: maturity.FrameworkView, score: int = 3, **overrides: int) -> dict:
    return {d.id: {"agreed_score": overrides.get(d.key, score), "evidence": GOOD, "improvement": "Next step."}
            for d in fw.dimensions}


def open_round(session, lead, *raters, title="2026/27 Q3 self-assessment") -> MaturityAssessment:
    tr = subgroup(session, "TR")
    ids = [p.id for p in (raters or (lead,))]
    return maturity.open_assessment(session, lead, tr.id, {"title": title, "rater_ids": ids}, TODAY)


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def audit_verbs(session: Session, entity_type: str) -> list[str]:
    return list(session.exec(select(AuditEvent.verb).where(AuditEvent.entity_type == entity_type)
                             .order_by(AuditEvent.id)).all())


def counts(session: Session) -> tuple[int, ...]:
    return tuple(count(session, m) for m in (MaturityAssessment, MaturityRater, MaturityRating, MaturityScore,
                                             MaturityFramework, AuditEvent))


def agreed_round(session, lead, owner, **scores) -> MaturityAssessment:
    """A round both lead and owner rated and submitted, with scores agreed by the lead."""
    fw = framework(session, lead.partnership_id)
    a = open_round(session, lead, lead, owner)
    maturity.save_ratings(session, lead, a.id, full(fw), submit=True)
    maturity.save_ratings(session, owner, a.id, full(fw, 4), submit=True)
    maturity.record_agreed_scores(session, lead, a.id, agreed(fw, **scores), TODAY)
    return a
