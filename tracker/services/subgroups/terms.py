"""Terms of reference of a subgroup: versioned, so the history stays; a change adds a version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.formatting import short_date, uk_time
from tracker.models import Person, Subgroup, TermsOfReference, TorInterdependency
from tracker.models.subgroups import TOR_FIELDS
from tracker.schemas import TermsOfReferenceIn
from tracker.services import audit
from tracker.services.errors import Conflict, InvalidInput, validated
from tracker.services.permissions import require_edit_subgroup
from tracker.services.reference import get_subgroup, owned

__all__ = ["TOR_FIELDS"]


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
    # Only the names these versions need: reading every subgroup and person made a region's subgroup
    # page read all ten partnerships' people.
    links_of: dict[int, list[TorInterdependency]] = {tor.id: [] for tor in tors}
    for link in session.exec(select(TorInterdependency).where(TorInterdependency.tor_id.in_(list(links_of)))
                             .order_by(TorInterdependency.id)):
        links_of[link.tor_id].append(link)
    subgroup_ids = {link.other_subgroup_id for links in links_of.values() for link in links}
    person_ids = {tor.created_by_id for tor in tors if tor.created_by_id is not None}
    names = dict(session.exec(select(Subgroup.id, Subgroup.name).where(Subgroup.id.in_(subgroup_ids))).all()) \
        if subgroup_ids else {}
    people = dict(session.exec(select(Person.id, Person.name).where(Person.id.in_(person_ids))).all()) \
        if person_ids else {}
    result = []
    for tor in tors:
        result.append(TorVersion(
            tor=tor,
            author=people.get(tor.created_by_id, "Seed data"),
            interdependencies=[(link.other_subgroup_id, names.get(link.other_subgroup_id, "?"), link.description)
                               for link in links_of[tor.id]],
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
        if owned(session, Subgroup, actor.partnership_id, other_id) is None or other_id == subgroup.id:
            raise InvalidInput({"interdependencies": "Choose other subgroups of this partnership"})
    current = current_tor_version(session, subgroup.id)
    if current != based_on_version:
        latest = session.exec(select(TermsOfReference).where(
            TermsOfReference.subgroup_id == subgroup.id, TermsOfReference.version == current)).one()
        author = session.get(Person, latest.created_by_id) if latest.created_by_id else None
        raise Conflict(
            f"Version {current} of these terms of reference was saved by "
            f"{author.name if author else 'someone else'} on {short_date(latest.created_at)} at {uk_time(latest.created_at)} "
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


def tor_is_approved(tor: TermsOfReference | None) -> bool:
    return tor is not None and tor.approved_on is not None


def tor_review_overdue(tor: TermsOfReference | None, today: date) -> bool:
    return tor is not None and tor.review_due is not None and tor.review_due < today


def tor_in_force(tor: TermsOfReference | None, today: date) -> bool:
    """Approved, and not past its review date (no review date set counts as in date)."""
    return tor_is_approved(tor) and not tor_review_overdue(tor, today)
