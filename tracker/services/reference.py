"""Look-ups of a partnership's reference data: its RAG scale, themes, subgroups, objectives, people."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from tracker.models import (
    Objective,
    ObjectiveOutcome,
    Outcome,
    Partnership,
    Person,
    RagLevel,
    Subgroup,
    SubgroupTheme,
    Theme,
)
from tracker.rules.enums import OutcomeKind, RagScaleName
from tracker.services.errors import NotFound


def code_point_order(session: Session, column):
    """`column` (a code, a ref) ordered by code point, as Python compares strings: SQLite's binary
    collation does; PostgreSQL's locale collation need not, so it is told "C"."""
    return code_point_order_in(session.get_bind().dialect.name, column)


def code_point_order_in(dialect: str, column):
    """code_point_order for a statement built before any session (by the dialect's name)."""
    return column.collate("C") if dialect == "postgresql" else column


@dataclass(frozen=True)
class Rag:
    code: str
    label: str
    definition: str
    colour: str
    text_colour: str
    symbol: str
    severity: int | None


# The two scales a partnership may choose. Blue (complete) and grey (not started) mark an action's
# state in both, so a five-point partnership still sees finished and unstarted work apart.
STANDARD_SCALE = (
    Rag("green", "Green", "On track to deliver by the due date.", "#00703c", "#ffffff", "✓", 1),
    Rag("amber", "Amber", "At risk or slipping; recoverable within the subgroup.", "#ffdd00", "#0b0c0c", "!", 2),
    Rag("red", "Red", "Off track; needs the board's help or a decision.", "#d4351c", "#ffffff", "✕", 3),
    Rag("blue", "Blue", "Complete.", "#1d70b8", "#ffffff", "★", None),
    Rag("grey", "Grey", "Not yet started.", "#505a5f", "#ffffff", "–", None),
)
DELIVERY_CONFIDENCE_SCALE = (
    Rag("green", "Green", "Successful delivery on time appears highly likely.", "#00703c", "#ffffff", "✓", 1),
    Rag("amber_green", "Amber/Green", "Successful delivery appears probable; minor issues need attention.",
        "#85994b", "#0b0c0c", "✓!", 2),
    Rag("amber", "Amber", "Successful delivery appears feasible but significant issues need management.",
        "#ffdd00", "#0b0c0c", "!", 3),
    Rag("amber_red", "Amber/Red", "Successful delivery is in doubt; major issues need urgent action.",
        "#f47738", "#0b0c0c", "!✕", 4),
    Rag("red", "Red", "Successful delivery appears unachievable without a decision of the board.",
        "#d4351c", "#ffffff", "✕", 5),
    Rag("blue", "Blue", "Complete.", "#1d70b8", "#ffffff", "★", None),
    Rag("grey", "Grey", "Not yet started.", "#505a5f", "#ffffff", "–", None),
)
SCALES = {RagScaleName.STANDARD.value: STANDARD_SCALE, RagScaleName.DELIVERY_CONFIDENCE.value: DELIVERY_CONFIDENCE_SCALE}


def get_partnership(session: Session, slug_or_id: str | int | None = None) -> Partnership:
    """The partnership by slug or id; with neither, the first (single-partnership installs)."""
    query = select(Partnership)
    if isinstance(slug_or_id, int):
        query = query.where(Partnership.id == slug_or_id)
    elif slug_or_id:
        query = query.where(Partnership.slug == slug_or_id)
    partnership = session.exec(query.order_by(Partnership.id)).first()
    if partnership is None:
        raise NotFound("No partnership has been set up yet.")
    return partnership


def rag_scale(session: Session, partnership_id: int) -> list[Rag]:
    """The partnership's RAG scale, in order, with its own words for each colour."""
    rows = session.exec(
        select(RagLevel).where(RagLevel.partnership_id == partnership_id).order_by(RagLevel.sort_order)
    ).all()
    if not rows:
        partnership = session.get(Partnership, partnership_id)
        return list(SCALES.get(partnership.rag_scale if partnership else RagScaleName.STANDARD, STANDARD_SCALE))
    return [
        Rag(r.code, r.label, r.definition, r.colour, r.text_colour, r.symbol, r.severity) for r in rows
    ]


def rag_by_code(session: Session, partnership_id: int) -> dict[str, Rag]:
    return {r.code: r for r in rag_scale(session, partnership_id)}


def themes(session: Session, partnership_id: int) -> list[Theme]:
    return list(session.exec(
        select(Theme).where(Theme.partnership_id == partnership_id).order_by(Theme.number)
    ).all())


# The range of an INTEGER column (every id and whole number the tracker stores): PostgreSQL refuses a
# number beyond it with an error (SQLite would store it), so a bigger one is no id and no valid number.
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1


def fits_integer_column(value: int) -> bool:
    return INTEGER_MIN <= value <= INTEGER_MAX


