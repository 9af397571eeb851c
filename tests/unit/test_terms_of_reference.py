"""Terms of reference: recording a new version (who may, what is checked, conflicts), and each version's state.

Runs on the tiny partnership in tests/fixtures/mini/ (today is 23 November 2026): the Treatment and
recovery subgroup (TR, led by lead@) has terms of reference version 1, approved 10/01/2024 and due
for review 10/01/2025, with an interdependency on the Supply subgroup (SUP, led by pat@police).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests.unit.subgroup_support import (
    TODAY,
    _other_partnership,
    audit_count,
    new_tor,
    people,
    subgroup,
    tor_rows,
)
from tracker.models import AuditEvent, Subgroup, TermsOfReference, TorInterdependency
from tracker.services import subgroups
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

# --- record_tor_version ------------------------------------------------------------------------


def test_new_version_is_added_and_the_old_one_kept(s):
    lead = people(s)["lead"]
    tr = subgroup(s, "TR")
    old = tor_rows(s, tr.id)
    assert [t.version for t in old] == [1]
    old_purpose = old[0].purpose

    tor = subgroups.record_tor_version(s, lead, tr.id, 1, new_tor(s))
    s.commit()

    assert tor.version == 2
    assert tor.created_by_id == lead.id
    rows = tor_rows(s, tr.id)
    assert [t.version for t in rows] == [1, 2]
    assert rows[0].purpose == old_purpose  # the history is untouched
    assert rows[1].meeting_frequency == "Every six weeks"
    assert subgroups.current_tor_version(s, tr.id) == 2
    links = s.exec(select(TorInterdependency).where(TorInterdependency.tor_id == tor.id)).all()
    assert [(link.other_subgroup_id, link.description) for link in links] == [
        (subgroup(s, "SUP").id, "Referrals from the criminal justice system.")]

    versions = subgroups.tor_versions(s, tr.id)
    assert [v.tor.version for v in versions] == [2, 1]  # newest first
    assert versions[0].author == lead.name
    assert versions[0].interdependencies == [(subgroup(s, "SUP").id, "Supply subgroup",
                                              "Referrals from the criminal justice system.")]
    # Version 1 keeps its own interdependency.
    assert versions[1].interdependencies[0][2] == "Shares intelligence on drug markets."

    event = s.exec(select(AuditEvent).where(AuditEvent.entity_type == "TermsOfReference")
                   .order_by(AuditEvent.id.desc())).first()
    assert event.actor_id == lead.id and "version 2" in event.summary


def test_terms_of_reference_history_reads_only_what_it_shows(s):
    """A subgroup's terms of reference read the names of their own author and interdependent subgroups, in
    a few statements however many versions there are: reading every person and subgroup of the
    installation made the subgroup page 1.6x slower in a region of ten partnerships."""
    from sqlalchemy import event

    lead, tr = people(s)["lead"], subgroup(s, "TR")
    for version in (1, 2, 3):
        subgroups.record_tor_version(s, lead, tr.id, version, new_tor(s))
        s.commit()
    statements: list[str] = []
    engine = s.get_bind()

    def count(_conn, _cursor, statement, *_):
        statements.append(" ".join(statement.lower().split()))

    event.listen(engine, "before_cursor_execute", count)
    try:
        versions = subgroups.tor_versions(s, tr.id)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert [v.tor.version for v in versions] == [4, 3, 2, 1]
    assert versions[0].author == lead.name and versions[-1].author == "Seed data"
    assert versions[0].interdependencies[0][1] == "Supply subgroup"
    assert len(statements) <= 4
    for statement in statements:
        if " from person" in statement or " from subgroup" in statement:
            assert " where " in statement, statement


def test_admin_may_record_a_version(s):
    admin = people(s)["admin"]
    tr = subgroup(s, "TR")
    assert subgroups.record_tor_version(s, admin, tr.id, 1, new_tor(s)).version == 2


def test_first_version_of_a_subgroup_without_terms_of_reference(s):
    pat = people(s)["pat"]
    sup = subgroup(s, "SUP")
    assert subgroups.current_tor_version(s, sup.id) == 0
    tor = subgroups.record_tor_version(s, pat, sup.id, 0, new_tor(s, interdependencies=[]))
    assert tor.version == 1


def test_stale_based_on_version_is_a_conflict_and_writes_nothing(s):
    p = people(s)
    tr = subgroup(s, "TR")
    # Two people open version 1; the admin saves first.
    subgroups.record_tor_version(s, p["admin"], tr.id, 1, new_tor(s, change_note="The admin's change"))
    s.commit()
    before_tors, before_audit = len(tor_rows(s, tr.id)), audit_count(s)

    with pytest.raises(Conflict) as conflict:
        subgroups.record_tor_version(s, p["lead"], tr.id, 1, new_tor(s, change_note="The lead's change"))
    s.rollback()

    message = str(conflict.value)
    assert "Version 2" in message and p["admin"].name in message and "Nothing was saved" in message
    assert len(tor_rows(s, tr.id)) == before_tors == 2
    assert audit_count(s) == before_audit
    assert tor_rows(s, tr.id)[-1].change_note == "The admin's change"


def test_based_on_a_version_that_does_not_exist_yet_is_a_conflict(s):
    tr = subgroup(s, "TR")
    with pytest.raises(Conflict):
        subgroups.record_tor_version(s, people(s)["lead"], tr.id, 7, new_tor(s))


@pytest.mark.parametrize("who", ["viewer", "chair", "owner", "pat"])
def test_refused_for_people_who_do_not_lead_the_subgroup(s, who):
    """A viewer, the chair, a plain member (owner@ is a member of TR) and the lead of another
    subgroup (pat@ leads SUP) may not change TR's terms of reference."""
    tr = subgroup(s, "TR")
    before_tors, before_audit = len(tor_rows(s, tr.id)), audit_count(s)
    with pytest.raises(PermissionDenied) as refused:
        subgroups.record_tor_version(s, people(s)[who], tr.id, 1, new_tor(s))
    s.rollback()
    assert "Treatment and recovery subgroup" in str(refused.value)
    assert len(tor_rows(s, tr.id)) == before_tors
    assert audit_count(s) == before_audit


