"""The golden thread as tracker.services.golden_thread computed it before it was made faster at county
x10 (commit 9dd0401): a plain reference, kept verbatim, that tests/unit/test_golden_thread_reference.py
compares the service (and the page) against. Its reads are the straightforward ones: every indicator value
loaded and each indicator's latest found in Python, each subgroup's maturity read one subgroup at a time.
Not used by the application."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date

from sqlmodel import Session, select

from tracker.models import (
    Action,
    ActionIndicator,
    ActionOutcome,
    Indicator,
    IndicatorValue,
    Objective,
    ObjectiveOutcome,
    Outcome,
    Subgroup,
    Theme,
)
from tracker.rules.enums import ActionStatus, OutcomeKind
from tracker.rules.indicator_status import Point, assess
from tracker.services import maturity, plan_counts
from tracker.services.golden_thread import (
    Gaps,
    GoldenThread,
    ObjectiveThread,
    OutcomeRef,
    OutcomeThread,
    SubgroupMaturity,
    ThemeSummary,
    ThemeThread,
)
from tracker.services.indicators.views import IndicatorSummary, baseline_end
from tracker.services.plan import ActionRow, PlanFilter, plan_rows


def _points(values: list) -> list[Point]:
    """Values as points: IndicatorValue objects or rows of (period, period_end, value)."""
    return [Point(v.period, v.period_end, v.value) for v in values]


def _summary(indicator: Indicator, values: list, outcomes: dict[int, Outcome],
             objectives: dict[int, Objective]) -> IndicatorSummary:
    b_date = baseline_end(indicator)
    assessment = assess(indicator.direction, indicator.baseline_value, b_date, indicator.target_value,
                        indicator.target_date, _points(values), indicator.unit)
    last = max(values, key=lambda v: v.period_end) if values else None
    outcome = outcomes.get(indicator.outcome_id)
    objective = objectives.get(indicator.objective_id)
    return IndicatorSummary(
        id=indicator.id, code=indicator.code, name=indicator.name, is_national=indicator.is_national,
        unit=indicator.unit, direction=indicator.direction, source=indicator.source,
        outcome_id=indicator.outcome_id, outcome=f"{outcome.code} {outcome.name}" if outcome else "",
        objective_id=indicator.objective_id, objective=f"{objective.code} {objective.title}" if objective else "",
        baseline_value=indicator.baseline_value, baseline_period=indicator.baseline_period, baseline_date=b_date,
        target_value=indicator.target_value, target_date=indicator.target_date, illustrative=indicator.illustrative,
        value_count=len(values), latest_period=last.period if last else None,
        latest_value=last.value if last else None, assessment=assessment,
    )


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
    rows = [_summary(i, values[i.id], outcomes, objectives) for i in indicators]
    rows.sort(key=lambda r: (not r.is_national, r.outcome or "~", r.code))
    return rows


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


def _outcome_ref(o: Outcome) -> OutcomeRef:
    return OutcomeRef(o.id, o.code, o.name, o.kind)


def reference_golden_thread(session: Session, partnership_id: int, today: date, theme_id: int | None = None) -> GoldenThread:
    """The whole thread for the chair, and its gaps, from one read of the plan and the indicators.
    With `theme_id`, only that theme is worked out in detail (its subgroups' maturity read, its actions
    listed); the summary, the outcomes and the gaps always cover every theme."""
    themes = session.exec(select(Theme).where(Theme.partnership_id == partnership_id).order_by(Theme.number)).all()
    objectives = session.exec(
        select(Objective).where(Objective.partnership_id == partnership_id).order_by(Objective.code)).all()
    outcomes = session.exec(
        select(Outcome).where(Outcome.partnership_id == partnership_id).order_by(Outcome.kind.desc(), Outcome.code)
    ).all()
    outcome_by_id = {o.id: o for o in outcomes}
    # Every action not cancelled as (id, theme, objective, RAG), counted in SQL: enough for the summary,
    # the gaps and the outcomes' coverage. Full rows only for the theme shown in detail.
    keys = plan_counts.action_keys(session, partnership_id, today)
    detailed = [t for t in themes if theme_id is None or t.id == theme_id]
    if theme_id is None:
        rows = plan_rows(session, partnership_id, today, PlanFilter())
    else:
        rows = plan_rows(session, partnership_id, today, PlanFilter(theme_id=theme_id)) if detailed else []
    owning = {r.subgroup_id for r in rows}
    subgroups = session.exec(select(Subgroup).where(Subgroup.partnership_id == partnership_id)).all()
    maturity = reference_latest_maturity(session, [s for s in subgroups if theme_id is None or s.id in owning])
    summaries = reference_list_indicators(session, partnership_id)
    summary_by_id = {s.id: s for s in summaries}

    served: dict[int, list[int]] = defaultdict(list)  # objective id -> outcome ids
    for link in session.exec(
        select(ObjectiveOutcome).join(Objective, Objective.id == ObjectiveOutcome.objective_id)
        .where(Objective.partnership_id == partnership_id)
    ):
        served[link.objective_id].append(link.outcome_id)
    live = (Action.partnership_id == partnership_id, Action.status != ActionStatus.CANCELLED)
    action_outcomes: dict[int, set[int]] = defaultdict(set)  # action id -> outcome ids it names
    for action_id, outcome_id in session.exec(select(ActionOutcome.action_id, ActionOutcome.outcome_id)
                                              .join(Action, Action.id == ActionOutcome.action_id).where(*live)):
        action_outcomes[action_id].add(outcome_id)
    action_indicators: dict[int, set[int]] = defaultdict(set)  # action id -> indicator ids
    for action_id, indicator_id in session.exec(select(ActionIndicator.action_id, ActionIndicator.indicator_id)
                                                .join(Action, Action.id == ActionIndicator.action_id).where(*live)):
        action_indicators[action_id].add(indicator_id)

    actions_by_objective: dict[int | None, list[ActionRow]] = defaultdict(list)
    for r in rows:
        actions_by_objective[r.objective_id].append(r)

    def thread(objective_id, code, title, outcome_ids, actions) -> ObjectiveThread:
        indicator_ids = {s.id for s in summaries if objective_id is not None and s.objective_id == objective_id}
        for a in actions:
            indicator_ids |= action_indicators.get(a.id, set())
        linked = sorted((summary_by_id[i] for i in indicator_ids if i in summary_by_id),
                        key=lambda s: (not s.is_national, s.code))
        owner_ids = dict.fromkeys(a.subgroup_id for a in actions)
        return ObjectiveThread(
            id=objective_id, code=code, title=title,
            outcomes=[_outcome_ref(outcome_by_id[i]) for i in sorted(
                outcome_ids, key=lambda i: (outcome_by_id[i].kind != OutcomeKind.STRATEGIC, outcome_by_id[i].code))
                if i in outcome_by_id],
            actions=actions, indicators=linked,
            subgroups=sorted((maturity[s] for s in owner_ids if s in maturity), key=lambda m: m.subgroup),
        )

    by_theme: dict[int | None, Counter] = defaultdict(Counter)
    objectives_with_action: set[int] = set()
    for _id, a_theme, a_objective, rag in keys:
        by_theme[a_theme][rag] += 1
        if a_objective is not None:
            objectives_with_action.add(a_objective)
    summary = [ThemeSummary(t.id, t.number, t.name, sum(o.theme_id == t.id for o in objectives),
                            sum(by_theme[t.id].values()), by_theme[t.id]) for t in themes]
    theme_threads = []
    for theme in detailed:
        items = [thread(o.id, o.code, o.title, served.get(o.id, []), actions_by_objective.get(o.id, []))
                 for o in objectives if o.theme_id == theme.id]
        loose = [r for r in actions_by_objective.get(None, []) if r.theme_id == theme.id]
        if loose:
            outcome_ids = set().union(*(action_outcomes.get(a.id, set()) for a in loose))
            items.append(thread(None, "", "Actions under no objective", outcome_ids, loose))
        theme_threads.append(ThemeThread(theme.id, theme.number, theme.name, items))

    # Coverage of each outcome: named by an action, through one of its measures, or through an objective.
    covering: dict[int, set[int]] = defaultdict(set)  # outcome id -> action ids
    for a_id, _theme, a_objective, _rag in keys:
        for outcome_id in action_outcomes.get(a_id, set()):
            covering[outcome_id].add(a_id)
        for indicator_id in action_indicators.get(a_id, set()):
            s = summary_by_id.get(indicator_id)
            if s and s.outcome_id:
                covering[s.outcome_id].add(a_id)
        if a_objective is not None:
            for outcome_id in served.get(a_objective, []):
                covering[outcome_id].add(a_id)
    objective_codes = {o.id: o.code for o in objectives}
    outcome_threads = [
        OutcomeThread(
            outcome=_outcome_ref(o),
            objectives=sorted(objective_codes[obj] for obj, outs in served.items() if o.id in outs
                              and obj in objective_codes),
            action_count=len(covering.get(o.id, set())),
            measures=[s for s in summaries if s.outcome_id == o.id],
        )
        for o in outcomes
    ]

    measured = set().union(*action_indicators.values()) if action_indicators else set()
    gaps = Gaps(
        outcomes_without_action=[_outcome_ref(o) for o in outcomes if not covering.get(o.id)],
        measures_without_action=[s for s in summaries if s.id not in measured],
        objectives_without_action=[(o.id, o.code, o.title) for o in objectives
                                   if o.id not in objectives_with_action],
        indicators_without_data=[s for s in summaries if s.status == "no_data"],
    )
    counts: dict[str, int] = defaultdict(int)
    for s in summaries:
        counts[s.status] += 1
    return GoldenThread(theme_threads, outcome_threads, gaps, dict(counts), summary)
