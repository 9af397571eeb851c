"""Scores and the read views over them: the scores of one assessment, latest against previous (radar),
change over time, the partnership heatmap and the lowest-scoring dimensions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from tracker.models import Action, MaturityAssessment, MaturityScore, Subgroup
from tracker.rules.maturity import COMPLETED, LEVELS
from tracker.services.errors import NotFound
from tracker.services.maturity.assessments import AssessmentSummary, ordered, scores_by_dimension, summaries
from tracker.services.maturity.framework import FrameworkView, current_framework, framework_view
from tracker.services.reference import get_subgroup


def final_score(score: MaturityScore) -> int:
    """The score that stands: the chair's moderated score if there is one, else the agreed score."""
    return score.moderated_score if score.moderated_score is not None else score.agreed_score


@dataclass
class ScoreRow:
    score_id: int
    dimension_id: int
    key: str
    number: int
    dimension: str
    agreed_score: int
    moderated_score: int | None
    final_score: int
    level_name: str
    evidence: str
    improvement: str
    moderation_comment: str
    action_id: int | None
    action_ref: str
    action_title: str


def score_rows(session: Session, assessment: MaturityAssessment, framework: FrameworkView | None = None
               ) -> list[ScoreRow]:
    framework = framework or framework_view(session, assessment.framework_id)
    scores = scores_by_dimension(session, assessment.id)
    action_ids = {s.improvement_action_id for s in scores.values() if s.improvement_action_id}
    actions = {a.id: a for a in session.exec(select(Action).where(Action.id.in_(action_ids)))} if action_ids else {}
    rows = []
    for dim in framework.dimensions:
        s = scores.get(dim.id)
        if s is None:
            continue
        action = actions.get(s.improvement_action_id)
        rows.append(ScoreRow(
            score_id=s.id, dimension_id=dim.id, key=dim.key, number=dim.number, dimension=dim.name,
            agreed_score=s.agreed_score, moderated_score=s.moderated_score, final_score=final_score(s),
            level_name=framework.level_name(final_score(s)), evidence=s.evidence, improvement=s.improvement,
            moderation_comment=s.moderation_comment, action_id=action.id if action else None,
            action_ref=action.ref if action else "", action_title=action.title if action else "",
        ))
    return rows


def _completed(session: Session, partnership_id: int, subgroup_id: int | None = None) -> list[MaturityAssessment]:
    """Agreed and signed-off assessments, oldest first."""
    query = (select(MaturityAssessment).join(Subgroup, Subgroup.id == MaturityAssessment.subgroup_id)
             .where(Subgroup.partnership_id == partnership_id, MaturityAssessment.status.in_(COMPLETED)))
    if subgroup_id is not None:
        query = query.where(MaturityAssessment.subgroup_id == subgroup_id)
    return list(session.exec(ordered(query)).all())


def _latest_per_subgroup(session: Session, partnership_id: int, subgroup_id: int | None = None
                         ) -> list[MaturityAssessment]:
    """Each subgroup's latest agreed or signed-off assessment."""
    latest: dict[int, MaturityAssessment] = {}
    for assessment in _completed(session, partnership_id, subgroup_id):
        latest[assessment.subgroup_id] = assessment  # oldest first, so the last one wins
    return list(latest.values())


@dataclass
class AssessedScores:
    summary: AssessmentSummary
    scores: dict[str, int]  # dimension key -> final score
    level_names: dict[int, str]


def _assessed(session: Session, assessments: list[MaturityAssessment]) -> list[AssessedScores]:
    frameworks: dict[int, FrameworkView] = {}
    result = []
    for assessment, summary in zip(assessments, summaries(session, assessments), strict=True):
        fw = frameworks.get(assessment.framework_id) or framework_view(session, assessment.framework_id)
        frameworks[fw.id] = fw
        rows = score_rows(session, assessment, fw)
        levels = {lv: fw.level_name(lv) for lv in LEVELS}
        result.append(AssessedScores(summary, {r.key: r.final_score for r in rows}, levels))
    return result