def test_permission_is_checked_before_the_input(s):
    """A refused person learns nothing about what would have been wrong with their input."""
    with pytest.raises(PermissionDenied):
        subgroups.record_tor_version(s, people(s)["viewer"], subgroup(s, "TR").id, 1, {"purpose": ""})


def test_inactive_lead_is_refused(s):
    lead = people(s)["lead"]
    lead.is_active = False
    s.add(lead)
    s.flush()
    with pytest.raises(PermissionDenied):
        subgroups.record_tor_version(s, lead, subgroup(s, "TR").id, 1, new_tor(s))


def test_review_date_before_approval_is_refused(s):
    tr = subgroup(s, "TR")
    with pytest.raises(InvalidInput) as invalid:
        subgroups.record_tor_version(s, people(s)["lead"], tr.id, 1, new_tor(
            s, approved_on=date(2026, 11, 1), review_due=date(2026, 10, 1)))
    assert set(invalid.value.errors) == {"review_due"}
    assert "after the approval date" in invalid.value.errors["review_due"]
    assert len(tor_rows(s, tr.id)) == 1


def test_review_date_on_the_approval_date_is_refused(s):
    with pytest.raises(InvalidInput) as invalid:
        subgroups.record_tor_version(s, people(s)["lead"], subgroup(s, "TR").id, 1, new_tor(
            s, approved_on=date(2026, 11, 1), review_due=date(2026, 11, 1)))
    assert "review_due" in invalid.value.errors


def test_dates_from_a_form_arrive_as_text(s):
    tor = subgroups.record_tor_version(s, people(s)["lead"], subgroup(s, "TR").id, 1, new_tor(
        s, approved_on="2026-11-01", review_due="2027-11-01"))
    assert tor.approved_on == date(2026, 11, 1) and tor.review_due == date(2027, 11, 1)


def test_a_draft_without_dates_is_accepted(s):
    tor = subgroups.record_tor_version(s, people(s)["lead"], subgroup(s, "TR").id, 1, new_tor(
        s, approved_on=None, review_due=None))
    assert tor.approved_on is None
    assert not subgroups.tor_is_approved(tor)


@pytest.mark.parametrize(("changes", "field"), [
    ({"purpose": "short"}, "purpose"),
    ({"purpose": ""}, "purpose"),
    ({"approved_on": "31/02/2026"}, "approved_on"),
    ({"quorum": "x" * 301}, "quorum"),
])
def test_bad_input_names_the_field(s, changes, field):
    tr = subgroup(s, "TR")
    with pytest.raises(InvalidInput) as invalid:
        subgroups.record_tor_version(s, people(s)["lead"], tr.id, 1, new_tor(s, **changes))
    assert field in invalid.value.errors and invalid.value.errors[field]
    assert len(tor_rows(s, tr.id)) == 1


def test_interdependency_on_itself_or_unknown_subgroup_is_refused(s):
    tr = subgroup(s, "TR")
    for other in (tr.id, 99999):
        with pytest.raises(InvalidInput) as invalid:
            subgroups.record_tor_version(s, people(s)["lead"], tr.id, 1,
                                         new_tor(s, interdependencies=[(other, "x")]))
        assert "interdependencies" in invalid.value.errors


def test_subgroup_of_another_partnership_is_not_found(s, mini_engine):
    other = Subgroup(partnership_id=_other_partnership(s), code="XX", name="Elsewhere")
    s.add(other)
    s.flush()
    with pytest.raises(NotFound):
        subgroups.record_tor_version(s, people(s)["admin"], other.id, 0, new_tor(s, interdependencies=[]))


# --- ToR state ----------------------------------------------------------------------------------


def test_tor_state_flags():
    approved = TermsOfReference(subgroup_id=1, version=1, purpose="p" * 10,
                                approved_on=date(2026, 1, 1), review_due=date(2026, 12, 31))
    assert subgroups.tor_is_approved(approved)
    assert not subgroups.tor_review_overdue(approved, TODAY)
    assert subgroups.tor_in_force(approved, TODAY)
    assert subgroups.tor_review_overdue(approved, date(2027, 1, 1))
    assert not subgroups.tor_review_overdue(approved, date(2026, 12, 31))  # due today is not overdue
    assert not subgroups.tor_in_force(approved, date(2027, 1, 1))
    draft = TermsOfReference(subgroup_id=1, version=2, purpose="p" * 10)
    assert not subgroups.tor_is_approved(draft) and not subgroups.tor_in_force(draft, TODAY)
    assert not subgroups.tor_is_approved(None) and not subgroups.tor_in_force(None, TODAY)
