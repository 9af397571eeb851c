"""Evidence from the tracker's own data (delivery plan, terms of reference, membership), shown beside
each dimension as a hint for the raters: never a score."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from tracker.domain import CORE_SECTORS, sector_label
from tracker.formatting import long_date
from tracker.services.maturity.framework import FrameworkView
from tracker.services.plan import OPEN_STATUSES, PlanFilter, plan_rows
from tracker.services.reference import get_partnership
from tracker.services.subgroups import members, tor_versions

ON_TRACK_RAGS = ("green", "blue")


@dataclass
class Hint:
    kind: str  # delivery / governance / membership
    headline: str
    facts: list[str]
    figures: dict[str, Any] = field(default_factory=dict)


def hint_kind(dimension_key: str) -> str | None:
    """Which of the tracker's evidence fits a dimension, from its stable key."""
    key = dimension_key.lower()
    if "deliver" in key:
        return "delivery"
    if "govern" in key:
        return "governance"
    if "member" in key:
        return "membership"
    return None


def _pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def delivery_hint(session: Session, partnership_id: int, subgroup_id: int, today: date) -> Hint:
    rows = plan_rows(session, partnership_id, today, PlanFilter(subgroup_id=subgroup_id))
    stale_days = get_partnership(session, partnership_id).stale_after_days
    if not rows:
        return Hint("delivery", "No actions in the delivery plan yet.", [], {"actions": 0})
    on_track = sum(r.rag in ON_TRACK_RAGS for r in rows)
    overdue = sum(r.overdue for r in rows)
    open_rows = [r for r in rows if r.status in OPEN_STATUSES]
    recent = sum(1 for r in open_rows if r.last_update and r.last_update >= today - timedelta(days=stale_days))
    figures = {
        "actions": len(rows), "on_track": on_track, "on_track_pct": _pct(on_track, len(rows)),
        "overdue": overdue, "open": len(open_rows), "updated_recently": recent,
        "updated_pct": _pct(recent, len(open_rows)), "stale_after_days": stale_days,
    }
    facts = [
        f"{on_track} of {len(rows)} actions ({figures['on_track_pct']}%) on track or complete (Green or Blue).",
        f"{overdue} action{'s' if overdue != 1 else ''} overdue.",
        f"{recent} of {len(open_rows)} open actions ({figures['updated_pct']}%) updated in the last {stale_days} days."
        if open_rows else "No open actions.",
    ]
    return Hint("delivery", "From the delivery plan today:", facts, figures)


def governance_hint(session: Session, subgroup_id: int, today: date) -> Hint:
    versions = tor_versions(session, subgroup_id)
    if not versions:
        return Hint("governance", "No terms of reference are recorded.", [],
                    {"version": None, "approved": False, "in_review_date": False})
    tor = versions[0].tor
    approved = tor.approved_on is not None
    in_date = tor.review_due is None or tor.review_due >= today
    facts = [
        f"Version {tor.version} approved on {long_date(tor.approved_on)}." if approved
        else f"Version {tor.version} is a draft: not yet approved.",
        "No review date is set." if tor.review_due is None
        else (f"Review due {long_date(tor.review_due)}: in date." if in_date
              else f"Review was due {long_date(tor.review_due)}: overdue."),
    ]
    return Hint("governance", "From the terms of reference:", facts, {
        "version": tor.version, "approved": approved, "approved_on": tor.approved_on,
        "review_due": tor.review_due, "in_review_date": in_date,
    })


def membership_hint(session: Session, subgroup_id: int) -> Hint:
    sectors = {m.sector for m in members(session, subgroup_id)}
    represented = [s for s in CORE_SECTORS if s in sectors]
    missing = [s for s in CORE_SECTORS if s not in sectors]
    facts = [f"{len(represented)} of {len(CORE_SECTORS)} core partners recommended by the national guidance "
             "are represented among the members."]
    if represented:
        facts.append("Represented: " + ", ".join(sector_label(s) for s in represented) + ".")
    if missing:
        facts.append("Not represented: " + ", ".join(sector_label(s) for s in missing) + ".")
    return Hint("membership", "From the membership list:", facts,
                {"represented": represented, "missing": missing})


def evidence_hints(session: Session, partnership_id: int, subgroup_id: int, framework: FrameworkView,
                   today: date) -> dict[int, Hint]:
    """A hint for each dimension the tracker has evidence for, by dimension id."""
    kinds = {d.id: hint_kind(d.key) for d in framework.dimensions}
    computed: dict[str, Hint] = {}
    for kind in set(kinds.values()) - {None}:
        if kind == "delivery":
            computed[kind] = delivery_hint(session, partnership_id, subgroup_id, today)
        elif kind == "governance":
            computed[kind] = governance_hint(session, subgroup_id, today)
        else:
            computed[kind] = membership_hint(session, subgroup_id)
    return {dim_id: computed[kind] for dim_id, kind in kinds.items() if kind}

