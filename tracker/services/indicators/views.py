"""Reading indicators: each with its status against the trajectory, one indicator's values and actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, func
from sqlmodel import Session, select

from tracker.models import Action, ActionIndicator, Indicator, IndicatorValue, Objective, Outcome, Person
from tracker.rules.indicator_status import Assessment, Point, assess, judge, trajectory_value
from tracker.rules.periods import parse_period
from tracker.services.errors import NotFound
from tracker.services.reference import owned


def baseline_end(indicator: Indicator) -> date | None:
    """The last day of the baseline period, or None when there is none (or it cannot be read)."""
    if not indicator.baseline_period:
        return None
    try:
        return parse_period(indicator.baseline_period).end
    except ValueError:
        return None


@dataclass
class IndicatorSummary:
    id: int
    code: str
    name: str
    is_national: bool
    unit: str
    direction: str
    source: str
    outcome_id: int | None
    outcome: str  # "I2 Increasing engagement in drug treatment"
    objective_id: int | None
    objective: str
    baseline_value: float | None
    baseline_period: str
    baseline_date: date | None
    target_value: float | None
    target_date: date | None
    illustrative: bool
    value_count: int
    latest_period: str | None  # the most recent value of all (even one before the baseline)
    latest_value: float | None
    assessment: Assessment

    @property
    def status(self) -> str:
        return self.assessment.status

    @property
    def status_label(self) -> str:
        return self.assessment.label


@dataclass
class ValueRow:
    id: int
    period: str
    end: date
    value: float
    note: str
    illustrative: bool
    expected: float | None  # the trajectory's value at this period's end (after the baseline only)
    recorded_by: str
    recorded_at: object


@dataclass
class IndicatorDetail:
    summary: IndicatorSummary
    indicator: Indicator
    values: list[ValueRow]
    actions: list[tuple[int, str, str]]  # (action id, ref, title) of the actions linked to it
    notes: str


def get_indicator(session: Session, partnership_id: int, indicator_id: int) -> Indicator:
    indicator = owned(session, Indicator, partnership_id, indicator_id)  # an id beyond INTEGER is none
    if indicator is None:
        raise NotFound(f"There is no indicator {indicator_id}.")
    return indicator


def _points(values: list) -> list[Point]:
    """Values as points: IndicatorValue objects or rows of (period, period_end, value)."""
    return [Point(v.period, v.period_end, v.value) for v in values]


def _label(code: str | None, words: str | None) -> str:
    return f"{code} {words}" if code is not None else ""


def _summary(indicator: Indicator, values: list, outcomes: dict[int, Outcome],
             objectives: dict[int, Objective]) -> IndicatorSummary:
    """The summary of an indicator from all its values (objects or rows with period, period_end, value)."""
    last = max(values, key=lambda v: v.period_end) if values else None
    outcome, objective = outcomes.get(indicator.outcome_id), objectives.get(indicator.objective_id)
    return _summary_of(indicator, last, len(values), _label(outcome and outcome.code, outcome and outcome.name),
                       _label(objective and objective.code, objective and objective.title))


def _summary_of(indicator: Indicator, last, value_count: int, outcome: str, objective: str) -> IndicatorSummary:
    """The summary from the indicator's latest value alone (the first, in the order the values are
    read, of those whose period ends last; None when it has none), how many values it has and the
    labels of its outcome and objective ("" for none). The latest alone is enough to assess it: the
    value judged is the latest of those ending after the baseline, which is this one when it ends
    after the baseline and there is none when it does not."""
    b_date = baseline_end(indicator)
    assessment = assess(indicator.direction, indicator.baseline_value, b_date, indicator.target_value,
                        indicator.target_date, _points([last] if last is not None else []), indicator.unit)
    return IndicatorSummary(
        id=indicator.id, code=indicator.code, name=indicator.name, is_national=indicator.is_national,
        unit=indicator.unit, direction=indicator.direction, source=indicator.source,
        outcome_id=indicator.outcome_id, outcome=outcome, objective_id=indicator.objective_id, objective=objective,
        baseline_value=indicator.baseline_value, baseline_period=indicator.baseline_period, baseline_date=b_date,
        target_value=indicator.target_value, target_date=indicator.target_date, illustrative=indicator.illustrative,
        value_count=value_count, latest_period=last.period if last else None,
        latest_value=last.value if last else None, assessment=assessment,
    )


_SUMMARY_COLUMNS = (Indicator.id, Indicator.code, Indicator.name, Indicator.is_national, Indicator.unit,
                   Indicator.direction, Indicator.source, Indicator.outcome_id, Indicator.objective_id,
                   Indicator.baseline_value, Indicator.baseline_period, Indicator.target_value,
                   Indicator.target_date, Indicator.illustrative)


class _Latest(NamedTuple):
    period: str
    period_end: date
    value: float


def _latest_columns() -> tuple:
    """The period, period end and value of the indicator's latest value: of its values whose period ends
    last, the first by id (the one max() finds when every value is read by id). Each is one step down
    ix_indicatorvalue_latest for the indicator. (A join to the value instead made PostgreSQL hash every
    value of the table, and a second query by id cost more in binding the ids than in reading them.)"""
    def latest(column):
        return (select(column).where(IndicatorValue.indicator_id == Indicator.id)
                .order_by(IndicatorValue.period_end.desc(), IndicatorValue.id).limit(1).scalar_subquery())

    return (latest(IndicatorValue.period).label("latest_period"),
            latest(IndicatorValue.period_end).label("latest_period_end"),
            latest(IndicatorValue.value).label("latest_value"))


def _latest_of(row) -> _Latest | None:
    """The latest value of a row read with _latest_columns (None: the indicator has no value)."""
    if row.latest_period_end is None:
        return None
    return _Latest(row.latest_period, row.latest_period_end, row.latest_value)


def summaries(session: Session, partnership_id: int, *where, order_by=(), limit: int | None = None,
              offset: int | None = None) -> list[IndicatorSummary]:
    """The summaries of the partnership's indicators that meet `where`, in `order_by` (which may name
    the Outcome joined to each indicator), `limit` of them from `offset`: plain columns, one row an
    indicator, its latest value and how many values it has looked up in SQL."""
    value_count = (select(func.count()).select_from(IndicatorValue)
                   .where(IndicatorValue.indicator_id == Indicator.id).scalar_subquery())
    with_outcome = and_(Outcome.id == Indicator.outcome_id, Outcome.partnership_id == partnership_id)
    mine = (Indicator.partnership_id == partnership_id, *where)
    if limit is not None or offset:
        # The page's ids first, from plain columns: the lookups below then run for its rows alone, not
        # for every row the databases sort and skip to reach it.
        mine = (Indicator.id.in_(select(Indicator.id).join(Outcome, with_outcome, isouter=True).where(*mine)
                                 .order_by(*order_by).limit(limit).offset(offset)),)
    session.flush()
    found = session.connection().execute(
        select(*_SUMMARY_COLUMNS, Outcome.code.label("outcome_code"), Outcome.name.label("outcome_name"),
               Objective.code.label("objective_code"), Objective.title.label("objective_title"),
               *_latest_columns(), value_count.label("value_count"))
        .select_from(Indicator)
        .join(Outcome, with_outcome, isouter=True)
        .join(Objective, and_(Objective.id == Indicator.objective_id, Objective.partnership_id == partnership_id),
              isouter=True)
        .where(*mine).order_by(*order_by)
    ).all()
    return [_summary_of(i, _latest_of(i), i.value_count, _label(i.outcome_code, i.outcome_name),
                        _label(i.objective_code, i.objective_title)) for i in found]


def list_order(r: IndicatorSummary | IndicatorStatus) -> tuple:
    """The Indicators page's order: national headline measures first, then by outcome (those of no
    outcome last), then by code (codes are unique: one order)."""
    return not r.is_national, r.outcome or "~", r.code


def list_indicators(session: Session, partnership_id: int) -> list[IndicatorSummary]:
    """Every indicator of the partnership with its status, in list_order."""
    return sorted(summaries(session, partnership_id), key=list_order)


@dataclass(frozen=True)
class IndicatorStatus:
    """An indicator's status and what places it in a list, for counting and choosing: its full summary
    (summaries_by_id) is read only for those a page or report shows."""
    id: int
    code: str
    is_national: bool
    outcome_id: int | None
    outcome: str  # its label, as IndicatorSummary.outcome ("" for none)
    objective_id: int | None
    status: str


def indicator_statuses(session: Session, partnership_id: int) -> list[IndicatorStatus]:
    """Every indicator's status, in list_order: one row an indicator, with the few columns the rule
    needs, and its latest value looked up in SQL; no words beyond its outcome's label."""
    session.flush()
    with_outcome = and_(Outcome.id == Indicator.outcome_id, Outcome.partnership_id == partnership_id)
    found = session.connection().execute(
        select(Indicator.id, Indicator.code, Indicator.outcome_id, Indicator.objective_id, Indicator.is_national,
               Indicator.direction, Indicator.unit, Indicator.baseline_value, Indicator.baseline_period,
               Indicator.target_value, Indicator.target_date, Outcome.code.label("outcome_code"),
               Outcome.name.label("outcome_name"), *_latest_columns())
        .select_from(Indicator).join(Outcome, with_outcome, isouter=True)
        .where(Indicator.partnership_id == partnership_id)
    ).all()
    return sorted((
        IndicatorStatus(i.id, i.code, i.is_national, i.outcome_id, _label(i.outcome_code, i.outcome_name),
                        i.objective_id, judge(
                            i.direction, i.baseline_value, baseline_end(i), i.target_value, i.target_date,
                            _points([last] if (last := _latest_of(i)) else []), i.unit).status)
        for i in found
    ), key=list_order)


