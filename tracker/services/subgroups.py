"""Subgroups: their terms of reference (versioned) and their members."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.models import (
    Action,
    Person,
    StatusUpdate,
    Subgroup,
    SubgroupMember,
    SubgroupTheme,
    TermsOfReference,
    Theme,
    TorInterdependency,
)
from tracker.schemas import TermsOfReferenceIn
from tracker.services import audit
from tracker.services.errors import Conflict, InvalidInput, validated
from tracker.services.permissions import require_edit_subgroup
from tracker.services.plan import plan_rows
from tracker.services.reference import get_subgroup

TOR_FIELDS = [
    "purpose", "scope", "responsibilities", "membership", "quorum", "meeting_frequency",
    "reports_to", "approved_on", "review_due", "change_note",
]


@dataclass
class TorVersion:
    tor: TermsOfReference
    author: str
    interdependencies: list[tuple[int, str, str]]  # (subgroup id, subgroup name, description)

    @property
    def is_draft(self) -> bool:
        return self.tor.approved_on is None

    def review_overdue(self, today: date) -> bool:
        return self.tor.review_due is not None and self.tor.review_due < today


def tor_versions(session: Session, subgroup_id: int) -> list[TorVersion]:
    """All versions of a subgroup's terms of reference, newest first."""
    tors = session.exec(
        select(TermsOfReference).where(TermsOfReference.subgroup_id == subgroup_id)
        .order_by(TermsOfReference.version.desc())
    ).all()
    names = {s.id: s.name for s in session.exec(select(Subgroup))}
    people = {p.id: p.name for p in session.exec(select(Person))}
    result = []
    for tor in tors:
        links = session.exec(select(TorInterdependency).where(TorInterdependency.tor_id == tor.id)).all()
        result.append(TorVersion(
            tor=tor,
            author=people.get(tor.created_by_id, "Seed data"),
            interdependencies=[(link.other_subgroup_id, names.get(link.other_subgroup_id, "?"), link.description)
                               for link in links],
        ))
    return result


def current_tor_version(session: Session, subgroup_id: int) -> int:
    return session.exec(
        select(func.coalesce(func.max(TermsOfReference.version), 0)).where(TermsOfReference.subgroup_id == subgroup_id)
    ).one()


def record_tor_version(
    session: Session, actor: Person, subgroup_id: int, based_on_version: int, data: dict
) -> TermsOfReference:
    """Add a new version of the terms of reference. The editor states which version they started
    from; if someone has added a version since, the save is refused and nothing is written."""
    subgroup = get_subgroup(session, actor.partnership_id, subgroup_id)
    require_edit_subgroup(session, actor, subgroup)
    payload = validated(TermsOfReferenceIn, data)
    for other_id, _ in payload.interdependencies:
        other = session.get(Subgroup, other_id)
        if other is None or other.partnership_id != actor.partnership_id or other_id == subgroup.id:
            raise InvalidInput({"interdependencies": "Choose other subgroups of this partnership"})
    current = current_tor_version(session, subgroup.id)
    if current != based_on_version:
        latest = session.exec(select(TermsOfReference).where(
            TermsOfReference.subgroup_id == subgroup.id, TermsOfReference.version == current)).one()
        author = session.get(Person, latest.created_by_id) if latest.created_by_id else None
        raise Conflict(
            f"Version {current} of these terms of reference was saved by "
            f"{author.name if author else 'someone else'} on {latest.created_at:%d/%m/%Y at %H:%M} UTC "
            "after you opened them. Nothing was saved: reload to see their version, then make your change again."
        )
    tor = TermsOfReference(subgroup_id=subgroup.id, version=current + 1, created_by_id=actor.id,
                           **payload.model_dump(include=set(TOR_FIELDS)))
    # The unique (subgroup_id, version) constraint stops a concurrent saver who passed the check too.
    try:
        with session.begin_nested():
            session.add(tor)
    except IntegrityError:
        raise Conflict(
            "Someone saved a new version of these terms of reference at the same moment. "
            "Nothing was saved: reload to see their version, then make your change again."
        ) from None
    for other_id, description in payload.interdependencies:
        session.add(TorInterdependency(tor_id=tor.id, other_subgroup_id=other_id, description=description))
    audit.record(session, actor, "create", tor, partnership_id=subgroup.partnership_id,
                 summary=f"Terms of reference of {subgroup.name}: version {tor.version}")
    session.flush()
    return tor


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
    order = {"lead": 0, "deputy": 1, "member": 2}
    result = [MemberRow(m.id, p.id, p.name, p.organisation, p.job_title, p.sector, m.role) for m, p in rows]
    return sorted(result, key=lambda r: (order.get(r.role, 3), r.name))


