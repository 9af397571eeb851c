"""The view models of the indicator pages: everything a page shows, from one call, so its components
need no session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from tracker.models import Person
from tracker.services import reference
from tracker.services.benchmarks import IndicatorBenchmark, indicator_benchmark
from tracker.services.indicators.access import can_enter_values, editable_indicator_ids
from tracker.services.indicators.definitions import editable_snapshot
from tracker.services.indicators.listing import IndicatorsList, indicators_list
from tracker.services.indicators.views import IndicatorDetail, indicator_detail
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


def indicators_page(session: Session, actor: Person, outcome=None, page=1) -> IndicatorsPage:
    """The indicators list: page `page` of the indicators (of `outcome` alone, when it names one), and
    the forms the actor may use."""
    pid = actor.partnership_id
    return IndicatorsPage(
        content=indicators_list(session, pid, outcome, page),
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
