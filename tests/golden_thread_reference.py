"""The golden thread as tracker.services.golden_thread computed it before it was made faster at county
x10 (commit 9dd0401): a plain reference that tests/unit/test_golden_thread_reference.py compares the
service (and the page) against. Only the reads the faster version replaced are kept here, as they were:
every indicator value loaded, each indicator's latest found and its status assessed on all its values in
Python, each subgroup's maturity read one subgroup at a time, and a full row built for every action of
the themes shown, counted and grouped by objective in Python. The rest of the thread (putting the
plan, the outcomes and the gaps together) has not changed and is the service's own
(golden_thread.golden_thread_with). Not used by the application."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date

from sqlmodel import Session, select

from tracker.models import Indicator, IndicatorValue, Objective, Outcome, Subgroup
from tracker.rules.indicator_status import assess
from tracker.services import maturity
from tracker.services.golden_thread import (
    GoldenThread,
    ObjectiveActions,
    SubgroupMaturity,
    golden_thread_with,
)
from tracker.services.indicators.views import IndicatorStatus, IndicatorSummary, _points, _summary
from tracker.services.plan import PlanFilter, plan_rows


def _summary_of_every_value(indicator: Indicator, values: list, outcomes: dict[int, Outcome],
                            objectives: dict[int, Objective]) -> IndicatorSummary:
    """The summary with its status assessed on every value, as it was (the service now assesses the
    latest value alone)."""
    summary = _summary(indicator, values, outcomes, objectives)
    return replace(summary, assessment=assess(indicator.direction, indicator.baseline_value, summary.baseline_date,
                                              indicator.target_value, indicator.target_date, _points(values),
                                              indicator.unit))


def reference_list_indicators(session: Session, partnership_id: int) -> list[IndicatorSummary]:
    """Every indicator of the partnership with its status: national headline measures first, by outcome."""
    indicators = session.exec(select(Indicator).where(Indicator.partnership_id == partnership_id)).all()
    # Plain columns, not ORM objects: a county x10 has 18,000 values, and loading them as objects took
    # most of a second. The summary needs only each value's period, end and number.
    values: dict[int, list] = defaultdict(list)
    session.flush()
    for v in session.connection().execute(
        select(IndicatorValue.indicator_id, IndicatorValue.period, IndicatorValue.period_end, IndicatorValue.value)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(Indicator.partnership_id == partnership_id).order_by(IndicatorValue.id)
    ):
        values[v.indicator_id].append(v)
    outcomes = {o.id: o for o in session.exec(select(Outcome).where(Outcome.partnership_id == partnership_id))}
    objectives = {o.id: o for o in session.exec(select(Objective).where(Objective.partnership_id == partnership_id))}
    rows = [_summary_of_every_value(i, values[i.id], outcomes, objectives) for i in indicators]
    rows.sort(key=lambda r: (not r.is_national, r.outcome or "~", r.code))
    return rows


def reference_statuses(session: Session, partnership_id: int) -> list[IndicatorStatus]:
    """Every indicator's status and place, taken from its full summary (the service reads less)."""
    return [IndicatorStatus(s.id, s.code, s.is_national, s.outcome_id, s.outcome, s.objective_id, s.status)
            for s in reference_list_indicators(session, partnership_id)]


def reference_summaries(session: Session, partnership_id: int, ids: list[int]) -> dict[int, IndicatorSummary]:
    return {s.id: s for s in reference_list_indicators(session, partnership_id) if s.id in set(ids)}


def reference_latest_maturity(session: Session, subgroups: list[Subgroup]) -> dict[int, SubgroupMaturity]:
    """Each subgroup's latest agreed or signed-off assessment (as tracker.services.maturity orders
    them) with its median level and the dimensions at each level, moderated where the chair moderated;
    "not assessed" (median None) when there is none."""
    result = {}
    for s in subgroups:
        latest = maturity.latest_and_previous(session, s.partnership_id, s.id).latest
        if latest is None or not latest.scores:
            result[s.id] = SubgroupMaturity(s.id, s.name, None)
            continue
        marks = list(latest.scores.values())
        summary = latest.summary
        result[s.id] = SubgroupMaturity(
            s.id, s.name, statistics.median_low(marks), out_of=max(maturity.LEVELS), title=summary.title,
            status=summary.status, assessed_on=summary.signed_off_on or summary.as_at, assessment_id=summary.id,
            at_level=dict(sorted(Counter(marks).items())),
        )
    return result


def reference_objective_actions(session: Session, partnership_id: int, today: date, _keys: list,
                                theme_ids: set[int], listed: int | None) -> dict[tuple, ObjectiveActions]:
    """Every action of the themes shown as a full row (the whole plan for every theme), grouped by
    objective (by theme for the ones under none), counted and its owners listed from the rows."""
    rows = []
    for theme_id in sorted(theme_ids):
        rows += plan_rows(session, partnership_id, today, PlanFilter(theme_id=theme_id))
    rows.sort(key=lambda r: r.ref)
    found: dict[tuple, list] = defaultdict(list)
    for r in rows:
        found[(r.theme_id, r.objective_id)].append(r)
    return {key: ObjectiveActions(ids=[r.id for r in acts], rows=acts if listed is None else acts[:listed],
                                  by_rag=Counter(r.rag for r in acts),
                                  subgroup_ids=list(dict.fromkeys(r.subgroup_id for r in acts)))
            for key, acts in found.items()}


def reference_golden_thread(session: Session, partnership_id: int, today: date, theme_id: int | None = None,
                            listed: int | None = None) -> GoldenThread:
    """The whole thread for the chair, and its gaps, from the plain reads of the indicators, the
    maturity and the actions (golden_thread.golden_thread as it was)."""
    return golden_thread_with(session, partnership_id, today, theme_id, listed, read_maturity=reference_latest_maturity,
                              read_statuses=reference_statuses, read_summaries=reference_summaries,
                              read_actions=reference_objective_actions)
