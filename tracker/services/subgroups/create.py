"""Setting up and editing subgroups (administrators only): name, code, description, status, lead, themes."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import update as sql_update
from sqlmodel import Session, delete, select

from tracker.models import Person, Subgroup, SubgroupTheme, Theme
from tracker.rules.enums import Role, SubgroupStatus
from tracker.schemas import NewSubgroupIn, SubgroupIn
from tracker.services import audit
from tracker.services.errors import Conflict, InvalidInput, flush_unique, validated
from tracker.services.permissions import require_admin
from tracker.services.reference import get_subgroup, owned

SUBGROUP_STATUSES = SubgroupStatus.values()


SUBGROUP_FIELDS = ["name", "description", "status", "lead_id"]  # what an edit may change


def _check_subgroup(session: Session, partnership_id: int, payload: SubgroupIn, subgroup_id: int | None) -> None:
    errors: dict[str, str] = {}
    same_name = session.exec(select(Subgroup).where(
        Subgroup.partnership_id == partnership_id, func.lower(Subgroup.name) == payload.name.lower(),
    )).first()
    if same_name is not None and same_name.id != subgroup_id:
        errors["name"] = f"There is already a subgroup called {same_name.name}"
    code = getattr(payload, "code", None)
    if code:
        same_code = session.exec(select(Subgroup).where(
            Subgroup.partnership_id == partnership_id, Subgroup.code == code)).first()
        if same_code is not None and same_code.id != subgroup_id:
            errors["code"] = f"{same_code.name} already uses the code {code}"
    if payload.lead_id is not None:
        lead = owned(session, Person, partnership_id, payload.lead_id)
        if lead is None or not lead.is_active:
            errors["lead_id"] = "Choose an active person of this partnership as the lead"
        elif lead.role == Role.VIEWER:
            errors["lead_id"] = f"{lead.name} is a viewer and cannot lead a subgroup: change their role first"
    if payload.theme_ids:
        found = set(session.exec(select(Theme.id).where(
            Theme.partnership_id == partnership_id, Theme.id.in_(payload.theme_ids))).all())
        if found != set(payload.theme_ids):
            errors["theme_ids"] = "Choose themes of this partnership"
    if errors:
        raise InvalidInput(errors)


def _set_themes(session: Session, subgroup_id: int, theme_ids: list[int]) -> None:
    session.exec(delete(SubgroupTheme).where(SubgroupTheme.subgroup_id == subgroup_id))
    for theme_id in sorted(set(theme_ids)):
        session.add(SubgroupTheme(subgroup_id=subgroup_id, theme_id=theme_id))


def _theme_ids(session: Session, subgroup_id: int) -> list[int]:
    return sorted(session.exec(select(SubgroupTheme.theme_id).where(SubgroupTheme.subgroup_id == subgroup_id)).all())


def create_subgroup(session: Session, actor: Person, data: dict) -> Subgroup:
    actor = require_admin(actor)
    payload: NewSubgroupIn = validated(NewSubgroupIn, data)
    _check_subgroup(session, actor.partnership_id, payload, None)
    subgroup = Subgroup(partnership_id=actor.partnership_id, code=payload.code,
                        **payload.model_dump(include=set(SUBGROUP_FIELDS)))
    session.add(subgroup)
    # The unique (partnership, name) and (partnership, code) constraints stop a concurrent twin.
    flush_unique(session, {"code": "Another subgroup was just set up with this name or code: reload and check"})
    _set_themes(session, subgroup.id, payload.theme_ids)
    audit.record(session, actor, "create", subgroup,
                 after=audit.snapshot(subgroup) | {"theme_ids": sorted(set(payload.theme_ids))},
                 summary=f"Subgroup {subgroup.code} {subgroup.name} set up")
    session.flush()
    return subgroup


def edit_subgroup(session: Session, actor: Person, subgroup_id: int, expected_version: int, data: dict) -> Subgroup:
    """Change a subgroup's name, description, status, lead and themes (its code stays: action
    references use it). Refused with Conflict if anyone saved it since `expected_version`."""
    actor = require_admin(actor)
    subgroup = get_subgroup(session, actor.partnership_id, subgroup_id)
    before = audit.snapshot(subgroup, SUBGROUP_FIELDS) | {"theme_ids": _theme_ids(session, subgroup.id)}
    # A field the form does not send keeps its value (a short form must not wipe the themes).
    payload: SubgroupIn = validated(SubgroupIn, before | dict(data))
    _check_subgroup(session, actor.partnership_id, payload, subgroup.id)
    values = payload.model_dump(include=set(SUBGROUP_FIELDS))
    result = session.exec(
        sql_update(Subgroup)
        .where(Subgroup.id == subgroup.id, Subgroup.version == expected_version)
        .values(**values, version=Subgroup.version + 1)
    ) if isinstance(expected_version, int) and 0 <= expected_version < 2**63 else None  # from the browser
    if result is None or result.rowcount != 1:
        raise Conflict(
            f"{subgroup.name} was changed by someone else after you opened it. Nothing you entered was "
            "saved: reload to see their change, then make yours again."
        )
    session.expire(subgroup)
    _set_themes(session, subgroup.id, payload.theme_ids)
    session.flush()
    subgroup = session.get(Subgroup, subgroup.id)
    after = audit.snapshot(subgroup, SUBGROUP_FIELDS) | {"theme_ids": sorted(set(payload.theme_ids))}
    audit.record(session, actor, "update", subgroup, before=before, after=after,
                 summary=f"Subgroup {subgroup.code} {subgroup.name} edited")
    session.flush()
    return subgroup
