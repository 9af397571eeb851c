"""Import comparator figures from a CSV as the national public-health profiles (Fingertips) export it.

Columns read (others are ignored; see docs/comparators.md): Indicator ID, Area Code, Area Name,
Area Type, Sex, Category Type, Time period, Value, Lower CI 95.0 limit, Upper CI 95.0 limit, Count,
Recent Trend, Compared to England value or percentiles. A row is matched to a tracker indicator through
the metric catalogue's external id, and to the local area through the catalogue's area code. The file
is checked whole first: any bad row refuses the import, saying which row and column, and nothing is
written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from sqlmodel import Session, delete, select

from tracker.models import ComparatorValue, Indicator, IndicatorCatalogue, Person
from tracker.rules.benchmark import significance_code
from tracker.services import audit
from tracker.services.errors import InvalidInput
from tracker.services.permissions import require_admin

FINGERTIPS_COLUMNS = (
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type",
    "Sex", "Age", "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit",
    "Upper CI 95.0 limit", "Lower CI 99.8 limit", "Upper CI 99.8 limit", "Count", "Denominator", "Value note",
    "Recent Trend", "Compared to England value or percentiles", "Compared to percentiles", "Time period Sortable",
    "New data", "Compared to goal", "Time period range",
)
REQUIRED = ("Indicator ID", "Area Code", "Area Name", "Area Type", "Time period", "Value")
ENGLAND_CODE = "E92000001"
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ComparatorRow:
    row_number: int
    indicator_id: int
    indicator_code: str
    period: str
    area_kind: str
    area_name: str
    area_code: str
    value: float | None
    count: float | None
    lower_ci: float | None
    upper_ci: float | None
    significance: str
    recent_trend: str


@dataclass(frozen=True)
class ParsedFile:
    rows: list[ComparatorRow]
    ignored: int  # rows for indicators not in the catalogue, breakdowns, or other areas
    source: str


def _number(text: str | None, row: int, column: str, errors: dict[str, str]) -> float | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        errors.setdefault(f"row {row}", f"{column} {text!r} is not a number")
        return None


def tracker_period(text: str) -> str:
    """Fingertips' period words as the tracker writes periods: "2018 - 20" -> "2018..2020"."""
    text = text.strip()
    match = re.fullmatch(r"(\d{4})\s*-\s*(\d{2})", text)
    if match:
        start = int(match[1])
        end = start // 100 * 100 + int(match[2])
        return f"{start}..{end if end >= start else end + 100}"
    return text


def validate_csv(session: Session, actor: Person | None, content: bytes | str) -> ParsedFile:
    require_admin(actor)
    if isinstance(content, bytes):
        if len(content) > MAX_BYTES:
            raise InvalidInput({"": "The file is over 20 MB: export fewer indicators at a time."})
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput({"": "The file is not UTF-8 text: export it again as CSV."}) from None
    try:
        return _parse(session, actor, content)
    except csv.Error as exc:  # e.g. a NUL byte or an unterminated quote: not a CSV the profiles tool made
        raise InvalidInput({"": f"The file is not a readable CSV ({exc}): export it again from the profiles tool."}) from None


def _parse(session: Session, actor: Person, content: str) -> ParsedFile:
    reader = csv.DictReader(io.StringIO(content))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput({"": f"The file has no column {missing[0]!r}: is it a profiles data export?"})
    catalogue = {c.external_id: (c, ind) for c, ind in session.exec(
        select(IndicatorCatalogue, Indicator).join(Indicator, Indicator.id == IndicatorCatalogue.indicator_id)
        .where(Indicator.partnership_id == actor.partnership_id, IndicatorCatalogue.external_id != ""))}
    rows: list[ComparatorRow] = []
    errors: dict[str, str] = {}
    seen: set[tuple] = set()
    ignored = 0
    for n, record in enumerate(reader, start=2):  # row 1 is the heading
        entry = catalogue.get((record.get("Indicator ID") or "").strip())
        breakdown = (record.get("Category Type") or "").strip() or \
            (record.get("Sex") or "Persons").strip() not in ("Persons", "")
        if entry is None or breakdown:
            ignored += 1
            continue
        cat, indicator = entry
        code, area_type = (record.get("Area Code") or "").strip(), (record.get("Area Type") or "").strip()
        if cat.area_code and code == cat.area_code:
            kind = "local"
        elif code == ENGLAND_CODE or area_type.lower() == "england":
            kind = "england"
        elif "region" in area_type.lower():
            kind = "region"
        else:
            ignored += 1
            continue
        period = tracker_period(record.get("Time period") or "")
        if not period:
            errors.setdefault(f"row {n}", "Time period is empty")
            continue
        try:
            significance = significance_code(record.get("Compared to England value or percentiles"))
        except ValueError as exc:
            errors.setdefault(f"row {n}", f"Compared to England value or percentiles: {exc}")
            continue
        key = (indicator.id, period, kind, record.get("Area Name", "").strip())
        if key in seen:
            errors.setdefault(f"row {n}", f"a second row for {key[3]} in {period}")
            continue
        seen.add(key)
        value = _number(record.get("Value"), n, "Value", errors)
        lower = _number(record.get("Lower CI 95.0 limit"), n, "Lower CI 95.0 limit", errors)
        upper = _number(record.get("Upper CI 95.0 limit"), n, "Upper CI 95.0 limit", errors)
        if lower is not None and upper is not None and lower > upper:
            errors.setdefault(f"row {n}", "the lower confidence limit is above the upper one")
        rows.append(ComparatorRow(n, indicator.id, indicator.code, period, kind, key[3], code, value,
                                  _number(record.get("Count"), n, "Count", errors), lower, upper, significance,
                                  (record.get("Recent Trend") or "").strip()[:60]))
    if errors:
        raise InvalidInput(errors)
    if not rows:
        raise InvalidInput({"": "No row matched an indicator of the metric catalogue (by its external id) "
                                "and its area: nothing to import."})
    return ParsedFile(rows, ignored, "National public-health profiles export")


def import_csv(session: Session, actor: Person | None, content: bytes | str, source_name: str = "") -> ParsedFile:
    """Validate the whole file, then replace each (indicator, period, area) it gives: all or nothing."""
    parsed = validate_csv(session, actor, content)
    source = f"Profiles export{': ' + source_name if source_name else ''}"[:300]
    for r in parsed.rows:
        session.exec(delete(ComparatorValue).where(
            ComparatorValue.indicator_id == r.indicator_id, ComparatorValue.period == r.period,
            ComparatorValue.area_kind == r.area_kind, ComparatorValue.area_name == r.area_name))
        session.add(ComparatorValue(indicator_id=r.indicator_id, period=r.period, area_kind=r.area_kind,
                                    area_name=r.area_name, area_code=r.area_code, value=r.value, count=r.count,
                                    lower_ci=r.lower_ci, upper_ci=r.upper_ci, significance=r.significance,
                                    recent_trend=r.recent_trend, source=source))
    session.flush()
    codes = sorted({r.indicator_code for r in parsed.rows})
    audit.record(session, actor, "import", session.get(Indicator, parsed.rows[0].indicator_id),
                 after={"rows": len(parsed.rows), "indicators": codes},
                 summary=f"Imported {len(parsed.rows)} comparator figures for {', '.join(codes)}")
    return parsed
