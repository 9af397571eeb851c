"""Writing a validated seed into the database, in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from tracker import models
from tracker.db import session_scope
from tracker.models.indicators import IndicatorBase
from tracker.models.plan import ActionBase, StatusUpdateBase
from tracker.models.strategy import ObjectiveBase
from tracker.models.subgroups import SubgroupBase, TermsOfReferenceBase
from tracker.rules.enums import AssessmentStatus
from tracker.seed.read import read_seed_dir
from tracker.seed.schema import SeedError
from tracker.services.auth import hash_password
from tracker.services.benchmarks.seed import ComparatorSeedError, load_comparators
from tracker.services.board.seed import load_board_meetings
from tracker.services.funding import add_funding
from tracker.services.risks.seed import RiskSeedError, load_risks


def _fields(record: SQLModel, base: type[SQLModel], *ids: str) -> dict:
    """The values of a seed record for the fields of its table's Base, without the id fields
    (a seed names other records by code or email; the loader gives the ids)."""
    return record.model_dump(include=set(base.model_fields) - set(ids))


def load_partnership(session: Session, seed_dir: Path, demo_accounts: bool = True) -> models.Partnership | None:
    """Write the partnership in `seed_dir`, unless one with its slug exists. Returns it if written."""
    data = read_seed_dir(seed_dir)
    p = data["partnership.yaml"]
    if session.exec(select(models.Partnership).where(models.Partnership.slug == p.slug)).first():
        return None
    emails = [person.email.lower() for person in data["people.yaml"]]
    taken = session.exec(select(models.Person.email).where(models.Person.email.in_(emails))).all()
    if taken:
        raise SeedError(f"people.yaml, field 'email': {', '.join(sorted(taken))} already belong to "
                        "people of another partnership (an email address signs in one person)")
    partnership = models.Partnership(**p.model_dump(exclude={"rag_levels"}))
    session.add(partnership)
    session.flush()
    pid = partnership.id
    for level in p.rag_levels:
        session.add(models.RagLevel(partnership_id=pid, **level.model_dump()))

    people: dict[str, models.Person] = {}
    for person in data["people.yaml"]:
        row = models.Person(partnership_id=pid, **person.model_dump(exclude={"password", "email"}),
                     email=person.email.lower(),
                     password_hash=hash_password(person.password) if person.password and demo_accounts else None)
        session.add(row)
        people[row.email] = row
    themes = {t.number: models.Theme(partnership_id=pid, **t.model_dump()) for t in data["themes.yaml"]}
    outcomes = {o.code: models.Outcome(partnership_id=pid, **o.model_dump()) for o in data["outcomes.yaml"]}
    session.add_all([*themes.values(), *outcomes.values()])
    session.flush()

    def person_id(email: str | None) -> int | None:
        return people[email.lower()].id if email else None

    objectives: dict[str, models.Objective] = {}
    for o in data["objectives.yaml"]:
        objectives[o.code] = models.Objective(partnership_id=pid, theme_id=themes[o.theme].id, **_fields(o, ObjectiveBase))
    session.add_all(objectives.values())
    session.flush()
    for o in data["objectives.yaml"]:
        for code in o.outcomes:
            session.add(models.ObjectiveOutcome(objective_id=objectives[o.code].id, outcome_id=outcomes[code].id))

    subgroups: dict[str, models.Subgroup] = {}
    for s in data["subgroups.yaml"]:
        subgroups[s.code] = models.Subgroup(partnership_id=pid, code=s.code, lead_id=person_id(s.lead),
                                     **_fields(s, SubgroupBase, "lead_id"))
    session.add_all(subgroups.values())
    session.flush()
    for s in data["subgroups.yaml"]:
        sub = subgroups[s.code]
        for number in s.themes:
            session.add(models.SubgroupTheme(subgroup_id=sub.id, theme_id=themes[number].id))
        for m in s.members:
            session.add(models.SubgroupMember(subgroup_id=sub.id, person_id=person_id(m.person), role=m.role))
        for tor in s.terms_of_reference:
            row = models.TermsOfReference(subgroup_id=sub.id, version=tor.version, **_fields(tor, TermsOfReferenceBase))
            session.add(row)
            session.flush()
            for dep in tor.interdependencies:
                session.add(models.TorInterdependency(tor_id=row.id, other_subgroup_id=subgroups[dep.subgroup].id,
                                               description=dep.description))

    indicators: dict[str, models.Indicator] = {}
    for ind in data["indicators.yaml"]:
        row = models.Indicator(partnership_id=pid, **_fields(ind, IndicatorBase, "outcome_id", "objective_id"),
                        outcome_id=outcomes[ind.outcome].id if ind.outcome else None,
                        objective_id=objectives[ind.objective].id if ind.objective else None)
        session.add(row)
        session.flush()
        indicators[ind.code] = row
        for v in ind.values:
            session.add(models.IndicatorValue(indicator_id=row.id, **v.model_dump()))

    for a in data["actions.yaml"]:
        action = models.Action(
            partnership_id=pid, ref=a.ref, subgroup_id=subgroups[a.subgroup].id,
            objective_id=objectives[a.objective].id if a.objective else None, owner_id=person_id(a.owner),
            **_fields(a, ActionBase, "owner_id"),
            original_due_date=a.due_date,  # the baseline slippage is measured against
        )
        session.add(action)
        session.flush()
        for code in a.outcomes:
            session.add(models.ActionOutcome(action_id=action.id, outcome_id=outcomes[code].id))
        for code in a.indicators:
            session.add(models.ActionIndicator(action_id=action.id, indicator_id=indicators[code].id))
        for u in a.updates:
            session.add(models.StatusUpdate(
                action_id=action.id, **_fields(u, StatusUpdateBase),
                author_id=person_id(u.author or a.owner), illustrative=a.illustrative,
            ))

    for f in data["funding.yaml"]:
        add_funding(session, None, pid, f.model_dump(), system=True)

    framework = data["maturity_framework.yaml"]
    if framework is not None:
        fw = models.MaturityFramework(partnership_id=pid, name=framework.name, version=framework.version)
        session.add(fw)
        session.flush()
        for level in framework.levels:
            session.add(models.MaturityLevel(framework_id=fw.id, **level.model_dump()))
        for d in framework.dimensions:
            dim = models.MaturityDimension(framework_id=fw.id, **d.model_dump(exclude={"descriptors"}))
            session.add(dim)
            session.flush()
            for level, text in sorted(d.descriptors.items()):
                session.add(models.MaturityDescriptor(dimension_id=dim.id, level=level, text=text))

    for i, a in enumerate(data["maturity_assessments.yaml"]):
        where = f"maturity_assessments.yaml, record {i + 1} (title {a.title!r})"
        if framework is None or a.framework_version != framework.version:
            raise SeedError(f"{where}, field 'framework_version': maturity_framework.yaml has no version "
                            f"{a.framework_version}")
        dims = {d.key: d for d in session.exec(select(models.MaturityDimension).where(models.MaturityDimension.framework_id == fw.id))}
        emails = [a.opened_by, a.agreed_by, a.signed_off_by, *a.ratings]
        problems = ([("subgroup", a.subgroup)] if a.subgroup not in subgroups else []) + [
            ("scores", k) for k in set(dims) ^ set(a.scores)] + [
            ("ratings", k) for r in a.ratings.values() for k in r if k not in dims or not 1 <= r[k] <= 5] + [
            ("email", e) for e in emails if e.lower() not in people]
        problems += [("moderation_comment", k) for k, s in a.scores.items()
                     if s.moderated not in (None, s.agreed) and not s.moderation_comment]
        if problems:
            raise SeedError(f"{where}, field '{problems[0][0]}': {problems[0][1]!r} is missing, unknown or invalid")
        row = models.MaturityAssessment(
            subgroup_id=subgroups[a.subgroup].id, framework_id=fw.id, title=a.title, status=AssessmentStatus.SIGNED_OFF,
            opened_by_id=person_id(a.opened_by), opened_on=a.opened_on, agreed_by_id=person_id(a.agreed_by),
            agreed_on=a.agreed_on, signed_off_by_id=person_id(a.signed_off_by), signed_off_on=a.signed_off_on,
            chair_comment=a.chair_comment, illustrative=a.illustrative)
        session.add(row)
        session.flush()
        for email, scores in a.ratings.items():
            rater = person_id(email)
            session.add(models.MaturityRater(assessment_id=row.id, person_id=rater,
                                      submitted_at=datetime.combine(a.agreed_on, time(9), tzinfo=UTC)))
            session.add_all(models.MaturityRating(assessment_id=row.id, rater_id=rater, dimension_id=dims[k].id, score=v)
                            for k, v in scores.items())
        session.add_all(models.MaturityScore(
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
