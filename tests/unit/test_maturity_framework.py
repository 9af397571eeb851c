"""The maturity framework as versioned data, and the hints drawn from the tracker's own data.

The partnership and people they run on: tests/unit/maturity_support.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from tests.conftest import TODAY
from tests.factories import build_world
from tests.unit.maturity_support import count, framework, open_round, subgroup
from tracker.db import create_schema, make_engine
from tracker.models import (
    Action,
    AuditEvent,
    MaturityAssessment,
    MaturityFramework,
    StatusUpdate,
    SubgroupMember,
    TermsOfReference,
)
from tracker.services import maturity
from tracker.services.errors import Conflict, InvalidInput, PermissionDenied

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
