"""The view models of the indicator pages: everything a page shows, from one call, so its components
need no session."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from tracker.models import Person
from tracker.services import reference
from tracker.services.benchmarks import IndicatorBenchmark, indicator_benchmark
from tracker.services.indicators.access import can_enter_values, editable_indicator_ids
from tracker.services.indicators.definitions import editable_snapshot
from tracker.services.indicators.views import (
    IndicatorDetail,
    IndicatorSummary,
    indicator_detail,
    list_indicators,
)
from tracker.services.permissions import is_admin


@dataclass(frozen=True)
class DefinitionChoices:
    """What the definition form offers (administrators): (id, label) of each outcome and objective."""

    outcomes: list[tuple[int, str]]
    objectives: list[tuple[int, str]]


def definition_choices(session: Session, partnership_id: int) -> DefinitionChoices:
    return DefinitionChoices(
        outcomes=[(o.id, f"{o.code} {o.name}")
                  for o in reference.outcomes(session, partnership_id, strategic_first=True)],
        objectives=[(o.id, f"{o.code} {o.title}") for o in reference.objectives(session, partnership_id)],
    )


@dataclass
class OutcomeGroup:
    """The indicators of one national outcome (strategic outcomes first, as the framework lists them)."""

    code: str
    name: str
    kind: str  # "strategic" or "intermediate"
    rows: list[IndicatorSummary]

    @property
    def national(self) -> int:
        return sum(r.is_national for r in self.rows)

    @property
    def local(self) -> int:
        return len(self.rows) - self.national


@dataclass
class IndicatorsList:
    """Every indicator with its status, counted by status and grouped by outcome."""

    rows: list[IndicatorSummary]
    counts: dict[str, int]
    groups: list[OutcomeGroup]
    unlinked: list[IndicatorSummary]  # not linked to a national outcome


@dataclass
class IndicatorsPage:
    content: IndicatorsList
    may_upload: bool  # may enter values of at least one indicator (the CSV upload)
    choices: DefinitionChoices | None = None  # for the "add an indicator" form: administrators only


@dataclass
class IndicatorPage:
    detail: IndicatorDetail
    may_enter: bool  # may enter and remove its values
    is_admin: bool  # may edit its definition
    definition: dict | None = None  # the definition as the edit form shows it (and expects it unchanged)
    choices: DefinitionChoices | None = None
    benchmark: IndicatorBenchmark | None = None  # its figures beside the region and England


def indicators_list(session: Session, partnership_id: int) -> IndicatorsList:
    rows = list_indicators(session, partnership_id)
    groups = [
        OutcomeGroup(o.code, o.name, o.kind, [r for r in rows if r.outcome_id == o.id])
        for o in reference.outcomes(session, partnership_id, strategic_first=True)
    ]
    return IndicatorsList(rows=rows, counts=dict(Counter(r.status for r in rows)), groups=groups,
                          unlinked=[r for r in rows if r.outcome_id is None])


def indicators_page(session: Session, actor: Person) -> IndicatorsPage:
    pid = actor.partnership_id
    return IndicatorsPage(
        content=indicators_list(session, pid),
        may_upload=bool(editable_indicator_ids(session, actor)),
        choices=definition_choices(session, pid) if is_admin(actor) else None,
    )


def indicator_page(session: Session, actor: Person, indicator_id: int, today: date | None = None) -> IndicatorPage:
    """One indicator's page; NotFound if it is not one of the actor's partnership. `today` dates the
    comparators' staleness (the app's clock; the system's when not given)."""
    detail = indicator_detail(session, actor.partnership_id, indicator_id)
    admin = is_admin(actor)
    return IndicatorPage(
        detail=detail,
        may_enter=can_enter_values(session, actor, detail.indicator),
        is_admin=admin,
        definition=editable_snapshot(detail.indicator) if admin else None,
        choices=definition_choices(session, actor.partnership_id) if admin else None,
        benchmark=indicator_benchmark(session, actor.partnership_id, indicator_id, today or date.today()),
    )
