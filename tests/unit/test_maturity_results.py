"""Maturity results (radar, heatmap, change over time, history), the audited workflow, the seed file, the page view models.

The partnership and people they run on: tests/unit/maturity_support.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from tests.conftest import TODAY
from tests.unit.maturity_support import agreed_round, count, framework, open_round, subgroup
from tracker.db import create_schema, make_engine
from tracker.models import (
    Action,
    AuditEvent,
    MaturityAssessment,
    MaturityDimension,
    MaturityRater,
    MaturityRating,
    MaturityScore,
    Person,
)
from tracker.services import maturity
from tracker.services.errors import NotFound

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