def _dimension_list(session: Session, partnership_id: int, prefer: int | None = None) -> list[tuple[str, str]]:
    """(key, name) of the dimensions, from the given framework version or else the current one (none
    when no framework is set up)."""
    try:
        fw = framework_view(session, prefer) if prefer else current_framework(session, partnership_id)
    except NotFound:
        return []
    return [(d.key, d.name) for d in fw.dimensions]


@dataclass
class Comparison:
    dimensions: list[tuple[str, str]]
    latest: AssessedScores | None
    previous: AssessedScores | None


def latest_and_previous(session: Session, partnership_id: int, subgroup_id: int) -> Comparison:
    """The subgroup's latest agreed or signed-off assessment and the one before it (radar chart)."""
    get_subgroup(session, partnership_id, subgroup_id)
    completed = _completed(session, partnership_id, subgroup_id)[-2:]
    assessed = _assessed(session, completed)
    latest = assessed[-1] if assessed else None
    previous = assessed[-2] if len(assessed) > 1 else None
    return Comparison(_dimension_list(session, partnership_id, latest.summary.framework_id if latest else None),
                      latest, previous)


@dataclass
class Trend:
    dimensions: list[tuple[str, str]]
    assessments: list[AssessedScores]  # oldest first


def change_over_time(session: Session, partnership_id: int, subgroup_id: int) -> Trend:
    """Each dimension's score in every agreed or signed-off assessment of the subgroup, by date."""
    get_subgroup(session, partnership_id, subgroup_id)
    assessed = _assessed(session, _completed(session, partnership_id, subgroup_id))
    return Trend(_dimension_list(session, partnership_id, assessed[-1].summary.framework_id if assessed else None),
                 assessed)


@dataclass
class HeatmapRow:
    subgroup_id: int
    subgroup: str
    latest: AssessedScores | None


@dataclass
class Heatmap:
    dimensions: list[tuple[str, str]]
    rows: list[HeatmapRow]


def heatmap(session: Session, partnership_id: int) -> Heatmap:
    """Every subgroup against every dimension of the current framework: its latest agreed score."""
    assessed = {a.summary.subgroup_id: a for a in _assessed(session, _latest_per_subgroup(session, partnership_id))}
    subgroups = session.exec(select(Subgroup).where(Subgroup.partnership_id == partnership_id)
                             .order_by(Subgroup.name)).all()
    return Heatmap(_dimension_list(session, partnership_id), [HeatmapRow(s.id, s.name, assessed.get(s.id)) for s in subgroups])


@dataclass
class LowScore:
    subgroup_id: int
    subgroup: str
    assessment_id: int
    assessment: str
    as_at: date
    row: ScoreRow


def lowest_scoring(session: Session, partnership_id: int, subgroup_id: int | None = None, limit: int = 10
                   ) -> list[LowScore]:
    """The lowest-scoring dimensions in each subgroup's latest agreed or signed-off assessment, lowest
    first, with their improvement and any delivery-plan action linked to it."""
    latest = _latest_per_subgroup(session, partnership_id, subgroup_id)
    found = []
    frameworks: dict[int, FrameworkView] = {}  # read each framework version once, not once per subgroup
    for assessment, summary in zip(latest, summaries(session, latest), strict=True):
        if assessment.framework_id not in frameworks:
            frameworks[assessment.framework_id] = framework_view(session, assessment.framework_id)
        for row in score_rows(session, assessment, frameworks[assessment.framework_id]):
            found.append(LowScore(summary.subgroup_id, summary.subgroup, assessment.id, assessment.title,
                                  summary.as_at, row))
    found.sort(key=lambda low: (low.row.final_score, low.subgroup, low.row.number))
    return found[:limit]


def improvement_action_choices(session: Session, partnership_id: int, subgroup_id: int) -> list[tuple[int, str]]:
    """The actions an improvement may be linked to: the subgroup's own first, then the rest of the plan."""
    rows = session.exec(select(Action.id, Action.ref, Action.title, Action.subgroup_id)  # columns, not 4,000 objects
                        .where(Action.partnership_id == partnership_id, Action.status != "cancelled")).all()
    rows = sorted(rows, key=lambda a: (a.subgroup_id != subgroup_id, a.ref))
    return [(a.id, f"{a.ref} {a.title}") for a in rows]

