"""Independent ratings: who may see whose, and the spread of the submitted scores per dimension.

An invited rater sees only their own ratings until they submit, so scores stay independent; the
spread of the submitted scores shows where raters agree and where they split (a range of
SPLIT_RANGE or more: discuss it first).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, select

from tracker.models import MaturityAssessment, MaturityRater, MaturityRating, Person
from tracker.rules.maturity import SPLIT_RANGE, AssessmentStatus
from tracker.services.maturity.assessments import get_assessment, lead_or_chair, subgroup_of
from tracker.services.maturity.framework import FrameworkView, framework_view


@dataclass
class Spread:
    scores: list[int]

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def low(self) -> int | None:
        return min(self.scores) if self.scores else None

    @property
    def high(self) -> int | None:
        return max(self.scores) if self.scores else None

    @property
    def range(self) -> int | None:
        return self.high - self.low if self.scores else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.scores else None

    @property
    def split(self) -> bool:
        return bool(self.scores) and self.range >= SPLIT_RANGE

    @property
    def kind(self) -> str:
        """none, split, agree (all the same score) or close."""
        if not self.scores:
            return "none"
        if self.split:
            return "split"
        return "agree" if self.range == 0 else "close"

    @property
    def agreement(self) -> str:
        return {"none": "No ratings yet", "split": "Split: discuss", "agree": "Agree", "close": "Close"}[self.kind]


def compute_spread(scores: list[int | None]) -> Spread:
    return Spread(sorted(s for s in scores if s is not None))


def ratings_visible(session: Session, actor: Person | None, assessment: MaturityAssessment) -> bool:
    """Whether `actor` may see everyone's submitted ratings (else only their own).

    An invited rater who has not submitted sees only their own while the round is open, so their
    scores stay independent. Leads, the chair and admins see submitted ratings at any time, other
    raters once they have submitted, and everyone else in the partnership once scores are agreed.
    """
    if actor is None or not actor.is_active:
        return False
    subgroup = subgroup_of(session, assessment)
    if actor.partnership_id != subgroup.partnership_id:
        return False
    rater = session.get(MaturityRater, (assessment.id, actor.id))
    if assessment.status == AssessmentStatus.OPEN:
        if rater is not None:
            return rater.submitted_at is not None
        return lead_or_chair(session, actor, subgroup)
    return True


@dataclass
class RatingRow:
    dimension_id: int
    rater_id: int
    rater: str
    score: int | None
    evidence: str
    improvement: str
    submitted: bool


def visible_ratings(session: Session, actor: Person, assessment_id: int) -> list[RatingRow]:
    """The ratings `actor` may see: their own (draft or not), and others' submitted ones if allowed."""
    assessment = get_assessment(session, actor.partnership_id, assessment_id)
    submitted = {r.person_id: r.submitted_at is not None for r in session.exec(
        select(MaturityRater).where(MaturityRater.assessment_id == assessment.id))}
    show_all = ratings_visible(session, actor, assessment)
    rows = session.exec(
        select(MaturityRating, Person).join(Person, Person.id == MaturityRating.rater_id)
        .where(MaturityRating.assessment_id == assessment.id).order_by(Person.name)
    ).all()
    return [
        RatingRow(r.dimension_id, r.rater_id, p.name, r.score, r.evidence, r.improvement, submitted.get(p.id, False))
        for r, p in rows
        if r.rater_id == actor.id or (show_all and submitted.get(r.rater_id, False))
    ]


def spread_by_dimension(framework: FrameworkView, rows: list[RatingRow]) -> dict[int, Spread]:
    scores: dict[int, list[int | None]] = defaultdict(list)
    for row in rows:
        if row.submitted:
            scores[row.dimension_id].append(row.score)
    return {d.id: compute_spread(scores[d.id]) for d in framework.dimensions}


def spreads(session: Session, actor: Person, assessment_id: int) -> dict[int, Spread] | None:
    """Per dimension id, the spread of submitted scores; None when `actor` may not see them yet."""
    assessment = get_assessment(session, actor.partnership_id, assessment_id)
    if not ratings_visible(session, actor, assessment):
        return None
    return spread_by_dimension(framework_view(session, assessment.framework_id),
                               visible_ratings(session, actor, assessment_id))

