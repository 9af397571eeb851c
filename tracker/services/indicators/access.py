"""Who may enter an indicator's data: an administrator, or a lead of a subgroup whose actions are linked
to the indicator."""

from __future__ import annotations

from sqlmodel import Session, select

from tracker.models import Action, ActionIndicator, Indicator, Person
from tracker.services.errors import PermissionDenied
from tracker.services.permissions import is_admin, led_subgroup_ids


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

