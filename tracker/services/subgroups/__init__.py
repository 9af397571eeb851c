"""Subgroups in one place: setting them up (create), their members, their terms of reference
(terms), the read models of the subgroup pages (views) and the subgroup page's whole view model
(page: import it as `tracker.services.subgroups.page`; it needs services.actions, which imports this).

`from tracker.services import subgroups` then `subgroups.add_member(...)` works for every public
name of the package.
"""

from tracker.services.subgroups.create import (
    SUBGROUP_FIELDS,
    SUBGROUP_STATUSES,
    create_subgroup,
    edit_subgroup,
)
from tracker.services.subgroups.members import MemberRow, add_member, members, remove_member
from tracker.services.subgroups.terms import (
    TOR_FIELDS,
    TorVersion,
    current_tor_version,
    record_tor_version,
    tor_in_force,
    tor_is_approved,
    tor_review_overdue,
    tor_versions,
)
from tracker.services.subgroups.views import (
    RecentUpdate,
    SubgroupSummary,
    latest_updates,
    lead_name,
    subgroup_summaries,
)

__all__ = [
    "SUBGROUP_FIELDS",
    "SUBGROUP_STATUSES",
    "create_subgroup",
    "edit_subgroup",
    "MemberRow",
    "add_member",
    "members",
    "remove_member",
    "TOR_FIELDS",
    "TorVersion",
    "current_tor_version",
    "record_tor_version",
    "tor_in_force",
    "tor_is_approved",
    "tor_review_overdue",
    "tor_versions",
    "RecentUpdate",
    "SubgroupSummary",
    "latest_updates",
    "lead_name",
    "subgroup_summaries",
]
