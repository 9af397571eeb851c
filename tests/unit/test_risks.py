"""The risk register: scoring rules, the seeded register, re-rating with history, who may change it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tracker.models import AuditEvent, Risk, RiskRating
from tracker.rules import risk_scoring
from tracker.services import risks
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied


@pytest.mark.parametrize(("likelihood", "impact", "score", "band"), [
    (1, 1, 1, "Low"), (2, 2, 4, "Low"), (1, 5, 5, "Medium"), (3, 3, 9, "Medium"),
    (2, 5, 10, "High"), (3, 4, 12, "High"), (5, 3, 15, "Very high"), (5, 5, 25, "Very high"),
])
def test_a_score_is_likelihood_times_impact_and_falls_in_its_band(likelihood, impact, score, band):
    assert risk_scoring.score(likelihood, impact) == score
    assert risk_scoring.band(score).name == band


@pytest.mark.parametrize("bad", [0, 6, -1, True, 2.5, "3"])
def test_a_rating_outside_one_to_five_is_refused(bad):
    with pytest.raises(ValueError, match="from 1 to 5"):
        risk_scoring.score(bad, 3)


def test_the_words_of_a_rating_name_both_scales():
    assert risk_scoring.describe(4, 4) == "16 Very high (likelihood 4 Likely × impact 4 Major)"


def test_an_open_risk_past_its_review_date_is_overdue_and_a_closed_one_is_not():
    today = date(2026, 11, 23)
    assert risk_scoring.review_overdue(date(2026, 11, 22), "open", today)
    assert not risk_scoring.review_overdue(date(2026, 11, 23), "open", today)
    assert risk_scoring.review_overdue(None, "open", today)
    assert not risk_scoring.review_overdue(date(2020, 1, 1), "closed", today)


def test_the_seeded_register_holds_the_needs_overview_risk_first_among_equals(session, partnership, today):
    reg = risks.register(session, partnership.id, today)
    sseg = next(r for r in reg.rows if r.ref == "R-01")
    assert "SSMTRG" in sseg.title and "March 2025" in sseg.cause
    assert not sseg.illustrative  # the risk itself is from the document (004, section 6)
    assert [ref for _, ref, _ in sseg.actions] == ["TR-01"]
    scores = [r.residual_score for r in reg.rows]
    assert scores == sorted(scores, reverse=True)
    assert reg.open_count == 5
    assert {r.ref for r in reg.overdue} == {"R-02", "R-04"}  # review dates before 23 November 2026


def test_the_heat_map_places_each_open_risk_in_its_residual_cell(session, partnership, today):
    reg = risks.register(session, partnership.id, today)
    cells = {(c.likelihood, c.impact): c for line in reg.heat for c in line}
    assert len(cells) == 25
    assert sorted(cells[(3, 4)].refs) == ["R-01", "R-04"]
    assert cells[(3, 4)].band == "High" and cells[(3, 4)].score == 12
    assert sum(len(c.refs) for c in cells.values()) == reg.open_count


def test_top_risks_are_the_highest_residual_scores(session, partnership, today):
    top = risks.top_risks(session, partnership.id, today, limit=2)
    assert [r.residual_score for r in top] == [12, 12]


def test_the_overviews_watch_is_the_registers_top_and_its_overdue_reviews(session, partnership, today):
    later = today + timedelta(days=400)  # every review date passed: all open risks overdue
    for day in (today, later):
        reg = risks.register(session, partnership.id, day, with_history=False)
        seen = risks.watch(session, partnership.id, day, top=3)
        assert [(w.ref, w.title, w.residual_words, w.review_overdue) for w in seen.top] == \
            [(r.ref, r.title, r.residual_words, r.review_overdue) for r in reg.rows if r.status == "open"][:3]
        assert seen.overdue_reviews == len(reg.overdue)
    assert risks.watch(session, partnership.id, later).overdue_reviews == reg.open_count > 0


def _rerate(reason="Mitigation in place: the DATRIG allocation is confirmed."):
    return {"inherent_likelihood": 4, "inherent_impact": 5, "residual_likelihood": 2, "residual_impact": 3,
            "reason": reason, "review_date": "2027-03-31"}


def test_re_rating_keeps_the_old_rating_in_the_history_and_audits_it(session, chair, today):
    risk = session.exec(select(Risk).where(Risk.ref == "R-01")).one()
    risks.rerate_risk(session, chair, risk.id, risk.version, _rerate(), today)
    session.flush()
    history = session.exec(select(RiskRating).where(RiskRating.risk_id == risk.id)
                           .order_by(RiskRating.id)).all()
    assert [(h.residual_likelihood, h.residual_impact) for h in history] == [(3, 4), (2, 3)]
    assert history[-1].reason.startswith("Mitigation in place")
    row = next(r for r in risks.register(session, chair.partnership_id, today).rows if r.ref == "R-01")
    assert row.residual_words.startswith("6 Medium") and row.review_date == date(2027, 3, 31)
    event = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "Risk")
                         .order_by(AuditEvent.id.desc())).first()
    assert event.actor_id == chair.id and "R-01" in event.summary


def test_a_re_rating_needs_a_reason_and_scores_from_one_to_five(session, chair, today):
    risk = session.exec(select(Risk).where(Risk.ref == "R-01")).one()
    with pytest.raises(InvalidInput) as refused:
        risks.rerate_risk(session, chair, risk.id, risk.version,
                          {**_rerate(reason=""), "residual_impact": 9}, today)
    assert set(refused.value.errors) == {"reason", "residual_impact"}
    assert refused.value.errors["residual_impact"] == "Choose a whole number from 1 to 5"


def test_a_stale_version_is_a_conflict_and_nothing_changes(session, chair, today):
    risk = session.exec(select(Risk).where(Risk.ref == "R-01")).one()
    risks.rerate_risk(session, chair, risk.id, risk.version, _rerate(), today)
    with pytest.raises(Conflict):
        risks.rerate_risk(session, chair, risk.id, risk.version - 1, {**_rerate(), "residual_impact": 1}, today)
    session.refresh(risk)
    assert risk.residual_impact == 3


def test_the_owner_may_re_rate_their_risk_but_a_viewer_or_another_member_may_not(session, owner, viewer, lead, today):
    mine = session.exec(select(Risk).where(Risk.owner_id == owner.id)).first()
    assert mine is not None
    risks.rerate_risk(session, owner, mine.id, mine.version, _rerate(), today)
    for person in (viewer, lead):
        with pytest.raises(PermissionDenied):
            risks.rerate_risk(session, person, mine.id, mine.version, _rerate(), today)


def test_a_risk_of_another_partnership_or_none_at_all_is_not_found(session, chair, today):
    with pytest.raises(NotFound):
        risks.rerate_risk(session, chair, 99_999, 1, _rerate(), today)


def test_adding_a_risk_checks_its_links_and_its_reference(session, admin, lead, today):
    base = {"ref": "R-01", "title": "Duplicate", "inherent_likelihood": 3, "inherent_impact": 3,
            "residual_likelihood": 2, "residual_impact": 2, "owner_id": 99_999}
    with pytest.raises(InvalidInput) as refused:
        risks.add_risk(session, admin, base, today)
    assert set(refused.value.errors) == {"ref", "owner_id"}
    with pytest.raises(PermissionDenied):
        risks.add_risk(session, lead, {**base, "ref": "R-99", "owner_id": None}, today)
    added = risks.add_risk(session, admin, {**base, "ref": "R-99", "owner_id": None}, today)
    assert added.partnership_id == admin.partnership_id
    assert session.exec(select(RiskRating).where(RiskRating.risk_id == added.id)).one().reason == "First rating"
