"""Read models for the subgroup pages: each subgroup's summary, its lead, its latest updates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
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
)
from tracker.rules.enums import MemberRole
from tracker.services import plan_counts
from tracker.services.reference import get_subgroup
from tracker.services.subgroups.terms import tor_in_force, tor_is_approved, tor_review_overdue


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
        .where(SubgroupMember.subgroup_id.in_(subgroup_ids), SubgroupMember.role == MemberRole.LEAD)
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
    # Counted in SQL (one GROUP BY over the stored current status), not from a row per action.
    figures = plan_counts.figures_by(session, partnership_id, today, "subgroup")
    by_rag: dict[int, Counter] = {i: figures[i].by_rag if i in figures else Counter() for i in ids}
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
