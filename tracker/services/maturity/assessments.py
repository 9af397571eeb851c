"""Reading assessment rounds: their summaries, the lists of them, and who may take part."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.models import (
    MaturityAssessment,
    MaturityFramework,
    MaturityRater,
    MaturityScore,
    Person,
    Subgroup,
    SubgroupMember,
)
from tracker.rules.maturity import AssessmentStatus, status_label
from tracker.services.errors import NotFound
from tracker.services.permissions import can_edit_subgroup, is_chair
from tracker.services.reference import get_subgroup, is_record_id, owned


@dataclass
class AssessmentSummary:
    id: int
    subgroup_id: int
    subgroup: str
    title: str
    status: str
    opened_on: date
    opened_by: str
    agreed_on: date | None
    signed_off_on: date | None
    signed_off_by: str
    framework_id: int
    framework_version: int
    raters: int
    submitted: int
    illustrative: bool
    chair_comment: str = ""

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def is_open(self) -> bool:
        return self.status == AssessmentStatus.OPEN

    @property
    def is_signed_off(self) -> bool:
        return self.status == AssessmentStatus.SIGNED_OFF

    @property
    def heading(self) -> str:
        """What the assessment is called on its page and in the browser's title."""
        return f"{self.title}: {self.subgroup}"

    @property
    def as_at(self) -> date:
        """The date an assessment speaks for: when its scores were agreed (or opened, while open)."""
        return self.agreed_on or self.opened_on


def get_assessment(session: Session, partnership_id: int, assessment_id: int) -> MaturityAssessment:
    assessment = session.get(MaturityAssessment, assessment_id) if is_record_id(assessment_id) else None
    if assessment is None or owned(session, Subgroup, partnership_id, assessment.subgroup_id) is None:
        raise NotFound(f"There is no assessment {assessment_id}.")
    return assessment


def assessment_summary(session: Session, partnership_id: int, assessment_id: int) -> AssessmentSummary:
    """One assessment's summary (NotFound when it is not the partnership's)."""
    return summaries(session, [get_assessment(session, partnership_id, assessment_id)])[0]


def summaries(session: Session, assessments: list[MaturityAssessment]) -> list[AssessmentSummary]:
    if not assessments:
        return []
    ids = [a.id for a in assessments]
    # Columns, not objects: the overview sums up a hundred rounds.
    subgroups = dict(session.exec(
        select(Subgroup.id, Subgroup.name).where(Subgroup.id.in_({a.subgroup_id for a in assessments}))).all())
    people_ids = {pid for a in assessments for pid in (a.opened_by_id, a.signed_off_by_id) if pid}
    names = dict(session.exec(select(Person.id, Person.name).where(Person.id.in_(people_ids))).all()
                 ) if people_ids else {}
    versions = dict(session.exec(select(MaturityFramework.id, MaturityFramework.version).where(
        MaturityFramework.id.in_({a.framework_id for a in assessments}))).all())
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for assessment_id, raters, submitted in session.exec(
            select(MaturityRater.assessment_id, func.count(), func.count(MaturityRater.submitted_at))
            .where(MaturityRater.assessment_id.in_(ids)).group_by(MaturityRater.assessment_id)):
        counts[assessment_id] = [raters, submitted]
    return [
        AssessmentSummary(
            id=a.id, subgroup_id=a.subgroup_id, subgroup=subgroups.get(a.subgroup_id, ""), title=a.title,
            status=a.status, opened_on=a.opened_on, opened_by=names.get(a.opened_by_id, "Seed data"),
            agreed_on=a.agreed_on, signed_off_on=a.signed_off_on,
            signed_off_by=names.get(a.signed_off_by_id, "") if a.signed_off_by_id else "",
            framework_id=a.framework_id, framework_version=versions.get(a.framework_id, 0),
            raters=counts[a.id][0], submitted=counts[a.id][1], illustrative=a.illustrative,
            chair_comment=a.chair_comment,
        )
        for a in assessments
    ]


def ordered(query):
    return query.order_by(func.coalesce(MaturityAssessment.agreed_on, MaturityAssessment.opened_on),
                          MaturityAssessment.opened_on, MaturityAssessment.id)


