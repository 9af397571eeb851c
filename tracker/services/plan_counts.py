"""The overview's figures counted in SQL, from each action's stored current status.

The same figures as plan.summarise(plan.plan_rows(...)), without building a row per action: one
GROUP BY over the action table (theme x subgroup x RAG, with the exception flags summed), and the
exceptions' sort keys, of which only the worst few become full rows. Every expression below mirrors
one line of plan._rows; tests/unit/test_plan_counts.py checks both give the same figures.
"""

from __future__ import annotations

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
from tracker.services.reference import Rag, code_point_order, rag_scale


@dataclass
class OverviewFigures(Overview):
    exception_count: int = 0  # every exception; `exceptions` holds only the worst `top`


def _severity(session: Session, partnership_id: int, scale: list[Rag] | None = None) -> dict[str, int]:
    return {r.code: r.severity for r in (scale or rag_scale(session, partnership_id))}


def _expressions(session: Session, partnership_id: int, today: date, scale: list[Rag] | None = None) -> dict:
    """SQL for the derived fields of plan._rows: theme, RAG and the four exception flags (0/1). `scale`
    (the partnership's RAG scale, if the caller has it) saves reading it again."""
    partnership = session.get(Partnership, partnership_id)
    stale_before = today - timedelta(days=partnership.stale_after_days if partnership else 90)
    severity = {code: rank for code, rank in _severity(session, partnership_id, scale).items() if rank is not None}

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
        "stale": flag(and_(is_open, started, last_seen.is_not(None), last_seen < stale_before)),
        "deteriorated": flag(and_(is_open, Action.previous_rag.is_not(None), rank(rag) > rank(Action.previous_rag))),
    }


def _filtered(query, e: dict, partnership_id: int, plan_filter: PlanFilter):
    query = (query.join(Subgroup, Subgroup.id == Action.subgroup_id)
             .join(Objective, Objective.id == Action.objective_id, isouter=True)
             .where(Action.partnership_id == partnership_id))
    if plan_filter.theme_id is not None:
        query = query.where(e["theme"] == plan_filter.theme_id)
    return narrowed(query, plan_filter)


def _reasons(e: dict):
    return e["red"] + e["overdue"] + e["deteriorated"] + e["stale"]


def _ref(session: Session):
    """Action.ref ordered by code point, as Python compares strings."""
    return code_point_order(session, Action.ref)


def _worst(session: Session, e: dict, partnership_id: int, plan_filter: PlanFilter, top: int) -> list[int]:
    """The ids of the worst `top` exceptions, in plan.summarise's order: red first, then the number of
    reasons, then the oldest due date (none last), then the ref in code-point order as Python sorts it."""
    reasons = _reasons(e)
    ref = _ref(session)
    query = (_filtered(select(Action.id), e, partnership_id, plan_filter).where(reasons > 0)
             .order_by(case((e["rag"] == "red", 0), else_=1), reasons.desc(), Action.due_date.is_(None),
                       Action.due_date, ref).limit(top))
    return list(session.exec(query).all())


def exceptions(session: Session, partnership_id: int, today: date, plan_filter: PlanFilter | None = None,
               top: int = 50) -> tuple[list[ActionRow], int]:
    """The worst `top` exceptions as full rows, and how many there are in all."""
    plan_filter = plan_filter or PlanFilter()
    e = _expressions(session, partnership_id, today)
    total = session.exec(_filtered(select(func.count()).select_from(Action), e, partnership_id, plan_filter)
                         .where(_reasons(e) > 0)).one()
    return rows_by_id(session, partnership_id, _worst(session, e, partnership_id, plan_filter, top), today), total


def _grouped(session: Session, e: dict, partnership_id: int, plan_filter: PlanFilter) -> list[tuple]:
    """(theme id, subgroup id, subgroup name, RAG, actions, overdue, stale, deteriorated, exceptions)
    for each theme x subgroup x RAG of the filtered plan: one GROUP BY."""
    theme_col, rag_col = e["theme"].label("theme_id"), e["rag"].label("rag")
    query = _filtered(select(theme_col, Subgroup.id, Subgroup.name, rag_col, func.count(), func.sum(e["overdue"]),
                             func.sum(e["stale"]), func.sum(e["deteriorated"]),
                             func.sum(case((_reasons(e) > 0, 1), else_=0))), e, partnership_id, plan_filter)
    query = query.group_by(theme_col, Subgroup.id, Subgroup.name, rag_col)
    session.flush()
    return [tuple(r) for r in session.connection().execute(query).all()]


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
    e = _expressions(session, partnership_id, today)
    found: dict[int | None, GroupFigures] = {}
    for theme_id, subgroup_id, _name, rag, count, n_overdue, *_ in _grouped(session, e, partnership_id, PlanFilter()):
        figures = found.setdefault(theme_id if key == "theme" else subgroup_id, GroupFigures(Counter()))
        figures.by_rag[rag] += count
        figures.overdue += int(n_overdue)
    return found


def action_keys(session: Session, partnership_id: int, today: date) -> list[tuple[int, int | None, int | None, str, int]]:
    """(id, theme id, objective id, current RAG, subgroup id) of every action not cancelled, by ref: what
    the golden thread counts and covers, without building a row per action."""
    e = _expressions(session, partnership_id, today)
    query = _filtered(select(Action.id, e["theme"], Action.objective_id, e["rag"], Action.subgroup_id), e,
                      partnership_id, PlanFilter()).order_by(Action.ref)
    session.flush()
    return [tuple(r) for r in session.connection().execute(query).all()]


def overview_figures(session: Session, partnership_id: int, today: date, plan_filter: PlanFilter | None = None,
                     top: int = 50, scale: list[Rag] | None = None) -> OverviewFigures:
    """plan.overview's figures (without progress by objective) and the worst `top` exceptions. `scale`:
    the partnership's RAG scale, when the caller has read it already."""
    plan_filter = plan_filter or PlanFilter()
    scale = scale or rag_scale(session, partnership_id)
    e = _expressions(session, partnership_id, today, scale)
    grouped = _grouped(session, e, partnership_id, plan_filter)
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
    top_rows = rows_by_id(session, partnership_id, _worst(session, e, partnership_id, plan_filter, top), today,
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


def theme_figures(session: Session, partnership_id: int, today: date, theme_id: int, page_size: int,
                  scale: list[Rag] | None = None, page=1) -> ThemeFigures:
    """A theme's actions (not cancelled) counted by subgroup x objective x RAG in one GROUP BY, with
    their progress summed, and page `page` of them (`page_size` by ref) as full rows: a county x10
    theme has a thousand actions, and only the rows shown are read."""
    plan_filter = PlanFilter(theme_id=theme_id)
    e = _expressions(session, partnership_id, today, scale)
    progress = case((Action.status == "complete", 100), (Action.latest_rag.is_not(None), Action.latest_progress),
                    else_=0)
    rag_col = e["rag"].label("rag")
    group = (Subgroup.id, Subgroup.name, Action.objective_id, Objective.code, Objective.title, rag_col)
    query = _filtered(select(*group, func.count(), func.sum(progress), func.min(_ref(session))), e, partnership_id,
                      plan_filter).group_by(*group)
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
