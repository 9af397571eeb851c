"""Maturity self-assessment of subgroups: the framework, the assessment workflow and the views.

The framework (dimensions, five levels, a descriptor per dimension and level) is data. An admin's
change never edits it in place: `update_framework` writes version N+1 (a copy with the changes)
and makes it current, so every assessment keeps the version it was scored against.

An assessment round moves open -> agreed -> signed_off:

- a lead of the subgroup (permissions.can_edit_subgroup) opens it and invites members to rate;
- each invited member scores every dimension on their own (score 1-5, evidence, improvement), saving
  drafts until they submit; until then they see only their own ratings, so scores stay independent;
- the tracker shows the spread of the submitted scores per dimension ("split" when the range is 2
  or more), and the lead records the agreed score of each dimension (status agreed);
- the chair (or an admin) moderates: keeps or changes each agreed score, with a comment for a
  change, and signs the assessment off. After that its scores, evidence and comments never change;
  only the link from an improvement to a delivery-plan action may still be set, as follow-up work.

Beside each dimension the tracker offers evidence from its own data (delivery plan, terms of
reference, membership) as a hint for the raters: never a score.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import Field
from sqlalchemy import func
from sqlmodel import Session, select

from tracker.domain import CORE_SECTORS, sector_label
from tracker.formatting import long_date
from tracker.models import (
    Action,
    MaturityAssessment,
    MaturityDescriptor,
    MaturityDimension,
    MaturityFramework,
    MaturityLevel,
    MaturityRater,
    MaturityRating,
    MaturityScore,
    Person,
    Subgroup,
    SubgroupMember,
    utcnow,
)
from tracker.schemas import Input as _Input
from tracker.services import audit
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied, validated
from tracker.services.permissions import (
    can_edit_subgroup,
    is_admin,
    is_chair,
    require_chair_or_admin,
    require_edit_subgroup,
)
from tracker.services.permissions import require_admin as _require_admin
from tracker.services.plan import OPEN_STATUSES, PlanFilter, plan_rows
from tracker.services.reference import get_partnership, get_subgroup
from tracker.services.subgroups import members, tor_versions

LEVELS = (1, 2, 3, 4, 5)
DEFAULT_LEVEL_NAMES = {1: "Not yet in place", 2: "Developing", 3: "Established", 4: "Embedded", 5: "Exemplary"}
# Raters "split" on a dimension when their scores are this far apart or more: discuss it first.
SPLIT_RANGE = 2
STATUS_LABELS = {"open": "Open for ratings", "agreed": "Agreed, awaiting sign-off", "signed_off": "Signed off"}
COMPLETED = ("agreed", "signed_off")
ON_TRACK_RAGS = ("green", "blue")
MAX_TEXT = 5000
MAX_DESCRIPTOR = 2000


class OpenAssessmentIn(_Input):
    title: str = Field(min_length=3, max_length=200)
    rater_ids: list[int] = Field(default_factory=list)


# --- The framework ----------------------------------------------------------------------------


@dataclass
class DimensionView:
    id: int
    key: str
    number: int
    name: str
    description: str
    descriptors: dict[int, str]


@dataclass
class FrameworkView:
    id: int
    partnership_id: int
    name: str
    version: int
    is_current: bool
    created_at: datetime
    levels: dict[int, str]
    dimensions: list[DimensionView]

    def level_name(self, level: int | None) -> str:
        if level is None:
            return ""
        return self.levels.get(level) or DEFAULT_LEVEL_NAMES.get(level, str(level))

    def dimension(self, dimension_id: int) -> DimensionView:
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(dimension_id)

    @property
    def by_id(self) -> dict[int, DimensionView]:
        return {d.id: d for d in self.dimensions}


def framework_view(session: Session, framework_id: int) -> FrameworkView:
    fw = session.get(MaturityFramework, framework_id)
    if fw is None:
        raise NotFound(f"There is no maturity framework {framework_id}.")
    levels = {lv.level: lv.name for lv in session.exec(
        select(MaturityLevel).where(MaturityLevel.framework_id == fw.id).order_by(MaturityLevel.level))}
    dims = session.exec(select(MaturityDimension).where(MaturityDimension.framework_id == fw.id)
                        .order_by(MaturityDimension.number, MaturityDimension.id)).all()
    descriptors: dict[int, dict[int, str]] = defaultdict(dict)
    if dims:
        for d in session.exec(select(MaturityDescriptor).where(
                MaturityDescriptor.dimension_id.in_([dim.id for dim in dims]))):
            descriptors[d.dimension_id][d.level] = d.text
    return FrameworkView(
        id=fw.id, partnership_id=fw.partnership_id, name=fw.name, version=fw.version, is_current=fw.is_current,
        created_at=fw.created_at, levels=levels,
        dimensions=[DimensionView(d.id, d.key, d.number, d.name, d.description, dict(sorted(descriptors[d.id].items())))
                    for d in dims],
    )


def _current_framework_row(session: Session, partnership_id: int) -> MaturityFramework | None:
    return session.exec(
        select(MaturityFramework).where(MaturityFramework.partnership_id == partnership_id)
        .order_by(MaturityFramework.is_current.desc(), MaturityFramework.version.desc())
    ).first()


def current_framework(session: Session, partnership_id: int) -> FrameworkView:
    """The framework new assessments use: the current version."""
    fw = _current_framework_row(session, partnership_id)
    if fw is None:
        raise NotFound("No maturity framework has been set up yet: an administrator must add one.")
    return framework_view(session, fw.id)


def framework_versions(session: Session, partnership_id: int) -> list[MaturityFramework]:
    """Every version of the partnership's framework, newest first."""
    return list(session.exec(
        select(MaturityFramework).where(MaturityFramework.partnership_id == partnership_id)
        .order_by(MaturityFramework.version.desc())
    ).all())


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _level_number(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number in LEVELS else None


def update_framework(session: Session, actor: Person, changes: dict) -> MaturityFramework:
    """Write version N+1 of the framework: a copy of the current version with `changes` applied.

    `changes` may hold:
      based_on_version: the version the editor started from (a newer one refuses the save);
      name: the framework's name;
      levels: {level: name};
      dimensions: {key: {"name": ..., "description": ..., "descriptors": {level: text}}}.
    Errors name the field: "name", "levels.3", "dimensions.<key>.name",
    "dimensions.<key>.description", "dimensions.<key>.descriptors.<level>".
    """
    _require_admin(actor)
    current = current_framework(session, actor.partnership_id)
    unknown = set(changes) - {"based_on_version", "name", "levels", "dimensions"}
    if unknown:
        raise InvalidInput({k: "This field is not expected" for k in sorted(unknown)})
    based_on = changes.get("based_on_version")
    if based_on is not None and int(based_on) != current.version:
        raise Conflict(
            f"Version {current.version} of the framework was saved after you opened version {based_on}. "
            "Nothing was saved: reload to see it, then make your change again."
        )

    errors: dict[str, str] = {}
    name = current.name
    if changes.get("name") is not None:
        name = _text(changes["name"])
        if not 3 <= len(name) <= 200:
            errors["name"] = "Give the framework a name of 3 to 200 characters"

    levels = dict(current.levels)
    for raw_level, raw_name in (changes.get("levels") or {}).items():
        level = _level_number(raw_level)
        if level is None:
            errors[f"levels.{raw_level}"] = "Levels are numbered 1 to 5"
            continue
        level_name = _text(raw_name)
        if not 1 <= len(level_name) <= 60:
            errors[f"levels.{level}"] = f"Give level {level} a name of up to 60 characters"
        levels[level] = level_name

    by_key = {d.key: d for d in current.dimensions}
    new_dims = {d.key: DimensionView(0, d.key, d.number, d.name, d.description, dict(d.descriptors))
                for d in current.dimensions}
    for key, dim_changes in (changes.get("dimensions") or {}).items():
        if key not in by_key:
            errors[f"dimensions.{key}"] = f"There is no dimension {key!r} in version {current.version}"
            continue
        dim = new_dims[key]
        label = by_key[key].name
        dim_changes = dim_changes or {}
        for extra in set(dim_changes) - {"name", "description", "descriptors"}:
            errors[f"dimensions.{key}.{extra}"] = "This field is not expected"
        if dim_changes.get("name") is not None:
            dim.name = _text(dim_changes["name"])
            if not 3 <= len(dim.name) <= 200:
                errors[f"dimensions.{key}.name"] = f"{label}: give the dimension a name of 3 to 200 characters"
        if dim_changes.get("description") is not None:
            dim.description = _text(dim_changes["description"])
            if len(dim.description) > MAX_DESCRIPTOR:
                errors[f"dimensions.{key}.description"] = (
                    f"{label}: shorten the description to {MAX_DESCRIPTOR} characters or fewer")
        for raw_level, raw_text in (dim_changes.get("descriptors") or {}).items():
            level = _level_number(raw_level)
            if level is None:
                errors[f"dimensions.{key}.descriptors.{raw_level}"] = "Levels are numbered 1 to 5"
                continue
            text = _text(raw_text)
            if not 10 <= len(text) <= MAX_DESCRIPTOR:
                errors[f"dimensions.{key}.descriptors.{level}"] = (
                    f"{label}, level {level}: describe the level in 10 to {MAX_DESCRIPTOR} characters")
            dim.descriptors[level] = text
    if errors:
        raise InvalidInput(errors)

    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if name != current.name:
        before["name"], after["name"] = current.name, name
    for level in LEVELS:
        if levels.get(level) != current.levels.get(level):
            before[f"levels.{level}"], after[f"levels.{level}"] = current.levels.get(level), levels.get(level)
    for key, dim in new_dims.items():
        old = by_key[key]
        for attr in ("name", "description"):
            if getattr(dim, attr) != getattr(old, attr):
                before[f"dimensions.{key}.{attr}"] = getattr(old, attr)
                after[f"dimensions.{key}.{attr}"] = getattr(dim, attr)
        for level in LEVELS:
            if dim.descriptors.get(level) != old.descriptors.get(level):
                before[f"dimensions.{key}.descriptors.{level}"] = old.descriptors.get(level)
                after[f"dimensions.{key}.descriptors.{level}"] = dim.descriptors.get(level)
    if not after:
        raise InvalidInput({"": "Nothing has changed: edit a name, a description or a descriptor, then save."})

    for row in session.exec(select(MaturityFramework).where(
            MaturityFramework.partnership_id == actor.partnership_id, MaturityFramework.is_current)):
        row.is_current = False
        session.add(row)
    latest = session.exec(select(func.max(MaturityFramework.version)).where(
        MaturityFramework.partnership_id == actor.partnership_id)).one() or 0
    # The unique (partnership_id, version) constraint stops a concurrent admin who passed the check too.
    fw = MaturityFramework(partnership_id=actor.partnership_id, name=name, version=latest + 1, is_current=True)
    session.add(fw)
    session.flush()
    for level in sorted(levels):
        session.add(MaturityLevel(framework_id=fw.id, level=level, name=levels[level]))
    for dim in new_dims.values():
        row = MaturityDimension(framework_id=fw.id, number=dim.number, key=dim.key, name=dim.name,
                                description=dim.description)
        session.add(row)
        session.flush()
        for level, text in sorted(dim.descriptors.items()):
            session.add(MaturityDescriptor(dimension_id=row.id, level=level, text=text))
    before["version"], after["version"] = current.version, fw.version
    audit.record(session, actor, "create", fw, before=before, after=after,
                 summary=f"Maturity framework version {fw.version} ({len(after) - 1} change(s) to version "
                         f"{current.version})")
    session.flush()
    return fw


# --- Reading assessments ----------------------------------------------------------------------


@dataclass
class AssessmentSummary:
    id: int
    subgroup_id: int
    subgroup: str
    title: str
    status: str
    opened_on: date
    opened_by: str
    agreed_on: date | None
    signed_off_on: date | None
    signed_off_by: str
    framework_id: int
    framework_version: int
    raters: int
    submitted: int
    illustrative: bool
    chair_comment: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def as_at(self) -> date:
        """The date an assessment speaks for: when its scores were agreed (or opened, while open)."""
        return self.agreed_on or self.opened_on


def get_assessment(session: Session, partnership_id: int, assessment_id: int) -> MaturityAssessment:
    assessment = session.get(MaturityAssessment, assessment_id)
    subgroup = session.get(Subgroup, assessment.subgroup_id) if assessment else None
    if assessment is None or subgroup is None or subgroup.partnership_id != partnership_id:
        raise NotFound(f"There is no assessment {assessment_id}.")
    return assessment


def _summaries(session: Session, assessments: list[MaturityAssessment]) -> list[AssessmentSummary]:
    if not assessments:
        return []
    ids = [a.id for a in assessments]
    subgroups = {s.id: s.name for s in session.exec(
        select(Subgroup).where(Subgroup.id.in_({a.subgroup_id for a in assessments})))}
    people_ids = {pid for a in assessments for pid in (a.opened_by_id, a.signed_off_by_id) if pid}
    names = {p.id: p.name for p in session.exec(select(Person).where(Person.id.in_(people_ids)))} if people_ids else {}
    versions = {f.id: f.version for f in session.exec(
        select(MaturityFramework).where(MaturityFramework.id.in_({a.framework_id for a in assessments})))}
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for rater in session.exec(select(MaturityRater).where(MaturityRater.assessment_id.in_(ids))):
        counts[rater.assessment_id][0] += 1
        counts[rater.assessment_id][1] += rater.submitted_at is not None
    return [
        AssessmentSummary(
            id=a.id, subgroup_id=a.subgroup_id, subgroup=subgroups.get(a.subgroup_id, ""), title=a.title,
            status=a.status, opened_on=a.opened_on, opened_by=names.get(a.opened_by_id, "Seed data"),
            agreed_on=a.agreed_on, signed_off_on=a.signed_off_on,
            signed_off_by=names.get(a.signed_off_by_id, "") if a.signed_off_by_id else "",
            framework_id=a.framework_id, framework_version=versions.get(a.framework_id, 0),
            raters=counts[a.id][0], submitted=counts[a.id][1], illustrative=a.illustrative,
            chair_comment=a.chair_comment,
        )
        for a in assessments
    ]


def _ordered(query):
    return query.order_by(func.coalesce(MaturityAssessment.agreed_on, MaturityAssessment.opened_on),
                          MaturityAssessment.opened_on, MaturityAssessment.id)


def assessment_history(session: Session, partnership_id: int, subgroup_id: int) -> list[AssessmentSummary]:
    """Every assessment of a subgroup, newest first: the history is kept."""
    get_subgroup(session, partnership_id, subgroup_id)
    rows = session.exec(_ordered(select(MaturityAssessment).where(MaturityAssessment.subgroup_id == subgroup_id))).all()
    return list(reversed(_summaries(session, list(rows))))


def assessments_in_progress(session: Session, partnership_id: int) -> list[AssessmentSummary]:
    """Rounds not yet signed off, across the partnership (open first, then awaiting sign-off)."""
    rows = session.exec(_ordered(
        select(MaturityAssessment).join(Subgroup, Subgroup.id == MaturityAssessment.subgroup_id)
        .where(Subgroup.partnership_id == partnership_id, MaturityAssessment.status != "signed_off"))).all()
    return sorted(_summaries(session, list(rows)), key=lambda s: (s.status != "open", s.subgroup))


def awaiting_my_rating(session: Session, actor: Person) -> list[AssessmentSummary]:
    """Open rounds the person is invited to and has not yet submitted."""
    rows = session.exec(
        select(MaturityAssessment).join(MaturityRater, MaturityRater.assessment_id == MaturityAssessment.id)
        .where(MaturityRater.person_id == actor.id, MaturityRater.submitted_at.is_(None),
               MaturityAssessment.status == "open")
        .order_by(MaturityAssessment.opened_on)
    ).all()
    return _summaries(session, list(rows))


def eligible_raters(session: Session, partnership_id: int, subgroup_id: int) -> list[Person]:
    """Who may be invited to rate: the subgroup's lead and members who can take part (not viewers)."""
    subgroup = get_subgroup(session, partnership_id, subgroup_id)
    ids = set(session.exec(select(SubgroupMember.person_id).where(SubgroupMember.subgroup_id == subgroup.id)).all())
    if subgroup.lead_id:
        ids.add(subgroup.lead_id)
    if not ids:
        return []
    return list(session.exec(
        select(Person).where(Person.id.in_(ids), Person.is_active, Person.role != "viewer",
                             Person.partnership_id == partnership_id).order_by(Person.name)
    ).all())


# --- The spread of independent ratings ---------------------------------------------------------


@dataclass
class Spread:
    scores: list[int]

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def low(self) -> int | None:
        return min(self.scores) if self.scores else None

    @property
    def high(self) -> int | None:
        return max(self.scores) if self.scores else None

    @property
    def range(self) -> int | None:
        return self.high - self.low if self.scores else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.scores else None

    @property
    def split(self) -> bool:
        return bool(self.scores) and self.range >= SPLIT_RANGE

    @property
    def agreement(self) -> str:
        if not self.scores:
            return "No ratings yet"
        if self.split:
            return "Split: discuss"
        return "Agree" if self.range == 0 else "Close"


def compute_spread(scores: list[int | None]) -> Spread:
    return Spread(sorted(s for s in scores if s is not None))


# --- Evidence from the tracker's own data (hints, never scores) --------------------------------


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


# --- The workflow -----------------------------------------------------------------------------


def _subgroup_of(session: Session, assessment: MaturityAssessment) -> Subgroup:
    return session.get(Subgroup, assessment.subgroup_id)


def _refuse_if_signed_off(assessment: MaturityAssessment) -> None:
    if assessment.status == "signed_off":
        raise InvalidInput({"status": f"This assessment was signed off on {long_date(assessment.signed_off_on)}: "
                                      "it can no longer change. Open a new round to assess again."})


def _load_for_write(session: Session, actor: Person, assessment_id: int) -> tuple[MaturityAssessment, Subgroup]:
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to make changes.")
    assessment = get_assessment(session, actor.partnership_id, assessment_id)
    return assessment, _subgroup_of(session, assessment)


def open_assessment(session: Session, actor: Person, subgroup_id: int, data: dict, today: date) -> MaturityAssessment:
    """A lead of the subgroup opens a round against the current framework and invites raters."""
    if actor is None:
        raise PermissionDenied("Sign in to make changes.")
    subgroup = get_subgroup(session, actor.partnership_id, subgroup_id)
    require_edit_subgroup(session, actor, subgroup)
    payload = validated(OpenAssessmentIn, data)
    eligible = {p.id: p for p in eligible_raters(session, actor.partnership_id, subgroup.id)}
    rater_ids = list(dict.fromkeys(payload.rater_ids))
    if not rater_ids:
        raise InvalidInput({"rater_ids": "Invite at least one member of the subgroup to rate"})
    strangers = [i for i in rater_ids if i not in eligible]
    if strangers:
        raise InvalidInput({"rater_ids": "Invite only members of the subgroup who can sign in (not viewers)"})
    in_progress = session.exec(select(MaturityAssessment).where(
        MaturityAssessment.subgroup_id == subgroup.id, MaturityAssessment.status != "signed_off")).first()
    if in_progress:
        raise InvalidInput({"": f"“{in_progress.title}” is still in progress ({STATUS_LABELS[in_progress.status]}): "
                                "finish it and have it signed off before opening another round."})
    try:
        framework = current_framework(session, actor.partnership_id)
    except NotFound as exc:
        raise InvalidInput({"": str(exc)}) from None
    if not framework.dimensions:
        raise InvalidInput({"": "The maturity framework has no dimensions: an administrator must add them."})
    assessment = MaturityAssessment(subgroup_id=subgroup.id, framework_id=framework.id, title=payload.title,
                                    status="open", opened_by_id=actor.id, opened_on=today)
    session.add(assessment)
    session.flush()
    for person_id in rater_ids:
        session.add(MaturityRater(assessment_id=assessment.id, person_id=person_id))
    after = audit.snapshot(assessment) | {"raters": [eligible[i].name for i in rater_ids]}
    audit.record(session, actor, "create", assessment, after=after, partnership_id=subgroup.partnership_id,
                 summary=f"Maturity assessment “{assessment.title}” of {subgroup.name} opened; "
                         f"{len(rater_ids)} rater(s) invited")
    session.flush()
    return assessment


def invite_raters(session: Session, actor: Person, assessment_id: int, person_ids: list[int]) -> list[MaturityRater]:
    """Invite more members while the round is open."""
    assessment, subgroup = _load_for_write(session, actor, assessment_id)
    require_edit_subgroup(session, actor, subgroup)
    _refuse_if_signed_off(assessment)
    if assessment.status != "open":
        raise InvalidInput({"status": "The scores are agreed: it is too late to invite more raters."})
    eligible = {p.id: p for p in eligible_raters(session, actor.partnership_id, subgroup.id)}
    invited = set(session.exec(select(MaturityRater.person_id).where(
        MaturityRater.assessment_id == assessment.id)).all())
    new_ids = [i for i in dict.fromkeys(person_ids) if i not in invited]
    if not new_ids:
        raise InvalidInput({"rater_ids": "Choose at least one member who is not yet invited"})
    if any(i not in eligible for i in new_ids):
        raise InvalidInput({"rater_ids": "Invite only members of the subgroup who can sign in (not viewers)"})
    raters = []
    for person_id in new_ids:
        rater = MaturityRater(assessment_id=assessment.id, person_id=person_id)
        session.add(rater)
        raters.append(rater)
        audit.record(session, actor, "create", rater, partnership_id=subgroup.partnership_id,
                     summary=f"{eligible[person_id].name} invited to rate “{assessment.title}”")
    session.flush()
    return raters


def _score(value: Any) -> tuple[int | None, bool]:
    """(score, ok): blank is (None, True); anything but a whole number from 1 to 5 is not ok."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, float):
        if not value.is_integer():
            return None, False
        value = int(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        return None, False
    return (number, True) if number in LEVELS else (None, False)


def _dimension_ids(framework: FrameworkView, entries: dict) -> dict[int, Any]:
    """The entries keyed by dimension id; refuses dimensions of another framework version."""
    by_id = framework.by_id
    result = {}
    for raw, value in entries.items():
        try:
            dim_id = int(raw)
        except (TypeError, ValueError):
            dim_id = None
        if dim_id not in by_id:
            raise InvalidInput({"": "The form is out of date (a dimension is not in this assessment's framework): "
                                    "reload the page."})
        result[dim_id] = value or {}
    return result


def _check_texts(errors: dict, dim: DimensionView, entry: dict, fields: tuple[str, ...]) -> dict[str, str]:
    texts = {}
    for name in fields:
        texts[name] = _text(entry.get(name))
        if len(texts[name]) > MAX_TEXT:
            errors[f"{dim.id}.{name}"] = f"{dim.name}: shorten this to {MAX_TEXT} characters or fewer"
    return texts


def _require_complete(errors: dict, dim: DimensionView, score: int | None, evidence: str, improvement: str,
                      score_field: str) -> None:
    if score is None:
        errors.setdefault(f"{dim.id}.{score_field}", f"{dim.name}: choose a score from 1 to 5")
    if not evidence:
        errors.setdefault(f"{dim.id}.evidence", f"{dim.name}: give the evidence for the score")
    if score is not None and score < 5 and not improvement:
        errors.setdefault(f"{dim.id}.improvement", f"{dim.name}: say what would move it to the next level")


def save_ratings(session: Session, actor: Person, assessment_id: int, ratings: dict, submit: bool = False
                 ) -> list[MaturityRating]:
    """An invited rater saves their own scores: a draft they can change, or (submit) final.

    `ratings` maps dimension id -> {"score": 1..5 or blank, "evidence": str, "improvement": str}.
    A draft may leave anything blank; submitting needs a score and evidence for every dimension, and
    an improvement for every score below 5. Errors are keyed "<dimension id>.<field>".
    """
    assessment, subgroup = _load_for_write(session, actor, assessment_id)
    rater = session.get(MaturityRater, (assessment.id, actor.id))
    if rater is None:
        raise PermissionDenied("Only the members invited to rate this assessment can rate it.")
    _refuse_if_signed_off(assessment)
    if assessment.status != "open":
        raise InvalidInput({"status": "Rating has closed: the subgroup has agreed its scores."})
    if rater.submitted_at is not None:
        raise InvalidInput({"": f"You submitted your ratings on {long_date(rater.submitted_at)}: "
                                "they can no longer change."})
    framework = framework_view(session, assessment.framework_id)
    entries = _dimension_ids(framework, ratings or {})
    existing = {r.dimension_id: r for r in session.exec(select(MaturityRating).where(
        MaturityRating.assessment_id == assessment.id, MaturityRating.rater_id == actor.id))}

    errors: dict[str, str] = {}
    merged: dict[int, tuple[int | None, str, str]] = {}
    for dim in framework.dimensions:
        old = existing.get(dim.id)
        values = (old.score, old.evidence, old.improvement) if old else (None, "", "")
        if dim.id in entries:
            entry = entries[dim.id]
            score, ok = _score(entry.get("score"))
            if not ok:
                errors[f"{dim.id}.score"] = f"{dim.name}: choose a score from 1 to 5"
            texts = _check_texts(errors, dim, entry, ("evidence", "improvement"))
            values = (score, texts["evidence"], texts["improvement"])
        merged[dim.id] = values
        if submit:
            _require_complete(errors, dim, *values, score_field="score")
    if errors:
        raise InvalidInput(errors)

    now = utcnow()
    saved = []
    for dim in framework.dimensions:
        score, evidence, improvement = merged[dim.id]
        row = existing.get(dim.id)
        if row is None:
            if dim.id not in entries:
                continue
            row = MaturityRating(assessment_id=assessment.id, rater_id=actor.id, dimension_id=dim.id,
                                 score=score, evidence=evidence, improvement=improvement, updated_at=now)
            session.add(row)
            session.flush()
            audit.record(session, actor, "create", row, partnership_id=subgroup.partnership_id,
                         summary=f"Draft rating of {dim.name} in “{assessment.title}”")
        elif (row.score, row.evidence, row.improvement) != (score, evidence, improvement):
            before = audit.snapshot(row, ["score", "evidence", "improvement"])
            row.score, row.evidence, row.improvement, row.updated_at = score, evidence, improvement, now
            session.add(row)
            audit.record(session, actor, "update", row, before=before,
                         after=audit.snapshot(row, ["score", "evidence", "improvement"]),
                         partnership_id=subgroup.partnership_id,
                         summary=f"Draft rating of {dim.name} in “{assessment.title}” changed")
        saved.append(row)
    if submit:
        rater.submitted_at = now
        session.add(rater)
        audit.record(session, actor, "submit", rater, partnership_id=subgroup.partnership_id,
                     summary=f"{actor.name} submitted their ratings for “{assessment.title}”")
    session.flush()
    return saved


def _lead_or_chair(session: Session, actor: Person, subgroup: Subgroup) -> bool:
    return can_edit_subgroup(session, actor, subgroup) or (
        is_chair(actor) and actor.partnership_id == subgroup.partnership_id)


def ratings_visible(session: Session, actor: Person | None, assessment: MaturityAssessment) -> bool:
    """Whether `actor` may see everyone's submitted ratings (else only their own).

    An invited rater who has not submitted sees only their own while the round is open, so their
    scores stay independent. Leads, the chair and admins see submitted ratings at any time, other
    raters once they have submitted, and everyone else in the partnership once scores are agreed.
    """
    if actor is None or not actor.is_active:
        return False
    subgroup = _subgroup_of(session, assessment)
    if actor.partnership_id != subgroup.partnership_id:
        return False
    rater = session.get(MaturityRater, (assessment.id, actor.id))
    if assessment.status == "open":
        if rater is not None:
            return rater.submitted_at is not None
        return _lead_or_chair(session, actor, subgroup)
    return True


@dataclass
class RatingRow:
    dimension_id: int
    rater_id: int
    rater: str
    score: int | None
    evidence: str
    improvement: str
    submitted: bool


def visible_ratings(session: Session, actor: Person, assessment_id: int) -> list[RatingRow]:
    """The ratings `actor` may see: their own (draft or not), and others' submitted ones if allowed."""
    assessment = get_assessment(session, actor.partnership_id, assessment_id)
    submitted = {r.person_id: r.submitted_at is not None for r in session.exec(
        select(MaturityRater).where(MaturityRater.assessment_id == assessment.id))}
    show_all = ratings_visible(session, actor, assessment)
    rows = session.exec(
        select(MaturityRating, Person).join(Person, Person.id == MaturityRating.rater_id)
        .where(MaturityRating.assessment_id == assessment.id).order_by(Person.name)
    ).all()
    return [
        RatingRow(r.dimension_id, r.rater_id, p.name, r.score, r.evidence, r.improvement, submitted.get(p.id, False))
        for r, p in rows
        if r.rater_id == actor.id or (show_all and submitted.get(r.rater_id, False))
    ]


def _spread_by_dimension(framework: FrameworkView, rows: list[RatingRow]) -> dict[int, Spread]:
    scores: dict[int, list[int | None]] = defaultdict(list)
    for row in rows:
        if row.submitted:
            scores[row.dimension_id].append(row.score)
    return {d.id: compute_spread(scores[d.id]) for d in framework.dimensions}


def spreads(session: Session, actor: Person, assessment_id: int) -> dict[int, Spread] | None:
    """Per dimension id, the spread of submitted scores; None when `actor` may not see them yet."""
    assessment = get_assessment(session, actor.partnership_id, assessment_id)
    if not ratings_visible(session, actor, assessment):
        return None
    return _spread_by_dimension(framework_view(session, assessment.framework_id),
                                visible_ratings(session, actor, assessment_id))


def record_agreed_scores(session: Session, actor: Person, assessment_id: int, scores: dict, today: date
                         ) -> list[MaturityScore]:
    """The lead records the score the subgroup agreed on each dimension; the round becomes agreed.

    `scores` maps dimension id -> {"agreed_score": 1..5, "evidence": str, "improvement": str}; every
    dimension needs a score and evidence, and an improvement for scores below 5.
    """
    assessment, subgroup = _load_for_write(session, actor, assessment_id)
    require_edit_subgroup(session, actor, subgroup)
    _refuse_if_signed_off(assessment)
    if assessment.status != "open":
        raise InvalidInput({"status": f"The scores were agreed on {long_date(assessment.agreed_on)}: the chair "
                                      "moderates them now."})
    own = session.get(MaturityRater, (assessment.id, actor.id))
    if own is not None and own.submitted_at is None:
        raise InvalidInput({"": "Submit your own ratings first: you were invited to rate, and your scores "
                                "should be independent of the agreed ones."})
    submitted = session.exec(select(func.count()).select_from(MaturityRater).where(
        MaturityRater.assessment_id == assessment.id, MaturityRater.submitted_at.is_not(None))).one()
    if not submitted:
        raise InvalidInput({"": "No one has submitted their ratings yet: agree the scores once at least one "
                                "invited member has submitted."})
    framework = framework_view(session, assessment.framework_id)
    entries = _dimension_ids(framework, scores or {})
    errors: dict[str, str] = {}
    values: dict[int, tuple[int | None, str, str]] = {}
    for dim in framework.dimensions:
        entry = entries.get(dim.id, {})
        score, ok = _score(entry.get("agreed_score"))
        if not ok:
            errors[f"{dim.id}.agreed_score"] = f"{dim.name}: choose a score from 1 to 5"
        texts = _check_texts(errors, dim, entry, ("evidence", "improvement"))
        values[dim.id] = (score, texts["evidence"], texts["improvement"])
        _require_complete(errors, dim, *values[dim.id], score_field="agreed_score")
    if errors:
        raise InvalidInput(errors)

    rows = []
    for dim in framework.dimensions:
        score, evidence, improvement = values[dim.id]
        row = MaturityScore(assessment_id=assessment.id, dimension_id=dim.id, agreed_score=score,
                            evidence=evidence, improvement=improvement)
        session.add(row)
        rows.append(row)
    session.flush()
    for row, dim in zip(rows, framework.dimensions, strict=True):
        audit.record(session, actor, "create", row, partnership_id=subgroup.partnership_id,
                     summary=f"Agreed score of {dim.name} in “{assessment.title}”: {row.agreed_score}")
    before = audit.snapshot(assessment, ["status", "agreed_by_id", "agreed_on"])
    assessment.status, assessment.agreed_by_id, assessment.agreed_on = "agreed", actor.id, today
    session.add(assessment)
    audit.record(session, actor, "agree", assessment, before=before,
                 after=audit.snapshot(assessment, ["status", "agreed_by_id", "agreed_on"]),
                 partnership_id=subgroup.partnership_id,
                 summary=f"Scores of “{assessment.title}” ({subgroup.name}) agreed")
    session.flush()
    return rows


def _scores_by_dimension(session: Session, assessment_id: int) -> dict[int, MaturityScore]:
    return {s.dimension_id: s for s in session.exec(
        select(MaturityScore).where(MaturityScore.assessment_id == assessment_id))}


def moderate(session: Session, actor: Person, assessment_id: int, moderations: dict) -> list[MaturityScore]:
    """The chair (or an admin) keeps or changes agreed scores; a change needs a comment.

    `moderations` maps dimension id -> {"moderated_score": 1..5, "comment": str}.
    """
    require_chair_or_admin(actor)
    assessment, subgroup = _load_for_write(session, actor, assessment_id)
    _refuse_if_signed_off(assessment)
    if assessment.status != "agreed":
        raise InvalidInput({"status": "The subgroup has not agreed its scores yet: moderate them once it has."})
    framework = framework_view(session, assessment.framework_id)
    entries = _dimension_ids(framework, moderations or {})
    if not entries:
        raise InvalidInput({"": "Nothing to moderate: keep or change at least one score."})
    current = _scores_by_dimension(session, assessment.id)
    errors: dict[str, str] = {}
    values = {}
    for dim_id, entry in entries.items():
        dim = framework.dimension(dim_id)
        score, ok = _score(entry.get("moderated_score"))
        if score is None:
            errors[f"{dim_id}.moderated_score"] = f"{dim.name}: choose the moderated score from 1 to 5"
            continue
        comment = _text(entry.get("comment"))
        if len(comment) > MAX_TEXT:
            errors[f"{dim_id}.comment"] = f"{dim.name}: shorten the comment to {MAX_TEXT} characters or fewer"
        agreed = current[dim_id].agreed_score
        if score != agreed and not comment:
            errors[f"{dim_id}.comment"] = (f"{dim.name}: say why you changed the agreed score from {agreed} to "
                                           f"{score}")
        values[dim_id] = (score, comment)
    if errors:
        raise InvalidInput(errors)

    changed = []
    for dim_id, (score, comment) in values.items():
        row = current[dim_id]
        if (row.moderated_score, row.moderation_comment) == (score, comment):
            continue
        before = audit.snapshot(row, ["moderated_score", "moderation_comment"])
        row.moderated_score, row.moderation_comment = score, comment
        session.add(row)
        dim = framework.dimension(dim_id)
        verdict = "kept" if score == row.agreed_score else f"changed from {row.agreed_score} to {score}"
        audit.record(session, actor, "moderate", row, before=before,
                     after=audit.snapshot(row, ["moderated_score", "moderation_comment"]),
                     partnership_id=subgroup.partnership_id,
                     summary=f"{dim.name} in “{assessment.title}”: score {verdict}")
        changed.append(row)
    session.flush()
    return changed


def sign_off(session: Session, actor: Person, assessment_id: int, comment: str, today: date) -> MaturityAssessment:
    """The chair (or an admin) signs off agreed scores; after this nothing in them changes."""
    require_chair_or_admin(actor)
    assessment, subgroup = _load_for_write(session, actor, assessment_id)
    _refuse_if_signed_off(assessment)
    if assessment.status != "agreed":
        raise InvalidInput({"status": "The subgroup has not agreed its scores yet: sign off once it has."})
    comment = _text(comment)
    if len(comment) > MAX_TEXT:
        raise InvalidInput({"chair_comment": f"Shorten the comment to {MAX_TEXT} characters or fewer"})
    fields = ["status", "signed_off_by_id", "signed_off_on", "chair_comment"]
    before = audit.snapshot(assessment, fields)
    assessment.status, assessment.signed_off_by_id = "signed_off", actor.id
    assessment.signed_off_on, assessment.chair_comment = today, comment
    session.add(assessment)
    audit.record(session, actor, "sign_off", assessment, before=before, after=audit.snapshot(assessment, fields),
                 partnership_id=subgroup.partnership_id,
                 summary=f"“{assessment.title}” ({subgroup.name}) signed off")
    session.flush()
    return assessment


def link_improvement_action(session: Session, actor: Person, score_id: int, action_id: int | None) -> MaturityScore:
    """Link a dimension's improvement to the delivery-plan action that carries it out (None unlinks).

    Allowed to a lead of the subgroup, the chair or an admin once scores are agreed, and after
    sign-off too: the link records the follow-up, not the assessment's judgement.
    """
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to make changes.")
    score = session.get(MaturityScore, score_id)
    if score is None:
        raise NotFound(f"There is no score {score_id}.")
    assessment = get_assessment(session, actor.partnership_id, score.assessment_id)
    subgroup = _subgroup_of(session, assessment)
    if not (_lead_or_chair(session, actor, subgroup) or is_admin(actor)):
        raise PermissionDenied(f"Only a lead of {subgroup.name}, the chair or an administrator can link "
                               "improvements to actions.")
    if action_id in (None, "", 0):
        action_id = None
    else:
        try:
            action = session.get(Action, int(action_id))
        except (TypeError, ValueError):
            action = None
        if action is None or action.partnership_id != subgroup.partnership_id:
            raise InvalidInput({"action_id": "Choose an action of this partnership's delivery plan"})
        if action.status == "cancelled":
            raise InvalidInput({"action_id": f"Action {action.ref} is cancelled: choose an action still in the plan"})
        action_id = action.id
    if score.improvement_action_id == action_id:
        return score
    before = audit.snapshot(score, ["improvement_action_id"])
    score.improvement_action_id = action_id
    session.add(score)
    audit.record(session, actor, "update", score, before=before, after=audit.snapshot(score, ["improvement_action_id"]),
                 partnership_id=subgroup.partnership_id,
                 summary=f"Improvement in “{assessment.title}” " + ("linked to an action" if action_id else "unlinked"))
    session.flush()
    return score


# --- Scores and the views over them ------------------------------------------------------------


def final_score(score: MaturityScore) -> int:
    """The score that stands: the chair's moderated score if there is one, else the agreed score."""
    return score.moderated_score if score.moderated_score is not None else score.agreed_score


@dataclass
class ScoreRow:
    score_id: int
    dimension_id: int
    key: str
    number: int
    dimension: str
    agreed_score: int
    moderated_score: int | None
    final_score: int
    level_name: str
    evidence: str
    improvement: str
    moderation_comment: str
    action_id: int | None
    action_ref: str
    action_title: str


def score_rows(session: Session, assessment: MaturityAssessment, framework: FrameworkView | None = None
               ) -> list[ScoreRow]:
    framework = framework or framework_view(session, assessment.framework_id)
    scores = _scores_by_dimension(session, assessment.id)
    action_ids = {s.improvement_action_id for s in scores.values() if s.improvement_action_id}
    actions = {a.id: a for a in session.exec(select(Action).where(Action.id.in_(action_ids)))} if action_ids else {}
    rows = []
    for dim in framework.dimensions:
        s = scores.get(dim.id)
        if s is None:
            continue
        action = actions.get(s.improvement_action_id)
        rows.append(ScoreRow(
            score_id=s.id, dimension_id=dim.id, key=dim.key, number=dim.number, dimension=dim.name,
            agreed_score=s.agreed_score, moderated_score=s.moderated_score, final_score=final_score(s),
            level_name=framework.level_name(final_score(s)), evidence=s.evidence, improvement=s.improvement,
            moderation_comment=s.moderation_comment, action_id=action.id if action else None,
            action_ref=action.ref if action else "", action_title=action.title if action else "",
        ))
    return rows


def _completed(session: Session, partnership_id: int, subgroup_id: int | None = None) -> list[MaturityAssessment]:
    """Agreed and signed-off assessments, oldest first."""
    query = (select(MaturityAssessment).join(Subgroup, Subgroup.id == MaturityAssessment.subgroup_id)
             .where(Subgroup.partnership_id == partnership_id, MaturityAssessment.status.in_(COMPLETED)))
    if subgroup_id is not None:
        query = query.where(MaturityAssessment.subgroup_id == subgroup_id)
    return list(session.exec(_ordered(query)).all())


@dataclass
class AssessedScores:
    summary: AssessmentSummary
    scores: dict[str, int]  # dimension key -> final score
    level_names: dict[int, str]


def _assessed(session: Session, assessments: list[MaturityAssessment]) -> list[AssessedScores]:
    summaries = _summaries(session, assessments)
    frameworks: dict[int, FrameworkView] = {}
    result = []
    for assessment, summary in zip(assessments, summaries, strict=True):
        fw = frameworks.get(assessment.framework_id) or framework_view(session, assessment.framework_id)
        frameworks[fw.id] = fw
        rows = score_rows(session, assessment, fw)
        levels = {lv: fw.level_name(lv) for lv in LEVELS}
        result.append(AssessedScores(summary, {r.key: r.final_score for r in rows}, levels))
    return result


def _dimension_list(session: Session, partnership_id: int, prefer: int | None = None) -> list[tuple[str, str]]:
    """(key, name) of the dimensions, from the given framework version or else the current one."""
    fw = framework_view(session, prefer) if prefer else current_framework(session, partnership_id)
    return [(d.key, d.name) for d in fw.dimensions]


@dataclass
class Comparison:
    dimensions: list[tuple[str, str]]
    latest: AssessedScores | None
    previous: AssessedScores | None


def latest_and_previous(session: Session, partnership_id: int, subgroup_id: int) -> Comparison:
    """The subgroup's latest agreed or signed-off assessment and the one before it (radar chart)."""
    get_subgroup(session, partnership_id, subgroup_id)
    completed = _completed(session, partnership_id, subgroup_id)[-2:]
    assessed = _assessed(session, completed)
    latest = assessed[-1] if assessed else None
    previous = assessed[-2] if len(assessed) > 1 else None
    try:
        dims = _dimension_list(session, partnership_id, latest.summary.framework_id if latest else None)
    except NotFound:
        dims = []
    return Comparison(dims, latest, previous)


@dataclass
class Trend:
    dimensions: list[tuple[str, str]]
    assessments: list[AssessedScores]  # oldest first


def change_over_time(session: Session, partnership_id: int, subgroup_id: int) -> Trend:
    """Each dimension's score in every agreed or signed-off assessment of the subgroup, by date."""
    get_subgroup(session, partnership_id, subgroup_id)
    assessed = _assessed(session, _completed(session, partnership_id, subgroup_id))
    try:
        dims = _dimension_list(session, partnership_id, assessed[-1].summary.framework_id if assessed else None)
    except NotFound:
        dims = []
    return Trend(dims, assessed)


@dataclass
class HeatmapRow:
    subgroup_id: int
    subgroup: str
    latest: AssessedScores | None


@dataclass
class Heatmap:
    dimensions: list[tuple[str, str]]
    rows: list[HeatmapRow]


def heatmap(session: Session, partnership_id: int) -> Heatmap:
    """Every subgroup against every dimension of the current framework: its latest agreed score."""
    latest: dict[int, MaturityAssessment] = {}
    for assessment in _completed(session, partnership_id):
        latest[assessment.subgroup_id] = assessment  # oldest first, so the last one wins
    assessed = {a.summary.subgroup_id: a for a in _assessed(session, list(latest.values()))}
    subgroups = session.exec(select(Subgroup).where(Subgroup.partnership_id == partnership_id)
                             .order_by(Subgroup.name)).all()
    try:
        dims = _dimension_list(session, partnership_id)
    except NotFound:
        dims = []
    return Heatmap(dims, [HeatmapRow(s.id, s.name, assessed.get(s.id)) for s in subgroups])


@dataclass
class LowScore:
    subgroup_id: int
    subgroup: str
    assessment_id: int
    assessment: str
    as_at: date
    row: ScoreRow


def lowest_scoring(session: Session, partnership_id: int, subgroup_id: int | None = None, limit: int = 10
                   ) -> list[LowScore]:
    """The lowest-scoring dimensions in each subgroup's latest agreed or signed-off assessment, lowest
    first, with their improvement and any delivery-plan action linked to it."""
    latest: dict[int, MaturityAssessment] = {}
    for assessment in _completed(session, partnership_id, subgroup_id):
        latest[assessment.subgroup_id] = assessment
    found = []
    for assessment, summary in zip(latest.values(), _summaries(session, list(latest.values())), strict=True):
        for row in score_rows(session, assessment):
            found.append(LowScore(summary.subgroup_id, summary.subgroup, assessment.id, assessment.title,
                                  summary.as_at, row))
    found.sort(key=lambda low: (low.row.final_score, low.subgroup, low.row.number))
    return found[:limit]


def improvement_action_choices(session: Session, partnership_id: int, subgroup_id: int) -> list[tuple[int, str]]:
    """The actions an improvement may be linked to: the subgroup's own first, then the rest of the plan."""
    actions = session.exec(select(Action).where(Action.partnership_id == partnership_id,
                                                Action.status != "cancelled")).all()
    actions = sorted(actions, key=lambda a: (a.subgroup_id != subgroup_id, a.ref))
    return [(a.id, f"{a.ref} {a.title}") for a in actions]


# --- Everything the assessment page shows ------------------------------------------------------


@dataclass
class RaterRow:
    person_id: int
    name: str
    organisation: str
    submitted_at: datetime | None


@dataclass
class AssessmentDetail:
    assessment: MaturityAssessment
    summary: AssessmentSummary
    subgroup: Subgroup
    framework: FrameworkView
    raters: list[RaterRow]
    is_rater: bool
    my_submitted_at: datetime | None
    my_ratings: dict[int, RatingRow]
    ratings_visible: bool
    ratings: dict[int, list[RatingRow]]  # dimension id -> submitted ratings (when visible)
    spreads: dict[int, Spread] | None
    scores: list[ScoreRow]
    hints: dict[int, Hint]
    can_rate: bool
    can_invite: bool
    can_agree: bool
    can_moderate: bool
    can_sign_off: bool
    can_link: bool
    invitable: list[Person]


def assessment_detail(session: Session, actor: Person, assessment_id: int, today: date) -> AssessmentDetail:
    assessment = get_assessment(session, actor.partnership_id, assessment_id)
    subgroup = _subgroup_of(session, assessment)
    framework = framework_view(session, assessment.framework_id)
    summary = _summaries(session, [assessment])[0]
    raters = [
        RaterRow(p.id, p.name, p.organisation, r.submitted_at)
        for r, p in session.exec(
            select(MaturityRater, Person).join(Person, Person.id == MaturityRater.person_id)
            .where(MaturityRater.assessment_id == assessment.id).order_by(Person.name))
    ]
    me = next((r for r in raters if r.person_id == actor.id), None)
    visible = visible_ratings(session, actor, assessment.id)
    show_all = ratings_visible(session, actor, assessment)
    by_dim: dict[int, list[RatingRow]] = defaultdict(list)
    for row in visible:
        if row.submitted and show_all:
            by_dim[row.dimension_id].append(row)
    is_open, is_agreed = assessment.status == "open", assessment.status == "agreed"
    lead = can_edit_subgroup(session, actor, subgroup)
    chair_or_admin = is_chair(actor) or is_admin(actor)
    invited = {r.person_id for r in raters}
    can_rate = is_open and me is not None and me.submitted_at is None
    can_agree = is_open and lead and summary.submitted > 0 and (me is None or me.submitted_at is not None)
    return AssessmentDetail(
        assessment=assessment, summary=summary, subgroup=subgroup, framework=framework, raters=raters,
        is_rater=me is not None, my_submitted_at=me.submitted_at if me else None,
        my_ratings={r.dimension_id: r for r in visible if r.rater_id == actor.id},
        ratings_visible=show_all, ratings=dict(by_dim),
        spreads=_spread_by_dimension(framework, visible) if show_all else None,
        scores=score_rows(session, assessment, framework),
        # Hints sit beside the rating and agreeing forms only: no need to compute them otherwise.
        hints=evidence_hints(session, subgroup.partnership_id, subgroup.id, framework, today)
        if can_rate or can_agree else {},
        can_rate=can_rate,
        can_invite=is_open and lead,
        can_agree=can_agree,
        can_moderate=is_agreed and chair_or_admin,
        can_sign_off=is_agreed and chair_or_admin,
        can_link=assessment.status in COMPLETED and (lead or chair_or_admin),
        invitable=[p for p in eligible_raters(session, actor.partnership_id, subgroup.id) if p.id not in invited]
        if is_open and lead else [],
    )
