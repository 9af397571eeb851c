"""Changing the partnership's strategic themes and local objectives (an administrator): add, rename,
retire and restore. Lookups stay in tracker.services.reference.

Nothing is deleted: a retired theme or objective keeps its actions and history, and is only no longer
offered for new work (the import template's lists leave it out). Every change is audited. An edit
carries what the editor loaded (`expected`); a change someone else saved since is refused as a
Conflict, and the write itself is compare-and-set (UPDATE ... WHERE the old values), so two saves at the
same moment cannot both land.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, field_validator
from sqlalchemy import func
from sqlalchemy import update as sql_update
from sqlmodel import Session, SQLModel, select

from tracker.models import Action, Objective, Person, Theme
from tracker.schemas import nul_free
from tracker.services import audit, reference
from tracker.services.errors import Conflict, InvalidInput, flush_unique, validated
from tracker.services.permissions import require_admin

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,19}$")
THEME_FIELDS = ["number", "name", "description", "retired"]
OBJECTIVE_FIELDS = ["code", "theme_id", "title", "description", "retired"]


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


# A name or title as typed, with its runs of spaces and line breaks closed up before it is checked.
Words = Annotated[str, BeforeValidator(_text)]


class ThemeIn(BaseModel):
    name: Words = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=2000)
    _nul_free = nul_free()  # no NUL character in any text (PostgreSQL cannot store one)


class NewThemeIn(ThemeIn):
    number: int = Field(ge=1, le=99)


class ObjectiveIn(BaseModel):
    title: Words = Field(min_length=3, max_length=300)
    description: str = Field(default="", max_length=2000)
    _nul_free = nul_free()  # no NUL character in any text (PostgreSQL cannot store one)


class NewObjectiveIn(ObjectiveIn):
    code: str = Field(max_length=20)
    theme_id: int

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value):
        value = str(value or "").strip()
        if not CODE.match(value):
            raise ValueError("Enter a short code of letters, digits, dots or dashes, for example T2.4")
        return value


# --- Reading ------------------------------------------------------------------------------------


def themes_with_objectives(session: Session, actor: Person) -> list[tuple[Theme, list[Objective]]]:
    """Every theme by number, retired ones too, with its objectives by code (for the admin page)."""
    actor = require_admin(actor)
    pid = actor.partnership_id
    themes = session.exec(select(Theme).where(Theme.partnership_id == pid).order_by(Theme.number)).all()
    objectives = session.exec(select(Objective).where(Objective.partnership_id == pid)
                              .order_by(Objective.code)).all()
    return [(t, [o for o in objectives if o.theme_id == t.id]) for t in themes]


def action_counts(session: Session, partnership_id: int) -> dict[int, int]:
    """Objective id -> how many actions serve it: what retiring it would leave in place."""
    rows = session.exec(select(Action.objective_id, func.count()).where(
        Action.partnership_id == partnership_id, Action.objective_id.is_not(None)).group_by(Action.objective_id))
    return dict(rows.all())


def loaded(record: Theme | Objective) -> dict:
    """What an editor starts from (and the record's id): give it back as `expected` with the change."""
    return {**audit.snapshot(record, THEME_FIELDS if isinstance(record, Theme) else OBJECTIVE_FIELDS),
            "id": record.id}


# --- Themes -------------------------------------------------------------------------------------


def _theme(session: Session, actor: Person, theme_id) -> Theme:
    return reference.get_theme(session, actor.partnership_id, theme_id)


def add_theme(session: Session, actor: Person, data: dict) -> Theme:
    actor = require_admin(actor)
    payload = validated(NewThemeIn, data)
    pid = actor.partnership_id
    errors = {}
    existing = session.exec(select(Theme).where(Theme.partnership_id == pid)).all()
    if any(t.number == payload.number for t in existing):
        errors["number"] = f"Theme {payload.number} already exists: choose another number"
    if any(t.name.casefold() == payload.name.casefold() for t in existing):
        errors["name"] = f"There is already a theme called {payload.name}"
    if errors:
        raise InvalidInput(errors)
    theme = Theme(partnership_id=pid, number=payload.number, name=payload.name, description=payload.description)
    session.add(theme)
    flush_unique(session, {"name": "Someone has just added a theme with this number or name: reload the page"})
    audit.record(session, actor, "create", theme, after=loaded(theme),
                 summary=f"Theme {theme.number} added: {theme.name}")
    return theme


def edit_theme(session: Session, actor: Person, theme_id: int, data: dict, expected: dict | None) -> Theme:
    """Rename a theme (and change its description)."""
    actor = require_admin(actor)
    theme = _theme(session, actor, theme_id)
    payload = validated(ThemeIn, data)
    others = session.exec(select(Theme).where(Theme.partnership_id == actor.partnership_id, Theme.id != theme.id))
    if any(t.name.casefold() == payload.name.casefold() for t in others):
        raise InvalidInput({"name": f"There is already a theme called {payload.name}"})
    return _compare_and_set(session, actor, theme, expected, {"name": payload.name,
                                                              "description": payload.description},
                            f"Theme {theme.number} renamed: {payload.name}")


def set_theme_retired(session: Session, actor: Person, theme_id: int, retired: bool,
                      expected: dict | None) -> Theme:
    actor = require_admin(actor)
    theme = _theme(session, actor, theme_id)
    words = "retired" if retired else "restored"
    return _compare_and_set(session, actor, theme, expected, {"retired": bool(retired)},
                            f"Theme {theme.number} {words}: {theme.name}")


# --- Objectives ---------------------------------------------------------------------------------


def _objective(session: Session, actor: Person, objective_id) -> Objective:
    return reference.get_objective(session, actor.partnership_id, objective_id)


def add_objective(session: Session, actor: Person, data: dict) -> Objective:
    actor = require_admin(actor)
    payload = validated(NewObjectiveIn, data)
    pid = actor.partnership_id
    theme = reference.owned(session, Theme, pid, payload.theme_id)
    if theme is None:
        raise InvalidInput({"theme_id": "Choose the theme the objective comes under"})
    if theme.retired:
        raise InvalidInput({"theme_id": f"Theme {theme.number} is retired: restore it first, or choose another"})
    taken = session.exec(select(Objective).where(Objective.partnership_id == pid,
                                                 func.lower(Objective.code) == payload.code.lower())).first()
    if taken is not None:
        raise InvalidInput({"code": f"{taken.code} is already the code of {taken.title}: choose another code"})
    objective = Objective(partnership_id=pid, theme_id=theme.id, code=payload.code, title=payload.title,
                          description=payload.description, source="Added by an administrator")
    session.add(objective)
    flush_unique(session, {"code": "Someone has just added an objective with this code: reload the page"})
    audit.record(session, actor, "create", objective, after=loaded(objective),
                 summary=f"Objective {objective.code} added under theme {theme.number}: {objective.title}")
    return objective


def edit_objective(session: Session, actor: Person, objective_id: int, data: dict,
                   expected: dict | None) -> Objective:
    actor = require_admin(actor)
    objective = _objective(session, actor, objective_id)
    payload = validated(ObjectiveIn, data)
    return _compare_and_set(session, actor, objective, expected, {"title": payload.title,
                                                                  "description": payload.description},
                            f"Objective {objective.code} renamed: {payload.title}")


def set_objective_retired(session: Session, actor: Person, objective_id: int, retired: bool,
                          expected: dict | None) -> Objective:
    actor = require_admin(actor)
    objective = _objective(session, actor, objective_id)
    if not retired:
        theme = session.get(Theme, objective.theme_id)
        if theme is not None and theme.retired:
            raise InvalidInput({"": f"Its theme, {theme.number}. {theme.name}, is retired: restore the theme first"})
    words = "retired" if retired else "restored"
    return _compare_and_set(session, actor, objective, expected, {"retired": bool(retired)},
                            f"Objective {objective.code} {words}: {objective.title}")


# --- The one way every edit is written ----------------------------------------------------------


def _compare_and_set(session: Session, actor: Person, record: SQLModel, expected: dict | None, changes: dict,
                     summary: str):
    model = type(record)
    fields = THEME_FIELDS if model is Theme else OBJECTIVE_FIELDS
    before = audit.snapshot(record, fields)
    what = "theme" if model is Theme else "objective"
    if not isinstance(expected, dict) or {k: expected.get(k) for k in fields} != before:
        raise Conflict(f"Someone else changed this {what} after you opened the page. Nothing you entered was "
                       "saved: reload to see their change, then make yours again.")
    if all(before.get(k) == v for k, v in changes.items()):
        return record  # nothing to change: no audit entry
    columns = model.__table__.c
    result = session.exec(sql_update(model).where(columns.id == record.id, *(
        columns[k] == before[k] for k in fields)).values(**changes))
    if result.rowcount != 1:
        raise Conflict(f"Someone else changed this {what} at the same moment. Nothing was saved: reload and try "
                       "again.")
    session.expire(record)
    record = session.get(model, record.id)
    audit.record(session, actor, "update", record, before=before, after=audit.snapshot(record, fields),
                 summary=summary)
    session.flush()
    return record
