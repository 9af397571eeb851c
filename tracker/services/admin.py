"""The partnership officer's work: people and their roles, subgroups, and the RAG scale.

Every function here is for an administrator only (permissions.require_admin), validates its input
(InvalidInput names the field to fix), and records what it changed with audit.record in the same
session, so the change and its record are committed, or rolled back, together.

Two rules keep a partnership governable: an administrator cannot deactivate or demote themselves,
and no change may leave the partnership without an active administrator. Changes to roles and
accounts first lock the partnership's row (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises
writers anyway), then re-read the actor, so two administrators demoting each other at the same
moment cannot both succeed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import func
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, delete, select

from tracker import domain
from tracker.models import (
    ROLES,
    Action,
    Partnership,
    Person,
    RagLevel,
    StatusUpdate,
    Subgroup,
    SubgroupTheme,
    Theme,
)
from tracker.services import audit
from tracker.services.auth import MIN_PASSWORD, check_password, end_sessions, hash_password  # noqa: F401 (MIN_PASSWORD: pages show it)
from tracker.services.errors import Conflict, InvalidInput, NotFound, validated
from tracker.services.permissions import require_admin
from tracker.services.reference import SCALES, get_partnership, get_person, get_subgroup

ROLE_LABELS = {
    "admin": "Administrator",
    "chair": "Chair",
    "member": "Member",
    "viewer": "Viewer (read only)",
}
SUBGROUP_STATUSES = ("forming", "active", "paused", "closed")
SCALE_NAMES = {"standard": "standard (RAG with blue and grey)", "delivery_confidence": "five-point delivery confidence"}
MIN_CONTRAST = 4.5

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CODE = re.compile(r"^[A-Z]{2,6}$")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _flush_unique(session: Session, errors: dict[str, str]) -> None:
    """Flush; a unique constraint broken by someone saving at the same moment becomes a message."""
    try:
        session.flush()
    except IntegrityError:
        raise InvalidInput(errors) from None


def _check_password(value: str) -> str:
    return check_password(value)  # at least MIN_PASSWORD characters, and not a common or breached password


# --- People and roles -------------------------------------------------------------------------


class PersonIn(_Input):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=1, max_length=254)
    organisation: str = Field(default="", max_length=200)
    job_title: str = Field(default="", max_length=200)
    sector: str = ""
    role: str = "member"
    password: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.lower()
        if not _EMAIL.match(value):
            raise ValueError("Enter an email address like name@example.org")
        return value

    @field_validator("sector")
    @classmethod
    def _sector(cls, value: str) -> str:
        if value and value not in domain.SECTORS:
            raise ValueError("Choose a sector from the list")
        return value

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        if value not in ROLES:
            raise ValueError("Choose a role: " + ", ".join(ROLE_LABELS[r] for r in ROLES))
        return value

    @field_validator("password", mode="before")
    @classmethod
    def _password(cls, value):
        # An empty box means "no password yet"; the person cannot sign in until one is set.
        if value is None or (isinstance(value, str) and value == ""):
            return None
        if not isinstance(value, str):
            raise ValueError("Enter the password as text")
        return _check_password(value)


@dataclass
class PersonRow:
    id: int
    name: str
    email: str
    organisation: str
    job_title: str
    sector: str
    role: str
    is_active: bool
    can_sign_in: bool  # has a password (SSO may also let them in)
    created_at: datetime

    @property
    def sector_label(self) -> str:
        return domain.sector_label(self.sector)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def _row(person: Person) -> PersonRow:
    return PersonRow(person.id, person.name, person.email, person.organisation, person.job_title,
                     person.sector, person.role, person.is_active, bool(person.password_hash),
                     person.created_at)


def list_people(session: Session, actor: Person) -> list[PersonRow]:
    """Everyone in the administrator's partnership, deactivated people included, by name."""
    actor = require_admin(actor)
    people = session.exec(
        select(Person).where(Person.partnership_id == actor.partnership_id).order_by(Person.name, Person.id)
    ).all()
    return [_row(p) for p in people]


def _lock_and_recheck(session: Session, actor: Person) -> Person:
    """Serialise changes to the partnership's accounts, then check the actor again as they are now."""
    actor = require_admin(actor)
    session.exec(select(Partnership).where(Partnership.id == actor.partnership_id).with_for_update()).one()
    fresh = session.exec(
        select(Person).where(Person.id == actor.id).execution_options(populate_existing=True)
    ).one()
    return require_admin(fresh)


