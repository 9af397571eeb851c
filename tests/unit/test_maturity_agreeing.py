"""Maturity rounds, second part: agreeing, moderating, signing off; improvement actions linked to the plan.

The partnership and people they run on: tests/unit/maturity_support.py.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.conftest import TODAY
from tests.unit.maturity_support import (
    agreed,
    agreed_round,
    audit_verbs,
    counts,
    deputy,
    framework,
    full,
    open_round,
    subgroup,
)
from tracker.models import Action, MaturityAssessment, MaturityScore
from tracker.services import maturity
from tracker.services.errors import InvalidInput, PermissionDenied

# --- agreeing, moderating, signing off ---------------------------------------------------------


def test_agreeing_needs_a_submitted_rating_and_a_lead(session, lead, owner, chair):
    a = open_round(session, lead, owner)
    fw = framework(session, lead.partnership_id)
    with pytest.raises(InvalidInput) as none_yet:
        maturity.record_agreed_scores(session, lead, a.id, agreed(fw), TODAY)
    assert "No one has submitted" in none_yet.value.errors[""]
    maturity.invite_raters(session, lead, a.id, [lead.id])
    maturity.save_ratings(session, owner, a.id, full(fw), submit=True)
    with pytest.raises(InvalidInput) as own_first:  # the lead was invited too and has not submitted
        maturity.record_agreed_scores(session, lead, a.id, agreed(fw), TODAY)
    assert "Submit your own ratings first" in own_first.value.errors[""]
    assert not maturity.assessment_detail(session, lead, a.id, TODAY).can_agree
    maturity.save_ratings(session, lead, a.id, full(fw), submit=True)
    assert maturity.assessment_detail(session, lead, a.id, TODAY).can_agree
    for outsider in (owner, chair):
        with pytest.raises(PermissionDenied):
            maturity.record_agreed_scores(session, outsider, a.id, agreed(fw), TODAY)
    assert session.get(MaturityAssessment, a.id).status == "open"


def test_agreed_scores_are_validated_per_dimension(session, lead, owner):
    a = open_round(session, lead, owner)
    fw = framework(session, lead.partnership_id)
    maturity.save_ratings(session, owner, a.id, full(fw), submit=True)
    scores = agreed(fw)
    first, second = fw.dimensions[0], fw.dimensions[1]
    scores[first.id]["agreed_score"] = 7
    scores[second.id]["evidence"] = "  "
    with pytest.raises(InvalidInput) as exc:
        maturity.record_agreed_scores(session, lead, a.id, scores, TODAY)
    assert exc.value.errors == {
        f"{first.id}.agreed_score": f"{first.name}: choose a score from 1 to 5",
        f"{second.id}.evidence": f"{second.name}: give the evidence for the score",
    }
    assert session.get(MaturityAssessment, a.id).status == "open"


def test_the_lead_records_agreed_scores_and_rating_closes(session, lead, owner):
    a = open_round(session, lead, owner)
    maturity.invite_raters(session, lead, a.id, [deputy(session).id])
    fw = framework(session, lead.partnership_id)
    maturity.save_ratings(session, owner, a.id, full(fw), submit=True)
    maturity.record_agreed_scores(session, lead, a.id, agreed(fw, 3, governance=2), TODAY)
    a = session.get(MaturityAssessment, a.id)
    assert (a.status, a.agreed_by_id, a.agreed_on) == ("agreed", lead.id, TODAY)
    rows = {r.key: r for r in maturity.score_rows(session, a)}
    assert rows["governance"].agreed_score == 2 and rows["governance"].final_score == 2
    assert rows["governance"].level_name == "Developing"
    assert "agree" in audit_verbs(session, "MaturityAssessment")
    # The deputy never submitted: rating has closed, and agreeing again is refused.
    with pytest.raises(InvalidInput) as closed:
        maturity.save_ratings(session, deputy(session), a.id, full(fw))
    assert "closed" in closed.value.errors["status"]
    with pytest.raises(InvalidInput):
        maturity.record_agreed_scores(session, lead, a.id, agreed(fw), TODAY)


def test_moderation_is_for_the_chair_and_a_change_needs_a_comment(session, lead, owner, chair, admin):
    a = open_round(session, lead, lead, owner)
    fw = framework(session, lead.partnership_id)
    gov = next(d for d in fw.dimensions if d.key == "governance")
    with pytest.raises(InvalidInput) as too_early:
        maturity.moderate(session, chair, a.id, {gov.id: {"moderated_score": 3}})
    assert "not agreed" in too_early.value.errors["status"]
    maturity.save_ratings(session, lead, a.id, full(fw), submit=True)
    maturity.record_agreed_scores(session, lead, a.id, agreed(fw, 3), TODAY)

    with pytest.raises(PermissionDenied):
        maturity.moderate(session, lead, a.id, {gov.id: {"moderated_score": 2, "comment": "No."}})
    with pytest.raises(InvalidInput) as no_comment:
        maturity.moderate(session, chair, a.id, {gov.id: {"moderated_score": 2, "comment": " "}})
    assert no_comment.value.errors == {
        f"{gov.id}.comment": f"{gov.name}: say why you changed the agreed score from 3 to 2"}
    with pytest.raises(InvalidInput) as out_of_range:
        maturity.moderate(session, chair, a.id, {gov.id: {"moderated_score": 9, "comment": "x"}})
    assert f"{gov.id}.moderated_score" in out_of_range.value.errors

    delivery = next(d for d in fw.dimensions if d.key == "delivery")
    maturity.moderate(session, chair, a.id, {
        gov.id: {"moderated_score": 2, "comment": "Terms of reference past their review date."},
        delivery.id: {"moderated_score": 3},  # keeping the agreed score needs no comment
    })
    rows = {r.key: r for r in maturity.score_rows(session, a)}
    assert (rows["governance"].agreed_score, rows["governance"].moderated_score) == (3, 2)
    assert rows["governance"].final_score == 2
    assert rows["governance"].moderation_comment == "Terms of reference past their review date."
    assert rows["delivery"].final_score == 3
    assert audit_verbs(session, "MaturityScore").count("moderate") == 2
    maturity.moderate(session, admin, a.id, {gov.id: {"moderated_score": 3}})  # an admin may too
    assert maturity.score_rows(session, a)[0].final_score == 3


def test_sign_off_only_by_chair_or_admin_and_only_once_agreed(session, lead, owner, chair, admin):
    a = open_round(session, lead, lead, owner)
    fw = framework(session, lead.partnership_id)
    with pytest.raises(InvalidInput) as open_still:
        maturity.sign_off(session, chair, a.id, "", TODAY)
    assert "not agreed" in open_still.value.errors["status"]
    maturity.save_ratings(session, lead, a.id, full(fw), submit=True)
    maturity.record_agreed_scores(session, lead, a.id, agreed(fw), TODAY)
    for refused in (lead, owner, deputy(session)):
        with pytest.raises(PermissionDenied):
            maturity.sign_off(session, refused, a.id, "", TODAY)
    maturity.sign_off(session, chair, a.id, "A fair assessment.", TODAY)
    a = session.get(MaturityAssessment, a.id)
    assert (a.status, a.signed_off_by_id, a.signed_off_on, a.chair_comment) == (
        "signed_off", chair.id, TODAY, "A fair assessment.")
    assert audit_verbs(session, "MaturityAssessment")[-1] == "sign_off"
    with pytest.raises(InvalidInput) as twice:
        maturity.sign_off(session, admin, a.id, "", TODAY)
    assert "signed off" in twice.value.errors["status"]


def test_an_admin_may_sign_off(session, lead, owner, admin):
    a = agreed_round(session, lead, owner)
    maturity.sign_off(session, admin, a.id, "", TODAY)
    assert session.get(MaturityAssessment, a.id).status == "signed_off"


def test_nothing_changes_after_sign_off(session, lead, owner, chair, admin):
    a = agreed_round(session, lead, owner)
    maturity.sign_off(session, chair, a.id, "Signed.", TODAY)
    fw = framework(session, lead.partnership_id)
    dim = fw.dimensions[0]
    before = counts(session)
    scores_before = [(s.agreed_score, s.moderated_score, s.evidence) for s in session.exec(
        select(MaturityScore).where(MaturityScore.assessment_id == a.id).order_by(MaturityScore.id))]
    attempts = [
        lambda: maturity.save_ratings(session, owner, a.id, full(fw, 1)),
        lambda: maturity.record_agreed_scores(session, lead, a.id, agreed(fw, 1), TODAY),
        lambda: maturity.moderate(session, chair, a.id, {dim.id: {"moderated_score": 1, "comment": "Late."}}),
        lambda: maturity.sign_off(session, admin, a.id, "Again", TODAY),
        lambda: maturity.invite_raters(session, lead, a.id, [deputy(session).id]),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidInput) as exc:
            attempt()
        assert "can no longer change" in exc.value.errors["status"]
    assert counts(session) == before
    assert scores_before == [(s.agreed_score, s.moderated_score, s.evidence) for s in session.exec(
        select(MaturityScore).where(MaturityScore.assessment_id == a.id).order_by(MaturityScore.id))]
    # A new round may now be opened.
    assert open_round(session, lead, lead, title="Next round").status == "open"


# --- improvement actions linked to the delivery plan -------------------------------------------


def test_an_improvement_is_linked_to_a_delivery_plan_action(session, lead, owner, chair):
    a = agreed_round(session, lead, owner)
    tr = subgroup(session, "TR")
    action = session.exec(select(Action).where(Action.subgroup_id == tr.id, Action.status != "cancelled")
                          .order_by(Action.ref)).first()
    row = maturity.score_rows(session, a)[0]
    with pytest.raises(PermissionDenied):
        maturity.link_improvement_action(session, owner, row.score_id, action.id)
    with pytest.raises(InvalidInput) as unknown:
        maturity.link_improvement_action(session, lead, row.score_id, 999_999)
    assert unknown.value.errors == {"action_id": "Choose an action of this partnership's delivery plan"}
    maturity.link_improvement_action(session, lead, row.score_id, action.id)
    linked = maturity.score_rows(session, a)[0]
    assert (linked.action_id, linked.action_ref) == (action.id, action.ref)
    assert audit_verbs(session, "MaturityScore")[-1] == "update"
    # The link is follow-up work: it can still be set after sign-off, by the chair too.
    maturity.sign_off(session, chair, a.id, "", TODAY)
    maturity.link_improvement_action(session, chair, row.score_id, None)
    assert maturity.score_rows(session, a)[0].action_id is None


def test_a_cancelled_action_cannot_carry_an_improvement(session, lead, owner):
    a = agreed_round(session, lead, owner)
    action = session.exec(select(Action).order_by(Action.id)).first()
    action.status = "cancelled"
    session.add(action)
    session.flush()
    with pytest.raises(InvalidInput) as exc:
        maturity.link_improvement_action(session, lead, maturity.score_rows(session, a)[0].score_id, action.id)
    assert "cancelled" in exc.value.errors["action_id"]
