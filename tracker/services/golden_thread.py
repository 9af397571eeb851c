"""The golden thread: from each theme to its objectives, the national outcomes they serve, the actions
that deliver them (with their RAG), the indicators that measure them (with their status) and the
maturity of the subgroups that own the actions; and the gaps in that thread.

What counts as covered (cancelled actions never count; complete ones do):
- an objective has an action when an action of the plan sits under it;
- a measure (indicator) has an action when an action is linked to it;
- an outcome has an action when an action is linked to it, or to one of its measures, or sits under
  an objective that serves it.
An indicator has "no data since baseline" when no value has been entered for a period ending after
its baseline period (tracker.services.indicators).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlmodel import Session, select

from tracker.models import (
    Action,
    ActionIndicator,
    ActionOutcome,
    Objective,
    ObjectiveOutcome,
    Outcome,
    Subgroup,
    Theme,
)
from tracker.rules.enums import ActionStatus, OutcomeKind
from tracker.rules.maturity import LEVELS
from tracker.services import indicators as indicator_service
from tracker.services import plan_counts
from tracker.services.indicators import IndicatorStatus, IndicatorSummary
from tracker.services.maturity.views import latest_rounds
from tracker.services.plan import ActionRow, rows_by_id


@dataclass
class SubgroupMaturity:
    subgroup_id: int
    subgroup: str
    # Levels are ordinal (a 4 is not twice a 2), so no mean: the median level (the lower of the middle
    # two when there are an even number) and how many dimensions stand at each level.
    median: int | None  # None: not assessed (no agreed or signed-off assessment yet)
    out_of: int | None = None  # the framework's top level
    title: str = ""
    status: str = ""  # "agreed" / "signed_off"
    assessed_on: date | None = None
    assessment_id: int | None = None
    at_level: dict[int, int] = field(default_factory=dict)  # level -> dimensions at it, lowest first

    @property
    def assessed(self) -> bool:
        return self.median is not None


@dataclass
class OutcomeRef:
    id: int
    code: str
    name: str
    kind: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


@dataclass
class ObjectiveThread:
    id: int | None  # None: the theme's actions that sit under no objective
    code: str
    title: str
    outcomes: list[OutcomeRef]
    actions: list[ActionRow]  # the first few by ref (all of them unless golden_thread was given `listed`)
    indicators: list[IndicatorSummary]  # national first, by code: the first few, as the actions
    subgroups: list[SubgroupMaturity]
    action_count: int = 0  # every action under it (not cancelled)
    by_rag: Counter = field(default_factory=Counter)  # those actions by current RAG
    indicator_count: int = 0  # every indicator of the objective or of its actions
    indicators_by_status: Counter = field(default_factory=Counter)  # those indicators by status

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}" if self.id is not None else self.title


@dataclass
class ObjectiveActions:
    """The actions (not cancelled) under one objective of a theme, or under none: how many, by RAG,
    which subgroups own them, and the first few as full rows."""
    ids: list[int] = field(default_factory=list)  # every one, by ref
    rows: list[ActionRow] = field(default_factory=list)  # the first `listed` (all when listed is None)
    by_rag: Counter = field(default_factory=Counter)
    subgroup_ids: list[int] = field(default_factory=list)  # their subgroups, in the order of their first action


# (theme id, objective id or None) -> that objective's actions, for the themes shown in detail
ActionsRead = Callable[[Session, int, date, list, set[int], int | None], dict[tuple, ObjectiveActions]]


def objective_actions(session: Session, partnership_id: int, today: date, keys: list, theme_ids: set[int],
                      listed: int | None) -> dict[tuple, ObjectiveActions]:
    """Each objective's actions in the themes `theme_ids`, from the counted keys (plan_counts.action_keys:
    id, theme, objective, RAG, subgroup, by ref), with full rows read for only the first `listed` of
    each: a county x10 theme has a thousand actions and its objectives list twelve each."""
    found: dict[tuple, ObjectiveActions] = defaultdict(ObjectiveActions)
    for a_id, a_theme, a_objective, rag, subgroup_id in keys:
        if a_theme in theme_ids:
            acts = found[(a_theme, a_objective)]
            acts.ids.append(a_id)
            acts.by_rag[rag] += 1
            if subgroup_id not in acts.subgroup_ids:
                acts.subgroup_ids.append(subgroup_id)
    wanted = [i for acts in found.values() for i in (acts.ids if listed is None else acts.ids[:listed])]
    rows = {r.id: r for r in rows_by_id(session, partnership_id, wanted, today)}
    for acts in found.values():
        acts.rows = [rows[i] for i in (acts.ids if listed is None else acts.ids[:listed]) if i in rows]
    return dict(found)


@dataclass
class ThemeThread:
    id: int
    number: int
    name: str
    objectives: list[ObjectiveThread]


@dataclass
class OutcomeThread:
    outcome: OutcomeRef
    objectives: list[str]  # codes of the objectives that serve it
    action_count: int
    measures: list[IndicatorSummary]  # the first few, in the Indicators page's order
    measure_count: int = 0


@dataclass
class Gaps:
    outcomes_without_action: list[OutcomeRef] = field(default_factory=list)
    measures_without_action: list[IndicatorSummary] = field(default_factory=list)  # the first few
    objectives_without_action: list[tuple[int, str, str]] = field(default_factory=list)  # (id, code, title)
    indicators_without_data: list[IndicatorSummary] = field(default_factory=list)  # the first few
    measures_without_action_count: int = 0
    indicators_without_data_count: int = 0

    @property
    def total(self) -> int:
        return (len(self.outcomes_without_action) + self.measures_without_action_count
                + len(self.objectives_without_action) + self.indicators_without_data_count)


@dataclass
class ThemeSummary:
    """One line of the summary at the top: a theme's objectives, its actions and their RAG counts."""
    id: int
    number: int
    name: str
    objectives: int
    actions: int
    by_rag: Counter


