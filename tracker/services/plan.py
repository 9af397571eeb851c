"""Reading the delivery plan: each action with its current RAG, and the chair's overview figures.

One query reads every action with its stored current status (the newest update's RAG, progress and
date, and the RAG before it: kept on the action row by tracker.models.plan), so the overview, theme,
subgroup and exception views all come from the same rows and agree with each other.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import bindparam, case, func
from sqlmodel import Session, select

from tracker.models import (
    Action,
    Objective,
    Partnership,
    Person,
    Subgroup,
    SubgroupTheme,
    Theme,
)
from tracker.rules.enums import ActionStatus
from tracker.rules.slippage import days_slipped
from tracker.services.reference import rag_by_code

OPEN_STATUSES = ("not_started", "in_progress")


@dataclass(slots=True)  # thousands are made per plan read: slots make them cheaper to build and read
class ActionRow:
    id: int
    ref: str
    title: str
    subgroup_id: int
    subgroup: str
    theme_id: int | None
    theme: str
    objective_id: int | None
    objective: str
    owner_id: int | None
    owner: str
    lead_organisation: str
    start_date: date | None
    due_date: date | None
    status: str
    rag: str  # the current RAG code (blue when complete, grey when not started and never updated)
    progress: int
    last_update: date | None
    previous_rag: str | None
    overdue: bool = False
    stale: bool = False
    deteriorated: bool = False
    original_due_date: date | None = None  # the baseline (first) due date
    days_slipped: int = 0  # due date minus the original due date (negative: brought forward)

    @property
    def exceptions(self) -> list[str]:
        reasons = []
        if self.rag == "red":
            reasons.append("Red")
        if self.overdue:
            reasons.append("Overdue")
        if self.deteriorated:
            reasons.append("Deteriorating")
        if self.stale:
            reasons.append("Not updated")
        return reasons


@dataclass(frozen=True)  # a value: the kept statements (plan_counts, _rows_query) take it as their key
class PlanFilter:
    theme_id: int | None = None
    subgroup_id: int | None = None
    owner_id: int | None = None
    objective_id: int | None = None
    include_cancelled: bool = False

    def matches(self, row: ActionRow) -> bool:
        return (
            (self.theme_id is None or row.theme_id == self.theme_id)
            and (self.subgroup_id is None or row.subgroup_id == self.subgroup_id)
            and (self.owner_id is None or row.owner_id == self.owner_id)
            and (self.objective_id is None or row.objective_id == self.objective_id)
            and (self.include_cancelled or row.status != "cancelled")
        )


def current_rag(status: str, latest_rag: str | None) -> str:
    """The RAG the plan shows: blue when complete, grey when never updated, else the latest update's."""
    if status == "complete":
        return "blue"
    if latest_rag is None:
        return "grey"
    return latest_rag


