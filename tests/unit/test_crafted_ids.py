"""Ids a crafted request can send, where a service looks a record up by the id it was given.

The browser controls every id a callback receives: a negative number, one beyond what an INTEGER
column holds (PostgreSQL refuses such a number with an error, where SQLite just finds nothing), text,
a list. Each is refused with the service's own message, and nothing is written; never a 500.

Runs on the seeded Northamptonshire partnership (its maturity framework, the Treatment and Recovery
subgroup TR and its members). Run with TRACKER_TEST_DATABASE_URL set to try them on PostgreSQL too.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS
from tests.crafted import call_callback, db_fingerprint, signed_in_client
from tracker.models import Subgroup, SubgroupMember
from tracker.services import maturity, subgroups
from tracker.services.errors import InvalidInput, NotFound

BAD_IDS = [-1, 0, 2**31, 2**63 - 1, -(2**63), "7", "a string", [1], {"id": 1}, None, True, 2.5]


def tr(session: Session) -> Subgroup:
    return session.exec(select(Subgroup).where(Subgroup.code == "TR")).one()


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_linking_an_improvement_of_a_crafted_score_id_is_not_found(session, lead, bad):
    with pytest.raises(NotFound, match="There is no score"):
        maturity.link_improvement_action(session, lead, bad, None)


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_a_crafted_framework_id_is_not_found(session, bad):
    with pytest.raises(NotFound, match="There is no maturity framework"):
        maturity.framework_view(session, bad)


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_removing_a_crafted_member_id_is_refused_and_nobody_leaves(session, admin, bad):
    subgroup = tr(session)
    before = session.exec(select(SubgroupMember.id).where(SubgroupMember.subgroup_id == subgroup.id)).all()
    with pytest.raises(InvalidInput) as refused:
        subgroups.remove_member(session, admin, subgroup.id, bad)
    assert refused.value.errors == {"member_id": "That person is not a member of this subgroup"}
    assert session.exec(select(SubgroupMember.id).where(SubgroupMember.subgroup_id == subgroup.id)).all() == before


@pytest.mark.parametrize("bad", [-1, 0, 2**31, 2**63 - 1, "a string", [1], None], ids=repr)
def test_terms_of_reference_naming_a_crafted_subgroup_id_are_refused(session, admin, bad):
    subgroup = tr(session)
    version = subgroups.current_tor_version(session, subgroup.id)
    data = {"purpose": "Terms naming a subgroup that is not there.", "meeting_frequency": "Monthly",
            "reports_to": "The board", "interdependencies": [(bad, "Shares a caseload")]}
    with pytest.raises(InvalidInput) as refused:
        subgroups.record_tor_version(session, admin, subgroup.id, version, data)
    assert "interdependencies" in refused.value.errors
    assert subgroups.current_tor_version(session, subgroup.id) == version


# --- The same ids in requests to the callbacks ----------------------------------------------------------


@pytest.mark.parametrize("bad", [-1, 2**31, 2**40, "a string"], ids=repr)
def test_a_crafted_member_id_on_the_subgroups_admin_page_is_a_clear_refusal(app, db, bad):
    with Session(db) as s:
        subgroup_id = tr(s).id
    client = signed_in_client(app, DEMO_EMAILS["admin"])
    before = db_fingerprint(db)
    reply = call_callback(client, ({"type": "sg-member-remove", "member": bad}, "n_clicks", 1), {
        ("sg-edit-version", "data"): {"subgroup_id": subgroup_id, "version": 1}})
    assert reply.status == 200, reply.text[:500]
    assert ("That person is not a member of this subgroup" in reply.strings
            or "Choose a member from the table" in reply.strings), reply.strings[:500]
    assert db_fingerprint(db) == before


@pytest.mark.parametrize("bad", [-1, 2**31, 2**40, "a string"], ids=repr)
def test_a_crafted_score_id_on_the_assessment_page_is_a_clear_refusal(app, db, bad):
    client = signed_in_client(app, DEMO_EMAILS["lead"])
    before = db_fingerprint(db)
    reply = call_callback(client, ("link-submit", "n_clicks", 1), {
        ('{"score":["ALL"],"type":"link-action"}', "value"): [({"type": "link-action", "score": bad}, "")],
        ("assessment-refresh", "data"): 0})
    assert reply.status == 200, reply.text[:500]
    assert "There is no score" in reply.strings, reply.strings[:500]
    assert db_fingerprint(db) == before
