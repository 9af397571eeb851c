"""A small partnership built in code, for tests that must not depend on the seed files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from tracker.models import (
    Action,
    Objective,
    Partnership,
    Person,
    RagLevel,
    Subgroup,
    SubgroupMember,
    TermsOfReference,
    Theme,
)
from tracker.services.reference import STANDARD_SCALE


@dataclass
class World:
    partnership_id: int
    admin: Person
    chair: Person
    lead: Person          # leads subgroup A
    other_lead: Person    # leads subgroup B
    owner: Person         # owns the action in A, leads nothing
    member: Person        # a plain member with no rights over the action
    viewer: Person
    subgroup_a: Subgroup
    subgroup_b: Subgroup
    action: Action        # in subgroup A, owned by `owner`
    objective: Objective


def build_world(session: Session, slug: str = "testshire") -> World:
    partnership = Partnership(slug=slug, name=f"{slug.title()} CDP", area=slug.title(), stale_after_days=90)
    session.add(partnership)
    session.flush()
    pid = partnership.id
    for order, rag in enumerate(STANDARD_SCALE):
        session.add(RagLevel(partnership_id=pid, code=rag.code, label=rag.label, definition=rag.definition,
                             colour=rag.colour, text_colour=rag.text_colour, symbol=rag.symbol,
                             severity=rag.severity, sort_order=order))

    def person(name: str, role: str = "member") -> Person:
        row = Person(partnership_id=pid, name=name, email=f"{name.lower().replace(' ', '.')}@{slug}.example.org",
                     role=role)
        session.add(row)
        return row

    admin, chair = person("Ada Admin", "admin"), person("Cleo Chair", "chair")
    lead, other_lead = person("Lee Lead"), person("Olu Otherlead")
    owner, member, viewer = person("Owen Owner"), person("Mo Member"), person("Vic Viewer", "viewer")
    theme = Theme(partnership_id=pid, number=2, name="Treatment and recovery")
    session.add(theme)
    session.flush()
    objective = Objective(partnership_id=pid, theme_id=theme.id, code="T2.1", title="More people in treatment")
    subgroup_a = Subgroup(partnership_id=pid, code="TR", name="Treatment and recovery", lead_id=lead.id)
    subgroup_b = Subgroup(partnership_id=pid, code="SUP", name="Supply", lead_id=other_lead.id)
    session.add_all([objective, subgroup_a, subgroup_b])
    session.flush()
    session.add(SubgroupMember(subgroup_id=subgroup_a.id, person_id=member.id, role="member"))
    session.add(TermsOfReference(subgroup_id=subgroup_a.id, version=1, purpose="Lead the treatment system plan.",
                                 approved_on=date(2026, 1, 10), review_due=date(2027, 1, 10)))
    action = Action(partnership_id=pid, subgroup_id=subgroup_a.id, objective_id=objective.id, ref="TR-01",
                    title="Open more detox places", owner_id=owner.id, start_date=date(2026, 1, 1),
                    due_date=date(2027, 3, 31), status="in_progress")
    session.add(action)
    session.flush()
    return World(pid, admin, chair, lead, other_lead, owner, member, viewer, subgroup_a, subgroup_b, action, objective)


def action_input(world: World, **changes) -> dict:
    data = {
        "subgroup_id": world.subgroup_a.id, "objective_id": world.objective.id, "title": world.action.title,
        "description": "", "owner_id": world.owner.id, "lead_organisation": "", "start_date": date(2026, 1, 1),
        "due_date": date(2027, 3, 31), "status": "in_progress",
    }
    data.update(changes)
    return data


def tor_input(**changes) -> dict:
    data = {"purpose": "Lead the treatment and recovery plan for the partnership.", "quorum": "Three members"}
    data.update(changes)
    return data
