"""Who may change what. Every write service calls one of the `require_*` functions.

Roles (Person.role): admin does everything in their partnership; chair reads all, comments,
moderates and signs off assessments; member's rights come from the data: the lead (or deputy) of a
subgroup edits that subgroup's actions, terms of reference, members and self-assessment, and the
owner of an action records its updates; viewer reads only.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select

from tracker.models import Action, Person, Subgroup, SubgroupMember
from tracker.rules import enums
from tracker.services.errors import PermissionDenied

LEAD_ROLES = tuple(role.value for role in enums.LEAD_ROLES)


def _active(actor: Person | None) -> Person:
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to make changes.")
    return actor


def require_same_partnership(actor: Person, partnership_id: int) -> None:
    if actor.partnership_id != partnership_id:
        raise PermissionDenied("That record belongs to another partnership.")


def is_admin(actor: Person | None) -> bool:
    return bool(actor and actor.is_active and actor.role == "admin")


def is_chair(actor: Person | None) -> bool:
    return bool(actor and actor.is_active and actor.role == "chair")


def led_subgroup_ids(session: Session, actor: Person) -> set[int]:
    """The subgroups this person leads (as named lead, or as lead/deputy member)."""
    if actor.role == "viewer" or not actor.is_active:
        return set()
    named = session.exec(select(Subgroup.id).where(Subgroup.lead_id == actor.id)).all()
    members = session.exec(
        select(SubgroupMember.subgroup_id).where(
            SubgroupMember.person_id == actor.id, SubgroupMember.role.in_(LEAD_ROLES)
        )
    ).all()
    return set(named) | set(members)


def can_edit_subgroup(session: Session, actor: Person | None, subgroup: Subgroup) -> bool:
    if actor is None or not actor.is_active or actor.partnership_id != subgroup.partnership_id:
        return False
    return is_admin(actor) or subgroup.id in led_subgroup_ids(session, actor)


def can_edit_action(session: Session, actor: Person | None, action: Action) -> bool:
    """Change an action's details: admin, or a lead of its subgroup."""
    if actor is None or not actor.is_active or actor.partnership_id != action.partnership_id:
        return False
    return is_admin(actor) or action.subgroup_id in led_subgroup_ids(session, actor)


def can_update_action(session: Session, actor: Person | None, action: Action) -> bool:
    """Record a status update: admin, a lead of its subgroup, or the action's owner."""
    if actor is None or not actor.is_active or actor.role == "viewer":
        return False
    if actor.partnership_id != action.partnership_id:
        return False
    return action.owner_id == actor.id or can_edit_action(session, actor, action)


def _require(actor: Person | None, allowed: Callable[[Person], bool], refusal: str) -> Person:
    """The active actor, if `allowed`; else PermissionDenied saying who may."""
    actor = _active(actor)
    if not allowed(actor):
        raise PermissionDenied(refusal)
    return actor


def require_admin(actor: Person | None) -> Person:
    return _require(actor, is_admin, "Only an administrator can do this.")


def require_chair_or_admin(actor: Person | None) -> Person:
    return _require(actor, lambda a: is_admin(a) or is_chair(a), "Only the chair or an administrator can do this.")


def require_edit_subgroup(session: Session, actor: Person | None, subgroup: Subgroup) -> Person:
    return _require(actor, lambda a: can_edit_subgroup(session, a, subgroup),
                    f"Only a lead of {subgroup.name} or an administrator can change it.")


def require_edit_action(session: Session, actor: Person | None, action: Action) -> Person:
    return _require(actor, lambda a: can_edit_action(session, a, action),
                    f"Only a lead of this action's subgroup or an administrator can change action {action.ref}.")


def require_update_action(session: Session, actor: Person | None, action: Action) -> Person:
    return _require(actor, lambda a: can_update_action(session, a, action),
                    f"Only the owner of action {action.ref}, a lead of its subgroup or an administrator "
                    "can record an update on it.")