def _active_admins(session: Session, partnership_id: int) -> int:
    return session.exec(
        select(func.count(Person.id)).where(
            Person.partnership_id == partnership_id, Person.role == "admin", Person.is_active
        )
    ).one()


def _email_taken(session: Session, email: str, except_id: int | None = None) -> bool:
    query = select(Person.id).where(func.lower(Person.email) == email.lower())
    if except_id is not None:
        query = query.where(Person.id != except_id)
    return session.exec(query).first() is not None


def create_person(session: Session, actor: Person, data: dict) -> Person:
    """Add a person (and account) to the administrator's partnership."""
    actor = require_admin(actor)
    payload: PersonIn = validated(PersonIn, data)
    if _email_taken(session, payload.email):
        raise InvalidInput({"email": "Someone already has this email address: each person needs their own"})
    person = Person(
        partnership_id=actor.partnership_id,
        **payload.model_dump(exclude={"password"}),
        password_hash=hash_password(payload.password) if payload.password else None,
    )
    session.add(person)
    _flush_unique(session, {"email": "Someone already has this email address: each person needs their own"})
    after = audit.snapshot(person) | {"password": "set" if payload.password else "not set"}
    audit.record(session, actor, "create", person, after=after,
                 summary=f"Added {person.name} ({ROLE_LABELS[person.role]})")
    session.flush()
    return person


def change_role(session: Session, actor: Person, person_id: int, role: str) -> Person:
    """Give a person another role. An administrator cannot change their own role."""
    actor = _lock_and_recheck(session, actor)
    person = get_person(session, actor.partnership_id, person_id)
    if role not in ROLES:
        raise InvalidInput({"role": "Choose a role: " + ", ".join(ROLE_LABELS[r] for r in ROLES)})
    if person.role == role:
        return person
    if person.id == actor.id:
        raise InvalidInput({"role": "You cannot change your own role: ask another administrator to do it"})
    if person.role == "admin" and person.is_active and _active_admins(session, actor.partnership_id) <= 1:
        raise InvalidInput({"role": f"{person.name} is the partnership's only active administrator"})
    before = audit.snapshot(person, ["role"])
    person.role = role
    end_sessions(person)  # they sign in again, with the new role's pages
    session.add(person)
    session.flush()
    audit.record(session, actor, "update", person, before=before, after=audit.snapshot(person, ["role"]),
                 summary=f"{person.name}: role {ROLE_LABELS[before['role']]} → {ROLE_LABELS[role]}")
    session.flush()
    return person


def set_active(session: Session, actor: Person, person_id: int, active: bool) -> Person:
    """Deactivate (they can no longer sign in; their history stays) or reactivate a person."""
    actor = _lock_and_recheck(session, actor)
    person = get_person(session, actor.partnership_id, person_id)
    active = bool(active)
    if person.is_active == active:
        return person
    if not active and person.id == actor.id:
        raise InvalidInput({"is_active": "You cannot deactivate your own account: ask another administrator"})
    if not active and person.role == "admin" and _active_admins(session, actor.partnership_id) <= 1:
        raise InvalidInput({"is_active": f"{person.name} is the partnership's only active administrator"})
    before = audit.snapshot(person, ["is_active"])
    person.is_active = active
    session.add(person)
    session.flush()
    audit.record(session, actor, "update", person, before=before, after=audit.snapshot(person, ["is_active"]),
                 summary=f"{'Reactivated' if active else 'Deactivated'} {person.name}")
    session.flush()
    return person


class PasswordIn(_Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)
    password: str

    @field_validator("password", mode="before")
    @classmethod
    def _password(cls, value):
        if not isinstance(value, str) or value == "":
            raise ValueError("Enter a new password")
        return _check_password(value)


def reset_password(session: Session, actor: Person, person_id: int, password: str) -> Person:
    """Set a new password for a person (the old one stops working at once)."""
    actor = _lock_and_recheck(session, actor)
    person = get_person(session, actor.partnership_id, person_id)
    payload: PasswordIn = validated(PasswordIn, {"password": password})
    had_password = bool(person.password_hash)
    person.password_hash = hash_password(payload.password)
    end_sessions(person)  # whoever holds one of their sessions is signed out
    session.add(person)
    session.flush()
    # The trail says that the password changed, never the password or its hash.
    audit.record(session, actor, "update", person,
                 before={"password": "set" if had_password else "not set"},
                 after={"password": "changed"},
                 summary=f"Password reset for {person.name}")
    session.flush()
    return person


