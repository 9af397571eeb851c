"""Maturity self-assessment: every rule of the services in tracker.services.maturity.

Most tests run on the seeded Northamptonshire partnership (framework version 1 with 8 dimensions,
and four illustrative signed-off assessments of the TR and SUP subgroups). The Treatment and
Recovery subgroup (TR) is led by the demo lead; the demo owner is a plain member of it. The hints
are checked on a small partnership built in code, so their expected figures are known exactly.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, func, select

from tests.conftest import TODAY, person_by_email
from tests.factories import build_world
from tracker.db import create_schema, make_engine
from tracker.models import (
    Action,
    AuditEvent,
    MaturityAssessment,
    MaturityDimension,
    MaturityFramework,
    MaturityRater,
    MaturityRating,
    MaturityScore,
    Person,
    StatusUpdate,
    Subgroup,
    SubgroupMember,
    TermsOfReference,
)
from tracker.services import maturity
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

GOOD = "Minutes of the last three meetings show it."


# --- helpers ----------------------------------------------------------------------------------


def subgroup(session: Session, code: str) -> Subgroup:
    return session.exec(select(Subgroup).where(Subgroup.code == code)).one()


def deputy(session: Session) -> Person:
    return person_by_email(session, "a.malik@cgl.example.org")  # TR's deputy lead


def framework(session: Session, partnership_id: int) -> maturity.FrameworkView:
    return maturity.current_framework(session, partnership_id)


def full(fw: maturity.FrameworkView, score: int = 3, **overrides: int) -> dict:
    """A complete set of ratings: `score` on every dimension, or overrides by dimension key."""
    return {d.id: {"score": overrides.get(d.key, score), "evidence": GOOD, "improvement": "Do the next thing."}
            for d in fw.dimensions}


def agreed(fw: maturity.FrameworkView, score: int = 3, **overrides: int) -> dict:
    return {d.id: {"agreed_score": overrides.get(d.key, score), "evidence": GOOD, "improvement": "Next step."}
            for d in fw.dimensions}


def open_round(session, lead, *raters, title="2026/27 Q3 self-assessment") -> MaturityAssessment:
    tr = subgroup(session, "TR")
    ids = [p.id for p in (raters or (lead,))]
    return maturity.open_assessment(session, lead, tr.id, {"title": title, "rater_ids": ids}, TODAY)


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def audit_verbs(session: Session, entity_type: str) -> list[str]:
    return list(session.exec(select(AuditEvent.verb).where(AuditEvent.entity_type == entity_type)
                             .order_by(AuditEvent.id)).all())


def counts(session: Session) -> tuple[int, ...]:
    return tuple(count(session, m) for m in (MaturityAssessment, MaturityRater, MaturityRating, MaturityScore,
                                             MaturityFramework, AuditEvent))


def agreed_round(session, lead, owner, **scores) -> MaturityAssessment:
    """A round both lead and owner rated and submitted, with scores agreed by the lead."""
    fw = framework(session, lead.partnership_id)
    a = open_round(session, lead, lead, owner)
    maturity.save_ratings(session, lead, a.id, full(fw), submit=True)
    maturity.save_ratings(session, owner, a.id, full(fw, 4), submit=True)
    maturity.record_agreed_scores(session, lead, a.id, agreed(fw, **scores), TODAY)
    return a


# --- opening a round --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "viewer", "chair"])
def test_only_a_lead_of_the_subgroup_or_an_admin_opens_a_round(session, lead, owner, viewer, chair, who):
    actor = {"owner": owner, "viewer": viewer, "chair": chair}[who]
    before = counts(session)
    with pytest.raises(PermissionDenied):
        open_round(session, actor, lead)
    assert counts(session) == before


@pytest.mark.parametrize("who", ["lead", "deputy", "admin"])
def test_lead_deputy_and_admin_open_a_round(session, lead, admin, who):
    actor = {"lead": lead, "deputy": deputy(session), "admin": admin}[who]
    a = open_round(session, actor, lead)
    assert a.status == "open"
    assert a.opened_by_id == actor.id and a.opened_on == TODAY


def test_a_round_uses_the_current_framework_invites_raters_and_is_audited(session, lead, owner):
    a = open_round(session, lead, lead, owner)
    current = framework(session, lead.partnership_id)
    assert a.framework_id == current.id
    raters = session.exec(select(MaturityRater.person_id).where(MaturityRater.assessment_id == a.id)).all()
    assert set(raters) == {lead.id, owner.id}
    event = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "MaturityAssessment",
                                                  AuditEvent.entity_id == a.id)).one()
    assert event.verb == "create" and event.actor_id == lead.id
    assert owner.name in event.after


def test_opening_a_round_says_what_to_fix(session, lead):
    police = person_by_email(session, "m.fenwick@police.example.org")  # not a member of TR
    with pytest.raises(InvalidInput) as short:
        open_round(session, lead, lead, title="Q3")
    assert "title" in short.value.errors
    tr = subgroup(session, "TR")
    with pytest.raises(InvalidInput) as nobody:
        maturity.open_assessment(session, lead, tr.id, {"title": "Annual review", "rater_ids": []}, TODAY)
    assert nobody.value.errors == {"rater_ids": "Invite at least one member of the subgroup to rate"}
    with pytest.raises(InvalidInput) as stranger:
        open_round(session, lead, police)
    assert "rater_ids" in stranger.value.errors


def test_only_one_round_at_a_time(session, lead):
    open_round(session, lead, lead)
    with pytest.raises(InvalidInput) as exc:
        open_round(session, lead, lead, title="Another round")
    assert "still in progress" in exc.value.errors[""]


def test_more_raters_can_be_invited_while_open(session, lead, owner):
    a = open_round(session, lead, lead)
    maturity.invite_raters(session, lead, a.id, [owner.id])
    with pytest.raises(InvalidInput):
        maturity.invite_raters(session, lead, a.id, [owner.id])  # already invited
    with pytest.raises(PermissionDenied):
        maturity.invite_raters(session, owner, a.id, [deputy(session).id])
    assert audit_verbs(session, "MaturityRater") == ["create"]


# --- rating independently ---------------------------------------------------------------------


def test_only_invited_raters_rate(session, lead, owner):
    a = open_round(session, lead, lead)
    fw = framework(session, lead.partnership_id)
    with pytest.raises(PermissionDenied):
        maturity.save_ratings(session, owner, a.id, full(fw))


@pytest.mark.parametrize("bad", [0, 6, -1, "six", 2.5, True])
def test_a_score_is_a_whole_number_from_1_to_5(session, lead, bad):
    a = open_round(session, lead, lead)
    dim = framework(session, lead.partnership_id).dimensions[0]
    before = counts(session)
    with pytest.raises(InvalidInput) as exc:
        maturity.save_ratings(session, lead, a.id, {dim.id: {"score": bad, "evidence": GOOD}})
    assert exc.value.errors == {f"{dim.id}.score": f"{dim.name}: choose a score from 1 to 5"}
    assert counts(session) == before


def test_a_draft_may_be_partial_and_changed_until_submitted(session, lead):
    a = open_round(session, lead, lead)
    fw = framework(session, lead.partnership_id)
    first, second = fw.dimensions[0], fw.dimensions[1]
    maturity.save_ratings(session, lead, a.id, {first.id: {"score": "2", "evidence": ""}})
    maturity.save_ratings(session, lead, a.id, {second.id: {"score": None, "evidence": "Still thinking"}})
    maturity.save_ratings(session, lead, a.id, {first.id: {"score": 3, "evidence": "Better evidence"}})
    mine = {r.dimension_id: r for r in maturity.visible_ratings(session, lead, a.id)}
    assert (mine[first.id].score, mine[first.id].evidence) == (3, "Better evidence")
    assert (mine[second.id].score, mine[second.id].evidence) == (None, "Still thinking")
    assert not mine[first.id].submitted
    assert audit_verbs(session, "MaturityRating") == ["create", "create", "update"]
    rater = session.get(MaturityRater, (a.id, lead.id))
    assert rater.submitted_at is None


def test_submitting_needs_a_score_and_evidence_for_every_dimension(session, lead):
    a = open_round(session, lead, lead)
    fw = framework(session, lead.partnership_id)
    first = fw.dimensions[0]
    with pytest.raises(InvalidInput) as exc:
        maturity.save_ratings(session, lead, a.id, {first.id: {"score": 3, "evidence": GOOD}}, submit=True)
    errors = exc.value.errors
    assert errors[f"{first.id}.improvement"] == f"{first.name}: say what would move it to the next level"
    for dim in fw.dimensions[1:]:
        assert errors[f"{dim.id}.score"] == f"{dim.name}: choose a score from 1 to 5"
        assert errors[f"{dim.id}.evidence"] == f"{dim.name}: give the evidence for the score"
    assert session.get(MaturityRater, (a.id, lead.id)).submitted_at is None
    assert count(session, MaturityRating) == 112  # only the seeded ratings: nothing half-written


def test_a_top_score_needs_no_improvement(session, lead):
    a = open_round(session, lead, lead)
    fw = framework(session, lead.partnership_id)
    ratings = full(fw, 5)
    for entry in ratings.values():
        entry["improvement"] = ""
    maturity.save_ratings(session, lead, a.id, ratings, submit=True)
    assert session.get(MaturityRater, (a.id, lead.id)).submitted_at is not None
    assert audit_verbs(session, "MaturityRater")[-1] == "submit"


def test_submitted_ratings_cannot_change(session, lead):
    a = open_round(session, lead, lead)
    fw = framework(session, lead.partnership_id)
    maturity.save_ratings(session, lead, a.id, full(fw), submit=True)
    with pytest.raises(InvalidInput) as exc:
        maturity.save_ratings(session, lead, a.id, full(fw, 1))
    assert "can no longer change" in exc.value.errors[""]
    assert {r.score for r in maturity.visible_ratings(session, lead, a.id) if r.rater_id == lead.id} == {3}


def test_a_rater_sees_only_their_own_ratings_until_they_submit(session, lead, owner, chair):
    a = open_round(session, lead, lead, owner)
    fw = framework(session, lead.partnership_id)
    maturity.save_ratings(session, owner, a.id, full(fw, 4), submit=True)
    maturity.save_ratings(session, lead, a.id, full(fw, 2))  # a draft

    # The lead has not submitted: only their own draft, and no spread.
    assert {r.rater_id for r in maturity.visible_ratings(session, lead, a.id)} == {lead.id}
    assert maturity.spreads(session, lead, a.id) is None
    # The owner has submitted: their own and others' submitted ratings, never others' drafts.
    assert {r.rater_id for r in maturity.visible_ratings(session, owner, a.id)} == {owner.id}
    # The chair oversees: submitted ratings only.
    assert {r.rater_id for r in maturity.visible_ratings(session, chair, a.id)} == {owner.id}
    # The deputy lead, not invited, oversees the round like the lead: submitted ratings only.
    assert {r.rater_id for r in maturity.visible_ratings(session, deputy(session), a.id)} == {owner.id}
    # A plain member of the subgroup who was not invited sees nothing while the round is open.
    member = person_by_email(session, "l.barker@bridge.example.org")
    assert maturity.visible_ratings(session, member, a.id) == []
    assert maturity.spreads(session, member, a.id) is None

    maturity.save_ratings(session, lead, a.id, {}, submit=True)
    assert {r.rater_id for r in maturity.visible_ratings(session, lead, a.id)} == {lead.id, owner.id}
    assert {r.rater_id for r in maturity.visible_ratings(session, owner, a.id)} == {lead.id, owner.id}


# --- where raters agree and where they split ---------------------------------------------------


@pytest.mark.parametrize(("scores", "low", "high", "spread", "split", "word"), [
    ([3, 3, 3], 3, 3, 0, False, "Agree"),
    ([2, 3], 2, 3, 1, False, "Close"),
    ([2, 3, 4], 2, 4, 2, True, "Split: discuss"),
    ([5, 1, None], 1, 5, 4, True, "Split: discuss"),
    ([], None, None, None, False, "No ratings yet"),
])
def test_the_spread_of_scores(scores, low, high, spread, split, word):
    s = maturity.compute_spread(scores)
    assert (s.low, s.high, s.range, s.split, s.agreement) == (low, high, spread, split, word)


def test_spreads_come_from_submitted_ratings_only(session, lead, owner, chair):
    a = open_round(session, lead, lead, owner)
    fw = framework(session, lead.partnership_id)
    maturity.save_ratings(session, lead, a.id, full(fw, 3, governance=1), submit=True)
    maturity.save_ratings(session, owner, a.id, full(fw, 3, governance=4, delivery=4))  # draft
    by_key = {fw.by_id[d].key: s for d, s in maturity.spreads(session, chair, a.id).items()}
    assert by_key["governance"].scores == [1]
    maturity.save_ratings(session, owner, a.id, {}, submit=True)
    by_key = {fw.by_id[d].key: s for d, s in maturity.spreads(session, chair, a.id).items()}
    assert (by_key["governance"].low, by_key["governance"].high, by_key["governance"].split) == (1, 4, True)
    assert (by_key["delivery"].range, by_key["delivery"].split) == (1, False)
    assert (by_key["resources"].range, by_key["resources"].agreement) == (0, "Agree")


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


# --- the framework is data, and versioned -------------------------------------------------------


def test_only_an_admin_edits_the_framework(session, chair, lead):
    for actor in (chair, lead):
        with pytest.raises(PermissionDenied):
            maturity.update_framework(session, actor, {"levels": {1: "Absent"}})
    assert count(session, MaturityFramework) == 1


def test_editing_the_framework_makes_a_new_version_and_old_assessments_keep_theirs(session, admin, lead):
    v1 = framework(session, admin.partnership_id)
    seeded = session.exec(select(MaturityAssessment)).all()
    assert {a.framework_id for a in seeded} == {v1.id}
    fw2 = maturity.update_framework(session, admin, {
        "based_on_version": 1,
        "levels": {1: "Absent"},
        "dimensions": {"governance": {"name": "Governance", "descriptors": {2: "Draft terms of reference only."}}},
    })
    assert (fw2.version, fw2.is_current) == (2, True)
    assert session.get(MaturityFramework, v1.id).is_current is False
    v2 = framework(session, admin.partnership_id)
    assert v2.id == fw2.id and v2.levels[1] == "Absent" and v2.levels[2] == "Developing"
    gov2 = next(d for d in v2.dimensions if d.key == "governance")
    gov1 = next(d for d in v1.dimensions if d.key == "governance")
    assert gov2.name == "Governance" and gov2.descriptors[2] == "Draft terms of reference only."
    assert gov2.descriptors[3] == gov1.descriptors[3]  # copied
    assert len(v2.dimensions) == len(v1.dimensions) == 8
    # Version 1 is untouched, and the past assessments still point at it.
    assert maturity.framework_view(session, v1.id).dimensions[0].name == "Governance and terms of reference"
    assert {a.framework_id for a in session.exec(select(MaturityAssessment))} == {v1.id}
    # A new round uses version 2.
    assert open_round(session, lead, lead).framework_id == fw2.id
    event = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "MaturityFramework")).one()
    assert '"levels.1": "Absent"' in event.after and '"version": 2' in event.after


def test_framework_edits_are_validated_and_conflicts_refused(session, admin):
    with pytest.raises(InvalidInput) as exc:
        maturity.update_framework(session, admin, {
            "levels": {3: ""},
            "dimensions": {"governance": {"descriptors": {4: "short"}}, "nonsense": {"name": "X"}},
        })
    assert exc.value.errors == {
        "levels.3": "Give level 3 a name of up to 60 characters",
        "dimensions.governance.descriptors.4": "Governance and terms of reference, level 4: describe the level in "
                                               "10 to 2000 characters",
        "dimensions.nonsense": "There is no dimension 'nonsense' in version 1",
    }
    with pytest.raises(InvalidInput) as nothing:
        maturity.update_framework(session, admin, {"levels": {1: "Not yet in place"}})
    assert "Nothing has changed" in nothing.value.errors[""]
    maturity.update_framework(session, admin, {"based_on_version": 1, "levels": {1: "Absent"}})
    with pytest.raises(Conflict):
        maturity.update_framework(session, admin, {"based_on_version": 1, "levels": {1: "Missing"}})
    assert count(session, MaturityFramework) == 2


# --- hints from the tracker's own data ----------------------------------------------------------


@pytest.fixture
def world():
    engine = make_engine("sqlite://")
    create_schema(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield build_world(session), session


def test_delivery_hint_is_computed_from_the_plan(world):
    w, session = world
    sid, pid = w.subgroup_a.id, w.partnership_id

    def action(ref, status="in_progress", due=date(2027, 3, 31), rag=None, updated=None):
        row = Action(partnership_id=pid, subgroup_id=sid, ref=ref, title=f"Action {ref}", status=status,
                     start_date=date(2026, 1, 1), due_date=due)
        session.add(row)
        session.flush()
        if rag:
            session.add(StatusUpdate(action_id=row.id, update_date=updated, rag=rag, progress=50))

    # The world's TR-01 is in progress with no update since it started on 1 January 2026.
    action("TR-02", rag="green", updated=date(2026, 11, 1))                            # on track, recent
    action("TR-03", rag="red", updated=date(2026, 6, 1), due=date(2026, 10, 31))        # overdue, stale
    action("TR-04", status="complete", rag="green", updated=date(2026, 3, 1))          # blue
    action("TR-05", status="cancelled")                                                 # left out
    action("SUP-01")
    session.exec(select(Action).where(Action.ref == "SUP-01")).one().subgroup_id = w.subgroup_b.id
    session.flush()

    hint = maturity.delivery_hint(session, pid, sid, TODAY)
    assert hint.figures == {"actions": 4, "on_track": 2, "on_track_pct": 50, "overdue": 1, "open": 3,
                            "updated_recently": 1, "updated_pct": 33, "stale_after_days": 90}
    assert hint.facts[0] == "2 of 4 actions (50%) on track or complete (Green or Blue)."
    assert hint.facts[1] == "1 action overdue."
    assert hint.facts[2] == "1 of 3 open actions (33%) updated in the last 90 days."


def test_governance_hint_reads_the_current_terms_of_reference(world):
    w, session = world
    hint = maturity.governance_hint(session, w.subgroup_a.id, TODAY)
    assert (hint.figures["version"], hint.figures["approved"], hint.figures["in_review_date"]) == (1, True, True)
    assert hint.facts == ["Version 1 approved on 10 January 2026.", "Review due 10 January 2027: in date."]
    assert maturity.governance_hint(session, w.subgroup_a.id, date(2027, 2, 1)).facts[1] == (
        "Review was due 10 January 2027: overdue.")
    session.add(TermsOfReference(subgroup_id=w.subgroup_a.id, version=2, purpose="A redraft under discussion."))
    session.flush()
    draft = maturity.governance_hint(session, w.subgroup_a.id, TODAY)
    assert draft.figures["approved"] is False
    assert draft.facts == ["Version 2 is a draft: not yet approved.", "No review date is set."]
    none = maturity.governance_hint(session, w.subgroup_b.id, TODAY)
    assert none.headline == "No terms of reference are recorded." and none.figures["approved"] is False


def test_membership_hint_names_the_core_partners_present_and_missing(world):
    w, session = world
    w.member.sector = "police"
    w.owner.sector = "treatment_provider"
    session.add(SubgroupMember(subgroup_id=w.subgroup_a.id, person_id=w.owner.id))
    session.add_all([w.member, w.owner])
    session.flush()
    hint = maturity.membership_hint(session, w.subgroup_a.id)
    assert hint.figures["represented"] == ["police", "treatment_provider"]
    assert len(hint.figures["missing"]) == 11 and "lived_experience" in hint.figures["missing"]
    assert hint.facts[0].startswith("2 of 13 core partners")
    assert "Represented: Police, Treatment provider." in hint.facts


def test_hints_attach_to_the_matching_dimensions(session, lead, today):
    fw = framework(session, lead.partnership_id)
    tr = subgroup(session, "TR")
    hints = maturity.evidence_hints(session, lead.partnership_id, tr.id, fw, today)
    assert {fw.by_id[d].key: h.kind for d, h in hints.items()} == {
        "governance": "governance", "leadership_membership": "membership", "delivery": "delivery"}
    # TR's current terms of reference (version 2) were approved on 19 November 2025.
    gov = next(h for h in hints.values() if h.kind == "governance")
    assert gov.figures["version"] == 2 and gov.figures["in_review_date"] is True


# --- the views ----------------------------------------------------------------------------------


def test_radar_compares_the_latest_with_the_previous_assessment(session, lead):
    tr = subgroup(session, "TR")
    comparison = maturity.latest_and_previous(session, lead.partnership_id, tr.id)
    assert comparison.latest.summary.title.startswith("2026/27")
    assert comparison.previous.summary.title.startswith("2025/26")
    assert comparison.latest.scores["governance"] == 3 and comparison.previous.scores["governance"] == 2
    assert [k for k, _ in comparison.dimensions][:2] == ["governance", "leadership_membership"]


def test_heatmap_uses_each_subgroups_latest_final_scores(session, lead):
    hm = maturity.heatmap(session, lead.partnership_id)
    rows = {r.subgroup: r for r in hm.rows}
    assert len(hm.dimensions) == 8 and len(rows) == 6
    sup = rows["Supply and Enforcement Subgroup"].latest
    assert sup.scores["governance"] == 2  # agreed 3, moderated to 2 by the chair
    assert sup.level_names[2] == "Developing"
    assert rows["Children, Young People and Families Subgroup"].latest is None


def test_change_over_time_lists_every_completed_assessment_by_date(session, lead, owner, chair):
    tr = subgroup(session, "TR")
    trend = maturity.change_over_time(session, lead.partnership_id, tr.id)
    assert [a.summary.as_at for a in trend.assessments] == [date(2025, 11, 19), date(2026, 5, 20)]
    assert [a.scores["lived_experience"] for a in trend.assessments] == [2, 3]
    a = agreed_round(session, lead, owner, lived_experience=4)
    trend = maturity.change_over_time(session, lead.partnership_id, tr.id)
    assert [x.scores["lived_experience"] for x in trend.assessments] == [2, 3, 4]
    assert trend.assessments[-1].summary.id == a.id


def test_lowest_scoring_dimensions_come_first_with_their_improvements(session, lead):
    low = maturity.lowest_scoring(session, lead.partnership_id, limit=3)
    assert (low[0].subgroup, low[0].row.key, low[0].row.final_score) == (
        "Supply and Enforcement Subgroup", "lived_experience", 1)
    assert low[0].row.improvement.startswith("Invite the lived experience representative")
    assert [x.row.final_score for x in low] == sorted(x.row.final_score for x in low)
    tr_only = maturity.lowest_scoring(session, lead.partnership_id, subgroup(session, "TR").id)
    assert {x.subgroup for x in tr_only} == {"Treatment and Recovery Subgroup"}


def test_history_keeps_every_assessment_newest_first(session, lead):
    tr = subgroup(session, "TR")
    open_round(session, lead, lead)
    history = maturity.assessment_history(session, lead.partnership_id, tr.id)
    assert [h.status for h in history] == ["open", "signed_off", "signed_off"]
    assert all(h.illustrative for h in history[1:]) and not history[0].illustrative


def test_seeded_assessments_are_signed_off_and_marked_illustrative(session):
    seeded = session.exec(select(MaturityAssessment)).all()
    assert len(seeded) == 4
    assert all(a.status == "signed_off" and a.illustrative and "illustrative" in a.title for a in seeded)
    dims = count(session, MaturityDimension)
    assert count(session, MaturityScore) == 4 * dims


# --- the whole workflow, with its audit trail ---------------------------------------------------


def test_a_full_round_writes_an_audit_event_for_every_change(session, lead, owner, chair):
    a = agreed_round(session, lead, owner)
    fw = framework(session, lead.partnership_id)
    gov = next(d for d in fw.dimensions if d.key == "governance")
    maturity.moderate(session, chair, a.id, {gov.id: {"moderated_score": 2, "comment": "Review overdue."}})
    maturity.sign_off(session, chair, a.id, "Thank you.", TODAY)
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    kinds = [(e.entity_type, e.verb) for e in events]
    n = len(fw.dimensions)
    assert kinds.count(("MaturityAssessment", "create")) == 1
    assert kinds.count(("MaturityRating", "create")) == 2 * n
    assert kinds.count(("MaturityRater", "submit")) == 2
    assert kinds.count(("MaturityScore", "create")) == n
    assert kinds.count(("MaturityAssessment", "agree")) == 1
    assert kinds.count(("MaturityScore", "moderate")) == 1
    assert kinds.count(("MaturityAssessment", "sign_off")) == 1
    assert all(e.partnership_id == lead.partnership_id for e in events)
    detail = maturity.assessment_detail(session, chair, a.id, TODAY)
    assert detail.summary.status_label == "Signed off"
    assert not (detail.can_rate or detail.can_agree or detail.can_moderate or detail.can_sign_off)
    assert detail.can_link


# --- the seed file of past assessments ----------------------------------------------------------


MINI_ASSESSMENT = """
- subgroup: TR
  title: Past self-assessment (illustrative)
  opened_on: 2025-11-03
  opened_by: lead@cdp.example.org
  agreed_on: 2025-11-19
  agreed_by: lead@cdp.example.org
  signed_off_on: 2025-11-26
  signed_off_by: chair@cdp.example.org
  ratings:
    lead@cdp.example.org: {governance: 2}
  scores:
    governance: {agreed: 2, moderated: 1, moderation_comment: Draft only., evidence: Draft terms., improvement: Agree them.}