def is_record_id(value) -> bool:
    """Whether a value from the client can be a row id: a positive whole number an INTEGER column holds
    (a crafted request may send None, True, "3" or a number beyond 32 bits, which is never looked up)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= INTEGER_MAX


def as_id(value) -> int | None:
    """A row id from a value that may be text, as a URL carries it ("12"), or None if it is none."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def owned(session: Session, model, partnership_id: int, record_id):
    """The partnership's `model` record of that id, or None (for another partnership's or no record)."""
    record = session.get(model, record_id) if is_record_id(record_id) else None
    return record if record is not None and record.partnership_id == partnership_id else None


def _owned(session: Session, model, partnership_id: int, record_id, noun: str):
    """The partnership's `model` record of that id, or NotFound."""
    record = owned(session, model, partnership_id, record_id)
    if record is None:
        raise NotFound(f"There is no {noun} {record_id}.")
    return record


def get_theme(session: Session, partnership_id: int, theme_id: int) -> Theme:
    return _owned(session, Theme, partnership_id, theme_id, "theme")


def get_objective(session: Session, partnership_id: int, objective_id: int) -> Objective:
    return _owned(session, Objective, partnership_id, objective_id, "objective")


def subgroups(session: Session, partnership_id: int) -> list[Subgroup]:
    return list(session.exec(
        select(Subgroup).where(Subgroup.partnership_id == partnership_id).order_by(Subgroup.name)
    ).all())


def get_subgroup(session: Session, partnership_id: int, subgroup_id: int) -> Subgroup:
    return _owned(session, Subgroup, partnership_id, subgroup_id, "subgroup")


def subgroup_theme_ids(session: Session, subgroup_id: int) -> list[int]:
    return list(session.exec(
        select(SubgroupTheme.theme_id).where(SubgroupTheme.subgroup_id == subgroup_id)
    ).all())


def objectives(session: Session, partnership_id: int, theme_id: int | None = None,
               current_only: bool = False) -> list[Objective]:
    """By code; with `current_only`, without those an administrator has retired (for offering new work)."""
    query = select(Objective).where(Objective.partnership_id == partnership_id)
    if current_only:
        query = query.where(Objective.retired.is_(False))
    if theme_id is not None:
        query = query.where(Objective.theme_id == theme_id)
    return list(session.exec(query.order_by(Objective.code)).all())


def outcomes(session: Session, partnership_id: int, strategic_first: bool = False) -> list[Outcome]:
    """By code; with `strategic_first`, the strategic outcomes and then the intermediate ones, as the
    National Combating Drugs Outcomes Framework lists them."""
    rows = list(session.exec(
        select(Outcome).where(Outcome.partnership_id == partnership_id).order_by(Outcome.code)
    ).all())
    return sorted(rows, key=lambda o: o.kind != OutcomeKind.STRATEGIC) if strategic_first else rows


def people(session: Session, partnership_id: int, active_only: bool = True) -> list[Person]:
    query = select(Person).where(Person.partnership_id == partnership_id)
    if active_only:
        query = query.where(Person.is_active)
    return list(session.exec(query.order_by(Person.name)).all())


def get_person(session: Session, partnership_id: int, person_id: int) -> Person:
    return _owned(session, Person, partnership_id, person_id, "person")


def subgroups_for_theme(session: Session, partnership_id: int, theme_id: int) -> list[Subgroup]:
    """The subgroups of this partnership that work on a theme, by name."""
    return list(session.exec(
        select(Subgroup).join(SubgroupTheme, SubgroupTheme.subgroup_id == Subgroup.id)
        .where(Subgroup.partnership_id == partnership_id, SubgroupTheme.theme_id == theme_id)
        .order_by(Subgroup.name)
    ).all())


def themes_of_subgroup(session: Session, partnership_id: int, subgroup_id: int) -> list[Theme]:
    """The themes a subgroup works on, by number."""
    return list(session.exec(
        select(Theme).join(SubgroupTheme, SubgroupTheme.theme_id == Theme.id)
        .where(Theme.partnership_id == partnership_id, SubgroupTheme.subgroup_id == subgroup_id)
        .order_by(Theme.number)
    ).all())


def objective_outcomes(session: Session, partnership_id: int) -> dict[int, list[Outcome]]:
    """The national outcomes each objective of the partnership serves: objective id -> outcomes."""
    rows = session.exec(
        select(ObjectiveOutcome.objective_id, Outcome)
        .join(Outcome, Outcome.id == ObjectiveOutcome.outcome_id)
        .where(Outcome.partnership_id == partnership_id)
        .order_by(Outcome.code)
    ).all()
    result: dict[int, list[Outcome]] = {}
    for objective_id, outcome in rows:
        result.setdefault(objective_id, []).append(outcome)
    return result