# --- Subgroups --------------------------------------------------------------------------------


class SubgroupIn(_Input):
    name: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=5000)
    status: str = "active"
    lead_id: int | None = None
    theme_ids: list[int] = Field(default_factory=list)

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        if value not in SUBGROUP_STATUSES:
            raise ValueError("Choose a status: " + ", ".join(SUBGROUP_STATUSES))
        return value

    @field_validator("lead_id", mode="before")
    @classmethod
    def _no_lead(cls, value):
        return None if value in ("", None) else value


class NewSubgroupIn(SubgroupIn):
    code: str

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value):
        value = str(value or "").strip().upper()
        if not value:
            raise ValueError("Enter a code of 2 to 6 capital letters, for example TR")
        if not _CODE.match(value):
            raise ValueError("Use 2 to 6 capital letters only (A–Z), for example TR")
        return value


SUBGROUP_FIELDS = ["name", "description", "status", "lead_id"]


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
        lead = session.get(Person, payload.lead_id)
        if lead is None or lead.partnership_id != partnership_id or not lead.is_active:
            errors["lead_id"] = "Choose an active person of this partnership as the lead"
        elif lead.role == "viewer":
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
    _flush_unique(session, {"code": "Another subgroup was just set up with this name or code: reload and check"})
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


# --- The RAG scale ----------------------------------------------------------------------------


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour given as #rrggbb."""
    if not _HEX.match(colour or ""):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(colour_a: str, colour_b: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    la, lb = relative_luminance(colour_a), relative_luminance(colour_b)
    lighter, darker = max(la, lb), min(la, lb)
    return (lighter + 0.05) / (darker + 0.05)


class RagLevelIn(_Input):
    label: str = Field(min_length=1, max_length=40)
    definition: str = Field(min_length=10, max_length=400)
    colour: str

    @field_validator("colour", mode="before")
    @classmethod
    def _colour(cls, value):
        value = str(value or "").strip()
        if value and not value.startswith("#"):
            value = "#" + value
        if not _HEX.match(value):
            raise ValueError("Enter the colour as a hex code such as #ffdd00")
        return value.lower()


def rag_levels(session: Session, actor: Person) -> list[RagLevel]:
    """The partnership's RAG levels as stored (created from its scale if it has none yet)."""
    actor = require_admin(actor)
    return _ensure_levels(session, actor.partnership_id)


def _levels(session: Session, partnership_id: int) -> list[RagLevel]:
    return list(session.exec(
        select(RagLevel).where(RagLevel.partnership_id == partnership_id).order_by(RagLevel.sort_order, RagLevel.id)
    ).all())


def _ensure_levels(session: Session, partnership_id: int) -> list[RagLevel]:
    levels = _levels(session, partnership_id)
    if levels:
        return levels
    partnership = get_partnership(session, partnership_id)
    _add_scale_rows(session, partnership_id, partnership.rag_scale if partnership.rag_scale in SCALES else "standard")
    session.flush()
    return _levels(session, partnership_id)


def _add_scale_rows(session: Session, partnership_id: int, scale: str) -> None:
    for order, rag in enumerate(SCALES[scale], start=1):
        session.add(RagLevel(partnership_id=partnership_id, code=rag.code, label=rag.label,
                             definition=rag.definition, colour=rag.colour, text_colour=rag.text_colour,
                             symbol=rag.symbol, severity=rag.severity, sort_order=order))


def edit_rag_level(session: Session, actor: Person, code: str, data: dict, expected: dict | None = None) -> RagLevel:
    """Change one colour's label, definition and colour. The colour must keep a contrast of at
    least 4.5:1 with the colour of its text. With `expected` (the label, definition and colour the
    editor started from), a change saved by someone else in the meantime is refused with Conflict."""
    actor = require_admin(actor)
    levels = {level.code: level for level in _ensure_levels(session, actor.partnership_id)}
    level = levels.get(str(code or ""))
    if level is None:
        raise NotFound(f"The partnership's RAG scale has no colour {code!r}.")
    payload: RagLevelIn = validated(RagLevelIn, data)
    errors: dict[str, str] = {}
    for other in levels.values():
        if other.code != level.code and other.label.strip().lower() == payload.label.lower():
            errors["label"] = f"{other.label} is already the label of another colour"
    if payload.colour != level.colour.lower():
        ratio = contrast_ratio(payload.colour, level.text_colour)
        if ratio < MIN_CONTRAST:
            errors["colour"] = (
                f"{payload.colour} has a contrast of only {ratio:.1f}:1 with its text colour {level.text_colour}; "
                f"it needs at least {MIN_CONTRAST}:1 (WCAG AA) so the label stays readable. "
                f"Choose a {'darker' if relative_luminance(level.text_colour) > 0.5 else 'lighter'} colour."
            )
    if errors:
        raise InvalidInput(errors)
    fields = ["label", "definition", "colour"]
    before = audit.snapshot(level, fields)
    if expected is not None:
        seen = {k: str(expected.get(k, "")) for k in fields}
        if seen != {k: str(before[k]) for k in fields}:
            raise Conflict(
                f"Someone else changed {level.label} after you opened this page. Nothing you entered was saved: "
                "reload to see their change, then make yours again."
            )
    result = session.exec(
        sql_update(RagLevel)
        .where(RagLevel.id == level.id, RagLevel.label == before["label"],
               RagLevel.definition == before["definition"], RagLevel.colour == before["colour"])
        .values(label=payload.label, definition=payload.definition, colour=payload.colour)
    )
    if result.rowcount != 1:
        raise Conflict(f"Someone else changed {level.label} at the same moment. Nothing was saved: reload and try again.")
    session.expire(level)
    level = session.get(RagLevel, level.id)
    audit.record(session, actor, "update", level, before=before, after=audit.snapshot(level, fields),
                 summary=f"RAG colour {level.label} ({level.code}) edited")
    session.flush()
    return level


def scale_usage(session: Session, partnership_id: int) -> dict[str, int]:
    """How many status updates of the partnership use each RAG code."""
    rows = session.exec(
        select(StatusUpdate.rag, func.count(StatusUpdate.id))
        .join(Action, Action.id == StatusUpdate.action_id)
        .where(Action.partnership_id == partnership_id)
        .group_by(StatusUpdate.rag)
    ).all()
    return dict(rows)


def switch_scale(session: Session, actor: Person, scale: str) -> Partnership:
    """Use another RAG scale. The partnership's colours are replaced by the new scale's (with its
    standard words); refused if status updates use colours the new scale does not have."""
    actor = require_admin(actor)
    if scale not in SCALES:
        raise InvalidInput({"scale": "Choose a scale: " + ", ".join(SCALE_NAMES[s] for s in SCALES)})
    partnership = session.exec(
        select(Partnership).where(Partnership.id == actor.partnership_id).with_for_update()
    ).one()
    current = _levels(session, partnership.id)
    if partnership.rag_scale == scale and current:
        raise InvalidInput({"scale": f"The partnership already uses the {SCALE_NAMES[scale]} scale"})
    new_codes = {rag.code for rag in SCALES[scale]}
    labels = {level.code: level.label for level in current}
    for scale_levels in SCALES.values():
        for rag in scale_levels:
            labels.setdefault(rag.code, rag.label)
    missing = {code: n for code, n in scale_usage(session, partnership.id).items() if code not in new_codes and n}
    if missing:
        total = sum(missing.values())
        detail = ", ".join(f"{labels.get(code, code)}: {n}" for code, n in sorted(missing.items()))
        raise InvalidInput({"scale": (
            f"{total} status update{'s' if total != 1 else ''} use{'s' if total == 1 else ''} colours the "
            f"{SCALE_NAMES[scale]} scale does not have ({detail}). Updates are never rewritten, so the "
            "partnership keeps its current scale."
        )})
    before = {"rag_scale": partnership.rag_scale,
              "levels": [level.label for level in current]}
    session.exec(delete(RagLevel).where(RagLevel.partnership_id == partnership.id))
    session.flush()
    _add_scale_rows(session, partnership.id, scale)
    partnership.rag_scale = scale
    session.add(partnership)
    session.flush()
    after = {"rag_scale": scale, "levels": [level.label for level in _levels(session, partnership.id)]}
    audit.record(session, actor, "update", partnership, before=before, after=after, partnership_id=partnership.id,
                 summary=f"RAG scale changed to {SCALE_NAMES[scale]}")
    session.flush()
    return partnership
