"""Outcome indicators: periods, values, the trajectory to target and the status rule, data entry.

A value is entered for a period, written the way the partnership's sources write it:
financial year "2024/25" (1 April to 31 March), calendar quarter "2024-Q2" (April to June), month
"2024-05", calendar year "2024", or a span of two of these, "2019-01..2022-06" (a 42-month window
such as the documents give). Every period has an end date, which orders the values and places them
on the chart.

The status of an indicator compares its latest value with the trajectory: the straight line from
the baseline value at the end of the baseline period to the target value at the target date.
STATUS_RULE says it in words; `assess` is the rule, direction-aware.

Entering data (a value by form, or many by CSV file) is for an administrator, or for a lead of a
subgroup whose actions are linked to the indicator. Changing an indicator's definition (baseline,
target, unit ...) is for an administrator only: targets are the partnership's decision.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from pydantic import Field, field_validator, model_validator
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.formatting import long_date
from tracker.models import (
    Action,
    ActionIndicator,
    Indicator,
    IndicatorValue,
    Objective,
    Outcome,
    Person,
)
from tracker.schemas import FieldError
from tracker.schemas import Input as _Input
from tracker.services import audit
from tracker.services.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
    validated,
)
from tracker.services.permissions import is_admin, led_subgroup_ids, require_admin

# --- Periods ---------------------------------------------------------------------------------

PERIOD_HELP = (
    "Write the period as 2024/25 (financial year), 2024-Q2 (calendar quarter), 2024-05 (month) "
    "or 2024 (calendar year)"
)
PERIOD_KINDS = {
    "financial_year": "financial year",
    "quarter": "calendar quarter",
    "month": "month",
    "year": "calendar year",
    "span": "span of periods",
}
_EARLIEST_YEAR, _LATEST_YEAR = 1990, 2100


@dataclass(frozen=True)
class Period:
    label: str  # the canonical way of writing it, as stored: "2024/25", "2024-Q2", "2024-05", "2024"
    kind: str  # a key of PERIOD_KINDS
    start: date
    end: date


def _month_end(year: int, month: int) -> date:
    return (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)


def _year(text: str, original: str) -> int:
    year = int(text)
    if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
        raise ValueError(f"{original!r}: the year {year} is out of range. {PERIOD_HELP}")
    return year


def _parse_single(text: str, original: str) -> Period:
    if m := re.fullmatch(r"(\d{4})\s*/\s*(\d{2}|\d{4})", text):
        start = _year(m.group(1), original)
        second = int(m.group(2))
        if second not in ((start + 1) % 100, start + 1):
            raise ValueError(
                f"{original!r} is not a financial year: the second year must follow the first, "
                f"as in {start}/{(start + 1) % 100:02d}")
        return Period(f"{start}/{(start + 1) % 100:02d}", "financial_year", date(start, 4, 1), date(start + 1, 3, 31))
    if m := re.fullmatch(r"(\d{4})\s*-?\s*Q([1-4])", text, flags=re.IGNORECASE):
        year, quarter = _year(m.group(1), original), int(m.group(2))
        first_month = 3 * quarter - 2
        return Period(f"{year}-Q{quarter}", "quarter", date(year, first_month, 1), _month_end(year, first_month + 2))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        year, month = _year(m.group(1), original), int(m.group(2))
        if not 1 <= month <= 12:
            hint = ""
            if month == (year + 1) % 100:
                hint = f" For the financial year write {year}/{month:02d}."
            raise ValueError(f"{original!r} is not a month: months run from 01 to 12.{hint} {PERIOD_HELP}")
        return Period(f"{year}-{month:02d}", "month", date(year, month, 1), _month_end(year, month))
    if re.fullmatch(r"\d{4}", text):
        year = _year(text, original)
        return Period(str(year), "year", date(year, 1, 1), date(year, 12, 31))
    if re.fullmatch(r"(\d{4})\s*-?\s*Q\d+", text, flags=re.IGNORECASE):
        raise ValueError(f"{original!r} is not a quarter: quarters are Q1 to Q4. {PERIOD_HELP}")
    raise ValueError(f"{original!r} is not a period this tracker knows. {PERIOD_HELP}")


def parse_period(text: str | None) -> Period:
    """The period written in `text`; raises ValueError with a message saying how to write it."""
    original = "" if text is None else str(text)
    cleaned = original.strip()
    if not cleaned:
        raise ValueError(f"Enter the period. {PERIOD_HELP}")
    if ".." in cleaned:
        first, _, last = cleaned.partition("..")
        if ".." in last:
            raise ValueError(f"{original!r}: a span has one '..' between two periods, as in 2019-01..2022-06")
        a, b = _parse_single(first.strip(), original), _parse_single(last.strip(), original)
        if b.end <= a.start or b.start < a.start:
            raise ValueError(f"{original!r}: the span must run from the earlier period to the later one")
        return Period(f"{a.label}..{b.label}", "span", a.start, b.end)
    return _parse_single(cleaned, original)


def period_end(text: str) -> date:
    return parse_period(text).end


def baseline_end(indicator: Indicator) -> date | None:
    """The last day of the baseline period, or None when there is none (or it cannot be read)."""
    if not indicator.baseline_period:
        return None
    try:
        return parse_period(indicator.baseline_period).end
    except ValueError:
        return None


# --- Numbers ---------------------------------------------------------------------------------

_NUMBER = re.compile(r"[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?")


def parse_number(value) -> float:
    """A number as people type it: 3540, 3,540, 41.5, 41.5%. Raises ValueError saying what to type."""
    if isinstance(value, bool):
        raise ValueError("Enter a number, for example 3540 or 41.5")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = "" if value is None else str(value).strip()
        if not text:
            raise ValueError("Enter a value: a number, for example 3540 or 41.5")
        text = text.removesuffix("%").strip().replace("£", "")
        if not _NUMBER.fullmatch(text) or not any(ch.isdigit() for ch in text):
            raise ValueError(f"{value!r} is not a number: enter digits only, for example 3540 or 41.5")
        number = float(text.replace(",", ""))
    if math.isnan(number) or math.isinf(number):
        raise ValueError("Enter a real number, for example 3540 or 41.5")
    return number


def format_number(value: float | None, empty: str = "—") -> str:
    """UK style: thousands with commas, up to two decimal places, no trailing zeros."""
    if value is None:
        return empty
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# --- The status rule -------------------------------------------------------------------------

AT_RISK_MARGIN = 0.10

STATUS_LABELS = {
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "no_data": "No data since baseline",
    "no_target": "No target set",
    "no_baseline": "No baseline set",
}
STATUS_SYMBOLS = {
    "on_track": "✓", "at_risk": "!", "off_track": "✕", "no_data": "?", "no_target": "–", "no_baseline": "–",
}
# Worst first, for sorting the chair's lists.
STATUS_ORDER = ("off_track", "at_risk", "no_data", "on_track", "no_target", "no_baseline")

STATUS_RULE = [
    "The trajectory is a straight line from the baseline value, at the end of the baseline period, "
    "to the target value on the target date; after the target date it stays at the target.",
    "Each indicator is judged by its latest value, against the trajectory value for the end of "
    "that value's period. Whether higher or lower is better depends on the indicator.",
    "On track: the latest value is at or better than the trajectory value.",
    f"At risk: it is worse than the trajectory value, but by no more than {AT_RISK_MARGIN:.0%} of the "
    "distance from the baseline to the target (when the target equals the baseline, "
    f"{AT_RISK_MARGIN:.0%} of the baseline).",
    "Off track: it is worse than that.",
    "No data since baseline: no value has been entered for a period ending after the baseline period.",
    "No target set or no baseline set: there is no trajectory to judge against.",
]


@dataclass(frozen=True)
class Point:
    period: str
    end: date
    value: float


@dataclass(frozen=True)
class Assessment:
    status: str
    latest: Point | None = None  # the value judged (the latest after the baseline)
    expected: float | None = None  # the trajectory's value at the latest value's period end
    margin: float | None = None  # how far worse than the trajectory still counts as at risk
    explanation: str = ""

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def symbol(self) -> str:
        return STATUS_SYMBOLS[self.status]


def trajectory_value(baseline_value: float, baseline_date: date, target_value: float, target_date: date,
                     on: date) -> float:
    """The straight line from (baseline date, baseline value) to (target date, target value)."""
    if on >= target_date or target_date <= baseline_date:
        return target_value
    if on <= baseline_date:
        return baseline_value
    share = (on - baseline_date).days / (target_date - baseline_date).days
    return baseline_value + (target_value - baseline_value) * share


def assess(direction: str, baseline_value: float | None, baseline_date: date | None,
           target_value: float | None, target_date: date | None, points: list[Point], unit: str = "") -> Assessment:
    """The status of an indicator (see STATUS_RULE); a pure function of its numbers."""
    if baseline_value is None or baseline_date is None:
        latest = max(points, key=lambda p: p.end) if points else None
        return Assessment("no_baseline", latest, explanation="No baseline is set, so there is nothing to judge against.")
    since = [p for p in points if p.end > baseline_date]
    if not since:
        return Assessment("no_data", None, explanation=(
            f"No value has been entered for a period ending after the baseline period "
            f"(which ended {_uk(baseline_date)})."))
    latest = max(since, key=lambda p: p.end)
    if target_value is None or target_date is None:
        return Assessment("no_target", latest, explanation=(
            f"The latest value is {format_number(latest.value)} for {latest.period}; no target is set, "
            "so there is no trajectory to judge it against."))
    expected = trajectory_value(baseline_value, baseline_date, target_value, target_date, latest.end)
    distance = abs(target_value - baseline_value) or abs(baseline_value)
    margin = AT_RISK_MARGIN * distance
    worse_by = (expected - latest.value) if direction == "higher" else (latest.value - expected)
    # Float noise (0.1 + 0.2) must not turn "exactly on the line" into "worse".
    tolerance = 1e-9 * max(1.0, abs(expected))
    unit_words = (unit if unit.startswith("%") else f" {unit}") if unit else ""
    said = (f"The latest value is {format_number(latest.value)}{unit_words} ({latest.period}); the trajectory "
            f"value for {_uk(latest.end)} is {format_number(round(expected, 2))}.")
    better = "higher" if direction == "higher" else "lower"
    if worse_by <= tolerance:
        status, why = "on_track", f"It is at or better than the trajectory ({better} is better)."
    elif worse_by <= margin + tolerance:
        status, why = "at_risk", (f"It is worse by {format_number(round(worse_by, 2))} ({better} is better), "
                                  f"within the at-risk margin of {format_number(round(margin, 2))}.")
    else:
        status, why = "off_track", (f"It is worse by {format_number(round(worse_by, 2))} ({better} is better), "
                                    f"more than the at-risk margin of {format_number(round(margin, 2))}.")
    return Assessment(status, latest, expected, margin, f"{said} {why}")


_uk = long_date


# --- Reading ---------------------------------------------------------------------------------


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
    indicator = session.get(Indicator, indicator_id)
    if indicator is None or indicator.partnership_id != partnership_id:
        raise NotFound(f"There is no indicator {indicator_id}.")
    return indicator


def _points(values: list[IndicatorValue]) -> list[Point]:
    return [Point(v.period, v.period_end, v.value) for v in values]


def _summary(indicator: Indicator, values: list[IndicatorValue], outcomes: dict[int, Outcome],
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


def list_indicators(session: Session, partnership_id: int) -> list[IndicatorSummary]:
    """Every indicator of the partnership with its status: national headline measures first, by outcome."""
    indicators = session.exec(select(Indicator).where(Indicator.partnership_id == partnership_id)).all()
    values: dict[int, list[IndicatorValue]] = defaultdict(list)
    for v in session.exec(
        select(IndicatorValue).join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(Indicator.partnership_id == partnership_id)
    ):
        values[v.indicator_id].append(v)
    outcomes = {o.id: o for o in session.exec(select(Outcome).where(Outcome.partnership_id == partnership_id))}
    objectives = {o.id: o for o in session.exec(select(Objective).where(Objective.partnership_id == partnership_id))}
    rows = [_summary(i, values[i.id], outcomes, objectives) for i in indicators]
    rows.sort(key=lambda r: (not r.is_national, r.outcome or "~", r.code))
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


# --- Who may enter data ----------------------------------------------------------------------


def editable_indicator_ids(session: Session, actor: Person | None) -> set[int]:
    """The indicators this person may enter values for: all of an admin's partnership; for a lead,
    those linked (ActionIndicator) to an action of a subgroup they lead; none for anyone else."""
    if actor is None or not actor.is_active or actor.role == "viewer":
        return set()
    if is_admin(actor):
        return set(session.exec(select(Indicator.id).where(Indicator.partnership_id == actor.partnership_id)).all())
    led = led_subgroup_ids(session, actor)
    if not led:
        return set()
    return set(session.exec(
        select(ActionIndicator.indicator_id)
        .join(Action, Action.id == ActionIndicator.action_id)
        .join(Indicator, Indicator.id == ActionIndicator.indicator_id)
        .where(Action.subgroup_id.in_(led), Action.partnership_id == actor.partnership_id,
               Indicator.partnership_id == actor.partnership_id)
    ).all())


def can_enter_values(session: Session, actor: Person | None, indicator: Indicator) -> bool:
    if actor is None or not actor.is_active or actor.partnership_id != indicator.partnership_id:
        return False
    return indicator.id in editable_indicator_ids(session, actor)


def require_enter_values(session: Session, actor: Person | None, indicator: Indicator) -> Person:
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to make changes.")
    if not can_enter_values(session, actor, indicator):
        raise PermissionDenied(
            f"Only an administrator, or a lead of a subgroup whose actions are linked to {indicator.code}, "
            "can enter its data.")
    return actor


# --- Entering values -------------------------------------------------------------------------


class IndicatorValueIn(_Input):
    period: str
    value: float
    note: str = Field(default="", max_length=500)
    illustrative: bool = False

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value) -> str:
        return parse_period(value).label

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value) -> float:
        return parse_number(value)

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value) -> str:
        return "" if value is None else value




def _existing(session: Session, indicator_id: int, period: str) -> IndicatorValue | None:
    return session.exec(
        select(IndicatorValue).where(IndicatorValue.indicator_id == indicator_id, IndicatorValue.period == period)
    ).first()


def _already_there(indicator: Indicator, existing: IndicatorValue) -> str:
    return (f"{indicator.code} already has a value for {existing.period} ({format_number(existing.value)}). "
            "To correct it, remove that value on the indicator's page first")


def _not_ended(period: Period, today: date) -> str | None:
    if period.end > today:
        return (f"The period {period.label} does not end until {_uk(period.end)}: enter its value once the "
                "period is over")
    return None


def add_value(session: Session, actor: Person, indicator_id: int, data: dict, today: date) -> IndicatorValue:
    """Record one value of an indicator for a period (validated, permission-checked, audited)."""
    indicator = get_indicator(session, actor.partnership_id, indicator_id)
    require_enter_values(session, actor, indicator)
    payload = validated(IndicatorValueIn, data)
    period = parse_period(payload.period)
    errors = {}
    if problem := _not_ended(period, today):
        errors["period"] = problem
    elif existing := _existing(session, indicator.id, period.label):
        errors["period"] = _already_there(indicator, existing)
    if errors:
        raise InvalidInput(errors)
    value = IndicatorValue(indicator_id=indicator.id, period=period.label, period_end=period.end,
                           value=payload.value, note=payload.note, illustrative=payload.illustrative,
                           recorded_by_id=actor.id)
    session.add(value)
    _flush_or_conflict(session)
    audit.record(session, actor, "create", value, partnership_id=indicator.partnership_id,
                 summary=f"Value of {indicator.code} for {period.label}: {format_number(payload.value)}")
    session.flush()
    return value


def delete_value(session: Session, actor: Person, value_id: int, indicator_id: int | None = None) -> IndicatorValue:
    """Remove a value (to correct it, remove it and enter it again); the trail keeps what it was.
    With `indicator_id`, the value must belong to that indicator (the page it was removed from)."""
    value = session.get(IndicatorValue, value_id)
    indicator = session.get(Indicator, value.indicator_id) if value else None
    if (value is None or indicator is None or indicator.partnership_id != actor.partnership_id
            or (indicator_id is not None and value.indicator_id != indicator_id)):
        raise NotFound("That value is no longer there: reload the page to see the current values.")
    require_enter_values(session, actor, indicator)
    before = audit.snapshot(value)
    audit.record(session, actor, "delete", value, before=before, partnership_id=indicator.partnership_id,
                 summary=f"Removed the value of {indicator.code} for {value.period} ({format_number(value.value)})")
    session.delete(value)
    session.flush()
    return value


def _flush_or_conflict(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError:
        # Someone entered the same period between our check and our write. The caller's unit of
        # work is rolled back as a whole, so nothing of this entry or upload is kept.
        raise Conflict("Someone else entered a value for the same indicator and period just now. Nothing was "
                       "saved: reload the page to see it, then enter yours again.") from None


# --- CSV upload ------------------------------------------------------------------------------

CSV_COLUMNS = ("indicator_code", "period", "value", "note")
CSV_REQUIRED = ("indicator_code", "period", "value")
CSV_MAX_BYTES = 1_000_000
CSV_MAX_ROWS = 5_000


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1, the first value row 2 (0: the whole file)
    column: str  # "" for the row or file as a whole
    message: str  # what to fix


class UploadRejected(ServiceError):
    """The file has problems; nothing was written. `errors` lists every one, by row and column."""

    def __init__(self, errors: list[RowError]):
        self.errors = list(errors)
        rows = {e.row for e in errors if e.row}
        where = f" in {len(rows)} row{'s' if len(rows) != 1 else ''}" if rows else ""
        super().__init__(
            f"Nothing was saved: the file has {len(errors)} problem{'s' if len(errors) != 1 else ''}{where}. "
            "Fix them and upload the whole file again.")


@dataclass
class ParsedRow:
    row: int
    indicator: Indicator
    period: Period
    value: float
    note: str


@dataclass
class ImportResult:
    written: int
    indicators: dict[str, int] = field(default_factory=dict)  # code -> values written


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "cp1252"):  # a spreadsheet saved on Windows is often cp1252
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadRejected([RowError(0, "", "The file is not text: save it from the spreadsheet as CSV (UTF-8)")])


def _check_row(cells: list[str], position: dict[str, int], row_number: int, codes: dict[str, Indicator],
               allowed: set[int], existing: dict[tuple[int, str], IndicatorValue], seen: dict[tuple[int, str], int],
               today: date, errors: list[RowError]) -> ParsedRow | None:
    """Check one row, adding its problems to `errors`; the row if it is good."""

    def cell(name: str) -> str:
        i = position.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    found: list[RowError] = []
    code = cell("indicator_code")
    indicator = codes.get(code.upper()) if code else None
    if not code:
        found.append(RowError(row_number, "indicator_code",
                              "Enter the indicator's code, as the indicators page shows it"))
    elif indicator is None:
        found.append(RowError(row_number, "indicator_code",
                              f"There is no indicator with the code {code!r}: copy the code from the indicators page"))
    elif indicator.id not in allowed:
        found.append(RowError(row_number, "indicator_code",
                              f"You cannot enter data for {indicator.code}: only an administrator or a lead of a "
                              "subgroup whose actions are linked to it can"))
    period = None
    try:
        period = parse_period(cell("period"))
    except ValueError as exc:
        found.append(RowError(row_number, "period", str(exc)))
    if period is not None and (problem := _not_ended(period, today)):
        found.append(RowError(row_number, "period", problem))
        period = None
    number = None
    try:
        number = parse_number(cell("value"))
    except ValueError as exc:
        found.append(RowError(row_number, "value", str(exc)))
    note = cell("note")
    if len(note) > 500:
        found.append(RowError(row_number, "note", "Shorten the note to 500 characters or fewer"))
    if indicator is not None and period is not None:
        key = (indicator.id, period.label)
        if key in existing:
            found.append(RowError(row_number, "period", _already_there(indicator, existing[key])))
        elif key in seen:
            found.append(RowError(row_number, "period",
                                  f"Row {seen[key]} already gives {indicator.code} for {period.label}: "
                                  "keep one of the two rows"))
        else:
            seen[key] = row_number
    errors.extend(found)
    if found:
        return None
    return ParsedRow(row_number, indicator, period, number, note)


def validate_csv(session: Session, actor: Person, content: bytes | str, today: date) -> list[ParsedRow]:
    """Check every row of a CSV of values; returns them all, or raises UploadRejected with every problem."""
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to make changes.")
    allowed = editable_indicator_ids(session, actor)
    if not allowed:
        raise PermissionDenied(
            "Only an administrator, or a lead of a subgroup whose actions are linked to an indicator, can "
            "enter indicator data.")
    if len(content) > CSV_MAX_BYTES:
        raise UploadRejected([RowError(0, "", f"The file is larger than {CSV_MAX_BYTES // 1000:,} kB: split it "
                                              "into smaller files")])
    text = _decode(content)
    # Comma-separated as a rule; a spreadsheet set to a European locale saves semicolons instead.
    first_line = text.split("\n", 1)[0]
    delimiter = next((d for d in (",", ";", "\t") if d in first_line), ",")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise UploadRejected([RowError(0, "", "The file is empty: it needs a header row "
                                              f"({', '.join(CSV_COLUMNS)}) and a row for each value")]) from None
    except csv.Error as exc:
        raise UploadRejected([RowError(1, "", f"The file cannot be read as CSV ({exc})")]) from None
    names = [h.strip().lower().replace(" ", "_") for h in header]
    missing = [c for c in CSV_REQUIRED if c not in names]
    unknown = [h for h, n in zip(header, names, strict=True) if n and n not in CSV_COLUMNS]
    file_errors = []
    if missing:
        file_errors.append(RowError(1, "", f"The header row needs the column{'s' if len(missing) > 1 else ''} "
                                           f"{', '.join(missing)}. The columns are {', '.join(CSV_COLUMNS)} "
                                           "(note may be left out)"))
    if unknown:
        file_errors.append(RowError(1, "", f"Unexpected column{'s' if len(unknown) > 1 else ''} "
                                           f"{', '.join(repr(u) for u in unknown)}: use only "
                                           f"{', '.join(CSV_COLUMNS)}"))
    repeated = {n for n in names if n and names.count(n) > 1}
    if repeated:
        file_errors.append(RowError(1, "", f"The column{'s' if len(repeated) > 1 else ''} "
                                           f"{', '.join(sorted(repeated))} appear{'' if len(repeated) > 1 else 's'} "
                                           "more than once in the header"))
    if file_errors:
        raise UploadRejected(file_errors)
    position = {n: names.index(n) for n in CSV_COLUMNS if n in names}

    codes = indicator_codes(session, actor.partnership_id)
    existing: dict[tuple[int, str], IndicatorValue] = {
        (v.indicator_id, v.period): v
        for v in session.exec(
            select(IndicatorValue).join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .where(Indicator.partnership_id == actor.partnership_id)
        )
    }
    errors: list[RowError] = []
    parsed: list[ParsedRow] = []
    seen: dict[tuple[int, str], int] = {}
    row_number = 1
    data_rows = 0
    try:
        for row_number, cells in enumerate(reader, start=2):  # a spreadsheet's numbering: header is row 1
            if not any(c.strip() for c in cells):
                continue  # a blank line, e.g. at the end of the file
            data_rows += 1
            if data_rows > CSV_MAX_ROWS:
                raise UploadRejected([RowError(0, "", f"The file has more than {CSV_MAX_ROWS:,} rows of values: "
                                                      "split it into smaller files")])
            if len(cells) > len(names):
                errors.append(RowError(row_number, "", f"The row has {len(cells)} cells but the header has "
                                                       f"{len(names)} columns: check for a stray comma (put a "
                                                       "note containing commas in double quotes)"))
                continue
            errors_before = len(errors)
            row = _check_row(cells, position, row_number, codes, allowed, existing, seen, today, errors)
            if row is not None and len(errors) == errors_before:
                parsed.append(row)
    except csv.Error as exc:
        errors.append(RowError(row_number + 1, "", f"The row cannot be read as CSV ({exc}): check its quotes"))
    if not errors and not parsed:
        errors.append(RowError(0, "", "The file has a header but no rows of values"))
    if errors:
        raise UploadRejected(errors)
    return parsed


def import_values_csv(session: Session, actor: Person, content: bytes | str, today: date,
                      filename: str = "") -> ImportResult:
    """Write every value in a CSV file, or none: any bad row rejects the whole file (UploadRejected)."""
    rows = validate_csv(session, actor, content, today)
    result = ImportResult(written=0)
    source = f" from {filename}" if filename else " from a CSV file"
    for row in rows:
        value = IndicatorValue(indicator_id=row.indicator.id, period=row.period.label, period_end=row.period.end,
                               value=row.value, note=row.note, recorded_by_id=actor.id)
        session.add(value)
        _flush_or_conflict(session)
        audit.record(session, actor, "create", value, partnership_id=row.indicator.partnership_id,
                     summary=f"Value of {row.indicator.code} for {row.period.label}: {format_number(row.value)} "
                             f"(uploaded{source}, row {row.row})")
        result.written += 1
        result.indicators[row.indicator.code] = result.indicators.get(row.indicator.code, 0) + 1
    session.flush()
    return result


# --- Defining indicators (administrators) ----------------------------------------------------

INDICATOR_FIELDS = [
    "code", "name", "outcome_id", "objective_id", "is_national", "unit", "direction", "source",
    "baseline_value", "baseline_period", "target_value", "target_date", "notes", "illustrative",
]


def _optional_number(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_number(value)


class IndicatorIn(_Input):
    code: str = Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
    name: str = Field(min_length=3, max_length=300)
    outcome_id: int | None = None
    objective_id: int | None = None
    is_national: bool = False
    unit: str = Field(default="", max_length=60)
    direction: str = "higher"
    source: str = Field(default="", max_length=200)
    baseline_value: float | None = None
    baseline_period: str = Field(default="", max_length=40)
    target_value: float | None = None
    target_date: date | None = None
    notes: str = Field(default="", max_length=5000)
    illustrative: bool = False

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value):
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("direction")
    @classmethod
    def _direction(cls, value: str) -> str:
        if value not in ("higher", "lower"):
            raise ValueError("Choose whether higher or lower is better")
        return value

    @field_validator("baseline_value", "target_value", mode="before")
    @classmethod
    def _numbers(cls, value):
        return _optional_number(value)

    @field_validator("outcome_id", "objective_id", "target_date", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("baseline_period", mode="before")
    @classmethod
    def _baseline_period(cls, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return ""
        return parse_period(value).label

    @model_validator(mode="after")
    def _rules(self):
        if (self.baseline_value is None) != (not self.baseline_period):
            field_name = "baseline_period" if self.baseline_value is not None else "baseline_value"
            raise FieldError(field_name, "Give both the baseline value and its period, or neither")
        if (self.target_value is None) != (self.target_date is None):
            field_name = "target_date" if self.target_value is not None else "target_value"
            raise FieldError(field_name, "Give both the target value and its date, or neither")
        if self.target_value is not None and self.baseline_value is None:
            raise FieldError("baseline_value", "Set a baseline before a target: the trajectory starts from it")
        if self.target_date and self.baseline_period:
            end = parse_period(self.baseline_period).end
            if self.target_date <= end:
                raise FieldError("target_date",
                                 f"The target date must be after the baseline period ends ({end:%d/%m/%Y})")
        return self


def _check_links(session: Session, partnership_id: int, payload: IndicatorIn) -> None:
    errors = {}
    if payload.outcome_id is not None:
        outcome = session.get(Outcome, payload.outcome_id)
        if outcome is None or outcome.partnership_id != partnership_id:
            errors["outcome_id"] = "Choose an outcome of this partnership"
    if payload.objective_id is not None:
        objective = session.get(Objective, payload.objective_id)
        if objective is None or objective.partnership_id != partnership_id:
            errors["objective_id"] = "Choose an objective of this partnership"
    if errors:
        raise InvalidInput(errors)


def create_indicator(session: Session, actor: Person, data: dict) -> Indicator:
    """Add a (local) indicator. Administrators only."""
    require_admin(actor)
    payload = validated(IndicatorIn, data)
    _check_links(session, actor.partnership_id, payload)
    if payload.code in indicator_codes(session, actor.partnership_id):
        raise InvalidInput({"code": f"The code {payload.code} is already used: choose another"})
    indicator = Indicator(partnership_id=actor.partnership_id, **payload.model_dump())
    session.add(indicator)
    session.flush()
    audit.record(session, actor, "create", indicator, summary=f"Added indicator {indicator.code}: {indicator.name}")
    session.flush()
    return indicator


def editable_snapshot(indicator: Indicator) -> dict:
    """The definition as an edit form shows it: pass it back to update_indicator to detect a clash."""
    return audit.snapshot(indicator, INDICATOR_FIELDS)


def update_indicator(session: Session, actor: Person, indicator_id: int, data: dict,
                     expected: dict | None = None) -> Indicator:
    """Change an indicator's definition (administrators only).

    `expected` is the definition as the editor saw it (editable_snapshot); if anyone has changed it
    since, nothing is written and Conflict says so. The check and the write are one UPDATE statement.
    """
    indicator = get_indicator(session, actor.partnership_id, indicator_id)
    require_admin(actor)
    current = editable_snapshot(indicator)
    payload = validated(IndicatorIn, current | dict(data))
    _check_links(session, actor.partnership_id, payload)
    other = indicator_codes(session, actor.partnership_id).get(payload.code)
    if other is not None and other.id != indicator.id:
        raise InvalidInput({"code": f"The code {payload.code} is already used: choose another"})
    statement = sql_update(Indicator).where(Indicator.id == indicator.id)
    if expected is not None:
        for name in INDICATOR_FIELDS:
            if name not in expected:
                continue
            column = getattr(Indicator, name)
            seen = expected[name]
            if name == "target_date" and isinstance(seen, str):
                seen = date.fromisoformat(seen)
            statement = statement.where(column.is_(None) if seen is None else column == seen)
    result = session.execute(statement.values(**payload.model_dump()))
    if result.rowcount != 1:
        session.expire(indicator)
        raise Conflict(f"Someone else changed indicator {indicator.code} after you opened it. Nothing you entered "
                       "was saved: reload to see their change, then make yours again.")
    session.flush()
    session.refresh(indicator)
    audit.record(session, actor, "update", indicator, before=current, after=editable_snapshot(indicator),
                 summary=f"Edited indicator {indicator.code}")
    return indicator
