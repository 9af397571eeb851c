"""The golden thread gives exactly what it gave before it was made faster at county x10: the service
against tests/golden_thread_reference.py (the code as it was), figure by figure, and the page built
from each, byte for byte, on the seed and on a small generated plan (benchmarks.generate) with the
awkward cases added: two values of one indicator for periods that end on the same day, values only
before the baseline, an indicator with no baseline or no target, a moderated maturity score, a
subgroup assessed only once, cancelled and complete actions."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, TODAY
from tests.crafted import post_callback, signed_in_client
from tests.generated import grow_plan
from tests.golden_thread_reference import reference_golden_thread
from tracker.models import (
    Action,
    Indicator,
    IndicatorValue,
    MaturityAssessment,
    MaturityDimension,
    MaturityScore,
    Person,
    Theme,
)
from tracker.services import golden_thread as gt


def _partnership(session: Session) -> int:
    chair = session.exec(select(Person).where(Person.email == DEMO_EMAILS["chair"])).one()
    return chair.partnership_id


def _theme_choices(session: Session, pid: int) -> list[int | None]:
    themes = session.exec(select(Theme.id).where(Theme.partnership_id == pid).order_by(Theme.number)).all()
    return [None, *themes, -1]


def _first(items: list, listed: int | None) -> list:
    return items if listed is None else items[:listed]


def _same(new: gt.GoldenThread, old: gt.GoldenThread, listed: int | None = None) -> None:
    """The service, given `listed`, against the reference, which lists everything: the same counts, and
    each list the reference's first `listed`."""
    assert new.summary == old.summary
    for a, b in zip(new.summary, old.summary, strict=True):  # Counter == ignores zero counts: compare plainly
        assert dict(a.by_rag) == dict(b.by_rag)
    assert new.status_counts == old.status_counts
    gaps_new, gaps_old = new.gaps, old.gaps
    assert (gaps_new.outcomes_without_action, gaps_new.objectives_without_action) == \
        (gaps_old.outcomes_without_action, gaps_old.objectives_without_action)
    for name in ("measures_without_action", "indicators_without_data"):
        assert getattr(gaps_new, name) == _first(getattr(gaps_old, name), listed)
        assert getattr(gaps_new, f"{name}_count") == getattr(gaps_old, f"{name}_count") == len(getattr(gaps_old, name))
    assert gaps_new.total == gaps_old.total
    for o_new, o_old in zip(new.outcomes, old.outcomes, strict=True):
        assert (o_new.outcome, o_new.objectives, o_new.action_count) == (o_old.outcome, o_old.objectives,
                                                                        o_old.action_count)
        assert o_new.measures == _first(o_old.measures, listed)
        assert o_new.measure_count == o_old.measure_count == len(o_old.measures)
    assert [t.id for t in new.themes] == [t.id for t in old.themes]
    for t_new, t_old in zip(new.themes, old.themes, strict=True):
        for o_new, o_old in zip(t_new.objectives, t_old.objectives, strict=True):
            assert o_new.actions == o_old.actions[:len(o_new.actions)]
            assert len(o_new.actions) == (o_new.action_count if listed is None else min(o_new.action_count, listed))
            assert (o_new.action_count, dict(o_new.by_rag)) == (o_old.action_count, dict(o_old.by_rag))
            assert o_new.indicators == _first(o_old.indicators, listed)
            assert o_new.indicator_count == o_old.indicator_count == len(o_old.indicators)
            assert dict(o_new.indicators_by_status) == dict(Counter(i.status for i in o_old.indicators))
            assert (o_new.subgroups, o_new.outcomes) == (o_old.subgroups, o_old.outcomes)


def _check_every_view(session: Session, pid: int) -> None:
    for theme_id in _theme_choices(session, pid):
        for listed in (None, 3, 12):
            _same(gt.golden_thread(session, pid, TODAY, theme_id=theme_id, listed=listed),
                  reference_golden_thread(session, pid, TODAY, theme_id=theme_id), listed)


