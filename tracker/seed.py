"""Load a partnership from the YAML files in seeds/<partnership>/ (see seeds/README.md).

Every file is validated before anything is written, and a problem stops the load with a message
naming the file, the record and the field. Loading is idempotent: a partnership whose slug is
already in the database is left as it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.db import session_scope
from tracker.domain import SECTORS
from tracker.models import (
    Action,
    ActionIndicator,
    ActionOutcome,
    Indicator,
    IndicatorValue,
    MaturityAssessment,
    MaturityDescriptor,
    MaturityDimension,
    MaturityFramework,
    MaturityLevel,
    MaturityRater,
    MaturityRating,
    MaturityScore,
    Objective,
    ObjectiveOutcome,
    Outcome,
    Partnership,
    Person,
    RagLevel,
    StatusUpdate,
    Subgroup,
    SubgroupMember,
    SubgroupTheme,
    TermsOfReference,
    Theme,
    TorInterdependency,
)
from tracker.schemas import ActionIn, StatusUpdateIn, TermsOfReferenceIn
from tracker.services.auth import hash_password
from tracker.services.benchmarks.seed import ComparatorSeedError, load_comparators
from tracker.services.board.seed import load_board_meetings
from tracker.services.funding import FundingCreate, add_funding
from tracker.services.risks.seed import RiskSeedError, load_risks


class SeedError(Exception):
    """A seed file is wrong; the message says which file, record and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RagLevelSeed(_Strict):
    code: str
    label: str
    definition: str
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    text_colour: str = Field(default="#ffffff", pattern=r"^#[0-9a-fA-F]{6}$")
    symbol: str = ""
    severity: int | None = None
    sort_order: int = 0


