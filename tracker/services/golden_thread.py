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
from tracker.services.indicators import IndicatorSummary
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
    indicators: list[IndicatorSummary]
    subgroups: list[SubgroupMaturity]
    action_count: int = 0  # every action under it (not cancelled)
    by_rag: Counter = field(default_factory=Counter)  # those actions by current RAG

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
    measures: list[IndicatorSummary]


@dataclass
class Gaps:
    outcomes_without_action: list[OutcomeRef] = field(default_factory=list)
    measures_without_action: list[IndicatorSummary] = field(default_factory=list)
    objectives_without_action: list[tuple[int, str, str]] = field(default_factory=list)  # (id, code, title)
    indicators_without_data: list[IndicatorSummary] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (len(self.outcomes_without_action) + len(self.measures_without_action)
                + len(self.objectives_without_action) + len(self.indicators_without_data))


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


def _outcome_ref(o: Outcome) -> OutcomeRef:
    return OutcomeRef(o.id, o.code, o.name, o.kind)


def golden_thread(session: Session, partnership_id: int, today: date, theme_id: int | None = None,
                  listed: int | None = None) -> GoldenThread:
    """The whole thread for the chair, and its gaps, from one read of the plan and the indicators.
    With `theme_id`, only that theme is worked out in detail (its subgroups' maturity read, its actions
    listed); the summary, the outcomes and the gaps always cover every theme. With `listed`, each
    objective's first `listed` actions only are read as rows (all are counted)."""
    return golden_thread_with(session, partnership_id, today, theme_id, listed, read_maturity=latest_maturity,
                              list_indicators=indicator_service.list_indicators, read_actions=objective_actions)


def golden_thread_with(session: Session, partnership_id: int, today: date, theme_id: int | None,
                       listed: int | None = None, *,
                       read_maturity: Callable[[Session, list[Subgroup]], dict[int, SubgroupMaturity]],
                       list_indicators: Callable[[Session, int], list[IndicatorSummary]],
                       read_actions: ActionsRead) -> GoldenThread:
    """golden_thread, with its three reads given: the subgroups' maturity, the indicators' summaries and
    the objectives' actions (tests/golden_thread_reference.py gives the plain ones the faster reads
    replaced)."""
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
    summaries = list_indicators(session, partnership_id)
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

    def thread(objective_id, code, title, outcome_ids, acts: ObjectiveActions) -> ObjectiveThread:
        indicator_ids = {s.id for s in summaries if objective_id is not None and s.objective_id == objective_id}
        for a_id in acts.ids:
            indicator_ids |= action_indicators.get(a_id, set())
        linked = sorted((summary_by_id[i] for i in indicator_ids if i in summary_by_id),
                        key=lambda s: (not s.is_national, s.code))
        return ObjectiveThread(
            id=objective_id, code=code, title=title,
            outcomes=[_outcome_ref(outcome_by_id[i]) for i in sorted(
                outcome_ids, key=lambda i: (outcome_by_id[i].kind != OutcomeKind.STRATEGIC, outcome_by_id[i].code))
                if i in outcome_by_id],
            actions=acts.rows, indicators=linked,
            subgroups=sorted((maturity[s] for s in acts.subgroup_ids if s in maturity), key=lambda m: m.subgroup),
            action_count=len(acts.ids), by_rag=acts.by_rag,
        )

    by_theme: dict[int | None, Counter] = defaultdict(Counter)
    objectives_with_action: set[int] = set()
    for _id, a_theme, a_objective, rag, _subgroup in keys:
        by_theme[a_theme][rag] += 1
        if a_objective is not None:
            objectives_with_action.add(a_objective)
    summary = [ThemeSummary(t.id, t.number, t.name, sum(o.theme_id == t.id for o in objectives),
                            sum(by_theme[t.id].values()), by_theme[t.id]) for t in themes]
    theme_threads = []
    for theme in detailed:
        items = [thread(o.id, o.code, o.title, served.get(o.id, []),
                        by_objective.get((theme.id, o.id), ObjectiveActions()))
                 for o in objectives if o.theme_id == theme.id]
        loose = by_objective.get((theme.id, None))
        if loose:
            outcome_ids = set().union(*(action_outcomes.get(a_id, set()) for a_id in loose.ids))
            items.append(thread(None, "", "Actions under no objective", outcome_ids, loose))
        theme_threads.append(ThemeThread(theme.id, theme.number, theme.name, items))

    # Coverage of each outcome: named by an action, through one of its measures, or through an objective.
    covering: dict[int, set[int]] = defaultdict(set)  # outcome id -> action ids
    for a_id, _theme, a_objective, _rag, _subgroup in keys:
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
