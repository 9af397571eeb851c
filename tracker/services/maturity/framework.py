"""The maturity framework: dimensions, five levels and a descriptor per dimension and level.

The framework is data. An admin's change never edits it in place: `update_framework` writes version
N+1 (a copy with the changes) and makes it current, so every assessment keeps the version it was
scored against.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.models import MaturityDescriptor, MaturityDimension, MaturityFramework, MaturityLevel, Person
from tracker.rules.maturity import DEFAULT_LEVEL_NAMES, LEVELS, MAX_DESCRIPTOR, clean_text, level_number
from tracker.rules.text import NUL_PROBLEM, holds_nul
from tracker.services import audit
from tracker.services.errors import Conflict, InvalidInput, NotFound
from tracker.services.permissions import require_admin
from tracker.services.reference import as_id, is_record_id


@dataclass
class DimensionView:
    id: int
    key: str
    number: int
    name: str
    description: str
    descriptors: dict[int, str]


@dataclass
class FrameworkView:
    id: int
    partnership_id: int
    name: str
    version: int
    is_current: bool
    created_at: datetime
    levels: dict[int, str]
    dimensions: list[DimensionView]

    def level_name(self, level: int | None) -> str:
        if level is None:
            return ""
        return self.levels.get(level) or DEFAULT_LEVEL_NAMES.get(level, str(level))

    def dimension(self, dimension_id: int) -> DimensionView:
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(dimension_id)

    @property
    def by_id(self) -> dict[int, DimensionView]:
        return {d.id: d for d in self.dimensions}


def framework_view(session: Session, framework_id: int) -> FrameworkView:
    fw = session.get(MaturityFramework, framework_id) if is_record_id(framework_id) else None
    if fw is None:
        raise NotFound(f"There is no maturity framework {framework_id}.")
    levels = {lv.level: lv.name for lv in session.exec(
        select(MaturityLevel).where(MaturityLevel.framework_id == fw.id).order_by(MaturityLevel.level))}
    dims = session.exec(select(MaturityDimension).where(MaturityDimension.framework_id == fw.id)
                        .order_by(MaturityDimension.number, MaturityDimension.id)).all()
    descriptors: dict[int, dict[int, str]] = defaultdict(dict)
    if dims:
        for d in session.exec(select(MaturityDescriptor).where(
                MaturityDescriptor.dimension_id.in_([dim.id for dim in dims]))):
            descriptors[d.dimension_id][d.level] = d.text
    return FrameworkView(
        id=fw.id, partnership_id=fw.partnership_id, name=fw.name, version=fw.version, is_current=fw.is_current,
        created_at=fw.created_at, levels=levels,
        dimensions=[DimensionView(d.id, d.key, d.number, d.name, d.description, dict(sorted(descriptors[d.id].items())))
                    for d in dims],
    )


def _current_framework_row(session: Session, partnership_id: int) -> MaturityFramework | None:
    return session.exec(
        select(MaturityFramework).where(MaturityFramework.partnership_id == partnership_id)
        .order_by(MaturityFramework.is_current.desc(), MaturityFramework.version.desc())
    ).first()


def current_framework(session: Session, partnership_id: int) -> FrameworkView:
    """The framework new assessments use: the current version."""
    fw = _current_framework_row(session, partnership_id)
    if fw is None:
        raise NotFound("No maturity framework has been set up yet: an administrator must add one.")
    return framework_view(session, fw.id)


def framework_versions(session: Session, partnership_id: int) -> list[MaturityFramework]:
    """Every version of the partnership's framework, newest first."""
    return list(session.exec(
        select(MaturityFramework).where(MaturityFramework.partnership_id == partnership_id)
        .order_by(MaturityFramework.version.desc())
    ).all())


# The form comes back from the browser, so any part of it may be anything (a crafted request): a part
# that is not what the form sends is refused, saying so, rather than failing as a 500.
NOT_TEXT = "Enter this as text"


