"""The members of a subgroup: who sits on it and in which role (lead, deputy, member)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from tracker.models import Person, SubgroupMember
from tracker.rules.enums import MemberRole
from tracker.services import audit
from tracker.services.errors import InvalidInput
from tracker.services.permissions import require_edit_subgroup
from tracker.services.reference import get_subgroup, is_record_id, owned


def _rank(role: str) -> int:
    return MemberRole(role).rank if role in MemberRole.values() else len(MemberRole)


@dataclass
class MemberRow:
    member_id: int
    person_id: int
    name: str
    organisation: str
    job_title: str
    sector: str
    role: str


def members(session: Session, subgroup_id: int) -> list[MemberRow]:
    rows = session.exec(
        select(SubgroupMember, Person).join(Person, Person.id == SubgroupMember.person_id)
        .where(SubgroupMember.subgroup_id == subgroup_id)
    ).all()
    result = [MemberRow(m.id, p.id, p.name, p.organisation, p.job_title, p.sector, m.role) for m, p in rows]
    return sorted(result, key=lambda r: (_rank(r.role), r.name))


def add_member(session: Session, actor: Person, subgroup_id: int, person_id: int,
               role: str = MemberRole.MEMBER) -> SubgroupMember:
    subgroup = get_subgroup(session, actor.partnership_id, subgroup_id)
    require_edit_subgroup(session, actor, subgroup)
    person = owned(session, Person, actor.partnership_id, person_id)
    if person is None:
        raise InvalidInput({"person_id": "Choose a person of this partnership"})
    if role not in MemberRole.values():
        raise InvalidInput({"role": "Choose lead, deputy or member"})
    role = MemberRole(role)
    existing = session.exec(select(SubgroupMember).where(
        SubgroupMember.subgroup_id == subgroup.id, SubgroupMember.person_id == person.id)).first()
    if existing:
        raise InvalidInput({"person_id": f"{person.name} is already a member of {subgroup.name}"})
    member = SubgroupMember(subgroup_id=subgroup.id, person_id=person.id, role=role)
    session.add(member)
    session.flush()
    audit.record(session, actor, "create", member, partnership_id=subgroup.partnership_id,
                 summary=f"{person.name} joined {subgroup.name} as {role.value}")
    return member


def remove_member(session: Session, actor: Person, subgroup_id: int, member_id: int) -> None:
    subgroup = get_subgroup(session, actor.partnership_id, subgroup_id)
    require_edit_subgroup(session, actor, subgroup)
    member = session.get(SubgroupMember, member_id) if is_record_id(member_id) else None
    if member is None or member.subgroup_id != subgroup.id:
        raise InvalidInput({"member_id": "That person is not a member of this subgroup"})
    before = audit.snapshot(member)
    session.delete(member)
    audit.record(session, actor, "delete", member, before=before, after=None,
                 partnership_id=subgroup.partnership_id, summary=f"Member removed from {subgroup.name}")
    session.flush()