class PartnershipSeed(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    area: str
    chair_name: str = ""
    sro_name: str = ""
    strategy_start: date | None = None
    strategy_end: date | None = None
    rag_scale: str = "standard"
    stale_after_days: int = Field(default=90, ge=1)
    notes: str = ""
    rag_levels: list[RagLevelSeed]


class PersonSeed(_Strict):
    name: str
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    organisation: str = ""
    job_title: str = ""
    sector: str = ""
    role: str = Field(default="member", pattern=r"^(admin|chair|member|viewer)$")
    password: str | None = None

    @field_validator("sector")
    @classmethod
    def _known_sector(cls, value: str) -> str:
        if value and value not in SECTORS:
            raise ValueError(f"unknown sector {value!r}: use one of {', '.join(SECTORS)}")
        return value


class ThemeSeed(_Strict):
    number: int
    name: str
    description: str = ""


class OutcomeSeed(_Strict):
    code: str
    kind: str = Field(pattern=r"^(strategic|intermediate)$")
    name: str
    description: str = ""


class ObjectiveSeed(_Strict):
    code: str
    theme: int
    title: str
    description: str = ""
    source: str = ""
    outcomes: list[str] = Field(default_factory=list)


class InterdependencySeed(_Strict):
    subgroup: str
    description: str = ""


class TorSeed(_Strict):
    version: int = Field(ge=1)
    purpose: str
    scope: str = ""
    responsibilities: str = ""
    membership: str = ""
    quorum: str = ""
    meeting_frequency: str = ""
    reports_to: str = ""
    approved_on: date | None = None
    review_due: date | None = None
    change_note: str = ""
    interdependencies: list[InterdependencySeed] = Field(default_factory=list)


class MemberSeed(_Strict):
    person: str
    role: str = Field(default="member", pattern=r"^(lead|deputy|member)$")


class SubgroupSeed(_Strict):
    code: str = Field(pattern=r"^[A-Z]{2,6}$")
    name: str
    description: str = ""
    lead: str | None = None
    status: str = Field(default="active", pattern=r"^(forming|active|paused|closed)$")
    themes: list[int] = Field(default_factory=list)
    members: list[MemberSeed] = Field(default_factory=list)
    terms_of_reference: list[TorSeed] = Field(default_factory=list)


class UpdateSeed(_Strict):
    date: date
    rag: str
    progress: int
    narrative: str = ""
    next_steps: str = ""
    blockers: str = ""
    author: str | None = None


class ActionSeed(_Strict):
    ref: str
    subgroup: str
    objective: str | None = None
    title: str
    description: str = ""
    owner: str | None = None
    lead_organisation: str = ""
    start_date: date | None = None
    due_date: date | None = None
    status: str = "not_started"
    source: str = ""
    illustrative: bool = False
    outcomes: list[str] = Field(default_factory=list)
    indicators: list[str] = Field(default_factory=list)
    updates: list[UpdateSeed] = Field(default_factory=list)


class ValueSeed(_Strict):
    period: str
    period_end: date
    value: float
    note: str = ""
    illustrative: bool = False


class IndicatorSeed(_Strict):
    code: str
    name: str
    outcome: str | None = None
    objective: str | None = None
    is_national: bool = False
    unit: str = ""
    direction: str = Field(default="higher", pattern=r"^(higher|lower)$")
    source: str = ""
    baseline_value: float | None = None
    baseline_period: str = ""
    target_value: float | None = None
    target_date: date | None = None
    notes: str = ""
    illustrative: bool = False
    values: list[ValueSeed] = Field(default_factory=list)


class LevelSeed(_Strict):
    level: int = Field(ge=1, le=5)
    name: str


class DimensionSeed(_Strict):
    number: int
    key: str = Field(pattern=r"^[a-z_]+$")
    name: str
    description: str = ""
    descriptors: dict[int, str]


class FrameworkSeed(_Strict):
    name: str
    version: int = 1
    levels: list[LevelSeed]
    dimensions: list[DimensionSeed]


class MaturityScoreSeed(_Strict):
    agreed: int = Field(ge=1, le=5)
    evidence: str = Field(min_length=1)
    improvement: str = ""
    moderated: int | None = Field(default=None, ge=1, le=5)
    moderation_comment: str = ""


class MaturityAssessmentSeed(_Strict):
    """A past, signed-off assessment (see maturity_assessments.yaml)."""

    subgroup: str
    title: str
    framework_version: int = 1
    illustrative: bool = True
    opened_on: date
    opened_by: str
    agreed_on: date
    agreed_by: str
    signed_off_on: date
    signed_off_by: str
    chair_comment: str = ""
    ratings: dict[str, dict[str, int]] = Field(default_factory=dict)  # rater email -> key -> score
    scores: dict[str, MaturityScoreSeed]


# file name -> (model, whether the file holds a list of records); files marked optional may be absent
FILES: dict[str, tuple[type[_Strict], bool, bool]] = {
    "partnership.yaml": (PartnershipSeed, False, False),
    "people.yaml": (PersonSeed, True, False),
    "themes.yaml": (ThemeSeed, True, False),
    "outcomes.yaml": (OutcomeSeed, True, False),
    "objectives.yaml": (ObjectiveSeed, True, False),
    "subgroups.yaml": (SubgroupSeed, True, False),
    "indicators.yaml": (IndicatorSeed, True, True),
    "actions.yaml": (ActionSeed, True, False),
    "funding.yaml": (FundingCreate, True, True),
    "maturity_framework.yaml": (FrameworkSeed, False, True),
    "maturity_assessments.yaml": (MaturityAssessmentSeed, True, True),
}


def _describe(record: Any, index: int) -> str:
    if isinstance(record, dict):
        for key in ("ref", "code", "email", "slug", "name", "number"):
            if key in record:
                return f"record {index + 1} ({key} {record[key]!r})"
    return f"record {index + 1}"


def _fail(file: str, where: str, exc: ValidationError) -> SeedError:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"])
    cause = (err.get("ctx") or {}).get("error")
    field = getattr(cause, "field", None) or field or "(record)"  # a rule over fields names its field
    message = str(cause) if cause is not None else err["msg"]
    return SeedError(f"{file}, {where}, field '{field}': {message}")


def read_seed_dir(seed_dir: Path) -> dict[str, Any]:
    """Parse and validate every file; raises SeedError naming file, record and field."""
    data: dict[str, Any] = {}
    for name, (model, is_list, optional) in FILES.items():
        path = seed_dir / name
        if not path.exists():
            if optional:
                data[name] = [] if is_list else None
                continue
            raise SeedError(f"{path}: the file is missing")
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise SeedError(f"{name}: not valid YAML: {exc}") from None
        if is_list:
            if not isinstance(raw, list):
                raise SeedError(f"{name}: expected a list of records")
            records = []
            for i, item in enumerate(raw):
                try:
                    records.append(model.model_validate(item))
                except ValidationError as exc:
                    raise _fail(name, _describe(item, i), exc) from None
            data[name] = records
        else:
            try:
                data[name] = model.model_validate(raw)
            except ValidationError as exc:
                raise _fail(name, "the file", exc) from None
    _check_references(data)
    return data


def _unique(file: str, values: list, label: str) -> None:
    seen = set()
    for i, value in enumerate(values):
        if value in seen:
            raise SeedError(f"{file}, record {i + 1}, field '{label}': {value!r} appears twice")
        seen.add(value)


def _check_references(data: dict[str, Any]) -> None:
    emails = [p.email.lower() for p in data["people.yaml"]]
    _unique("people.yaml", emails, "email")
    themes = [t.number for t in data["themes.yaml"]]
    _unique("themes.yaml", themes, "number")
    outcomes = [o.code for o in data["outcomes.yaml"]]
    _unique("outcomes.yaml", outcomes, "code")
    objectives = [o.code for o in data["objectives.yaml"]]
    _unique("objectives.yaml", objectives, "code")
    subgroups = [s.code for s in data["subgroups.yaml"]]
    _unique("subgroups.yaml", subgroups, "code")
    indicators = [i.code for i in data["indicators.yaml"]]
    _unique("indicators.yaml", indicators, "code")
    _unique("actions.yaml", [a.ref for a in data["actions.yaml"]], "ref")
    scale = {r.code for r in data["partnership.yaml"].rag_levels}

    def need(file: str, where: str, field: str, value: Any, known) -> None:
        if value is not None and value not in known:
            raise SeedError(f"{file}, {where}, field '{field}': {value!r} is not defined")

    for i, o in enumerate(data["objectives.yaml"]):
        where = f"record {i + 1} (code {o.code!r})"
        need("objectives.yaml", where, "theme", o.theme, themes)
        for code in o.outcomes:
            need("objectives.yaml", where, "outcomes", code, outcomes)
    for i, s in enumerate(data["subgroups.yaml"]):
        where = f"record {i + 1} (code {s.code!r})"
        need("subgroups.yaml", where, "lead", s.lead and s.lead.lower(), emails)
        for t in s.themes:
            need("subgroups.yaml", where, "themes", t, themes)
        for m in s.members:
            need("subgroups.yaml", where, "members.person", m.person.lower(), emails)
        for tor in s.terms_of_reference:
            for dep in tor.interdependencies:
                need("subgroups.yaml", where, "terms_of_reference.interdependencies.subgroup", dep.subgroup, subgroups)
            try:
                TermsOfReferenceIn.model_validate(tor.model_dump(exclude={"version", "interdependencies"}))
            except ValidationError as exc:
                raise _fail("subgroups.yaml", f"{where}, terms of reference version {tor.version}", exc) from None
    for i, ind in enumerate(data["indicators.yaml"]):
        where = f"record {i + 1} (code {ind.code!r})"
        need("indicators.yaml", where, "outcome", ind.outcome, outcomes)
        need("indicators.yaml", where, "objective", ind.objective, objectives)
        _unique(f"indicators.yaml, {where}", [v.period for v in ind.values], "values.period")
    for i, a in enumerate(data["actions.yaml"]):
        where = f"record {i + 1} (ref {a.ref!r})"
        need("actions.yaml", where, "subgroup", a.subgroup, subgroups)
        need("actions.yaml", where, "objective", a.objective, objectives)
        need("actions.yaml", where, "owner", a.owner and a.owner.lower(), emails)
        for code in a.outcomes:
            need("actions.yaml", where, "outcomes", code, outcomes)
        for code in a.indicators:
            need("actions.yaml", where, "indicators", code, indicators)
        try:
            ActionIn.model_validate({
                "subgroup_id": 0, "title": a.title, "description": a.description, "status": a.status,
                "start_date": a.start_date, "due_date": a.due_date,
            })
        except ValidationError as exc:
            raise _fail("actions.yaml", where, exc) from None
        for j, u in enumerate(a.updates):
            uwhere = f"{where}, update {j + 1} ({u.date.isoformat()})"
            need("actions.yaml", uwhere, "rag", u.rag, scale)
            need("actions.yaml", uwhere, "author", u.author and u.author.lower(), emails)
            try:
                StatusUpdateIn.model_validate({
                    "update_date": u.date, "rag": u.rag, "progress": u.progress, "narrative": u.narrative,
                })
            except ValidationError as exc:
                raise _fail("actions.yaml", uwhere, exc) from None


def load_partnership(session: Session, seed_dir: Path, demo_accounts: bool = True) -> Partnership | None:
    """Write the partnership in `seed_dir`, unless one with its slug exists. Returns it if written."""
    data = read_seed_dir(seed_dir)
    p = data["partnership.yaml"]
    if session.exec(select(Partnership).where(Partnership.slug == p.slug)).first():
        return None
    emails = [person.email.lower() for person in data["people.yaml"]]
    taken = session.exec(select(Person.email).where(Person.email.in_(emails))).all()
    if taken:
        raise SeedError(f"people.yaml, field 'email': {', '.join(sorted(taken))} already belong to "
                        "people of another partnership (an email address signs in one person)")
    partnership = Partnership(**p.model_dump(exclude={"rag_levels"}))
    session.add(partnership)
    session.flush()
    pid = partnership.id
    for level in p.rag_levels:
        session.add(RagLevel(partnership_id=pid, **level.model_dump()))

    people: dict[str, Person] = {}
    for person in data["people.yaml"]:
        row = Person(partnership_id=pid, **person.model_dump(exclude={"password", "email"}),
                     email=person.email.lower(),
                     password_hash=hash_password(person.password) if person.password and demo_accounts else None)
        session.add(row)
        people[row.email] = row
    themes = {t.number: Theme(partnership_id=pid, **t.model_dump()) for t in data["themes.yaml"]}
    outcomes = {o.code: Outcome(partnership_id=pid, **o.model_dump()) for o in data["outcomes.yaml"]}
    session.add_all([*themes.values(), *outcomes.values()])
    session.flush()

    def person_id(email: str | None) -> int | None:
        return people[email.lower()].id if email else None

    objectives: dict[str, Objective] = {}
    for o in data["objectives.yaml"]:
        objectives[o.code] = Objective(partnership_id=pid, theme_id=themes[o.theme].id, code=o.code,
                                       title=o.title, description=o.description, source=o.source)
    session.add_all(objectives.values())
    session.flush()
    for o in data["objectives.yaml"]:
        for code in o.outcomes:
            session.add(ObjectiveOutcome(objective_id=objectives[o.code].id, outcome_id=outcomes[code].id))

    subgroups: dict[str, Subgroup] = {}
    for s in data["subgroups.yaml"]:
        subgroups[s.code] = Subgroup(partnership_id=pid, code=s.code, name=s.name, description=s.description,
                                     lead_id=person_id(s.lead), status=s.status)
    session.add_all(subgroups.values())
    session.flush()
    for s in data["subgroups.yaml"]:
        sub = subgroups[s.code]
        for number in s.themes:
            session.add(SubgroupTheme(subgroup_id=sub.id, theme_id=themes[number].id))
        for m in s.members:
            session.add(SubgroupMember(subgroup_id=sub.id, person_id=person_id(m.person), role=m.role))
        for tor in s.terms_of_reference:
            row = TermsOfReference(subgroup_id=sub.id, **tor.model_dump(exclude={"interdependencies"}))
            session.add(row)
            session.flush()
            for dep in tor.interdependencies:
                session.add(TorInterdependency(tor_id=row.id, other_subgroup_id=subgroups[dep.subgroup].id,
                                               description=dep.description))

    indicators: dict[str, Indicator] = {}
    for ind in data["indicators.yaml"]:
        row = Indicator(partnership_id=pid, **ind.model_dump(exclude={"values", "outcome", "objective"}),
                        outcome_id=outcomes[ind.outcome].id if ind.outcome else None,
                        objective_id=objectives[ind.objective].id if ind.objective else None)
        session.add(row)
        session.flush()
        indicators[ind.code] = row
        for v in ind.values:
            session.add(IndicatorValue(indicator_id=row.id, **v.model_dump()))

    for a in data["actions.yaml"]:
        action = Action(
            partnership_id=pid, ref=a.ref, subgroup_id=subgroups[a.subgroup].id,
            objective_id=objectives[a.objective].id if a.objective else None,
            title=a.title, description=a.description, owner_id=person_id(a.owner),
            lead_organisation=a.lead_organisation, start_date=a.start_date, due_date=a.due_date,
            original_due_date=a.due_date,  # the baseline slippage is measured against
            status=a.status, source=a.source, illustrative=a.illustrative,
        )
        session.add(action)
        session.flush()
        for code in a.outcomes:
            session.add(ActionOutcome(action_id=action.id, outcome_id=outcomes[code].id))
        for code in a.indicators:
            session.add(ActionIndicator(action_id=action.id, indicator_id=indicators[code].id))
        for u in a.updates:
            session.add(StatusUpdate(
                action_id=action.id, update_date=u.date, rag=u.rag, progress=u.progress,
                narrative=u.narrative, next_steps=u.next_steps, blockers=u.blockers,
                author_id=person_id(u.author or a.owner), illustrative=a.illustrative,
            ))

    for f in data["funding.yaml"]:
        add_funding(session, None, pid, f.model_dump(), system=True)

    framework = data["maturity_framework.yaml"]
    if framework is not None:
        fw = MaturityFramework(partnership_id=pid, name=framework.name, version=framework.version)
        session.add(fw)
        session.flush()
        for level in framework.levels:
            session.add(MaturityLevel(framework_id=fw.id, **level.model_dump()))
        for d in framework.dimensions:
            dim = MaturityDimension(framework_id=fw.id, **d.model_dump(exclude={"descriptors"}))
            session.add(dim)
            session.flush()
            for level, text in sorted(d.descriptors.items()):
                session.add(MaturityDescriptor(dimension_id=dim.id, level=level, text=text))

    for i, a in enumerate(data["maturity_assessments.yaml"]):
        where = f"maturity_assessments.yaml, record {i + 1} (title {a.title!r})"
        if framework is None or a.framework_version != framework.version:
            raise SeedError(f"{where}, field 'framework_version': maturity_framework.yaml has no version "
                            f"{a.framework_version}")
        dims = {d.key: d for d in session.exec(select(MaturityDimension).where(MaturityDimension.framework_id == fw.id))}
        emails = [a.opened_by, a.agreed_by, a.signed_off_by, *a.ratings]
        problems = ([("subgroup", a.subgroup)] if a.subgroup not in subgroups else []) + [
            ("scores", k) for k in set(dims) ^ set(a.scores)] + [
            ("ratings", k) for r in a.ratings.values() for k in r if k not in dims or not 1 <= r[k] <= 5] + [
            ("email", e) for e in emails if e.lower() not in people]
        problems += [("moderation_comment", k) for k, s in a.scores.items()
                     if s.moderated not in (None, s.agreed) and not s.moderation_comment]
        if problems:
            raise SeedError(f"{where}, field '{problems[0][0]}': {problems[0][1]!r} is missing, unknown or invalid")
        row = MaturityAssessment(
            subgroup_id=subgroups[a.subgroup].id, framework_id=fw.id, title=a.title, status="signed_off",
            opened_by_id=person_id(a.opened_by), opened_on=a.opened_on, agreed_by_id=person_id(a.agreed_by),
            agreed_on=a.agreed_on, signed_off_by_id=person_id(a.signed_off_by), signed_off_on=a.signed_off_on,
            chair_comment=a.chair_comment, illustrative=a.illustrative)
        session.add(row)
        session.flush()
        for email, scores in a.ratings.items():
            rater = person_id(email)
            session.add(MaturityRater(assessment_id=row.id, person_id=rater,
                                      submitted_at=datetime.combine(a.agreed_on, time(9), tzinfo=UTC)))
            session.add_all(MaturityRating(assessment_id=row.id, rater_id=rater, dimension_id=dims[k].id, score=v)
                            for k, v in scores.items())
        session.add_all(MaturityScore(
            assessment_id=row.id, dimension_id=dims[k].id, agreed_score=s.agreed, evidence=s.evidence,
            improvement=s.improvement, moderated_score=s.moderated, moderation_comment=s.moderation_comment)
            for k, s in a.scores.items())
    load_board_meetings(session, partnership, seed_dir)  # board_meetings.yaml, if the seed has one
    session.flush()
    try:
        load_risks(session, pid, seed_dir)
        load_comparators(session, pid, seed_dir)
    except (RiskSeedError, ComparatorSeedError) as exc:
        raise SeedError(str(exc)) from None
    session.flush()
    return partnership


def seed_database(engine: Engine, seed_dir: Path, demo_accounts: bool = True) -> bool:
    """Seed in one transaction; True if a partnership was written, False if it was already there.
    Without `demo_accounts` the seed's people get no password (production: real accounts only)."""
    with session_scope(engine) as session:
        return load_partnership(session, seed_dir, demo_accounts) is not None
