"""The overview's figures counted in SQL, from each action's stored current status.

The same figures as plan.summarise(plan.plan_rows(...)), without building a row per action: one
GROUP BY over the action table (theme x subgroup x RAG, with the exception flags summed), and the
exceptions' sort keys, of which only the worst few become full rows. Every expression below mirrors
one line of plan._rows; tests/unit/test_plan_counts.py checks both give the same figures.

Each statement is built once for what it depends on (the partnership, today, the stale date, the RAG
severities, the filter, the database's dialect) and kept (functools.lru_cache): the same inputs make the
same statement, so a kept one is never stale, and a page no longer spends longer building SQL
expressions than the database spends on small plans (docs/performance.md, round 17).
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, literal, or_
from sqlmodel import Session, select

from tracker.models import Action, Objective, Partnership, Subgroup, Theme
from tracker.rules.paging import Page, page_of
from tracker.services.plan import (
    OPEN_STATUSES,
    ActionRow,
    ObjectiveProgress,
    Overview,
    PlanFilter,
    narrowed,
    plan_rows,
    rows_by_id,
    theme_expression,
    theme_labels_of,
)
from tracker.services.reference import Rag, code_point_order_in, rag_scale


@dataclass
class OverviewFigures(Overview):
    exception_count: int = 0  # every exception; `exceptions` holds only the worst `top`


def _severity(session: Session, partnership_id: int, scale: list[Rag] | None = None) -> dict[str, int]:
    return {r.code: r.severity for r in (scale or rag_scale(session, partnership_id))}


@dataclass(frozen=True)
class _Context:
    """What every statement here depends on besides the filter: one partnership's plan on one day."""
    dialect: str
    partnership_id: int
    today: date
    stale_before: date
    severity: tuple[tuple[str, int], ...]  # (RAG code, severity) for the codes that have one


def _context(session: Session, partnership_id: int, today: date, scale: list[Rag] | None = None) -> _Context:
    """`scale` (the partnership's RAG scale, if the caller has it) saves reading it again."""
    partnership = session.get(Partnership, partnership_id)
    stale_before = today - timedelta(days=partnership.stale_after_days if partnership else 90)
    severity = tuple(sorted((code, rank) for code, rank in _severity(session, partnership_id, scale).items()
                            if rank is not None))
    return _Context(session.get_bind().dialect.name, partnership_id, today, stale_before, severity)


@functools.lru_cache(maxsize=64)
def _expressions(c: _Context) -> dict:
    """SQL for the derived fields of plan._rows: theme, RAG and the four exception flags (0/1)."""
    today, severity = c.today, dict(c.severity)
    theme = theme_expression()
    rag = case((Action.status == "complete", literal("blue")), (Action.latest_rag.is_(None), literal("grey")),
               else_=Action.latest_rag)
    is_open = Action.status.in_(OPEN_STATUSES)
    started = or_(Action.start_date.is_(None), Action.start_date <= today)
    last_seen = case((Action.latest_rag.is_not(None), Action.latest_update_date), else_=Action.start_date)

    def flag(condition):
        return case((condition, 1), else_=0)

    def rank(expr):  # the scale's severity of a RAG code, NULL when it has none
        return case(severity, value=expr, else_=None) if severity else literal(None)

    return {
        "theme": theme, "rag": rag,
        "red": flag(rag == "red"),
        "overdue": flag(and_(is_open, Action.due_date.is_not(None), Action.due_date < today)),
        "stale": flag(and_(is_open, started, last_seen.is_not(None), last_seen < c.stale_before)),
        "deteriorated": flag(and_(is_open, Action.previous_rag.is_not(None), rank(rag) > rank(Action.previous_rag))),
    }


def _filtered(query, c: _Context, plan_filter: PlanFilter):
    query = (query.join(Subgroup, Subgroup.id == Action.subgroup_id)
             .join(Objective, Objective.id == Action.objective_id, isouter=True)
             .where(Action.partnership_id == c.partnership_id))
    if plan_filter.theme_id is not None:
        query = query.where(_expressions(c)["theme"] == plan_filter.theme_id)
    return narrowed(query, plan_filter)


def _reasons(e: dict):
    return e["red"] + e["overdue"] + e["deteriorated"] + e["stale"]


@functools.lru_cache(maxsize=128)
def _worst_query(c: _Context, plan_filter: PlanFilter, top: int):
    """The ids of the worst `top` exceptions, in plan.summarise's order: red first, then the number of
    reasons, then the oldest due date (none last), then the ref in code-point order as Python sorts it."""
    e = _expressions(c)
    reasons = _reasons(e)
    return (_filtered(select(Action.id), c, plan_filter).where(reasons > 0)
            .order_by(case((e["rag"] == "red", 0), else_=1), reasons.desc(), Action.due_date.is_(None),
                      Action.due_date, code_point_order_in(c.dialect, Action.ref)).limit(top))