def _text(errors: dict, key: str, value: Any) -> str | None:
    """A text field as saved (stripped), or None when it is not text or holds a NUL character (a
    problem keyed `key`); None stays blank."""
    if value is not None and not isinstance(value, str):
        errors[key] = NOT_TEXT
        return None
    text = clean_text(value)
    if holds_nul(text):
        errors[key] = NUL_PROBLEM
        return None
    return text


def _level(raw: Any) -> int | None:
    """A level from a form's key: 1 to 5 as a number or its digits (no True, no float such as inf)."""
    return level_number(raw) if isinstance(raw, int | str) and not isinstance(raw, bool) else None


def _by_level(errors: dict, prefix: str, raw: dict | None, problem) -> dict[int, str]:
    """{level: cleaned text} from a form's {level: text}; `problem(level, text)` says what is wrong, if
    anything. Problems are keyed "<prefix>.<level>"."""
    result = {}
    if raw is not None and not isinstance(raw, dict):
        errors[prefix] = "The form could not be read: reload the page and make your change again"
        return result
    for raw_level, raw_text in (raw or {}).items():
        level = _level(raw_level)
        if level is None:
            errors[f"{prefix}.{raw_level}"] = "Levels are numbered 1 to 5"
            continue
        text = _text(errors, f"{prefix}.{level}", raw_text)
        if text is None:
            continue
        message = problem(level, text)
        if message:
            errors[f"{prefix}.{level}"] = message
        result[level] = text
    return result


def _changed_dimension(errors: dict, current: DimensionView, dim_changes: dict | None) -> DimensionView:
    """A copy of `current` with the form's changes; problems are keyed "dimensions.<key>.<field>"."""
    key, label = current.key, current.name
    dim = DimensionView(0, key, current.number, current.name, current.description, dict(current.descriptors))
    if dim_changes is not None and not isinstance(dim_changes, dict):
        errors[f"dimensions.{key}"] = f"{label}: the form could not be read: reload the page and make your change again"
        return dim
    dim_changes = dim_changes or {}
    for extra in set(dim_changes) - {"name", "description", "descriptors"}:
        errors[f"dimensions.{key}.{extra}"] = "This field is not expected"
    if dim_changes.get("name") is not None:
        name = _text(errors, f"dimensions.{key}.name", dim_changes["name"])
        if name is not None:
            dim.name = name
            if not 3 <= len(dim.name) <= 200:
                errors[f"dimensions.{key}.name"] = f"{label}: give the dimension a name of 3 to 200 characters"
    if dim_changes.get("description") is not None:
        description = _text(errors, f"dimensions.{key}.description", dim_changes["description"])
        if description is not None:
            dim.description = description
            if len(dim.description) > MAX_DESCRIPTOR:
                errors[f"dimensions.{key}.description"] = (
                    f"{label}: shorten the description to {MAX_DESCRIPTOR} characters or fewer")
    dim.descriptors |= _by_level(
        errors, f"dimensions.{key}.descriptors", dim_changes.get("descriptors"),
        lambda level, text: None if 10 <= len(text) <= MAX_DESCRIPTOR
        else f"{label}, level {level}: describe the level in 10 to {MAX_DESCRIPTOR} characters")
    return dim


