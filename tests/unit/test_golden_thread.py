"""The golden thread: themes -> objectives -> outcomes, actions (RAG), indicators (status), the
maturity of the subgroups that own the actions; and the gaps.

The mini partnership (tests/fixtures/mini/) starts with no gaps: T1.1 (serving I1) has SUP-01, T2.1
(serving I2 and S3) has TR-01 and TR-02, and NIT is linked to TR-01 and has data since its baseline.
Each test opens a gap and checks that it is listed.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from tracker.models import (
    Action,
    Indicator,
    MaturityAssessment,
    MaturityDimension,
    MaturityFramework,
    MaturityScore,
    Objective,
    Outcome,
    Subgroup,
    Theme,
)
from tracker.services import golden_thread as gt

TODAY = date(2026, 11, 23)


def _pid(session: Session) -> int:
    return session.exec(select(Theme)).first().partnership_id


def _thread(session: Session) -> gt.GoldenThread:
    return gt.golden_thread(session, _pid(session), TODAY)


def _objective(thread: gt.GoldenThread, code: str) -> gt.ObjectiveThread:
    return next(o for t in thread.themes for o in t.objectives if o.code == code)


def test_the_thread_runs_from_theme_to_objective_outcomes_actions_indicators(mini_session):
    thread = _thread(mini_session)
    assert [(t.number, [o.label for o in t.objectives]) for t in thread.themes] == [
        (1, ["T1.1 Close county lines", "Actions under no objective"]),
        (2, ["T2.1 More people in treatment"]),
    ]
    t21 = _objective(thread, "T2.1")
    assert [o.code for o in t21.outcomes] == ["S3", "I2"]  # strategic first
    assert [(a.ref, a.rag) for a in t21.actions] == [("TR-01", "amber"), ("TR-02", "red")]
    assert [(i.code, i.status) for i in t21.indicators] == [("NIT", "at_risk")]
    assert [(m.subgroup, m.median) for m in t21.subgroups] == [("Treatment and recovery subgroup", None)]
    loose = next(o for o in thread.themes[0].objectives if o.id is None)
    assert [a.ref for a in loose.actions] == ["SUP-02"]
    assert thread.gaps.total == 0
    outcomes = {o.outcome.code: o for o in thread.outcomes}
    assert list(outcomes) == ["S3", "I1", "I2"]
    assert outcomes["I2"].objectives == ["T2.1"] and outcomes["I2"].action_count == 2
    assert [m.code for m in outcomes["I2"].measures] == ["NIT"]
    assert thread.status_counts == {"at_risk": 1}


def test_an_objective_with_no_action_is_a_gap(mini_session):
    theme = mini_session.exec(select(Theme).where(Theme.number == 2)).one()
    mini_session.add(Objective(partnership_id=theme.partnership_id, theme_id=theme.id, code="T2.2",
                               title="More residential rehab places"))
    mini_session.flush()
    gaps = _thread(mini_session).gaps
    assert [(code, title) for _, code, title in gaps.objectives_without_action] == [
        ("T2.2", "More residential rehab places")]
    assert _objective(_thread(mini_session), "T2.2").actions == []


def test_an_outcome_with_no_action_is_a_gap(mini_session):
    pid = _pid(mini_session)
    mini_session.add(Outcome(partnership_id=pid, code="S1", kind="strategic", name="Reducing drug use"))
    mini_session.flush()
    assert [o.code for o in _thread(mini_session).gaps.outcomes_without_action] == ["S1"]


def test_an_outcome_is_covered_by_an_action_linked_to_one_of_its_measures(mini_session):
    pid = _pid(mini_session)
    s1 = Outcome(partnership_id=pid, code="S1", kind="strategic", name="Reducing drug use")
    mini_session.add(s1)
    mini_session.flush()
    nit = mini_session.exec(select(Indicator).where(Indicator.code == "NIT")).one()
    nit.outcome_id = s1.id  # NIT is linked to TR-01, so S1 now has an action through its measure
    mini_session.flush()
    assert _thread(mini_session).gaps.outcomes_without_action == []


def test_a_cancelled_action_does_not_count(mini_session):
    sup01 = mini_session.exec(select(Action).where(Action.ref == "SUP-01")).one()
    sup01.status = "cancelled"
    mini_session.flush()
    thread = _thread(mini_session)
    # SUP-01 was the only action under T1.1, which alone serves I1.
    assert [code for _, code, _ in thread.gaps.objectives_without_action] == ["T1.1"]
    assert [o.code for o in thread.gaps.outcomes_without_action] == ["I1"]
    assert _objective(thread, "T1.1").actions == []


def test_a_measure_with_no_action_and_no_data_since_baseline_are_gaps(mini_session):
    pid = _pid(mini_session)
    i1 = mini_session.exec(select(Outcome).where(Outcome.code == "I1")).one()
    mini_session.add(Indicator(partnership_id=pid, code="N-I1-COUNTYLINES", name="County lines closed",
                               outcome_id=i1.id, is_national=True, direction="higher",
                               baseline_value=18, baseline_period="2022/23", target_value=30,
                               target_date=date(2028, 3, 31)))
    mini_session.flush()
    gaps = _thread(mini_session).gaps
    assert [s.code for s in gaps.measures_without_action] == ["N-I1-COUNTYLINES"]
    assert [(s.code, s.status) for s in gaps.indicators_without_data] == [("N-I1-COUNTYLINES", "no_data")]
    # The measure shows under its outcome with its status, too.
    outcome = next(o for o in _thread(mini_session).outcomes if o.outcome.code == "I1")
    assert [(m.code, m.status) for m in outcome.measures] == [("N-I1-COUNTYLINES", "no_data")]


def _framework(session: Session) -> tuple[MaturityFramework, list[MaturityDimension]]:
    framework = session.exec(select(MaturityFramework)).one()
    dims = list(session.exec(select(MaturityDimension).where(MaturityDimension.framework_id == framework.id)))
    if len(dims) < 2:
        extra = MaturityDimension(framework_id=framework.id, number=9, key="delivery", name="Delivery")
        session.add(extra)
        session.flush()
        dims.append(extra)
    return framework, dims


def _assessment(session, subgroup, framework, status, when, scores, moderated=None):
    a = MaturityAssessment(subgroup_id=subgroup.id, framework_id=framework.id, title=f"{status} {when}",
                           status=status, opened_on=when,
                           agreed_on=when if status in ("agreed", "signed_off") else None,
                           signed_off_on=when if status == "signed_off" else None)
    session.add(a)
    session.flush()
    for i, (dim, score) in enumerate(scores):
        session.add(MaturityScore(assessment_id=a.id, dimension_id=dim.id, agreed_score=score,
                                  moderated_score=(moderated or {}).get(i)))
    session.flush()
    return a


def test_maturity_is_the_latest_agreed_or_signed_off_mean(mini_session):
    framework, dims = _framework(mini_session)
    tr = mini_session.exec(select(Subgroup).where(Subgroup.code == "TR")).one()
    sup = mini_session.exec(select(Subgroup).where(Subgroup.code == "SUP")).one()
    _assessment(mini_session, tr, framework, "signed_off", date(2025, 6, 1), [(dims[0], 1), (dims[1], 1)])
    latest = _assessment(mini_session, tr, framework, "agreed", date(2026, 6, 1), [(dims[0], 2), (dims[1], 3)],
                         moderated={1: 2})  # the chair moderated the second score down to 2
    _assessment(mini_session, tr, framework, "open", date(2026, 10, 1), [(dims[0], 3), (dims[1], 3)])
    # An open assessment alone does not count: SUP stays "not assessed".
    _assessment(mini_session, sup, framework, "open", date(2026, 10, 1), [(dims[0], 3)])

    maturity = gt.latest_maturity(mini_session, [tr, sup])
    assert maturity[tr.id].median == 2 and maturity[tr.id].assessment_id == latest.id
    assert maturity[tr.id].at_level == {2: 2}  # both dimensions at 2 once moderated
    assert maturity[tr.id].out_of == 5 and maturity[tr.id].status == "agreed"
    assert maturity[tr.id].assessed_on == date(2026, 6, 1)
    assert maturity[sup.id].median is None and not maturity[sup.id].assessed

    t21 = _objective(_thread(mini_session), "T2.1")
    assert [(m.subgroup, m.median) for m in t21.subgroups] == [("Treatment and recovery subgroup", 2)]


@pytest.mark.parametrize("status", ["agreed", "signed_off"])
def test_both_agreed_and_signed_off_assessments_count(mini_session, status):
    framework, dims = _framework(mini_session)
    sup = mini_session.exec(select(Subgroup).where(Subgroup.code == "SUP")).one()
    _assessment(mini_session, sup, framework, status, date(2026, 3, 1), [(dims[0], 3), (dims[1], 2)])
    scored = gt.latest_maturity(mini_session, [sup])[sup.id]
    # Levels are not averaged: levels 3 and 2 give the lower middle level, and each level's count.
    assert (scored.median, scored.at_level) == (2, {2: 1, 3: 1})


def test_the_seeded_partnership_lists_its_real_gaps(session, partnership, today):
    thread = gt.golden_thread(session, partnership.id, today)
    # The seed links no action to the national measure of opiate and crack prevalence, and the
    # North Northamptonshire death count has no figure after its 2018-20 baseline.
    assert "N-S1-OCU" in [s.code for s in thread.gaps.measures_without_action]
    assert "L-DRD-NNC-3YR" in [s.code for s in thread.gaps.indicators_without_data]
    assert [t.number for t in thread.themes] == [1, 2, 3, 4]


# --- the summary and the theme filter (?theme=) -------------------------------------------------


def test_the_summary_counts_each_themes_objectives_actions_and_rag(session, partnership, today):
    from collections import Counter

    from tracker.services import plan

    thread = gt.golden_thread(session, partnership.id, today)
    rows = [r for r in plan.plan_rows(session, partnership.id, today) if r.status != "cancelled"]
    assert [s.number for s in thread.summary] == [t.number for t in thread.themes] == [1, 2, 3, 4]
    for s, t in zip(thread.summary, thread.themes, strict=True):
        assert s.objectives == sum(o.id is not None for o in t.objectives)
        assert s.actions == sum(len(o.actions) for o in t.objectives) == sum(r.theme_id == s.id for r in rows)
        assert s.by_rag == Counter(a.rag for o in t.objectives for a in o.actions)
    assert sum(s.actions for s in thread.summary) == len(rows) >= 45


def test_one_theme_in_detail_has_the_same_thread_and_the_same_summary_and_gaps(session, partnership, today):
    whole = gt.golden_thread(session, partnership.id, today)
    for theme in whole.themes:
        one = gt.golden_thread(session, partnership.id, today, theme_id=theme.id)
        assert one.themes == [theme]
        assert (one.summary, one.gaps, one.outcomes, one.status_counts) == (
            whole.summary, whole.gaps, whole.outcomes, whole.status_counts)
    assert gt.golden_thread(session, partnership.id, today, theme_id=-1).themes == []


def _thread_page(client, search: str) -> str:
    import json

    from tests.crafted import post_callback

    reply = post_callback(client, ".._pages_content.children..._pages_store.data..",
                          [{"id": "_pages_location", "property": "pathname", "value": "/golden-thread"},
                           {"id": "_pages_location", "property": "search", "value": search}],
                          changed_prop_ids=["_pages_location.pathname"])
    assert reply.status == 200
    return json.dumps(reply.json, ensure_ascii=False)


def test_the_page_shows_the_summary_and_one_theme_and_a_link_opens_another(app, session, partnership):
    from tests.crafted import signed_in_client

    themes = session.exec(select(Theme).where(Theme.partnership_id == partnership.id).order_by(Theme.number)).all()
    client = signed_in_client(app, "chair@cdp.example.org")
    default = _thread_page(client, "")
    assert "thread-summary" in default and "thread-theme-1" in default and "thread-theme-2" not in default
    assert f"/golden-thread?theme={themes[1].id}" in default  # the summary's link to theme 2
    second = _thread_page(client, f"?theme={themes[1].id}")
    assert "thread-theme-2" in second and "thread-theme-1" not in second
    everything = _thread_page(client, "?theme=all")
    assert all(f"thread-theme-{t.number}" in everything for t in themes)
    assert len(default) < len(everything)
    for bad in ("?theme=999999", "?theme=abc", "?theme=99999999999999999999999"):
        page = _thread_page(client, bad)
        assert "That theme does not exist" in page and "thread-theme-1" not in page and "thread-summary" in page


def test_maturity_is_told_as_a_median_level_and_the_dimensions_at_each_level(app):
    from tracker.web.pages.golden_thread import maturity_words

    scored = gt.SubgroupMaturity(1, "Treatment", 2, out_of=5, status="signed_off",
                                 assessed_on=date(2026, 5, 20), at_level={1: 2, 2: 3, 4: 1})
    assert maturity_words(scored) == ("median level 2 out of 5; 2 dimensions at level 1, 3 at level 2, "
                                      "1 at level 4, signed off 20/05/2026")
    assert maturity_words(gt.SubgroupMaturity(1, "Treatment", None)) == "not assessed"