@dataclass
class GoldenThread:
    themes: list[ThemeThread]  # in detail: every theme, or only the one asked for
    outcomes: list[OutcomeThread]
    gaps: Gaps
    status_counts: dict[str, int]
    summary: list[ThemeSummary] = field(default_factory=list)  # every theme


def latest_maturity(session: Session, subgroups: list[Subgroup]) -> dict[int, SubgroupMaturity]:
    """Each subgroup's latest agreed or signed-off assessment (as tracker.services.maturity orders
    them) with its median level and the dimensions at each level, moderated where the chair moderated;
    "not assessed" (median None) when there is none. Two queries for every subgroup at once
    (maturity.latest_rounds; it was about ten a subgroup, 130 ms for a theme's 11 at county x10), the
    scores being those of the dimensions of the round's own framework."""
    latest = latest_rounds(session, subgroup_ids=[s.id for s in subgroups])
    result = {}
    for s in subgroups:
        a = latest.get(s.id)
        scores = list(a.finals.values()) if a is not None else None
        if not scores:
            result[s.id] = SubgroupMaturity(s.id, s.name, None)
            continue
        result[s.id] = SubgroupMaturity(
            s.id, s.name, statistics.median_low(scores), out_of=max(LEVELS), title=a.title, status=a.status,
            assessed_on=a.signed_off_on or a.agreed_on or a.opened_on, assessment_id=a.id,
            at_level=dict(sorted(Counter(scores).items())),
        )
    return result


class _Part(NamedTuple):
    """One objective of a theme shown in detail (or the theme's actions under none), before listing."""
    theme_id: int
    objective_id: int | None
    code: str
    title: str
    outcome_ids: list[int] | set[int]
    actions: ObjectiveActions
    indicators: list[IndicatorStatus]  # its own and its actions', national first, by code


def _outcome_ref(o: Outcome) -> OutcomeRef:
    return OutcomeRef(o.id, o.code, o.name, o.kind)


StatusesRead = Callable[[Session, int], list[IndicatorStatus]]  # every indicator, in the list's order
SummariesRead = Callable[[Session, int, list[int]], dict[int, IndicatorSummary]]  # those asked, by id


def golden_thread(session: Session, partnership_id: int, today: date, theme_id: int | None = None,
                  listed: int | None = None) -> GoldenThread:
    """The whole thread for the chair, and its gaps, from one read of the plan and the indicators.
    With `theme_id`, only that theme is worked out in detail (its subgroups' maturity read, its actions
    listed); the summary, the outcomes and the gaps always cover every theme. With `listed`, each list
    (an objective's actions and indicators, an outcome's measures, a gap) holds its first `listed` only,
    and only those are read in full: all are counted."""
    return golden_thread_with(session, partnership_id, today, theme_id, listed, read_maturity=latest_maturity,
                              read_statuses=indicator_service.indicator_statuses,
                              read_summaries=indicator_service.summaries_by_id, read_actions=objective_actions)


