"""Scores and the read views over them: the scores of one assessment, latest against previous (radar),
change over time, the partnership heatmap and the lowest-scoring dimensions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_
from sqlmodel import Session, select

from tracker.models import Action, MaturityAssessment, MaturityDimension, MaturityScore, Subgroup
from tracker.rules.maturity import COMPLETED, LEVELS
from tracker.services.errors import NotFound
from tracker.services.maturity.assessments import AssessmentSummary, ordered, scores_by_dimension, summaries
from tracker.services.maturity.framework import (
    DimensionView,
    FrameworkView,
    current_framework,
    framework_view,
)
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
    actions = _actions(session, {s.improvement_action_id for s in scores.values()})
    return [_score_row(dim, scores[dim.id], framework, actions) for dim in framework.dimensions if dim.id in scores]


def _actions(session: Session, action_ids: set[int | None]) -> dict[int, tuple[int, str, str]]:
    """(id, ref, title) of the actions improvements are linked to."""
    action_ids.discard(None)
    if not action_ids:
        return {}
    return {a.id: tuple(a) for a in session.exec(
        select(Action.id, Action.ref, Action.title).where(Action.id.in_(action_ids)))}


def _score_row(dim: DimensionView, s: MaturityScore, framework: FrameworkView,
               actions: dict[int, tuple[int, str, str]]) -> ScoreRow:
    action_id, action_ref, action_title = actions.get(s.improvement_action_id) or (None, "", "")
    return ScoreRow(
        score_id=s.id, dimension_id=dim.id, key=dim.key, number=dim.number, dimension=dim.name,
        agreed_score=s.agreed_score, moderated_score=s.moderated_score, final_score=final_score(s),
        level_name=framework.level_name(final_score(s)), evidence=s.evidence, improvement=s.improvement,
        moderation_comment=s.moderation_comment, action_id=action_id, action_ref=action_ref,
        action_title=action_title,
    )


def _completed(session: Session, partnership_id: int, subgroup_id: int | None = None) -> list[MaturityAssessment]:
    """Agreed and signed-off assessments, oldest first."""
    return list(session.exec(ordered(_completed_query(select(MaturityAssessment), partnership_id,
                                                      None if subgroup_id is None else [subgroup_id]))))


def _completed_query(query, partnership_id: int | None, subgroup_ids: Iterable[int] | None):
    """Agreed and signed-off rounds of the partnership's subgroups, or of those given, or both."""
    query = query.where(MaturityAssessment.status.in_(COMPLETED))
    if partnership_id is not None:
        query = (query.join(Subgroup, Subgroup.id == MaturityAssessment.subgroup_id)
                 .where(Subgroup.partnership_id == partnership_id))
    if subgroup_ids is not None:
        query = query.where(MaturityAssessment.subgroup_id.in_(subgroup_ids))
    return query


@dataclass
class LatestRound:
    """A subgroup's latest agreed or signed-off assessment (its columns, not the ORM object) and its final
    scores."""
    id: int
    subgroup_id: int
    framework_id: int
    title: str
    status: str
    opened_on: date
    agreed_on: date | None
    signed_off_on: date | None
    finals: dict[int, int]  # dimension id -> final score, for the dimensions of the round's own framework


def latest_rounds(session: Session, *, partnership_id: int | None = None, subgroup_ids: Iterable[int] | None = None
                  ) -> dict[int, LatestRound]:
    """Each subgroup's latest agreed or signed-off assessment (as `ordered` orders them) with its final
    scores, by subgroup id, in the order of the subgroups' first such assessment: the subgroups of the
    partnership, or those given, or those of the partnership among those given. Two queries whatever
    the number of subgroups: a few columns of every completed round, of which the last of each subgroup
    counts, and the final scores of those rounds (final_scores)."""
    if subgroup_ids is not None:
        subgroup_ids = set(subgroup_ids)
        if not subgroup_ids:
            return {}
    query = _completed_query(select(
        MaturityAssessment.id, MaturityAssessment.subgroup_id, MaturityAssessment.framework_id,
        MaturityAssessment.title, MaturityAssessment.status, MaturityAssessment.opened_on,
        MaturityAssessment.agreed_on, MaturityAssessment.signed_off_on), partnership_id, subgroup_ids)
    latest: dict[int, tuple] = {}  # subgroup id -> its latest completed round's columns
    for row in session.exec(ordered(query)):
        latest[row.subgroup_id] = row  # oldest first, so the last one wins
    finals = final_scores(session, [row.id for row in latest.values()])
    return {subgroup_id: LatestRound(**row._mapping, finals=finals[row.id]) for subgroup_id, row in latest.items()}


class _Frameworks(dict):
    """Framework views by id, each read once."""

    def __init__(self, session: Session):
        super().__init__()
        self.session = session

    def __missing__(self, framework_id: int) -> FrameworkView:
        self[framework_id] = framework_view(self.session, framework_id)
        return self[framework_id]


def final_scores(session: Session, assessment_ids: list[int]) -> defaultdict[int, dict[int, int]]:
    """assessment id -> dimension id -> final score (the moderated score if set, else the agreed), of
    the dimensions of each assessment's own framework only (the only ones its framework view lists), in
    one query of four columns. An assessment with no such scores maps to {}."""
    result: defaultdict[int, dict[int, int]] = defaultdict(dict)
    if assessment_ids:
        for assessment_id, dimension_id, agreed, moderated in session.exec(
                select(MaturityScore.assessment_id, MaturityScore.dimension_id, MaturityScore.agreed_score,
                       MaturityScore.moderated_score)
                .join(MaturityAssessment, MaturityAssessment.id == MaturityScore.assessment_id)
                .join(MaturityDimension, and_(MaturityDimension.id == MaturityScore.dimension_id,
                                              MaturityDimension.framework_id == MaturityAssessment.framework_id))
                .where(MaturityScore.assessment_id.in_(assessment_ids))):
            result[assessment_id][dimension_id] = moderated if moderated is not None else agreed
    return result