def add_member(session: Session, actor: Person, subgroup_id: int, person_id: int, role: str = "member") -> SubgroupMember:
    subgroup = get_subgroup(session, actor.partnership_id, subgroup_id)
    require_edit_subgroup(session, actor, subgroup)
    person = session.get(Person, person_id)
    if person is None or person.partnership_id != actor.partnership_id:
        raise InvalidInput({"person_id": "Choose a person of this partnership"})
    if role not in ("lead", "deputy", "member"):
        raise InvalidInput({"role": "Choose lead, deputy or member"})
    existing = session.exec(select(SubgroupMember).where(
        SubgroupMember.subgroup_id == subgroup.id, SubgroupMember.person_id == person.id)).first()
    if existing:
        raise InvalidInput({"person_id": f"{person.name} is already a member of {subgroup.name}"})
    member = SubgroupMember(subgroup_id=subgroup.id, person_id=person.id, role=role)
    session.add(member)
    session.flush()
    audit.record(session, actor, "create", member, partnership_id=subgroup.partnership_id,
                 summary=f"{person.name} joined {subgroup.name} as {role}")
    return member


def remove_member(session: Session, actor: Person, subgroup_id: int, member_id: int) -> None:
    subgroup = get_subgroup(session, actor.partnership_id, subgroup_id)
    require_edit_subgroup(session, actor, subgroup)
    member = session.get(SubgroupMember, member_id)
    if member is None or member.subgroup_id != subgroup.id:
        raise InvalidInput({"member_id": "That person is not a member of this subgroup"})
    before = audit.snapshot(member)
    session.delete(member)
    audit.record(session, actor, "delete", member, before=before, after=None,
                 partnership_id=subgroup.partnership_id, summary=f"Member removed from {subgroup.name}")
    session.flush()


# --- Read models for the subgroup pages -----------------------------------------------------


def tor_is_approved(tor: TermsOfReference | None) -> bool:
    return tor is not None and tor.approved_on is not None


def tor_review_overdue(tor: TermsOfReference | None, today: date) -> bool:
    return tor is not None and tor.review_due is not None and tor.review_due < today


def tor_in_force(tor: TermsOfReference | None, today: date) -> bool:
    """Approved, and not past its review date (no review date set counts as in date)."""
    return tor_is_approved(tor) and not tor_review_overdue(tor, today)


def current_tor(session: Session, subgroup_id: int) -> TermsOfReference | None:
    """The latest version of a subgroup's terms of reference (a draft if not yet approved), or None."""
    return session.exec(
        select(TermsOfReference).where(TermsOfReference.subgroup_id == subgroup_id)
        .order_by(TermsOfReference.version.desc())
    ).first()


@dataclass
class SubgroupSummary:
    subgroup: Subgroup
    lead: str
    themes: list[Theme]
    member_count: int
    by_rag: Counter
    actions: int
    tor: TermsOfReference | None
    tor_approved: bool
    tor_review_overdue: bool
    tor_in_force: bool