@functools.lru_cache(maxsize=128)
def _count_query(c: _Context, plan_filter: PlanFilter):
    """How many exceptions the filtered plan has."""
    return _filtered(select(func.count()).select_from(Action), c, plan_filter).where(
        _reasons(_expressions(c)) > 0)


def _worst(session: Session, c: _Context, plan_filter: PlanFilter, top: int) -> list[int]:
    return list(session.exec(_worst_query(c, plan_filter, top)).all())


def exceptions(session: Session, partnership_id: int, today: date, plan_filter: PlanFilter | None = None,
               top: int = 50) -> tuple[list[ActionRow], int]:
    """The worst `top` exceptions as full rows, and how many there are in all."""
    plan_filter = plan_filter or PlanFilter()
    c = _context(session, partnership_id, today)
    total = session.exec(_count_query(c, plan_filter)).one()
    return rows_by_id(session, partnership_id, _worst(session, c, plan_filter, top), today), total


@functools.lru_cache(maxsize=128)
def _grouped_query(c: _Context, plan_filter: PlanFilter):
    e = _expressions(c)
    theme_col, rag_col = e["theme"].label("theme_id"), e["rag"].label("rag")
    query = _filtered(select(theme_col, Subgroup.id, Subgroup.name, rag_col, func.count(), func.sum(e["overdue"]),
                             func.sum(e["stale"]), func.sum(e["deteriorated"]),
                             func.sum(case((_reasons(e) > 0, 1), else_=0))), c, plan_filter)
    return query.group_by(theme_col, Subgroup.id, Subgroup.name, rag_col)


def _grouped(session: Session, c: _Context, plan_filter: PlanFilter) -> list[tuple]:
    """(theme id, subgroup id, subgroup name, RAG, actions, overdue, stale, deteriorated, exceptions)
    for each theme x subgroup x RAG of the filtered plan: one GROUP BY."""
    session.flush()
    return [tuple(r) for r in session.connection().execute(_grouped_query(c, plan_filter)).all()]


@dataclass
class GroupFigures:
    """One theme's or subgroup's figures, as plan.summarise gives them for its rows."""
    by_rag: Counter
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_rag.values())

    @property
    def red(self) -> int:
        return self.by_rag.get("red", 0)


def figures_by(session: Session, partnership_id: int, today: date, key: str) -> dict[int | None, GroupFigures]:
    """The plan's actions (not cancelled) counted by RAG, with the overdue, for each theme (`key`
    "theme", by theme id, None for no theme) or each subgroup ("subgroup", by subgroup id). A group with
    no action is absent."""
    found: dict[int | None, GroupFigures] = {}
    for theme_id, subgroup_id, _name, rag, count, n_overdue, *_ in _grouped(
            session, _context(session, partnership_id, today), PlanFilter()):
        figures = found.setdefault(theme_id if key == "theme" else subgroup_id, GroupFigures(Counter()))
        figures.by_rag[rag] += count
        figures.overdue += int(n_overdue)
    return found


@functools.lru_cache(maxsize=64)
def _keys_query(c: _Context):
    e = _expressions(c)
    return _filtered(select(Action.id, e["theme"], Action.objective_id, e["rag"], Action.subgroup_id), c,
                     PlanFilter()).order_by(Action.ref)


def action_keys(session: Session, partnership_id: int, today: date) -> list[tuple[int, int | None, int | None, str, int]]:
    """(id, theme id, objective id, current RAG, subgroup id) of every action not cancelled, by ref: what
    the golden thread counts and covers, without building a row per action."""
    session.flush()
    return [tuple(r) for r in session.connection().execute(_keys_query(_context(session, partnership_id, today))).all()]


