"""Read views: an indicator's figures beside its comparators, with verdicts, and its catalogue entry."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from tracker.models import ComparatorValue, Indicator, IndicatorCatalogue, IndicatorValue
from tracker.rules import benchmark
from tracker.services.errors import NotFound
from tracker.services.reference import owned

KIND_ORDER = {"local": 0, "region": 1, "group": 2, "england": 3}


@dataclass(frozen=True)
class AreaFigure:
    kind: str
    name: str
    value: float | None
    count: float | None
    lower_ci: float | None
    upper_ci: float | None
    recent_trend: str
    worst: float | None
    best: float | None


@dataclass(frozen=True)
class BenchmarkPeriod:
    period: str
    areas: list[AreaFigure]  # local first, then region, comparator groups, England
    verdict: str
    significance: str
    source: str
    illustrative: bool


@dataclass(frozen=True)
class CatalogueView:
    dataset: str
    geography: str
    frequency: str
    latest_published: str
    next_due: date | None
    access: str
    stale: str  # why the data is stale, or ""


@dataclass(frozen=True)
class IndicatorBenchmark:
    indicator_id: int
    code: str
    name: str
    unit: str
    periods: list[BenchmarkPeriod]  # newest first
    catalogue: CatalogueView | None

    @property
    def latest(self) -> BenchmarkPeriod | None:
        return self.periods[0] if self.periods else None


def _period_key(period: str, ends: dict[str, date]) -> tuple:
    """Order periods by their end: the indicator's own value if entered, else read from the words
    ("2022/23" ends 31 March 2023, "2023" on 31 December, "2018..2020" with 2020)."""
    if period in ends:
        return (ends[period], period)
    last = period.split("..")[-1]
    match = re.fullmatch(r"(\d{4})(?:/(\d{2}))?", last)
    if match:
        year = int(match[1]) + (1 if match[2] else 0)
        return (date(year, 3, 31) if match[2] else date(year, 12, 31), period)
    return (date.min, period)


def _build(indicator: Indicator, rows: list[ComparatorValue], values: list[IndicatorValue],
           catalogue: IndicatorCatalogue | None, today: date) -> IndicatorBenchmark:
    ends = {v.period: v.period_end for v in values}
    by_period: dict[str, list[ComparatorValue]] = defaultdict(list)
    for r in rows:
        by_period[r.period].append(r)
    periods = []
    for period in sorted(by_period, key=lambda p: _period_key(p, ends), reverse=True):
        group = sorted(by_period[period], key=lambda r: (KIND_ORDER[r.area_kind], r.area_name))
        local = next((r for r in group if r.area_kind == "local"), None)
        england = next((r for r in group if r.area_kind == "england"), None)
        local_value = local.value if local else next((v.value for v in values if v.period == period), None)
        significance = local.significance if local else ""
        periods.append(BenchmarkPeriod(
            period=period,
            areas=[AreaFigure(r.area_kind, r.area_name, r.value, r.count, r.lower_ci, r.upper_ci, r.recent_trend,
                              r.worst, r.best) for r in group],
            verdict=benchmark.verdict(local_value, england.value if england else None, significance,
                                      indicator.direction),
            significance=significance, source=group[0].source, illustrative=any(r.illustrative for r in group)))
    view = None
    if catalogue is not None:
        newest = max(values, key=lambda v: v.period_end) if values else None
        view = CatalogueView(
            dataset=catalogue.dataset, geography=catalogue.geography, frequency=catalogue.frequency,
            latest_published=catalogue.latest_published, next_due=catalogue.next_due, access=catalogue.access,
            stale=benchmark.staleness(catalogue.next_due, catalogue.latest_published,
                                      newest.period if newest else None, newest.period_end if newest else None,
                                      catalogue.frequency, today))
    return IndicatorBenchmark(indicator.id, indicator.code, indicator.name, indicator.unit, periods, view)


def indicator_benchmark(session: Session, partnership_id: int, indicator_id: int, today: date) -> IndicatorBenchmark:
    indicator = owned(session, Indicator, partnership_id, indicator_id)
    if indicator is None:
        raise NotFound(f"There is no indicator {indicator_id}.")
    rows = session.exec(select(ComparatorValue).where(ComparatorValue.indicator_id == indicator_id)).all()
    values = session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id == indicator_id)).all()
    return _build(indicator, list(rows), list(values), session.get(IndicatorCatalogue, indicator_id), today)


def benchmarks_by_indicator(session: Session, partnership_id: int, today: date) -> dict[int, IndicatorBenchmark]:
    """Every indicator of the partnership that has comparators or a catalogue entry, in four queries."""
    indicators = {i.id: i for i in session.exec(select(Indicator).where(Indicator.partnership_id == partnership_id))}
    ids = list(indicators)
    rows: dict[int, list[ComparatorValue]] = defaultdict(list)
    for r in session.exec(select(ComparatorValue).where(ComparatorValue.indicator_id.in_(ids))):
        rows[r.indicator_id].append(r)
    values: dict[int, list[IndicatorValue]] = defaultdict(list)
    for v in session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id.in_(ids))):
        values[v.indicator_id].append(v)
    catalogue = {c.indicator_id: c for c in session.exec(
        select(IndicatorCatalogue).where(IndicatorCatalogue.indicator_id.in_(ids)))}
    return {i: _build(indicators[i], rows[i], values[i], catalogue.get(i), today)
            for i in ids if rows[i] or i in catalogue}