@dataclass
class AssessedScores:
    summary: AssessmentSummary
    scores: dict[str, int]  # dimension key -> final score
    level_names: dict[int, str]


@dataclass
class _Latest:
    """Completed assessments with their summaries, frameworks and final scores: for the overview each
    subgroup's latest, what the heatmap and the lowest scores both read, read once."""
    assessments: list[MaturityAssessment]
    summaries: list[AssessmentSummary]
    frameworks: _Frameworks
    finals: dict[int, dict[int, int]]


def _read(session: Session, assessments: list[MaturityAssessment], finals: dict[int, dict[int, int]],
          frameworks: _Frameworks | None = None) -> _Latest:
    return _Latest(assessments, summaries(session, assessments), frameworks or _Frameworks(session), finals)


def _read_latest(session: Session, partnership_id: int, subgroup_id: int | None = None,
                 frameworks: _Frameworks | None = None) -> _Latest:
    """Each subgroup's latest completed round (latest_rounds); only those are read as whole objects."""
    rounds = latest_rounds(session, partnership_id=partnership_id,
                           subgroup_ids=None if subgroup_id is None else [subgroup_id]).values()
    found = {a.id: a for a in session.exec(select(MaturityAssessment).where(
        MaturityAssessment.id.in_([r.id for r in rounds])))} if rounds else {}
    return _read(session, [found[r.id] for r in rounds], {r.id: r.finals for r in rounds}, frameworks)


def _assessed_from(latest: _Latest) -> list[AssessedScores]:
    result = []
    for assessment, summary in zip(latest.assessments, latest.summaries, strict=True):
        fw, finals = latest.frameworks[assessment.framework_id], latest.finals[assessment.id]
        levels = {lv: fw.level_name(lv) for lv in LEVELS}
        result.append(AssessedScores(summary, {d.key: finals[d.id] for d in fw.dimensions if d.id in finals}, levels))
    return result


def _assessed(session: Session, assessments: list[MaturityAssessment]) -> list[AssessedScores]:
    return _assessed_from(_read(session, assessments, final_scores(session, [a.id for a in assessments])))


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
    return _heatmap(session, partnership_id, _read_latest(session, partnership_id),
                    _dimension_list(session, partnership_id))


def _heatmap(session: Session, partnership_id: int, latest: _Latest, dimensions: list[tuple[str, str]]) -> Heatmap:
    assessed = {a.summary.subgroup_id: a for a in _assessed_from(latest)}
    subgroups = session.exec(select(Subgroup.id, Subgroup.name).where(Subgroup.partnership_id == partnership_id)
                             .order_by(Subgroup.name)).all()
    return Heatmap(dimensions, [HeatmapRow(sid, name, assessed.get(sid)) for sid, name in subgroups])


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
    return _lowest(session, _read_latest(session, partnership_id, subgroup_id), limit)


def _lowest(session: Session, latest: _Latest, limit: int) -> list[LowScore]:
    """Ranks every final score, then reads the whole score (evidence, improvement, action) of the
    `limit` lowest only."""
    ranked = []
    for i, (assessment, summary) in enumerate(zip(latest.assessments, latest.summaries, strict=True)):
        finals = latest.finals[assessment.id]
        ranked += [(finals[d.id], summary.subgroup, d.number, i, d)
                   for d in latest.frameworks[assessment.framework_id].dimensions if d.id in finals]
    ranked.sort(key=lambda r: r[:3])  # stable, as the rows were sorted before
    ranked = ranked[:limit]
    if not ranked:
        return []
    wanted = {(latest.assessments[i].id, d.id) for *_, i, d in ranked}
    scores = {(s.assessment_id, s.dimension_id): s for s in session.exec(select(MaturityScore).where(
        MaturityScore.assessment_id.in_({a for a, _ in wanted}))) if (s.assessment_id, s.dimension_id) in wanted}
    actions = _actions(session, {s.improvement_action_id for s in scores.values()})
    result = []
    for *_, i, dim in ranked:
        assessment, summary = latest.assessments[i], latest.summaries[i]
        row = _score_row(dim, scores[assessment.id, dim.id], latest.frameworks[assessment.framework_id], actions)
        result.append(LowScore(summary.subgroup_id, summary.subgroup, assessment.id, assessment.title,
                               summary.as_at, row))
    return result


def overview_readings(session: Session, partnership_id: int, current: FrameworkView, limit: int
                      ) -> tuple[Heatmap, list[LowScore]]:
    """The overview's heatmap and its `limit` lowest scores, from one reading of the latest rounds."""
    frameworks = _Frameworks(session)
    frameworks[current.id] = current
    latest = _read_latest(session, partnership_id, frameworks=frameworks)
    return (_heatmap(session, partnership_id, latest, [(d.key, d.name) for d in current.dimensions]),
            _lowest(session, latest, limit))


def improvement_action_choices(session: Session, partnership_id: int, subgroup_id: int) -> list[tuple[int, str]]:
    """The actions an improvement may be linked to: the subgroup's own first, then the rest of the plan."""
    rows = session.exec(select(Action.id, Action.ref, Action.title, Action.subgroup_id)  # columns, not 4,000 objects
                        .where(Action.partnership_id == partnership_id, Action.status != "cancelled")).all()
    rows = sorted(rows, key=lambda a: (a.subgroup_id != subgroup_id, a.ref))
    return [(a.id, f"{a.ref} {a.title}") for a in rows]