"""


def _mini_seed(tmp_path, text: str):
    import shutil

    from tests.conftest import MINI_SEED_DIR

    for source in MINI_SEED_DIR.iterdir():
        shutil.copy(source, tmp_path / source.name)
    # No passwords: hashing them (argon2, slow on purpose) is not what these tests are about.
    people = tmp_path / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(", password: demo-password-1", ""), encoding="utf-8")
    (tmp_path / "maturity_assessments.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_seeded_past_assessments_load_with_raters_and_scores(tmp_path):
    from tracker.seed import seed_database

    engine = make_engine("sqlite://")
    create_schema(engine)
    seed_database(engine, _mini_seed(tmp_path, MINI_ASSESSMENT))
    with Session(engine) as session:
        a = session.exec(select(MaturityAssessment)).one()
        assert (a.status, a.illustrative, a.signed_off_on) == ("signed_off", True, date(2025, 11, 26))
        score = session.exec(select(MaturityScore)).one()
        assert (score.agreed_score, score.moderated_score, maturity.final_score(score)) == (2, 1, 1)
        assert session.exec(select(MaturityRater)).one().submitted_at is not None
        assert session.exec(select(MaturityRating)).one().score == 2


@pytest.mark.parametrize(("change", "field"), [
    (("governance: {agreed", "nonsense: {agreed"), "scores"),
    (("subgroup: TR", "subgroup: XX"), "subgroup"),
    (("{governance: 2}", "{governance: 7}"), "ratings"),
    (("moderation_comment: Draft only., ", ""), "moderation_comment"),
    (("opened_by: lead@", "opened_by: nobody@"), "email"),
])
def test_a_wrong_seed_assessment_is_refused_naming_the_field(tmp_path, change, field):
    from tracker.seed import SeedError, seed_database

    engine = make_engine("sqlite://")
    create_schema(engine)
    with pytest.raises(SeedError) as exc:
        seed_database(engine, _mini_seed(tmp_path, MINI_ASSESSMENT.replace(*change)))
    assert "maturity_assessments.yaml, record 1" in str(exc.value) and f"field '{field}'" in str(exc.value)
    with Session(engine) as session:
        assert count(session, MaturityAssessment) == 0 and count(session, Person) == 0  # nothing half-written


def test_user_text_in_chart_labels_is_escaped(session, lead):
    """Plotly reads a few HTML tags in labels; a title typed by a lead must show as typed."""
    from tracker.web.components.maturity import radar_figure

    tr = subgroup(session, "TR")
    latest = session.exec(select(MaturityAssessment).where(MaturityAssessment.subgroup_id == tr.id)
                          .order_by(MaturityAssessment.opened_on.desc())).first()
    latest.title = '<a href="javascript:alert(1)">click</a>'
    session.add(latest)
    session.flush()
    figure = radar_figure(maturity.latest_and_previous(session, lead.partnership_id, tr.id)).children[0].figure
    names = [trace.name for trace in figure.data]
    assert any(n.startswith('&lt;a href="javascript:alert(1)"&gt;click&lt;/a&gt;') for n in names)
    assert not any("<a" in n for n in names)


# --- the page view models: everything a page shows, from one call ----------------------------------


def test_the_subgroup_page_offers_its_lead_a_round_and_a_reader_none(session, lead, owner, viewer):
    tr = subgroup(session, "TR")
    page = maturity.subgroup_page(session, lead, tr.id, TODAY)
    assert page.heading == f"Maturity: {tr.name}"
    assert page.can_open and page.in_progress is None
    assert page.suggested_title == "2026/27 self-assessment"
    assert owner.id in {p.id for p in page.eligible}
    assert page.comparison.latest is not None and len(page.trend.assessments) == len(page.history)
    reader = maturity.subgroup_page(session, viewer, tr.id, TODAY)
    assert not reader.can_open and reader.eligible == []
    assert [h.id for h in reader.history] == [h.id for h in page.history]


def test_a_round_in_progress_blocks_another_on_the_subgroup_page(session, lead, owner):
    a = open_round(session, lead, owner)
    page = maturity.subgroup_page(session, lead, subgroup(session, "TR").id, TODAY)
    assert page.in_progress.id == a.id and page.eligible == []
    with pytest.raises(NotFound):
        maturity.subgroup_page(session, lead, 999_999, TODAY)


def test_the_assessment_page_names_its_subject_and_offers_actions_once_agreed(session, lead, owner):
    a = agreed_round(session, lead, owner)
    tr = subgroup(session, "TR")
    assert maturity.assessment_summary(session, lead.partnership_id, a.id).heading == f"{a.title}: {tr.name}"
    detail = maturity.assessment_detail(session, lead, a.id, TODAY)
    assert detail.can_link and not detail.is_open
    own_first = detail.action_choices[0][1]
    assert own_first.startswith("TR-")
    assert all(session.get(Action, i).status != "cancelled" for i, _ in detail.action_choices)


def test_the_overview_and_framework_pages_come_whole_from_one_call(session, chair, admin, viewer):
    overview = maturity.overview_page(session, chair)
    assert overview.framework.version == 1 and overview.missing == ""
    tr = subgroup(session, "TR")
    row = next(r for r in overview.heatmap.rows if r.subgroup_id == tr.id)
    assert row.latest is not None and set(row.latest.scores) == {key for key, _ in overview.heatmap.dimensions}
    assert overview.lowest == sorted(overview.lowest, key=lambda low: low.row.final_score)
    assert maturity.framework_page(session, admin).can_edit
    page = maturity.framework_page(session, viewer)
    assert not page.can_edit and [v.version for v in page.versions] == [1]