def _lead_names(session: Session, subgroup_ids: list[int]) -> dict[int, str]:
    """The named lead of each subgroup, or failing that its members with the lead role."""
    names: dict[int, str] = {}
    for subgroup, person in session.exec(
        select(Subgroup, Person).join(Person, Person.id == Subgroup.lead_id).where(Subgroup.id.in_(subgroup_ids))
    ).all():
        names[subgroup.id] = person.name
    for member, person in session.exec(
        select(SubgroupMember, Person).join(Person, Person.id == SubgroupMember.person_id)
        .where(SubgroupMember.subgroup_id.in_(subgroup_ids), SubgroupMember.role == "lead")
        .order_by(Person.name)
    ).all():
        names.setdefault(member.subgroup_id, person.name)
    return names


def lead_name(session: Session, subgroup: Subgroup) -> str:
    return _lead_names(session, [subgroup.id]).get(subgroup.id, "")


def subgroup_summaries(session: Session, partnership_id: int, today: date) -> list[SubgroupSummary]:
    """Every subgroup of the partnership with its lead, themes, members, RAG counts and the state of
    its terms of reference, by name."""
    groups = session.exec(
        select(Subgroup).where(Subgroup.partnership_id == partnership_id).order_by(Subgroup.name)
    ).all()
    ids = [g.id for g in groups]
    if not ids:
        return []
    leads = _lead_names(session, ids)
    themes: dict[int, list[Theme]] = {}
    for link, theme in session.exec(
        select(SubgroupTheme, Theme).join(Theme, Theme.id == SubgroupTheme.theme_id)
        .where(SubgroupTheme.subgroup_id.in_(ids)).order_by(Theme.number)
    ).all():
        themes.setdefault(link.subgroup_id, []).append(theme)
    member_counts = dict(session.exec(
        select(SubgroupMember.subgroup_id, func.count(SubgroupMember.id))
        .where(SubgroupMember.subgroup_id.in_(ids)).group_by(SubgroupMember.subgroup_id)
    ).all())
    latest: dict[int, TermsOfReference] = {}
    for tor in session.exec(
        select(TermsOfReference).where(TermsOfReference.subgroup_id.in_(ids))
        .order_by(TermsOfReference.subgroup_id, TermsOfReference.version.desc())
    ).all():
        latest.setdefault(tor.subgroup_id, tor)
    by_rag: dict[int, Counter] = {i: Counter() for i in ids}
    for row in plan_rows(session, partnership_id, today):
        if row.status != "cancelled":
            by_rag[row.subgroup_id][row.rag] += 1
    result = []
    for g in groups:
        tor = latest.get(g.id)
        result.append(SubgroupSummary(
            subgroup=g,
            lead=leads.get(g.id, ""),
            themes=themes.get(g.id, []),
            member_count=member_counts.get(g.id, 0),
            by_rag=by_rag[g.id],
            actions=sum(by_rag[g.id].values()),
            tor=tor,
            tor_approved=tor_is_approved(tor),
            tor_review_overdue=tor_review_overdue(tor, today),
            tor_in_force=tor_in_force(tor, today),
        ))
    return result


@dataclass
class RecentUpdate:
    update: StatusUpdate
    action_id: int
    action_ref: str
    action_title: str
    action_status: str
    author: str = field(default="Unknown")


def latest_updates(session: Session, partnership_id: int, subgroup_id: int, limit: int = 10) -> list[RecentUpdate]:
    """The most recent status updates of a subgroup's actions, newest first (by date, then entry)."""
    subgroup = get_subgroup(session, partnership_id, subgroup_id)
    rows = session.exec(
        select(StatusUpdate, Action, Person)
        .join(Action, Action.id == StatusUpdate.action_id)
        .join(Person, Person.id == StatusUpdate.author_id, isouter=True)
        .where(Action.subgroup_id == subgroup.id, Action.partnership_id == partnership_id)
        .order_by(StatusUpdate.update_date.desc(), StatusUpdate.id.desc())
        .limit(max(0, limit))
    ).all()
    return [
        RecentUpdate(update=u, action_id=a.id, action_ref=a.ref, action_title=a.title, action_status=a.status,
                     author=p.name if p else "Unknown")
        for u, a, p in rows
    ]
