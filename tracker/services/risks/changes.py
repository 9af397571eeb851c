"""Changes to the register: add a risk, re-rate one with a reason. Admin and chair for any risk;
a risk's owner may re-rate it. Every change is audited and adds a RiskRating row (the history)."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field, field_validator
from sqlalchemy import update
from sqlmodel import Session, SQLModel, select

from tracker.models import Action, Person, Risk, RiskAction, RiskBase, RiskRating, Theme
from tracker.models.risks import RISK_STATUSES
from tracker.rules import risk_scoring
from tracker.services import audit
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied, validated
from tracker.services.permissions import is_admin, is_chair

SCORE_FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")


class _Scores(SQLModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator(*SCORE_FIELDS, mode="before", check_fields=False)
    @classmethod
    def _one_to_five(cls, value):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValueError("Choose a whole number from 1 to 5")
        return value


class RiskCreate(_Scores, RiskBase):
    """A new risk as a form, an import or the seed submits it."""

    ref: str = Field(min_length=1, max_length=20)
    title: str = Field(min_length=3, max_length=300)
    owner_id: int | None = None
    theme_id: int | None = None
    action_ids: list[int] = []

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        if value not in RISK_STATUSES:
            raise ValueError("Choose open or closed")
        return value


class RiskRerate(_Scores):
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int
    residual_impact: int
    reason: str = Field(min_length=5, max_length=2000)
    review_date: date | None = None


def _may_manage(actor: Person | None) -> Person:
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to make changes.")
    if not (is_admin(actor) or is_chair(actor)):
        raise PermissionDenied("Only the partnership officer or the chair can add risks.")
    return actor


def _check_links(session: Session, pid: int, data: RiskCreate) -> None:
    errors = {}
    if data.owner_id is not None:
        owner = session.get(Person, data.owner_id)
        if owner is None or owner.partnership_id != pid:
            errors["owner_id"] = "Choose an owner from this partnership"
    if data.theme_id is not None:
        theme = session.get(Theme, data.theme_id)
        if theme is None or theme.partnership_id != pid:
            errors["theme_id"] = "Choose a theme of this partnership"
    if data.action_ids:
        found = set(session.exec(select(Action.id).where(
            Action.id.in_(data.action_ids), Action.partnership_id == pid)).all())
        if found != set(data.action_ids):
            errors["action_ids"] = "Link only actions of this partnership's plan"
    if session.exec(select(Risk.id).where(Risk.partnership_id == pid, Risk.ref == data.ref)).first():
        errors["ref"] = f"There is already a risk {data.ref}: choose another reference"
    if errors:
        raise InvalidInput(errors)


def add_risk(session: Session, actor: Person | None, data: dict, today: date, *, system: bool = False) -> Risk:
    """Add a risk and its first rating. `system` is for the seed loader, which acts for no one."""
    if not system:
        actor = _may_manage(actor)
    pid = actor.partnership_id if actor else data.pop("partnership_id")
    item = validated(RiskCreate, data)
    _check_links(session, pid, item)
    risk = Risk(partnership_id=pid, **item.model_dump(exclude={"action_ids"}))
    session.add(risk)
    session.flush()
    for action_id in item.action_ids:
        session.add(RiskAction(risk_id=risk.id, action_id=action_id))
    session.add(RiskRating(risk_id=risk.id, rated_on=today, reason="First rating",
                           author_id=actor.id if actor else None,
                           **{f: getattr(item, f) for f in SCORE_FIELDS}))
    audit.record(session, actor, "create", risk, summary=f"Added risk {risk.ref}: {risk.title}")
    return risk


def rerate_risk(session: Session, actor: Person | None, risk_id: int, version: int, data: dict,
                today: date) -> Risk:
    """A new rating with its reason. Refused if someone else changed the risk since `version`."""
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to make changes.")
    risk = session.get(Risk, risk_id)
    if risk is None or risk.partnership_id != actor.partnership_id:
        raise NotFound("There is no such risk in this partnership.")
    if not (is_admin(actor) or is_chair(actor) or risk.owner_id == actor.id):
        raise PermissionDenied("Only the risk's owner, the chair or the partnership officer can re-rate it.")
    item = validated(RiskRerate, data)
    before = audit.snapshot(risk, list(SCORE_FIELDS) + ["review_date"])
    values = {f: getattr(item, f) for f in SCORE_FIELDS}
    if item.review_date is not None:
        values["review_date"] = item.review_date
    done = session.execute(update(Risk).where(Risk.id == risk_id, Risk.version == version)
                           .values(version=Risk.version + 1, **values))
    if done.rowcount != 1:
        raise Conflict("Someone else changed this risk while you were editing it: reload to see their rating.")
    session.refresh(risk)
    session.add(RiskRating(risk_id=risk.id, rated_on=today, reason=item.reason, author_id=actor.id,
                           **{f: getattr(item, f) for f in SCORE_FIELDS}))
    residual = risk_scoring.describe(risk.residual_likelihood, risk.residual_impact)
    audit.record(session, actor, "update", risk, before=before,
                 after=audit.snapshot(risk, list(SCORE_FIELDS) + ["review_date"]),
                 summary=f"Re-rated risk {risk.ref}: residual {residual}. {item.reason}")
    return risk