def _differences(current: FrameworkView, name: str, levels: dict[int, str], dims: dict[str, DimensionView]
                 ) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after) of every field that changed, keyed as the errors are."""
    pairs: list[tuple[str, Any, Any]] = [("name", current.name, name)]
    pairs += [(f"levels.{n}", current.levels.get(n), levels.get(n)) for n in LEVELS]
    for old in current.dimensions:
        new, prefix = dims[old.key], f"dimensions.{old.key}"
        pairs += [(f"{prefix}.{attr}", getattr(old, attr), getattr(new, attr)) for attr in ("name", "description")]
        pairs += [(f"{prefix}.descriptors.{n}", old.descriptors.get(n), new.descriptors.get(n)) for n in LEVELS]
    changed = [(k, old, new) for k, old, new in pairs if old != new]
    return {k: old for k, old, _ in changed}, {k: new for k, _, new in changed}


def _write_version(session: Session, partnership_id: int, name: str, levels: dict[int, str],
                   dims: dict[str, DimensionView]) -> MaturityFramework:
    """Add the next version with these contents and make it the current one."""
    for row in session.exec(select(MaturityFramework).where(
            MaturityFramework.partnership_id == partnership_id, MaturityFramework.is_current)):
        row.is_current = False
        session.add(row)
    latest = session.exec(select(func.max(MaturityFramework.version)).where(
        MaturityFramework.partnership_id == partnership_id)).one() or 0
    # The unique (partnership_id, version) constraint stops a concurrent admin who passed the check too.
    fw = MaturityFramework(partnership_id=partnership_id, name=name, version=latest + 1, is_current=True)
    session.add(fw)
    session.flush()
    for level in sorted(levels):
        session.add(MaturityLevel(framework_id=fw.id, level=level, name=levels[level]))
    for dim in dims.values():
        row = MaturityDimension(framework_id=fw.id, number=dim.number, key=dim.key, name=dim.name,
                                description=dim.description)
        session.add(row)
        session.flush()
        for level, text in sorted(dim.descriptors.items()):
            session.add(MaturityDescriptor(dimension_id=row.id, level=level, text=text))
    return fw


def update_framework(session: Session, actor: Person, changes: dict) -> MaturityFramework:
    """Write version N+1 of the framework: a copy of the current version with `changes` applied.

    `changes` may hold:
      based_on_version: the version the editor started from (a newer one refuses the save);
      name: the framework's name;
      levels: {level: name};
      dimensions: {key: {"name": ..., "description": ..., "descriptors": {level: text}}}.
    Errors name the field: "name", "levels.3", "dimensions.<key>.name",
    "dimensions.<key>.description", "dimensions.<key>.descriptors.<level>".
    """
    require_admin(actor)
    current = current_framework(session, actor.partnership_id)
    if not isinstance(changes, dict):
        raise InvalidInput({"": "The form could not be read: reload the page and make your change again."})
    unknown = set(changes) - {"based_on_version", "name", "levels", "dimensions"}
    if unknown:
        raise InvalidInput({str(k): "This field is not expected" for k in sorted(unknown, key=str)})
    based_on = changes.get("based_on_version")
    if based_on is not None:
        # The version the page was opened at, as it sends it back: a whole number (or its digits).
        opened = as_id(based_on) if isinstance(based_on, int | str) else None
        if opened != current.version:
            raise Conflict(
                f"Version {current.version} of the framework was saved after you opened "
                f"{'version ' + str(opened) if opened is not None else 'it'}. "
                "Nothing was saved: reload to see it, then make your change again."
            )

    errors: dict[str, str] = {}
    name = current.name
    if changes.get("name") is not None:
        name = _text(errors, "name", changes["name"])
        if name is None:
            name = current.name
        elif not 3 <= len(name) <= 200:
            errors["name"] = "Give the framework a name of 3 to 200 characters"
    levels = dict(current.levels) | _by_level(
        errors, "levels", changes.get("levels"),
        lambda level, text: None if 1 <= len(text) <= 60 else f"Give level {level} a name of up to 60 characters")
    by_key = {d.key: d for d in current.dimensions}
    new_dims = dict(by_key)
    dimensions = changes.get("dimensions")
    if dimensions is not None and not isinstance(dimensions, dict):
        errors["dimensions"] = "The form could not be read: reload the page and make your change again"
        dimensions = None
    for key, dim_changes in (dimensions or {}).items():
        if key not in by_key:
            errors[f"dimensions.{key}"] = f"There is no dimension {key!r} in version {current.version}"
            continue
        new_dims[key] = _changed_dimension(errors, by_key[key], dim_changes)
    if errors:
        raise InvalidInput(errors)

    before, after = _differences(current, name, levels, new_dims)
    if not after:
        raise InvalidInput({"": "Nothing has changed: edit a name, a description or a descriptor, then save."})
    fw = _write_version(session, actor.partnership_id, name, levels, new_dims)
    before["version"], after["version"] = current.version, fw.version
    audit.record(session, actor, "create", fw, before=before, after=after,
                 summary=f"Maturity framework version {fw.version} ({len(after) - 1} change(s) to version "
                         f"{current.version})")
    session.flush()
    return fw
