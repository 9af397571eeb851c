"""Changes to the register: add a risk, re-rate one with a reason, link it to contracts and grants.
Admin and chair for any risk; a risk's owner may re-rate it and change its links. Every change is
audited; a rating adds a RiskRating row (the history, never overwritten)."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field, field_validator
from sqlalchemy import update
from sqlmodel import Session, SQLModel, select

from tracker.models import Action, Funding, Person, Risk, RiskAction, RiskBase, RiskFunding, RiskRating, Theme
from tracker.models.risks import RISK_STATUSES
from tracker.rules import risk_scoring
from tracker.schemas import nul_free
from tracker.services import audit
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied, all_problems
from tracker.services.permissions import is_admin, is_chair
from tracker.services.reference import is_record_id, owned

SCORE_FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")


class _Scores(SQLModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    _nul_free = nul_free()  # no NUL character in any text (PostgreSQL cannot store one)

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
    funding_ids: list[int] = []

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


def action_ids_for_refs(session: Session, pid: int, text: str) -> tuple[list[int], str | None]:
    """The actions a form names by ref ("TR-01, TR-02"), or the problem with them."""
    refs = [r.strip().upper() for r in str(text or "").replace(";", ",").split(",") if r.strip()]
    found = dict(session.exec(select(Action.ref, Action.id).where(
        Action.partnership_id == pid, Action.ref.in_(refs))).all()) if refs else {}
    missing = [r for r in refs if r not in found]
    if missing:
        return [], f"There is no action {missing[0]} in this partnership's plan: give refs such as TR-01, TR-02"
    return list(dict.fromkeys(found[r] for r in refs)), None


def _funding_problem(session: Session, pid: int, funding_ids: list[int]) -> str | None:
    if not funding_ids:
        return None
    if not all(is_record_id(i) for i in funding_ids):
        # No row has an id beyond an INTEGER column (SQLite cannot even bind one past 64 bits): never looked up.
        return "Link only contracts and grants of this partnership"
    found = set(session.exec(select(Funding.id).where(
        Funding.id.in_(funding_ids), Funding.partnership_id == pid)).all())
    return None if found == set(funding_ids) else "Link only contracts and grants of this partnership"


def _ids(value) -> list[int] | None:
    """A list of record ids as sent, or None when it is not one (the input model then says so)."""
    if isinstance(value, list) and all(isinstance(i, int) and not isinstance(i, bool) for i in value):
        return value
    return None


def _link_problems(session: Session, pid: int, data: dict) -> dict[str, str]:
    """What is wrong with the records a new risk points at (checked on the raw input, so these
    problems are reported together with those of the fields)."""
    errors = {}
    owner_id, theme_id = data.get("owner_id"), data.get("theme_id")
    if isinstance(owner_id, int) and not isinstance(owner_id, bool) and owned(session, Person, pid, owner_id) is None:
        errors["owner_id"] = "Choose an owner from this partnership"
    if isinstance(theme_id, int) and not isinstance(theme_id, bool) and owned(session, Theme, pid, theme_id) is None:
        errors["theme_id"] = "Choose a theme of this partnership"
    ids = _ids(data.get("action_ids"))
    if ids:
        found = set(session.exec(select(Action.id).where(Action.id.in_(ids), Action.partnership_id == pid)).all())
        if found != set(ids):
            errors["action_ids"] = "Link only actions of this partnership's plan"
    funding_ids = _ids(data.get("funding_ids"))
    if funding_ids:
        problem = _funding_problem(session, pid, funding_ids)
        if problem:
            errors["funding_ids"] = problem
    ref = data.get("ref")
    if isinstance(ref, str) and ref.strip() and session.exec(
            select(Risk.id).where(Risk.partnership_id == pid, Risk.ref == ref.strip())).first():
        errors["ref"] = f"There is already a risk {ref.strip()}: choose another reference"
    return errors


def add_risk(session: Session, actor: Person | None, data: dict, today: date, *, system: bool = False) -> Risk:
    """Add a risk and its first rating; every problem with the input is reported at once, and
    nothing is written. `data` may name its actions by ref (`action_refs`, "TR-01, TR-02") instead
    of by id. `system` is for the seed loader, which acts for no one."""
    if not system:
        actor = _may_manage(actor)
    data = dict(data)
    pid = actor.partnership_id if actor else data.pop("partnership_id")
    errors = {}
    if "action_refs" in data:
        data["action_ids"], problem = action_ids_for_refs(session, pid, data.pop("action_refs"))
        if problem:
            errors["action_refs"] = problem
    item, problems = all_problems(RiskCreate, data, stand_ins={})
    errors = {**problems, **_link_problems(session, pid, data), **errors}
    if errors:
        raise InvalidInput(errors)
    risk = Risk(partnership_id=pid, **item.model_dump(exclude={"action_ids", "funding_ids"}))
    session.add(risk)
    session.flush()
    session.add_all(RiskAction(risk_id=risk.id, action_id=action_id) for action_id in item.action_ids)
    session.add_all(RiskFunding(risk_id=risk.id, funding_id=fid) for fid in dict.fromkeys(item.funding_ids))
    session.add(RiskRating(risk_id=risk.id, rated_on=today, reason="First rating",
                           author_id=actor.id if actor else None,
                           **{f: getattr(item, f) for f in SCORE_FIELDS}))
    audit.record(session, actor, "create", risk, summary=f"Added risk {risk.ref}: {risk.title}")
    return risk


def _own_risk(session: Session, actor: Person | None, risk_id: int) -> tuple[Person, Risk]:
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to make changes.")
    risk = owned(session, Risk, actor.partnership_id, risk_id)
    if risk is None:
        raise NotFound("There is no such risk in this partnership.")
    return actor, risk


def link_funding(session: Session, actor: Person | None, risk_id: int, funding_ids: list[int]) -> Risk:
    """Set the contracts and grants a risk concerns (replacing the links it had); audited."""
    actor, risk = _own_risk(session, actor, risk_id)
    if not (is_admin(actor) or is_chair(actor) or risk.owner_id == actor.id):
        raise PermissionDenied("Only the risk's owner, the chair or the partnership officer can change its links.")
    if not isinstance(funding_ids, list) or not all(isinstance(i, int) and not isinstance(i, bool)
                                                    for i in funding_ids):
        raise InvalidInput({"funding_ids": "Choose contracts and grants from the list"})
    wanted = list(dict.fromkeys(funding_ids))
    problem = _funding_problem(session, risk.partnership_id, wanted)
    if problem:
        raise InvalidInput({"funding_ids": problem})
    links = session.exec(select(RiskFunding).where(RiskFunding.risk_id == risk.id)).all()
    before = sorted(link.funding_id for link in links)
    for link in links:
        if link.funding_id not in wanted:
            session.delete(link)
    session.add_all(RiskFunding(risk_id=risk.id, funding_id=fid) for fid in wanted if fid not in before)
    session.flush()
    audit.record(session, actor, "update", risk, before={"funding_ids": before},
                 after={"funding_ids": sorted(wanted)},
                 summary=f"Set the contracts and grants of risk {risk.ref}: {len(wanted)} linked")
    return risk


def rerate_risk(session: Session, actor: Person | None, risk_id: int, version: int, data: dict,
                today: date) -> Risk:
    """A new rating with its reason. Refused if someone else changed the risk since `version`."""
    actor, risk = _own_risk(session, actor, risk_id)
    if not (is_admin(actor) or is_chair(actor) or risk.owner_id == actor.id):
        raise PermissionDenied("Only the risk's owner, the chair or the partnership officer can re-rate it.")
    item, errors = all_problems(RiskRerate, data)
    if errors:
        raise InvalidInput(errors)
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
