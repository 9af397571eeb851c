"""The maturity overview (heatmap, lowest scores, rounds in progress) and a subgroup's radar and trend,
read with few queries, give what the straightforward reading gave: one query per assessment, whole ORM
objects. The reference below is that reading, kept here; both are compared on the seed and on a
generated county with moderated scores, linked improvements, an older framework version and a
subgroup never assessed."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from tests.conftest import person_by_email
from tests.generated import grow_plan
from tracker.models import (
    Action,
    MaturityAssessment,
    MaturityDescriptor,
    MaturityDimension,
    MaturityFramework,
    MaturityLevel,
    MaturityRater,
    MaturityScore,
    Person,
    Subgroup,
)
from tracker.rules.maturity import COMPLETED, LEVELS, AssessmentStatus
from tracker.services import maturity
from tracker.services.maturity.assessments import AssessmentSummary
from tracker.services.maturity.views import (
    AssessedScores,
    Comparison,
    Heatmap,
    HeatmapRow,
    LowScore,
    ScoreRow,
    Trend,
)

# --- The reference: the reading as it was -----------------------------------------------------------


def ref_summaries(session: Session, assessments: list[MaturityAssessment]) -> list[AssessmentSummary]:
    if not assessments:
        return []
    ids = [a.id for a in assessments]
    subgroups = {s.id: s.name for s in session.exec(
        select(Subgroup).where(Subgroup.id.in_({a.subgroup_id for a in assessments})))}
    people_ids = {pid for a in assessments for pid in (a.opened_by_id, a.signed_off_by_id) if pid}
    names = {p.id: p.name for p in session.exec(select(Person).where(Person.id.in_(people_ids)))} if people_ids else {}
    versions = {f.id: f.version for f in session.exec(
        select(MaturityFramework).where(MaturityFramework.id.in_({a.framework_id for a in assessments})))}
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for rater in session.exec(select(MaturityRater).where(MaturityRater.assessment_id.in_(ids))):
        counts[rater.assessment_id][0] += 1
        counts[rater.assessment_id][1] += rater.submitted_at is not None
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


def ref_ordered(query):
    return query.order_by(func.coalesce(MaturityAssessment.agreed_on, MaturityAssessment.opened_on),
                          MaturityAssessment.opened_on, MaturityAssessment.id)


def ref_framework(session: Session, framework_id: int) -> maturity.FrameworkView:
    fw = session.get(MaturityFramework, framework_id)
    levels = {lv.level: lv.name for lv in session.exec(
        select(MaturityLevel).where(MaturityLevel.framework_id == fw.id).order_by(MaturityLevel.level))}
    dims = session.exec(select(MaturityDimension).where(MaturityDimension.framework_id == fw.id)
                        .order_by(MaturityDimension.number, MaturityDimension.id)).all()
    descriptors: dict[int, dict[int, str]] = defaultdict(dict)
    for d in session.exec(select(MaturityDescriptor).where(
            MaturityDescriptor.dimension_id.in_([dim.id for dim in dims]))):
        descriptors[d.dimension_id][d.level] = d.text
    return maturity.FrameworkView(
        id=fw.id, partnership_id=fw.partnership_id, name=fw.name, version=fw.version, is_current=fw.is_current,
        created_at=fw.created_at, levels=levels,
        dimensions=[maturity.DimensionView(d.id, d.key, d.number, d.name, d.description,
                                           dict(sorted(descriptors[d.id].items()))) for d in dims])


def ref_current(session: Session, pid: int) -> maturity.FrameworkView:
    fw = session.exec(select(MaturityFramework).where(MaturityFramework.partnership_id == pid)
                      .order_by(MaturityFramework.is_current.desc(), MaturityFramework.version.desc())).first()
    return ref_framework(session, fw.id)


def ref_score_rows(session: Session, assessment: MaturityAssessment, fw: maturity.FrameworkView) -> list[ScoreRow]:
    scores = {s.dimension_id: s for s in session.exec(
        select(MaturityScore).where(MaturityScore.assessment_id == assessment.id))}
    rows = []
    for dim in fw.dimensions:
        s = scores.get(dim.id)
        if s is None:
            continue
        action = session.get(Action, s.improvement_action_id) if s.improvement_action_id else None
        final = s.moderated_score if s.moderated_score is not None else s.agreed_score
        rows.append(ScoreRow(
            score_id=s.id, dimension_id=dim.id, key=dim.key, number=dim.number, dimension=dim.name,
            agreed_score=s.agreed_score, moderated_score=s.moderated_score, final_score=final,
            level_name=fw.level_name(final), evidence=s.evidence, improvement=s.improvement,
            moderation_comment=s.moderation_comment, action_id=action.id if action else None,
            action_ref=action.ref if action else "", action_title=action.title if action else ""))
    return rows


def ref_completed(session: Session, pid: int, subgroup_id: int | None = None) -> list[MaturityAssessment]:
    query = (select(MaturityAssessment).join(Subgroup, Subgroup.id == MaturityAssessment.subgroup_id)
             .where(Subgroup.partnership_id == pid, MaturityAssessment.status.in_(COMPLETED)))
    if subgroup_id is not None:
        query = query.where(MaturityAssessment.subgroup_id == subgroup_id)
    return list(session.exec(ref_ordered(query)).all())


def ref_latest(session: Session, pid: int, subgroup_id: int | None = None) -> list[MaturityAssessment]:
    latest: dict[int, MaturityAssessment] = {}
    for assessment in ref_completed(session, pid, subgroup_id):
        latest[assessment.subgroup_id] = assessment
    return list(latest.values())


def ref_assessed(session: Session, assessments: list[MaturityAssessment]) -> list[AssessedScores]:
    result = []
    for assessment, summary in zip(assessments, ref_summaries(session, assessments), strict=True):
        fw = ref_framework(session, assessment.framework_id)
        rows = ref_score_rows(session, assessment, fw)
        result.append(AssessedScores(summary, {r.key: r.final_score for r in rows},
                                     {lv: fw.level_name(lv) for lv in LEVELS}))
    return result


def ref_dimensions(session: Session, pid: int, prefer: int | None = None) -> list[tuple[str, str]]:
    fw = ref_framework(session, prefer) if prefer else ref_current(session, pid)
    return [(d.key, d.name) for d in fw.dimensions]


def ref_heatmap(session: Session, pid: int) -> Heatmap:
    assessed = {a.summary.subgroup_id: a for a in ref_assessed(session, ref_latest(session, pid))}
    subgroups = session.exec(select(Subgroup).where(Subgroup.partnership_id == pid).order_by(Subgroup.name)).all()
    return Heatmap(ref_dimensions(session, pid), [HeatmapRow(s.id, s.name, assessed.get(s.id)) for s in subgroups])


def ref_lowest(session: Session, pid: int, subgroup_id: int | None = None, limit: int = 10) -> list[LowScore]:
    latest = ref_latest(session, pid, subgroup_id)
    found = []
    for assessment, summary in zip(latest, ref_summaries(session, latest), strict=True):
        for row in ref_score_rows(session, assessment, ref_framework(session, assessment.framework_id)):
            found.append(LowScore(summary.subgroup_id, summary.subgroup, assessment.id, assessment.title,
                                  summary.as_at, row))
    found.sort(key=lambda low: (low.row.final_score, low.subgroup, low.row.number))
    return found[:limit]


def ref_in_progress(session: Session, pid: int) -> list[AssessmentSummary]:
    rows = session.exec(ref_ordered(
        select(MaturityAssessment).join(Subgroup, Subgroup.id == MaturityAssessment.subgroup_id)
        .where(Subgroup.partnership_id == pid, MaturityAssessment.status != AssessmentStatus.SIGNED_OFF))).all()
    return sorted(ref_summaries(session, list(rows)), key=lambda s: (s.status != AssessmentStatus.OPEN, s.subgroup))


def ref_awaiting(session: Session, actor: Person) -> list[AssessmentSummary]:
    rows = session.exec(
        select(MaturityAssessment).join(MaturityRater, MaturityRater.assessment_id == MaturityAssessment.id)
        .where(MaturityRater.person_id == actor.id, MaturityRater.submitted_at.is_(None),
               MaturityAssessment.status == AssessmentStatus.OPEN)
        .order_by(MaturityAssessment.opened_on)).all()
    return ref_summaries(session, list(rows))


def ref_comparison(session: Session, pid: int, subgroup_id: int) -> Comparison:
    assessed = ref_assessed(session, ref_completed(session, pid, subgroup_id)[-2:])
    latest = assessed[-1] if assessed else None
    previous = assessed[-2] if len(assessed) > 1 else None
    return Comparison(ref_dimensions(session, pid, latest.summary.framework_id if latest else None), latest, previous)


def ref_trend(session: Session, pid: int, subgroup_id: int) -> Trend:
    assessed = ref_assessed(session, ref_completed(session, pid, subgroup_id))
    return Trend(ref_dimensions(session, pid, assessed[-1].summary.framework_id if assessed else None), assessed)


# --- The comparison --------------------------------------------------------------------------------


def assert_same(session: Session, pid: int, actor: Person) -> maturity.OverviewPage:
    page = maturity.overview_page(session, actor)
    assert page.framework == ref_current(session, pid)
    assert page.heatmap == ref_heatmap(session, pid)
    assert page.lowest == ref_lowest(session, pid, limit=10)
    assert page.in_progress == ref_in_progress(session, pid)
    assert page.awaiting_me == ref_awaiting(session, actor)
    assert maturity.heatmap(session, pid) == page.heatmap  # the board report's reading
    for limit in (1, 5, 10_000):
        assert maturity.lowest_scoring(session, pid, limit=limit) == ref_lowest(session, pid, limit=limit)
    for sid in session.exec(select(Subgroup.id).where(Subgroup.partnership_id == pid)).all():
        assert maturity.latest_and_previous(session, pid, sid) == ref_comparison(session, pid, sid)
        assert maturity.change_over_time(session, pid, sid) == ref_trend(session, pid, sid)
        assert maturity.lowest_scoring(session, pid, sid, limit=5) == ref_lowest(session, pid, sid, limit=5)
    return page


def test_the_seed_overview_is_the_reference(session, partnership):
    page = assert_same(session, partnership.id, person_by_email(session, "chair@cdp.example.org"))
    assert page.heatmap.rows and page.lowest


@pytest.fixture
def county(session, partnership, monkeypatch):
    """A generated county with the cases the generator does not make: moderated scores, improvements
    linked to actions, scores against an older framework version, an agreed (not signed-off) round,
    equal scores in several subgroups, and a subgroup with no round."""
    grow_plan(session, monkeypatch, subgroups_per_theme=2, actions_per_subgroup=5, rounds=40, seed=11, tag="m",
              partnership_id=partnership.id)
    rng = random.Random(5)
    action_ids = session.exec(select(Action.id).order_by(Action.id)).all()
    for score in session.exec(select(MaturityScore).order_by(MaturityScore.id)).all():
        if rng.random() < 0.3:
            score.moderated_score = rng.randint(1, 5)
            score.moderation_comment = "Moderated."
        if rng.random() < 0.3:
            score.improvement_action_id = rng.choice(action_ids)
            score.improvement = "Do better."
        session.add(score)
    # An older framework version, which a few rounds were scored against (with fewer dimensions).
    current = session.exec(select(MaturityFramework).where(MaturityFramework.partnership_id == partnership.id,
                                                           MaturityFramework.is_current)).one()
    old = MaturityFramework(partnership_id=partnership.id, name="Old framework", version=0, is_current=False)
    session.add(old)
    session.flush()
    session.add(MaturityLevel(framework_id=old.id, level=3, name="Middling"))
    old_dims = []
    for dim in session.exec(select(MaturityDimension).where(MaturityDimension.framework_id == current.id)
                            .order_by(MaturityDimension.number)).all()[:3]:
        new = MaturityDimension(framework_id=old.id, number=dim.number, key=dim.key, name=f"Old {dim.name}")
        session.add(new)
        session.flush()
        old_dims.append(new.id)
    signed = session.exec(select(MaturityAssessment).where(MaturityAssessment.status == "signed_off")
                          .order_by(MaturityAssessment.id.desc())).all()
    for assessment in signed[:3]:
        assessment.framework_id = old.id
        session.add(assessment)
        for i, score in enumerate(session.exec(select(MaturityScore).where(
                MaturityScore.assessment_id == assessment.id).order_by(MaturityScore.id)).all()):
            if i < len(old_dims):
                score.dimension_id = old_dims[i]
                if i == 0:  # one score at the old framework's named level, whatever the generator drew
                    score.agreed_score, score.moderated_score = 3, None
                session.add(score)
    agreed = signed[5]
    agreed.status, agreed.signed_off_on = "agreed", None
    session.add(agreed)
    session.add(Subgroup(partnership_id=partnership.id, name="A never-assessed subgroup", code="NVR"))
    session.commit()
    return partnership


def test_a_generated_county_overview_is_the_reference(session, county):
    page = assert_same(session, county.id, person_by_email(session, "chair@cdp.example.org"))
    assert len(page.heatmap.rows) > 8 and any(r.latest is None for r in page.heatmap.rows)
    lows = maturity.lowest_scoring(session, county.id, limit=10_000)
    assert any(low.row.moderated_score is not None for low in lows)
    assert any(low.row.action_id for low in lows) and any(low.row.action_id is None for low in lows)
    assert {low.row.level_name for low in lows} > {"Middling"}


def test_the_reference_tells_a_difference(session, county):
    """The comparison can fail: one score changed after the page was read is seen."""
    pid = county.id
    page = maturity.overview_page(session, person_by_email(session, "chair@cdp.example.org"))
    low = page.lowest[0]
    score = session.get(MaturityScore, low.row.score_id)
    score.moderated_score = 5
    session.add(score)
    session.commit()
    assert page.lowest != ref_lowest(session, pid, limit=10)
    assert replace(page.lowest[0].row, moderated_score=5) != ref_lowest(session, pid, limit=10)[0].row
