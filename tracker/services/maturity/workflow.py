"""The subgroup's part of an assessment round: open it, invite raters, rate independently, agree.

A lead of the subgroup (permissions.can_edit_subgroup) opens a round against the current framework
and invites members; each invited member scores every dimension on their own (score 1-5, evidence,
improvement), saving drafts until they submit; the lead then records the agreed score of each
dimension and the round becomes agreed (the chair's part is in moderation.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field
from sqlalchemy import func
from sqlmodel import Session, select

from tracker.formatting import long_date
from tracker.models import (
    MaturityAssessment,
    MaturityRater,
    MaturityRating,
    MaturityScore,
    Person,
    Subgroup,
    utcnow,
)
from tracker.rules.maturity import MAX_TEXT, AssessmentStatus, clean_text, parse_score, status_label
from tracker.schemas import Input
from tracker.services import audit
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied, validated
from tracker.services.maturity.assessments import eligible_raters, get_assessment, subgroup_of
from tracker.services.maturity.framework import (
    DimensionView,
    FrameworkView,
    current_framework,
    framework_view,
)
from tracker.services.permissions import require_edit_subgroup
from tracker.services.reference import get_subgroup


class OpenAssessmentIn(Input):
    title: str = Field(min_length=3, max_length=200)
    rater_ids: list[int] = Field(default_factory=list)


def refuse_if_signed_off(assessment: MaturityAssessment) -> None:
    if assessment.status == AssessmentStatus.SIGNED_OFF:
        raise InvalidInput({"status": f"This assessment was signed off on {long_date(assessment.signed_off_on)}: "
                                      "it can no longer change. Open a new round to assess again."})


def load_for_write(session: Session, actor: Person, assessment_id: int) -> tuple[MaturityAssessment, Subgroup]:
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to make changes.")
    assessment = get_assessment(session, actor.partnership_id, assessment_id)
    return assessment, subgroup_of(session, assessment)


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
        MaturityAssessment.subgroup_id == subgroup.id,
        MaturityAssessment.status != AssessmentStatus.SIGNED_OFF)).first()
    if in_progress:
        raise InvalidInput({"": f"“{in_progress.title}” is still in progress ({status_label(in_progress.status)}): "
                                "finish it and have it signed off before opening another round."})
    try:
        framework = current_framework(session, actor.partnership_id)
    except NotFound as exc:
        raise InvalidInput({"": str(exc)}) from None
    if not framework.dimensions:
        raise InvalidInput({"": "The maturity framework has no dimensions: an administrator must add them."})
    assessment = MaturityAssessment(subgroup_id=subgroup.id, framework_id=framework.id, title=payload.title,
                                    status=AssessmentStatus.OPEN, opened_by_id=actor.id, opened_on=today)
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
    assessment, subgroup = load_for_write(session, actor, assessment_id)
    require_edit_subgroup(session, actor, subgroup)
    refuse_if_signed_off(assessment)
    if assessment.status != AssessmentStatus.OPEN:
        raise InvalidInput({"status": "The scores are agreed: it is too late to invite more raters."})
    # The ticked boxes come back from the browser: anything but a list of whole numbers (None, "4", 4.0,
    # True, a list in the list) is no choice of members, refused rather than failing or saved as 4.0.
    if not isinstance(person_ids, list) or not all(isinstance(i, int) and not isinstance(i, bool)
                                                   for i in person_ids):
        raise InvalidInput({"rater_ids": "Choose the members to invite from the list"})
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


def dimension_ids(framework: FrameworkView, entries: dict) -> dict[int, Any]:
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


def _read_entry(errors: dict, dim: DimensionView, entry: dict, score_field: str) -> tuple[int | None, str, str]:
    """(score, evidence, improvement) from one dimension's part of a form; problems go into `errors`."""
    score, ok = parse_score(entry.get(score_field))
    if not ok:
        errors[f"{dim.id}.{score_field}"] = f"{dim.name}: choose a score from 1 to 5"
    texts = []
    for name in ("evidence", "improvement"):
        texts.append(clean_text(entry.get(name)))
        if len(texts[-1]) > MAX_TEXT:
            errors[f"{dim.id}.{name}"] = f"{dim.name}: shorten this to {MAX_TEXT} characters or fewer"
    return score, texts[0], texts[1]


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
    assessment, subgroup = load_for_write(session, actor, assessment_id)
    rater = session.get(MaturityRater, (assessment.id, actor.id))
    if rater is None:
        raise PermissionDenied("Only the members invited to rate this assessment can rate it.")
    refuse_if_signed_off(assessment)
    if assessment.status != AssessmentStatus.OPEN:
        raise InvalidInput({"status": "Rating has closed: the subgroup has agreed its scores."})
    if rater.submitted_at is not None:
        raise InvalidInput({"": f"You submitted your ratings on {long_date(rater.submitted_at)}: "
                                "they can no longer change."})
    framework = framework_view(session, assessment.framework_id)
    entries = dimension_ids(framework, ratings or {})
    existing = {r.dimension_id: r for r in session.exec(select(MaturityRating).where(
        MaturityRating.assessment_id == assessment.id, MaturityRating.rater_id == actor.id))}

    errors: dict[str, str] = {}
    merged: dict[int, tuple[int | None, str, str]] = {}
    for dim in framework.dimensions:
        old = existing.get(dim.id)
        values = (old.score, old.evidence, old.improvement) if old else (None, "", "")
        if dim.id in entries:
            values = _read_entry(errors, dim, entries[dim.id], "score")
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


def record_agreed_scores(session: Session, actor: Person, assessment_id: int, scores: dict, today: date
                         ) -> list[MaturityScore]:
    """The lead records the score the subgroup agreed on each dimension; the round becomes agreed.

    `scores` maps dimension id -> {"agreed_score": 1..5, "evidence": str, "improvement": str}; every
    dimension needs a score and evidence, and an improvement for scores below 5.
    """
    assessment, subgroup = load_for_write(session, actor, assessment_id)
    require_edit_subgroup(session, actor, subgroup)
    refuse_if_signed_off(assessment)
    if assessment.status != AssessmentStatus.OPEN:
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
    entries = dimension_ids(framework, scores or {})
    errors: dict[str, str] = {}
    values: dict[int, tuple[int | None, str, str]] = {}
    for dim in framework.dimensions:
        values[dim.id] = _read_entry(errors, dim, entries.get(dim.id, {}), "agreed_score")
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
    assessment.status, assessment.agreed_by_id, assessment.agreed_on = AssessmentStatus.AGREED, actor.id, today
    session.add(assessment)
    audit.record(session, actor, "agree", assessment, before=before,
                 after=audit.snapshot(assessment, ["status", "agreed_by_id", "agreed_on"]),
                 partnership_id=subgroup.partnership_id,
                 summary=f"Scores of “{assessment.title}” ({subgroup.name}) agreed")
    session.flush()
    return rows
