"""People and their roles: the partnership officer's work on accounts.

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

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from tracker import domain
from tracker.models import Partnership, Person, Subgroup, SubgroupMember
from tracker.rules.enums import MemberRole, Role
from tracker.schemas import MIN_PASSWORD, PasswordIn, PersonIn
from tracker.services import audit
from tracker.services.auth import end_sessions, hash_password
from tracker.services.errors import InvalidInput, flush_unique, validated
from tracker.services.permissions import require_admin
from tracker.services.reference import get_person

__all__ = [
    "MIN_PASSWORD", "ROLE_LABELS", "PasswordIn", "PersonIn", "PersonRow",
    "list_people", "create_person", "change_role", "set_active", "reset_password",
]

ROLE_LABELS = {role.value: role.label for role in Role}
_EMAIL_TAKEN = "Someone already has this email address: each person needs their own"


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
    # What they do in subgroups, e.g. ["Lead of Treatment and Recovery Subgroup"]: an account's role
    # says "Member" for a subgroup lead, which is not how the partnership knows them.
    subgroup_roles: list[str] = field(default_factory=list)

    @property
    def sector_label(self) -> str:
        return domain.sector_label(self.sector)

    @property
    def role_label(self) -> str:
        return Role.label_of(self.role)


def _row(person: Person, subgroup_roles: list[str] | None = None) -> PersonRow:
    return PersonRow(person.id, person.name, person.email, person.organisation, person.job_title,
                     person.sector, person.role, person.is_active, bool(person.password_hash),
                     person.created_at, subgroup_roles or [])


def _subgroup_roles(session: Session, partnership_id: int) -> dict[int, list[str]]:
    """Each person's leading parts in the partnership's subgroups (lead and deputy), most senior first."""
    rows = session.exec(
        select(SubgroupMember.person_id, SubgroupMember.role, Subgroup.name)
        .join(Subgroup, Subgroup.id == SubgroupMember.subgroup_id)
        .where(Subgroup.partnership_id == partnership_id,
               SubgroupMember.role.in_([MemberRole.LEAD, MemberRole.DEPUTY]))
    ).all()
    roles: dict[int, list[str]] = {}
    for person_id, role, subgroup in sorted(rows, key=lambda r: (MemberRole(r[1]).rank, r[2])):
        roles.setdefault(person_id, []).append(f"{MemberRole.label_of(role)} of {subgroup}")
    return roles


def list_people(session: Session, actor: Person) -> list[PersonRow]:
    """Everyone in the administrator's partnership, deactivated people included, by name."""
    actor = require_admin(actor)
    people = session.exec(
        select(Person).where(Person.partnership_id == actor.partnership_id).order_by(Person.name, Person.id)
    ).all()
    roles = _subgroup_roles(session, actor.partnership_id)
    return [_row(p, roles.get(p.id)) for p in people]


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
            Person.partnership_id == partnership_id, Person.role == Role.ADMIN, Person.is_active
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
        raise InvalidInput({"email": _EMAIL_TAKEN})
    person = Person(
        partnership_id=actor.partnership_id,
        **payload.model_dump(exclude={"password"}),
        password_hash=hash_password(payload.password) if payload.password else None,
    )
    session.add(person)
    flush_unique(session, {"email": _EMAIL_TAKEN})
    after = audit.snapshot(person) | {"password": "set" if payload.password else "not set"}
    audit.record(session, actor, "create", person, after=after,
                 summary=f"Added {person.name} ({Role.label_of(person.role)})")
    session.flush()
    return person


def change_role(session: Session, actor: Person, person_id: int, role: str) -> Person:
    """Give a person another role. An administrator cannot change their own role."""
    actor = _lock_and_recheck(session, actor)
    person = get_person(session, actor.partnership_id, person_id)
    if role not in Role.values():
        raise InvalidInput({"role": Role.choose_message("a role")})
    if person.role == role:
        return person
    if person.id == actor.id:
        raise InvalidInput({"role": "You cannot change your own role: ask another administrator to do it"})
    if person.role == Role.ADMIN and person.is_active and _active_admins(session, actor.partnership_id) <= 1:
        raise InvalidInput({"role": f"{person.name} is the partnership's only active administrator"})
    summary = f"{person.name}: role {Role.label_of(person.role)} → {Role.label_of(role)}"
    # They sign in again, with the new role's pages.
    return _set_field(session, actor, person, "role", role, summary, end_their_sessions=True)


def set_active(session: Session, actor: Person, person_id: int, active: bool) -> Person:
    """Deactivate (they can no longer sign in; their history stays) or reactivate a person."""
    actor = _lock_and_recheck(session, actor)
    person = get_person(session, actor.partnership_id, person_id)
    # Only True or False: bool("false"), bool("no") or bool([0]) would reactivate the person.
    if not isinstance(active, bool):
        raise InvalidInput({"is_active": "Choose whether the account is active: yes or no"})
    if person.is_active == active:
        return person
    if not active and person.id == actor.id:
        raise InvalidInput({"is_active": "You cannot deactivate your own account: ask another administrator"})
    if not active and person.role == Role.ADMIN and _active_admins(session, actor.partnership_id) <= 1:
        raise InvalidInput({"is_active": f"{person.name} is the partnership's only active administrator"})
    return _set_field(session, actor, person, "is_active", active,
                      f"{'Reactivated' if active else 'Deactivated'} {person.name}")


def _set_field(session: Session, actor: Person, person: Person, name: str, value, summary: str,
               end_their_sessions: bool = False) -> Person:
    """Change one field of a person, with the audit record of its value before and after."""
    before = audit.snapshot(person, [name])
    setattr(person, name, value)
    session.add(person)
    if end_their_sessions:
        end_sessions(person)
    session.flush()
    audit.record(session, actor, "update", person, before=before, after=audit.snapshot(person, [name]),
                 summary=summary)
    session.flush()
    return person


def reset_password(session: Session, actor: Person, person_id: int, password: str) -> Person:
    """Set a new password for a person (the old one stops working at once)."""
    actor = _lock_and_recheck(session, actor)
    person = get_person(session, actor.partnership_id, person_id)
    payload: PasswordIn = validated(PasswordIn, {"password": password})
    had_password = bool(person.password_hash)
    person.password_hash = hash_password(payload.password)
    session.add(person)
    end_sessions(person)  # whoever holds one of their sessions is signed out
    session.flush()
    # The trail says that the password changed, never the password or its hash.
    audit.record(session, actor, "update", person,
                 before={"password": "set" if had_password else "not set"},
                 after={"password": "changed"},
                 summary=f"Password reset for {person.name}")
    session.flush()
    return person
