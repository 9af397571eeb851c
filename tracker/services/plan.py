"""Reading the delivery plan: each action with its current RAG, and the chair's overview figures.

One query gathers every action with its latest two updates (a window function), so the overview,
theme, subgroup and exception views all come from the same rows and agree with each other.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.models import (
    Action,
    Objective,
    Partnership,
    Person,
    StatusUpdate,
    Subgroup,
    SubgroupTheme,
    Theme,
)
from tracker.rules.slippage import days_slipped
from tracker.services.reference import rag_by_code

OPEN_STATUSES = ("not_started", "in_progress")


@dataclass
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


@dataclass
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


def _latest_two_updates(session: Session, partnership_id: int,
                        action_id: int | None = None) -> dict[int, list[StatusUpdate]]:
    if action_id is not None:  # one action: its two newest updates, no window over the whole plan
        updates = session.exec(
            select(StatusUpdate).where(StatusUpdate.action_id == action_id)
            .order_by(StatusUpdate.update_date.desc(), StatusUpdate.id.desc()).limit(2)
        ).all()
        return {action_id: list(updates)} if updates else {}
    ranked = (
        select(
            StatusUpdate.id,
            func.row_number()
            .over(
                partition_by=StatusUpdate.action_id,
                order_by=(StatusUpdate.update_date.desc(), StatusUpdate.id.desc()),
            )
            .label("position"),
        )
        .join(Action, Action.id == StatusUpdate.action_id)
        .where(Action.partnership_id == partnership_id)
        .subquery()
    )
    updates = session.exec(
        select(StatusUpdate)
        .join(ranked, ranked.c.id == StatusUpdate.id)
        .where(ranked.c.position <= 2)
        .order_by(StatusUpdate.action_id, StatusUpdate.update_date.desc(), StatusUpdate.id.desc())
    ).all()
    by_action: dict[int, list[StatusUpdate]] = defaultdict(list)
    for update in updates:
        by_action[update.action_id].append(update)
    return by_action


def current_rag(status: str, latest: StatusUpdate | None) -> str:
    if status == "complete":
        return "blue"
    if latest is None:
        return "grey"
    return latest.rag


def plan_rows(
    session: Session,
    partnership_id: int,
    today: date,
    plan_filter: PlanFilter | None = None,
) -> list[ActionRow]:
    """Every action of the partnership with its current RAG and exception flags."""
    rows = _rows(session, partnership_id, today)
    if plan_filter:
        rows = [r for r in rows if plan_filter.matches(r)]
    return rows


def plan_row(session: Session, partnership_id: int, action_id: int, today: date,
             severity: dict[str, int] | None = None) -> ActionRow | None:
    """One action's row, exactly as the plan views compute it (cancelled actions included), read for
    that action alone. `severity` (RAG code -> severity) saves reading the scale again."""
    rows = _rows(session, partnership_id, today, action_id=action_id, severity=severity)
    return rows[0] if rows else None


def _rows(session: Session, partnership_id: int, today: date, action_id: int | None = None,
          severity: dict[str, int] | None = None) -> list[ActionRow]:
    partnership = session.get(Partnership, partnership_id)
    stale_days = partnership.stale_after_days if partnership else 90
    if severity is None:
        severity = {code: rag.severity for code, rag in rag_by_code(session, partnership_id).items()}

    action_query = select(Action).where(Action.partnership_id == partnership_id).order_by(Action.ref)
    if action_id is not None:
        action_query = action_query.where(Action.id == action_id)
    actions = list(session.exec(action_query))
    if not actions:
        return []
    if action_id is not None:  # read only what this one action refers to
        action = actions[0]
        subgroups = {action.subgroup_id: session.get(Subgroup, action.subgroup_id)}
        objective = session.get(Objective, action.objective_id) if action.objective_id else None
        objectives = {objective.id: objective} if objective else {}
        owner = session.get(Person, action.owner_id) if action.owner_id else None
        owners = {owner.id: owner.name} if owner else {}
        links = session.exec(select(SubgroupTheme).where(SubgroupTheme.subgroup_id == action.subgroup_id)
                             .order_by(SubgroupTheme.theme_id))
        theme_ids = {objective.theme_id} if objective else set()
    else:
        subgroups = {s.id: s for s in session.exec(select(Subgroup).where(Subgroup.partnership_id == partnership_id))}
        objectives = {o.id: o for o in session.exec(select(Objective).where(Objective.partnership_id == partnership_id))}
        owners = {p.id: p.name for p in session.exec(select(Person).where(Person.partnership_id == partnership_id))}
        links = session.exec(select(SubgroupTheme).order_by(SubgroupTheme.theme_id))
        theme_ids = None
    first_theme: dict[int, int] = {}
    for link in links:
        first_theme.setdefault(link.subgroup_id, link.theme_id)
    theme_query = select(Theme).where(Theme.partnership_id == partnership_id)
    if theme_ids is not None:
        theme_ids |= set(first_theme.values())
        theme_query = theme_query.where(Theme.id.in_(theme_ids or {-1}))
    themes = {t.id: t for t in session.exec(theme_query)}
    updates = _latest_two_updates(session, partnership_id, action_id)

    rows = []
    for action in actions:
        latest_two = updates.get(action.id, [])
        latest = latest_two[0] if latest_two else None
        previous = latest_two[1] if len(latest_two) > 1 else None
        objective = objectives.get(action.objective_id)
        theme_id = objective.theme_id if objective else first_theme.get(action.subgroup_id)
        theme = themes.get(theme_id)
        rag = current_rag(action.status, latest)
        is_open = action.status in OPEN_STATUSES
        started = action.start_date is None or action.start_date <= today
        last_seen = latest.update_date if latest else action.start_date
        row = ActionRow(
            id=action.id,
            ref=action.ref,
            title=action.title,
            subgroup_id=action.subgroup_id,
            subgroup=subgroups[action.subgroup_id].name,
            theme_id=theme_id,
            theme=f"{theme.number}. {theme.name}" if theme else "",
            objective_id=action.objective_id,
            objective=f"{objective.code} {objective.title}" if objective else "",
            owner_id=action.owner_id,
            owner=owners.get(action.owner_id, ""),
            lead_organisation=action.lead_organisation,
            start_date=action.start_date,
            due_date=action.due_date,
            original_due_date=action.original_due_date,
            days_slipped=days_slipped(action.original_due_date, action.due_date),
            status=action.status,
            rag=rag,
            progress=100 if action.status == "complete" else (latest.progress if latest else 0),
            last_update=latest.update_date if latest else None,
            previous_rag=previous.rag if previous else None,
            overdue=bool(is_open and action.due_date and action.due_date < today),
            stale=bool(is_open and started and last_seen is not None
                       and last_seen < today - timedelta(days=stale_days)),
            deteriorated=bool(
                is_open and previous is not None
                and severity.get(rag) is not None and severity.get(previous.rag) is not None
                and severity[rag] > severity[previous.rag]
            ),
        )
        rows.append(row)
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