def _awkward(session: Session, pid: int) -> None:
    """The cases the faster reads must get right, added to the plan."""
    indicators = session.exec(select(Indicator).where(Indicator.partnership_id == pid).order_by(Indicator.id)).all()
    tie, before, no_baseline, no_target, empty_before = indicators[:5]
    latest = max(v.period_end for v in session.exec(select(IndicatorValue).where(
        IndicatorValue.indicator_id == tie.id))) if tie else date(2026, 3, 31)
    end = max(latest, date(2026, 9, 30))
    # Two periods that end on the same day, the later id with another value: the first (lowest id) wins.
    session.add(IndicatorValue(indicator_id=tie.id, period="2026/Q2-a", period_end=end, value=111.0))
    session.add(IndicatorValue(indicator_id=tie.id, period="2026/Q2-b", period_end=end, value=55.0))
    # Only values up to the baseline's end: no data since baseline, but a latest value.
    for v in session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id == before.id)).all():
        session.delete(v)
    before.baseline_period = "2021/22"
    session.add(IndicatorValue(indicator_id=before.id, period="2020/21", period_end=date(2021, 3, 31), value=9.0))
    session.add(IndicatorValue(indicator_id=before.id, period="2021/22", period_end=date(2022, 3, 31), value=8.0))
    no_baseline.baseline_value = None
    no_target.target_value = None
    for v in session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id == empty_before.id)).all():
        session.delete(v)  # no values at all
    score = session.exec(select(MaturityScore).order_by(MaturityScore.id.desc())).first()
    if score is not None:
        score.moderated_score = 1 if score.agreed_score != 1 else 5
    done = session.exec(select(MaturityAssessment).where(MaturityAssessment.status == "signed_off")
                        .order_by(MaturityAssessment.id.desc())).all()
    dimensions = session.exec(select(MaturityDimension.id).where(
        MaturityDimension.framework_id == done[0].framework_id)).all()
    # Entered after the subgroup's latest round but agreed before it: the latest is still the later one.
    older = MaturityAssessment(subgroup_id=done[0].subgroup_id, framework_id=done[0].framework_id, title="Late entry",
                               status="signed_off", opened_on=date(2020, 1, 6), agreed_on=date(2020, 2, 3),
                               signed_off_on=date(2020, 3, 2))
    # Agreed, not yet signed off, on another subgroup: the newest, dated by its agreement.
    agreed = MaturityAssessment(subgroup_id=next(a.subgroup_id for a in done if a.subgroup_id != done[0].subgroup_id),
                                framework_id=done[0].framework_id, title="Agreed round", status="agreed",
                                opened_on=date(2026, 10, 1), agreed_on=date(2026, 10, 20))
    session.add_all([older, agreed])
    session.flush()
    session.add_all([MaturityScore(assessment_id=a.id, dimension_id=d, agreed_score=1 + (n + i) % 5)
                     for i, a in enumerate((older, agreed)) for n, d in enumerate(dimensions)])
    actions = session.exec(select(Action).where(Action.partnership_id == pid).order_by(Action.id)).all()
    for a in actions[::7]:
        a.status = "cancelled"
    for a in actions[3::11]:
        a.status = "complete"
    session.commit()


@pytest.fixture
def generated(db, monkeypatch):
    with Session(db) as s:
        pid = grow_plan(s, monkeypatch, subgroups_per_theme=2, actions_per_subgroup=15, indicators=24, months=8,
                        rounds=14, seed=11, tag="r")
        _awkward(s, pid)
    return db


def test_the_thread_is_the_reference_on_the_seed(db):
    with Session(db) as s:
        _check_every_view(s, _partnership(s))


def test_the_thread_is_the_reference_on_a_generated_plan(generated):
    with Session(generated) as s:
        pid = _partnership(s)
        thread = gt.golden_thread(s, pid, TODAY)
        assert sum(len(o.actions) for t in thread.themes for o in t.objectives) > 30  # a real plan, not empty
        assert any(m.assessed for t in thread.themes for o in t.objectives for m in o.subgroups)
        _check_every_view(s, pid)


def _page(client, search: str) -> str:
    reply = post_callback(client, ".._pages_content.children..._pages_store.data..",
                          [{"id": "_pages_location", "property": "pathname", "value": "/golden-thread"},
                           {"id": "_pages_location", "property": "search", "value": search}],
                          changed_prop_ids=["_pages_location.pathname"])
    assert reply.status == 200
    return json.dumps(reply.json, sort_keys=True)


def test_the_page_is_the_one_the_reference_gives(app, generated, monkeypatch):
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    with Session(generated) as s:
        theme_ids = _theme_choices(s, _partnership(s))[1:-1]
    searches = ["", "?theme=all", *(f"?theme={t}" for t in theme_ids), "?theme=999999"]
    new = {search: _page(client, search) for search in searches}
    # The reference builds every action's row (the page then listed the first few of each objective).
    monkeypatch.setattr(gt, "golden_thread", lambda session, pid, today, theme_id=None, listed=None:
                        reference_golden_thread(session, pid, today, theme_id))
    old = {search: _page(client, search) for search in searches}
    for search in searches:
        assert new[search] == old[search], search