def plan_rows(
    session: Session,
    partnership_id: int,
    today: date,
    plan_filter: PlanFilter | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[ActionRow]:
    """Every action of the partnership with its current RAG and exception flags (by ref: `limit` of
    them after the first `offset`, if given)."""
    rows = _rows(session, partnership_id, today, plan_filter=plan_filter, limit=limit, offset=offset)
    if plan_filter:
        rows = [r for r in rows if plan_filter.matches(r)]
    return rows


def rows_by_id(session: Session, partnership_id: int, action_ids: list[int], today: date,
               severity: dict[str, int] | None = None, theme_labels: dict[int, str] | None = None) -> list[ActionRow]:
    """The rows of these actions only, in the order given (the overview's top exceptions). `severity`
    (RAG code -> severity) and `theme_labels` (theme_labels()) save reading them again."""
    if not action_ids:
        return []
    found = {r.id: r for r in _rows(session, partnership_id, today, action_ids=action_ids, severity=severity,
                                    theme_labels=theme_labels)}
    return [found[i] for i in action_ids if i in found]


def plan_row(session: Session, partnership_id: int, action_id: int, today: date,
             severity: dict[str, int] | None = None) -> ActionRow | None:
    """One action's row, exactly as the plan views compute it (cancelled actions included), read for
    that action alone. `severity` (RAG code -> severity) saves reading the scale again."""
    rows = _rows(session, partnership_id, today, action_id=action_id, severity=severity)
    return rows[0] if rows else None


def _first_themes(session: Session, partnership_id: int, subgroup_id: int | None = None) -> dict[int, int]:
    """Each subgroup's first theme (the lowest theme id it is linked to)."""
    return dict(session.exec(_first_themes_query(partnership_id, subgroup_id)).all())


@functools.lru_cache(maxsize=256)
def _first_themes_query(partnership_id: int, subgroup_id: int | None):
    query = (select(SubgroupTheme.subgroup_id, func.min(SubgroupTheme.theme_id))
             .join(Subgroup, Subgroup.id == SubgroupTheme.subgroup_id)
             .where(Subgroup.partnership_id == partnership_id).group_by(SubgroupTheme.subgroup_id))
    if subgroup_id is not None:
        query = query.where(SubgroupTheme.subgroup_id == subgroup_id)
    return query


def theme_labels_of(session: Session, partnership_id: int) -> dict[int, str]:
    """Each theme's label as the plan shows it ("2. Treatment and recovery"), by theme id."""
    return {t_id: f"{number}. {name}" for t_id, number, name in session.exec(
        select(Theme.id, Theme.number, Theme.name).where(Theme.partnership_id == partnership_id))}


_COLUMNS = (Action.id, Action.ref, Action.title, Action.subgroup_id, Subgroup.name, Action.objective_id,
            Objective.code, Objective.title, Objective.theme_id, Action.owner_id, Person.name,
            Action.lead_organisation, Action.start_date, Action.due_date, Action.status, Action.latest_rag,
            Action.latest_progress, Action.latest_update_date, Action.previous_rag, Action.original_due_date)


def theme_expression():
    """SQL for an action's derived theme, as _rows derives it: its objective's theme, else its subgroup's
    first theme (a query that uses it joins Objective, outer)."""
    first_theme = (select(func.min(SubgroupTheme.theme_id)).where(SubgroupTheme.subgroup_id == Action.subgroup_id)
                   .correlate(Action).scalar_subquery())
    return case((Action.objective_id.is_not(None), Objective.theme_id), else_=first_theme)


def narrowed(query, plan_filter: PlanFilter):
    """`query` of actions narrowed by the filter's subgroup, owner, objective and cancelled choice (the
    theme is the caller's: it is derived, not a column of the action)."""
    if plan_filter.subgroup_id is not None:
        query = query.where(Action.subgroup_id == plan_filter.subgroup_id)
    if plan_filter.owner_id is not None:
        query = query.where(Action.owner_id == plan_filter.owner_id)
    if plan_filter.objective_id is not None:
        query = query.where(Action.objective_id == plan_filter.objective_id)
    if not plan_filter.include_cancelled:
        query = query.where(Action.status != ActionStatus.CANCELLED)
    return query


@functools.lru_cache(maxsize=256)
def _rows_query(partnership_id: int, by_id: bool, by_ids: bool, plan_filter: PlanFilter | None, limit: int | None,
                offset: int):
    """_rows' statement, built once for its inputs (the action or actions asked for are bound as it runs:
    "action_id", "action_ids"), as plan_counts keeps its own: building it cost more than running it on a
    county's plan."""
    query = (select(*_COLUMNS)
             .join(Subgroup, Subgroup.id == Action.subgroup_id)
             .join(Objective, Objective.id == Action.objective_id, isouter=True)
             .join(Person, Person.id == Action.owner_id, isouter=True)
             .where(Action.partnership_id == partnership_id).order_by(Action.ref))
    if by_id:
        query = query.where(Action.id == bindparam("action_id", required=True))
    if by_ids:
        query = query.where(Action.id.in_(bindparam("action_ids", expanding=True, required=True)))
    if plan_filter is not None:  # what SQL can narrow; plan_rows matches the filter again after
        query = narrowed(query, plan_filter)
        if plan_filter.theme_id is not None:  # a theme's page reads its own actions, not the whole plan
            query = query.where(theme_expression() == plan_filter.theme_id)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return query


def _rows(session: Session, partnership_id: int, today: date, action_id: int | None = None,
          severity: dict[str, int] | None = None, plan_filter: PlanFilter | None = None,
          action_ids: list[int] | None = None, limit: int | None = None, offset: int = 0,
          theme_labels: dict[int, str] | None = None) -> list[ActionRow]:
    """One query of plain columns (no ORM objects): each action, its names, and its stored current
    status (tracker.models.plan.store_current_status keeps it in step with the updates)."""
    partnership = session.get(Partnership, partnership_id)
    stale_days = partnership.stale_after_days if partnership else 90
    stale_before = today - timedelta(days=stale_days)
    if severity is None:
        severity = {code: rag.severity for code, rag in rag_by_code(session, partnership_id).items()}

    query = _rows_query(partnership_id, action_id is not None, action_ids is not None, plan_filter, limit, offset)
    params = {"action_id": action_id} if action_id is not None else {}
    if action_ids is not None:
        params["action_ids"] = list(action_ids)
    session.flush()  # as the ORM would (autoflush), then plain Core rows: no ORM loading per row
    records = session.connection().execute(query, params).all()
    if not records:
        return []
    first_theme = _first_themes(session, partnership_id, records[0][3] if action_id is not None else None)
    themes = theme_labels if theme_labels is not None else theme_labels_of(session, partnership_id)

    rows = []
    for (a_id, ref, title, subgroup_id, subgroup, objective_id, objective_code, objective_title,
         objective_theme, owner_id, owner, lead_organisation, start_date, due_date, status, latest_rag,
         latest_progress, latest_date, previous_rag, original_due) in records:
        theme_id = objective_theme if objective_id is not None else first_theme.get(subgroup_id)
        rag = current_rag(status, latest_rag)
        is_open = status in OPEN_STATUSES
        started = start_date is None or start_date <= today
        last_seen = latest_date if latest_rag is not None else start_date
        rows.append(ActionRow(
            id=a_id, ref=ref, title=title, subgroup_id=subgroup_id, subgroup=subgroup,
            theme_id=theme_id, theme=themes.get(theme_id, ""),
            objective_id=objective_id,
            objective=f"{objective_code} {objective_title}" if objective_id is not None else "",
            owner_id=owner_id, owner=owner or "", lead_organisation=lead_organisation,
            start_date=start_date, due_date=due_date, status=status, rag=rag,
            progress=100 if status == "complete" else (latest_progress if latest_rag is not None else 0),
            last_update=latest_date if latest_rag is not None else None,
            previous_rag=previous_rag,
            original_due_date=original_due, days_slipped=days_slipped(original_due, due_date),
            overdue=bool(is_open and due_date and due_date < today),
            stale=bool(is_open and started and last_seen is not None and last_seen < stale_before),
            deteriorated=bool(
                is_open and previous_rag is not None
                and severity.get(rag) is not None and severity.get(previous_rag) is not None
                and severity[rag] > severity[previous_rag]
            ),
        ))
    return rows


@dataclass
class ObjectiveProgress:
    objective_id: int | None
    objective: str
    theme: str
    actions: int
    mean_progress: float
    by_rag: Counter


@dataclass
class Overview:
    total: int
    by_rag: Counter
    by_theme: dict[str, Counter]
    by_subgroup: dict[str, Counter]
    overdue: int
    stale: int
    deteriorated: int
    red: int
    exceptions: list[ActionRow]
    progress_by_objective: list[ObjectiveProgress] = field(default_factory=list)


def overview(session: Session, partnership_id: int, today: date, plan_filter: PlanFilter | None = None) -> Overview:
    rows = plan_rows(session, partnership_id, today, plan_filter or PlanFilter())
    return summarise(rows)


def owners(session: Session, partnership_id: int) -> list[tuple[int, str]]:
    """The people who own at least one of the partnership's actions, by name (the overview's filter)."""
    return [tuple(r) for r in session.exec(
        select(Person.id, Person.name).where(Person.id.in_(
            select(Action.owner_id).where(Action.partnership_id == partnership_id, Action.owner_id.is_not(None))))
        .order_by(Person.name, Person.id)).all()]


def summarise(rows: list[ActionRow]) -> Overview:
    by_theme: dict[str, Counter] = defaultdict(Counter)
    by_subgroup: dict[str, Counter] = defaultdict(Counter)
    by_objective: dict[int | None, list[ActionRow]] = defaultdict(list)
    for row in rows:
        by_theme[row.theme or "No theme"][row.rag] += 1
        by_subgroup[row.subgroup][row.rag] += 1
        by_objective[row.objective_id].append(row)
    exceptions = [r for r in rows if r.exceptions]
    # Worst first: red, then the number of reasons, then the oldest due date.
    exceptions.sort(key=lambda r: (r.rag != "red", -len(r.exceptions), r.due_date or date.max, r.ref))
    progress = [
        ObjectiveProgress(
            objective_id=objective_id,
            objective=group[0].objective or "No objective",
            theme=group[0].theme,
            actions=len(group),
            mean_progress=round(sum(r.progress for r in group) / len(group), 1),
            by_rag=Counter(r.rag for r in group),
        )
        for objective_id, group in by_objective.items()
    ]
    progress.sort(key=lambda p: p.objective)
    return Overview(
        total=len(rows),
        by_rag=Counter(r.rag for r in rows),
        by_theme=dict(sorted(by_theme.items())),
        by_subgroup=dict(sorted(by_subgroup.items())),
        overdue=sum(r.overdue for r in rows),
        stale=sum(r.stale for r in rows),
        deteriorated=sum(r.deteriorated for r in rows),
        red=sum(r.rag == "red" for r in rows),
        exceptions=exceptions,
        progress_by_objective=progress,
    )