def assessment_history(session: Session, partnership_id: int, subgroup_id: int) -> list[AssessmentSummary]:
    """Every assessment of a subgroup, newest first: the history is kept."""
    get_subgroup(session, partnership_id, subgroup_id)
    rows = session.exec(ordered(select(MaturityAssessment).where(MaturityAssessment.subgroup_id == subgroup_id))).all()
    return list(reversed(summaries(session, list(rows))))


def _summaries_in_order(session: Session, ids: list[int]) -> list[AssessmentSummary]:
    """The summaries of the rounds `ids`, in that order (only those are read as whole objects)."""
    if not ids:
        return []
    found = {a.id: a for a in session.exec(select(MaturityAssessment).where(MaturityAssessment.id.in_(ids)))}
    return summaries(session, [found[i] for i in ids])


def _cut(ids: list[int], start: int, limit: int | None) -> list[int]:
    start = max(0, start)
    return ids[start:] if limit is None else ids[start:start + max(0, limit)]


def rounds_in_progress(session: Session, partnership_id: int, start: int = 0, limit: int | None = None
                       ) -> tuple[list[AssessmentSummary], int]:
    """Rounds not yet signed off, across the partnership (open first, then awaiting sign-off; by subgroup):
    the `limit` from `start` (all without a limit) and how many there are in all. Three columns of every
    such round are read to order them; only the rounds shown are summed up."""
    rows = session.exec(ordered(
        select(MaturityAssessment.id, MaturityAssessment.status, Subgroup.name)
        .join(Subgroup, Subgroup.id == MaturityAssessment.subgroup_id)
        .where(Subgroup.partnership_id == partnership_id,
               MaturityAssessment.status != AssessmentStatus.SIGNED_OFF))).all()
    ids = [r.id for r in sorted(rows, key=lambda r: (r.status != AssessmentStatus.OPEN, r.name))]  # stable
    return _summaries_in_order(session, _cut(ids, start, limit)), len(ids)


def assessments_in_progress(session: Session, partnership_id: int) -> list[AssessmentSummary]:
    """Every round not yet signed off, across the partnership (open first, then awaiting sign-off)."""
    return rounds_in_progress(session, partnership_id)[0]


def rounds_awaiting(session: Session, actor: Person, start: int = 0, limit: int | None = None
                    ) -> tuple[list[AssessmentSummary], int]:
    """Open rounds the person is invited to and has not yet submitted, oldest first: the `limit` from
    `start` (all without a limit) and how many there are in all."""
    ids = list(session.exec(
        select(MaturityAssessment.id).join(MaturityRater, MaturityRater.assessment_id == MaturityAssessment.id)
        .where(MaturityRater.person_id == actor.id, MaturityRater.submitted_at.is_(None),
               MaturityAssessment.status == AssessmentStatus.OPEN)
        .order_by(MaturityAssessment.opened_on)
    ).all())
    return _summaries_in_order(session, _cut(ids, start, limit)), len(ids)


def awaiting_my_rating(session: Session, actor: Person) -> list[AssessmentSummary]:
    """Every open round the person is invited to and has not yet submitted."""
    return rounds_awaiting(session, actor)[0]


def eligible_raters(session: Session, partnership_id: int, subgroup_id: int) -> list[Person]:
    """Who may be invited to rate: the subgroup's lead and members who can take part (not viewers)."""
    subgroup = get_subgroup(session, partnership_id, subgroup_id)
    ids = set(session.exec(select(SubgroupMember.person_id).where(SubgroupMember.subgroup_id == subgroup.id)).all())
    if subgroup.lead_id:
        ids.add(subgroup.lead_id)
    if not ids:
        return []
    return list(session.exec(
        select(Person).where(Person.id.in_(ids), Person.is_active, Person.role != "viewer",
                             Person.partnership_id == partnership_id).order_by(Person.name)
    ).all())



def subgroup_of(session: Session, assessment: MaturityAssessment) -> Subgroup:
    return session.get(Subgroup, assessment.subgroup_id)


def lead_or_chair(session: Session, actor: Person, subgroup: Subgroup) -> bool:
    return can_edit_subgroup(session, actor, subgroup) or (
        is_chair(actor) and actor.partnership_id == subgroup.partnership_id)


def scores_by_dimension(session: Session, assessment_id: int) -> dict[int, MaturityScore]:
    return {s.dimension_id: s for s in session.exec(
        select(MaturityScore).where(MaturityScore.assessment_id == assessment_id))}