def overview_figures(session: Session, partnership_id: int, today: date, plan_filter: PlanFilter | None = None,
                     top: int = 50, scale: list[Rag] | None = None) -> OverviewFigures:
    """plan.overview's figures (without progress by objective) and the worst `top` exceptions. `scale`:
    the partnership's RAG scale, when the caller has read it already."""
    plan_filter = plan_filter or PlanFilter()
    scale = scale or rag_scale(session, partnership_id)
    c = _context(session, partnership_id, today, scale)
    grouped = _grouped(session, c, plan_filter)
    labels = theme_labels_of(session, partnership_id)

    by_rag: Counter = Counter()
    by_theme: dict[str, Counter] = defaultdict(Counter)
    by_subgroup: dict[str, Counter] = defaultdict(Counter)
    overdue = stale = deteriorated = n_exceptions = 0
    for theme_id, _subgroup_id, subgroup, rag, count, n_overdue, n_stale, n_deteriorated, n_exc in grouped:
        n_exceptions += n_exc
        by_rag[rag] += count
        by_theme[labels.get(theme_id) or "No theme"][rag] += count
        by_subgroup[subgroup][rag] += count
        overdue, stale, deteriorated = overdue + n_overdue, stale + n_stale, deteriorated + n_deteriorated
    top_rows = rows_by_id(session, partnership_id, _worst(session, c, plan_filter, top), today,
                          severity=_severity(session, partnership_id, scale), theme_labels=labels)
    return OverviewFigures(
        total=sum(by_rag.values()), by_rag=by_rag, by_theme=dict(sorted(by_theme.items())),
        by_subgroup=dict(sorted(by_subgroup.items())), overdue=int(overdue), stale=int(stale),
        deteriorated=int(deteriorated), red=by_rag.get("red", 0), exceptions=top_rows, exception_count=int(n_exceptions),
    )


@dataclass
class ThemeFigures:
    """What a theme's page shows of its actions: plan.summarise's figures for them and one page of rows."""
    total: int
    by_rag: Counter
    by_subgroup: dict[str, Counter]
    progress_by_objective: list[ObjectiveProgress]
    rows: list[ActionRow]  # the page's rows, by ref
    page: Page


@functools.lru_cache(maxsize=64)
def _theme_query(c: _Context, theme_id: int):
    """A theme's actions counted by subgroup x objective x RAG, with their progress summed and their
    first ref."""
    e = _expressions(c)
    progress = case((Action.status == "complete", 100), (Action.latest_rag.is_not(None), Action.latest_progress),
                    else_=0)
    rag_col = e["rag"].label("rag")
    group = (Subgroup.id, Subgroup.name, Action.objective_id, Objective.code, Objective.title, rag_col)
    return _filtered(select(*group, func.count(), func.sum(progress),
                            func.min(code_point_order_in(c.dialect, Action.ref))), c,
                     PlanFilter(theme_id=theme_id)).group_by(*group)


def theme_figures(session: Session, partnership_id: int, today: date, theme_id: int, page_size: int,
                  scale: list[Rag] | None = None, page=1) -> ThemeFigures:
    """A theme's actions (not cancelled) counted by subgroup x objective x RAG in one GROUP BY, with
    their progress summed, and page `page` of them (`page_size` by ref) as full rows: a county x10
    theme has a thousand actions, and only the rows shown are read."""
    plan_filter = PlanFilter(theme_id=theme_id)
    query = _theme_query(_context(session, partnership_id, today, scale), theme_id)
    session.flush()
    theme_label = session.exec(select(Theme.number, Theme.name).where(Theme.id == theme_id)).first()
    theme_label = f"{theme_label[0]}. {theme_label[1]}" if theme_label else ""
    by_rag: Counter = Counter()
    by_subgroup: dict[str, Counter] = defaultdict(Counter)
    objectives: dict[int | None, list] = {}  # id -> [first ref, label, actions, progress summed, by RAG]
    for _sid, subgroup, objective_id, code, title, rag, count, summed, first_ref in (
            session.connection().execute(query).all()):
        by_rag[rag] += count
        by_subgroup[subgroup][rag] += count
        label = f"{code} {title}" if objective_id is not None else ""
        o = objectives.setdefault(objective_id, [first_ref, label, 0, 0, Counter()])
        o[0], o[2], o[3] = min(o[0], first_ref), o[2] + count, o[3] + int(summed or 0)
        o[4][rag] += count
    # plan.summarise's order: by objective label, objectives of one label in the order of their first action.
    progress_by_objective = [
        ObjectiveProgress(objective_id=oid, objective=label or "No objective", theme=theme_label, actions=n,
                          mean_progress=round(summed / n, 1), by_rag=counts)
        for oid, (_first, label, n, summed, counts) in sorted(objectives.items(), key=lambda item: item[1][0])]
    progress_by_objective.sort(key=lambda p: p.objective)
    total = sum(by_rag.values())
    shown = page_of(total, page_size, page)
    rows = plan_rows(session, partnership_id, today, plan_filter, limit=shown.size, offset=shown.offset) if total else []
    return ThemeFigures(total=total, by_rag=by_rag, by_subgroup=dict(sorted(by_subgroup.items())),
                        progress_by_objective=progress_by_objective, rows=rows, page=shown)