def summaries_by_id(session: Session, partnership_id: int, ids) -> dict[int, IndicatorSummary]:
    """The summaries of the partnership's indicators `ids`, by id (none asked, no query)."""
    ids = sorted(set(ids))
    return {s.id: s for s in summaries(session, partnership_id, Indicator.id.in_(ids))} if ids else {}


def indicator_summary(session: Session, partnership_id: int, indicator_id: int) -> IndicatorSummary:
    indicator = get_indicator(session, partnership_id, indicator_id)
    values = list(session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id)).all())
    outcomes = {o.id: o for o in session.exec(select(Outcome).where(Outcome.partnership_id == partnership_id))}
    objectives = {o.id: o for o in session.exec(select(Objective).where(Objective.partnership_id == partnership_id))}
    return _summary(indicator, values, outcomes, objectives)


def indicator_detail(session: Session, partnership_id: int, indicator_id: int) -> IndicatorDetail:
    """One indicator: its definition, status, every value (oldest first) and the actions linked to it."""
    indicator = get_indicator(session, partnership_id, indicator_id)
    summary = indicator_summary(session, partnership_id, indicator_id)
    rows = session.exec(
        select(IndicatorValue, Person)
        .join(Person, Person.id == IndicatorValue.recorded_by_id, isouter=True)
        .where(IndicatorValue.indicator_id == indicator.id)
        .order_by(IndicatorValue.period_end, IndicatorValue.id)
    ).all()
    b_date = summary.baseline_date
    has_line = (indicator.baseline_value is not None and b_date is not None
                and indicator.target_value is not None and indicator.target_date is not None)
    values = [
        ValueRow(
            id=v.id, period=v.period, end=v.period_end, value=v.value, note=v.note, illustrative=v.illustrative,
            expected=(trajectory_value(indicator.baseline_value, b_date, indicator.target_value,
                                       indicator.target_date, v.period_end)
                      if has_line and v.period_end > b_date else None),
            recorded_by=p.name if p else ("Seed data" if v.recorded_by_id is None else "Unknown"),
            recorded_at=v.recorded_at,
        )
        for v, p in rows
    ]
    actions = [
        (a.id, a.ref, a.title)
        for a in session.exec(
            select(Action).join(ActionIndicator, ActionIndicator.action_id == Action.id)
            .where(ActionIndicator.indicator_id == indicator.id).order_by(Action.ref)
        )
    ]
    return IndicatorDetail(summary=summary, indicator=indicator, values=values, actions=actions,
                           notes=indicator.notes)


def indicator_codes(session: Session, partnership_id: int) -> dict[str, Indicator]:
    return {i.code.upper(): i for i in session.exec(select(Indicator).where(Indicator.partnership_id == partnership_id))}