def golden_thread_with(session: Session, partnership_id: int, today: date, theme_id: int | None,
                       listed: int | None = None, *,
                       read_maturity: Callable[[Session, list[Subgroup]], dict[int, SubgroupMaturity]],
                       read_statuses: StatusesRead, read_summaries: SummariesRead,
                       read_actions: ActionsRead) -> GoldenThread:
    """golden_thread, with its reads given: the subgroups' maturity, the indicators' statuses and
    summaries, and the objectives' actions (tests/golden_thread_reference.py gives the plain ones the
    faster reads replaced)."""
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
    by_objective = read_actions(session, partnership_id, today, keys, {t.id for t in detailed}, listed)
    owning = {s for acts in by_objective.values() for s in acts.subgroup_ids}
    subgroups = session.exec(select(Subgroup).where(Subgroup.partnership_id == partnership_id)).all()
    maturity = read_maturity(session, [s for s in subgroups if theme_id is None or s.id in owning])
    # Every indicator's status, to count and choose; its full summary only where a list shows it.
    statuses = read_statuses(session, partnership_id)
    status_by_id = {s.id: s for s in statuses}

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

    def first(items: list) -> list:
        return items if listed is None else items[:listed]

    own: dict[int, set[int]] = defaultdict(set)  # objective id -> its own indicators
    measures: dict[int, list[IndicatorStatus]] = defaultdict(list)  # outcome id -> its measures, in order
    for s in statuses:
        if s.objective_id is not None:
            own[s.objective_id].add(s.id)
        if s.outcome_id is not None:
            measures[s.outcome_id].append(s)

    def linked(objective_id, acts: ObjectiveActions) -> list[IndicatorStatus]:
        """The objective's own indicators and its actions', national first, by code."""
        ids = set(own.get(objective_id, set())) if objective_id is not None else set()
        for a_id in acts.ids:
            ids |= action_indicators.get(a_id, set())
        return sorted((status_by_id[i] for i in ids if i in status_by_id), key=lambda s: (not s.is_national, s.code))

    # The detailed themes' objectives (the loose actions last, under None) with their indicators.
    parts: list[_Part] = []
    for theme in detailed:
        for o in objectives:
            if o.theme_id == theme.id:
                acts = by_objective.get((theme.id, o.id), ObjectiveActions())
                parts.append(_Part(theme.id, o.id, o.code, o.title, served.get(o.id, []), acts, linked(o.id, acts)))
        loose = by_objective.get((theme.id, None))
        if loose:
            outcome_ids = set().union(*(action_outcomes.get(a_id, set()) for a_id in loose.ids))
            parts.append(_Part(theme.id, None, "", "Actions under no objective", outcome_ids, loose,
                               linked(None, loose)))

    # Coverage of each outcome: named by an action, through one of its measures, or through an objective.
    covering: dict[int, set[int]] = defaultdict(set)  # outcome id -> action ids
    by_theme: dict[int | None, Counter] = defaultdict(Counter)
    objectives_with_action: set[int] = set()
    for a_id, a_theme, a_objective, rag, _subgroup in keys:
        by_theme[a_theme][rag] += 1
        for outcome_id in action_outcomes.get(a_id, set()):
            covering[outcome_id].add(a_id)
        for indicator_id in action_indicators.get(a_id, set()):
            s = status_by_id.get(indicator_id)
            if s and s.outcome_id:
                covering[s.outcome_id].add(a_id)
        if a_objective is not None:
            objectives_with_action.add(a_objective)
            for outcome_id in served.get(a_objective, []):
                covering[outcome_id].add(a_id)
    measured = set().union(*action_indicators.values()) if action_indicators else set()
    unmeasured = [s for s in statuses if s.id not in measured]
    no_data = [s for s in statuses if s.status == "no_data"]

    lists = [p.indicators for p in parts] + [measures[o.id] for o in outcomes] + [unmeasured, no_data]
    shown = read_summaries(session, partnership_id, [s.id for items in lists for s in first(items)])

    def in_full(items: list[IndicatorStatus]) -> list[IndicatorSummary]:
        return [shown[s.id] for s in first(items)]

    def thread(p: _Part) -> ObjectiveThread:
        return ObjectiveThread(
            id=p.objective_id, code=p.code, title=p.title,
            outcomes=[_outcome_ref(outcome_by_id[i]) for i in sorted(
                p.outcome_ids, key=lambda i: (outcome_by_id[i].kind != OutcomeKind.STRATEGIC, outcome_by_id[i].code))
                if i in outcome_by_id],
            actions=p.actions.rows, indicators=in_full(p.indicators),
            subgroups=sorted((maturity[s] for s in p.actions.subgroup_ids if s in maturity),
                             key=lambda m: m.subgroup),
            action_count=len(p.actions.ids), by_rag=p.actions.by_rag,
            indicator_count=len(p.indicators), indicators_by_status=Counter(s.status for s in p.indicators),
        )

    summary = [ThemeSummary(t.id, t.number, t.name, sum(o.theme_id == t.id for o in objectives),
                            sum(by_theme[t.id].values()), by_theme[t.id]) for t in themes]
    theme_threads = [ThemeThread(theme.id, theme.number, theme.name,
                                 [thread(p) for p in parts if p.theme_id == theme.id]) for theme in detailed]
    objective_codes = {o.id: o.code for o in objectives}
    outcome_threads = [
        OutcomeThread(
            outcome=_outcome_ref(o),
            objectives=sorted(objective_codes[obj] for obj, outs in served.items() if o.id in outs
                              and obj in objective_codes),
            action_count=len(covering.get(o.id, set())),
            measures=in_full(measures[o.id]), measure_count=len(measures[o.id]),
        )
        for o in outcomes
    ]
    gaps = Gaps(
        outcomes_without_action=[_outcome_ref(o) for o in outcomes if not covering.get(o.id)],
        measures_without_action=in_full(unmeasured),
        objectives_without_action=[(o.id, o.code, o.title) for o in objectives
                                   if o.id not in objectives_with_action],
        indicators_without_data=in_full(no_data),
        measures_without_action_count=len(unmeasured), indicators_without_data_count=len(no_data),
    )
    return GoldenThread(theme_threads, outcome_threads, gaps, dict(Counter(s.status for s in statuses)), summary)
