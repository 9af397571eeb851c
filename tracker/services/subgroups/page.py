"""The subgroup page's view model (not imported by the package's __init__: it needs services.actions,
which itself imports the package): everything it shows about one subgroup, read in one place, so the
page's components are pure functions of it (tracker.web.pages.subgroup, and its embedded view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from tracker.models import Person, Subgroup, Theme
from tracker.rules.enums import ActionStatus
from tracker.services import permissions, plan, reference
from tracker.services.action_views import EditChoices
from tracker.services.reference import Rag
from tracker.services.subgroups.members import MemberRow, members
from tracker.services.subgroups.terms import TorVersion, tor_versions
from tracker.services.subgroups.views import RecentUpdate, latest_updates, lead_name


@dataclass
class SubgroupView:
    subgroup: Subgroup
    lead: str
    scale: list[Rag]
    themes: list[Theme]
    versions: list[TorVersion]  # terms of reference, newest first
    members: list[MemberRow]
    rows: list[plan.ActionRow]  # its actions, cancelled included
    counts: plan.Overview  # of the actions not cancelled
    updates: list[RecentUpdate]
    can_edit: bool  # may the viewer record a new version of the terms of reference
    others: list[Subgroup]  # the partnership's other subgroups (for interdependencies)
    action_choices: EditChoices | None = None  # what the "Add an action" form offers (None: no form)

    @property
    def rag_by_code(self) -> dict[str, Rag]:
        return {r.code: r for r in self.scale}


def subgroup_view(session: Session, partnership_id: int, subgroup_id: int, today: date,
                  viewer: Person | None = None) -> SubgroupView:
    """NotFound if the subgroup is not this partnership's. Without `viewer`, read-only (can_edit False)."""
    subgroup = reference.get_subgroup(session, partnership_id, subgroup_id)
    rows = plan.plan_rows(session, partnership_id, today,
                          plan.PlanFilter(subgroup_id=subgroup.id, include_cancelled=True))
    can_edit = viewer is not None and permissions.can_edit_subgroup(session, viewer, subgroup)
    return SubgroupView(
        subgroup=subgroup,
        lead=lead_name(session, subgroup),
        scale=reference.rag_scale(session, partnership_id),
        themes=reference.themes_of_subgroup(session, partnership_id, subgroup.id),
        versions=tor_versions(session, subgroup.id),
        members=members(session, subgroup.id),
        rows=rows,
        counts=plan.summarise([r for r in rows if r.status != ActionStatus.CANCELLED]),
        updates=latest_updates(session, partnership_id, subgroup.id, limit=10),
        can_edit=can_edit,
        others=[s for s in reference.subgroups(session, partnership_id) if s.id != subgroup.id] if can_edit else [],
        # A lead of the subgroup or an administrator may add actions to it (actions.create_action checks again).
        action_choices=EditChoices(reference.objectives(session, partnership_id), reference.people(session, partnership_id),
                                   reference.outcomes(session, partnership_id)) if can_edit else None,
    )
