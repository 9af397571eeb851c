"""Reading indicators: each with its status against the trajectory, one indicator's values and actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.models import Action, ActionIndicator, Indicator, IndicatorValue, Objective, Outcome, Person
from tracker.rules.indicator_status import Assessment, Point, assess, trajectory_value
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


def _summary(indicator: Indicator, values: list, outcomes: dict[int, Outcome],
             objectives: dict[int, Objective]) -> IndicatorSummary:
    """The summary of an indicator from all its values (objects or rows with period, period_end, value)."""
    last = max(values, key=lambda v: v.period_end) if values else None
    return _summary_of(indicator, last, len(values), outcomes, objectives)


def _summary_of(indicator: Indicator, last, value_count: int, outcomes: dict[int, Outcome],
                objectives: dict[int, Objective]) -> IndicatorSummary:
    """The summary from the indicator's latest value alone (the first, in the order the values are
    read, of those whose period ends last; None when it has none) and how many values it has. The
    latest alone is enough to assess it: the value judged is the latest of those ending after the
    baseline, which is this one when it ends after the baseline and there is none when it does not."""
    b_date = baseline_end(indicator)
    assessment = assess(indicator.direction, indicator.baseline_value, b_date, indicator.target_value,
                        indicator.target_date, _points([last] if last is not None else []), indicator.unit)
    outcome = outcomes.get(indicator.outcome_id)
    objective = objectives.get(indicator.objective_id)
    return IndicatorSummary(
        id=indicator.id, code=indicator.code, name=indicator.name, is_national=indicator.is_national,
        unit=indicator.unit, direction=indicator.direction, source=indicator.source,
        outcome_id=indicator.outcome_id, outcome=f"{outcome.code} {outcome.name}" if outcome else "",
        objective_id=indicator.objective_id, objective=f"{objective.code} {objective.title}" if objective else "",
        baseline_value=indicator.baseline_value, baseline_period=indicator.baseline_period, baseline_date=b_date,
        target_value=indicator.target_value, target_date=indicator.target_date, illustrative=indicator.illustrative,
        value_count=value_count, latest_period=last.period if last else None,
        latest_value=last.value if last else None, assessment=assessment,
    )


_SUMMARY_COLUMNS = (Indicator.id, Indicator.code, Indicator.name, Indicator.is_national, Indicator.unit,
                   Indicator.direction, Indicator.source, Indicator.outcome_id, Indicator.objective_id,
                   Indicator.baseline_value, Indicator.baseline_period, Indicator.target_value,
                   Indicator.target_date, Indicator.illustrative)


def list_indicators(session: Session, partnership_id: int) -> list[IndicatorSummary]:
    """Every indicator of the partnership with its status: national headline measures first, by outcome."""
    # One query of plain columns. A county x10 has 18,000 values, and reading them all, even as plain
    # rows, took 200 ms: a summary needs only how many values an indicator has and its latest, of the
    # values whose period ends last the first by id (the one max() found when every value was read by id),
    # each a lookup in the indicator's own values (indexed).
    mine = IndicatorValue.indicator_id == Indicator.id
    latest_id = (select(IndicatorValue.id).where(mine)
                 .order_by(IndicatorValue.period_end.desc(), IndicatorValue.id).limit(1).scalar_subquery())
    value_count = select(func.count()).select_from(IndicatorValue).where(mine).scalar_subquery()
    listed = (select(*_SUMMARY_COLUMNS, latest_id.label("latest_id"), value_count.label("value_count"))
              .where(Indicator.partnership_id == partnership_id).subquery())
    session.flush()
    found = session.connection().execute(
        select(listed, IndicatorValue.period, IndicatorValue.period_end, IndicatorValue.value)
        .join(IndicatorValue, IndicatorValue.id == listed.c.latest_id, isouter=True)
    ).all()
    outcomes = {o.id: o for o in session.exec(
        select(Outcome.id, Outcome.code, Outcome.name).where(Outcome.partnership_id == partnership_id))}
    objectives = {o.id: o for o in session.exec(
        select(Objective.id, Objective.code, Objective.title).where(Objective.partnership_id == partnership_id))}
    rows = [_summary_of(i, i if i.latest_id is not None else None, i.value_count, outcomes, objectives)
            for i in found]
    rows.sort(key=lambda r: (not r.is_national, r.outcome or "~", r.code))  # codes are unique: one order
    return rows


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

