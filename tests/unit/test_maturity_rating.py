"""Maturity rounds, first part: opening a round, rating independently, where raters agree and split.

The partnership and people they run on: tests/unit/maturity_support.py.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.conftest import TODAY, person_by_email
from tests.unit.maturity_support import (
    GOOD,
    audit_verbs,
    count,
    counts,
    deputy,
    framework,
    full,
    open_round,
    subgroup,
)
from tracker.models import AuditEvent, MaturityRater, MaturityRating
from tracker.services import maturity
from tracker.services.errors import InvalidInput, PermissionDenied

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
