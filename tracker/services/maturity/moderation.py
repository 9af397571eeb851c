"""The chair's part of an assessment round: moderate the agreed scores, sign off, and (as follow-up)
link each improvement to the delivery-plan action that carries it out.

The chair (or an admin) keeps or changes each agreed score, with a comment for a change, and signs
the assessment off. After that its scores, evidence and comments never change; only the link from
an improvement to a delivery-plan action may still be set.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from tracker.models import Action, MaturityAssessment, MaturityScore, Person
from tracker.rules.maturity import MAX_TEXT, AssessmentStatus, clean_text, parse_score
from tracker.services import audit
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied
from tracker.services.maturity.assessments import (
    get_assessment,
    lead_or_chair,
    scores_by_dimension,
    subgroup_of,
)
from tracker.services.maturity.framework import framework_view
from tracker.services.maturity.workflow import dimension_ids, load_for_write, refuse_if_signed_off
from tracker.services.permissions import is_admin, require_chair_or_admin
from tracker.services.reference import as_id, is_record_id, owned


def moderate(session: Session, actor: Person, assessment_id: int, moderations: dict) -> list[MaturityScore]:
    """The chair (or an admin) keeps or changes agreed scores; a change needs a comment.

    `moderations` maps dimension id -> {"moderated_score": 1..5, "comment": str}.
    """
    require_chair_or_admin(actor)
    assessment, subgroup = load_for_write(session, actor, assessment_id)
    refuse_if_signed_off(assessment)
    if assessment.status != AssessmentStatus.AGREED:
        raise InvalidInput({"status": "The subgroup has not agreed its scores yet: moderate them once it has."})
    framework = framework_view(session, assessment.framework_id)
    entries = dimension_ids(framework, moderations or {})
    if not entries:
        raise InvalidInput({"": "Nothing to moderate: keep or change at least one score."})
    current = scores_by_dimension(session, assessment.id)
    errors: dict[str, str] = {}
    values = {}
    for dim_id, entry in entries.items():
        dim = framework.dimension(dim_id)
        score, ok = parse_score(entry.get("moderated_score"))
        if score is None:
            errors[f"{dim_id}.moderated_score"] = f"{dim.name}: choose the moderated score from 1 to 5"
            continue
        comment = clean_text(entry.get("comment"))
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
    assessment, subgroup = load_for_write(session, actor, assessment_id)
    refuse_if_signed_off(assessment)
    if assessment.status != AssessmentStatus.AGREED:
        raise InvalidInput({"status": "The subgroup has not agreed its scores yet: sign off once it has."})
    comment = clean_text(comment)
    if len(comment) > MAX_TEXT:
        raise InvalidInput({"chair_comment": f"Shorten the comment to {MAX_TEXT} characters or fewer"})
    fields = ["status", "signed_off_by_id", "signed_off_on", "chair_comment"]
    before = audit.snapshot(assessment, fields)
    assessment.status, assessment.signed_off_by_id = AssessmentStatus.SIGNED_OFF, actor.id
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
    score = session.get(MaturityScore, score_id) if is_record_id(score_id) else None
    if score is None:
        raise NotFound(f"There is no score {score_id}.")
    assessment = get_assessment(session, actor.partnership_id, score.assessment_id)
    subgroup = subgroup_of(session, assessment)
    if not (lead_or_chair(session, actor, subgroup) or is_admin(actor)):
        raise PermissionDenied(f"Only a lead of {subgroup.name}, the chair or an administrator can link "
                               "improvements to actions.")
    if action_id in (None, "", 0):
        action_id = None
    else:
        action = owned(session, Action, subgroup.partnership_id, as_id(action_id))
        if action is None:
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

