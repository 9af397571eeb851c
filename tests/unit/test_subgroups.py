"""Subgroups: the read models of the subgroup pages (summaries, latest updates) and the theme look-ups.

Runs on the tiny partnership in tests/fixtures/mini/ (today is 23 November 2026): the Treatment and
recovery subgroup (TR, led by lead@) has terms of reference version 1, approved 10/01/2024 and due
for review 10/01/2025, with an interdependency on the Supply subgroup (SUP, led by pat@police).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from tests.unit.subgroup_support import TODAY, _other_partnership, new_tor, people, subgroup
from tracker.models import Action, AuditEvent, StatusUpdate
from tracker.services import reference, subgroups
from tracker.services.errors import NotFound

# --- subgroup_summaries ---------------------------------------------------------------------------


def test_subgroup_summaries(s):
    pid = people(s)["admin"].partnership_id
    summaries = {x.subgroup.code: x for x in subgroups.subgroup_summaries(s, pid, TODAY)}
    assert list(summaries) == ["SUP", "TR"]  # by name: "Supply subgroup", "Treatment and recovery subgroup"

    tr = summaries["TR"]
    assert tr.lead == "Lee Lead"
    assert [t.number for t in tr.themes] == [2]
    assert tr.member_count == 2
    assert tr.by_rag == {"amber": 1, "red": 1}
    assert tr.actions == 2
    assert tr.tor.version == 1
    assert tr.tor_approved and tr.tor_review_overdue and not tr.tor_in_force  # review was due 10/01/2025

    sup = summaries["SUP"]
    assert sup.lead == "Pat Police"
    assert sup.by_rag == {"blue": 1, "grey": 1}
    assert sup.tor is None and not sup.tor_approved and not sup.tor_in_force


def test_summary_follows_a_new_version(s):
    p = people(s)
    tr = subgroup(s, "TR")
    subgroups.record_tor_version(s, p["lead"], tr.id, 1, new_tor(s))
    summary = next(x for x in subgroups.subgroup_summaries(s, p["admin"].partnership_id, TODAY)
                   if x.subgroup.id == tr.id)
    assert summary.tor.version == 2 and summary.tor_in_force


def test_summary_leaves_out_cancelled_actions(s):
    p = people(s)
    action = s.exec(select(Action).where(Action.ref == "TR-02")).one()
    action.status = "cancelled"
    s.add(action)
    s.flush()
    summary = next(x for x in subgroups.subgroup_summaries(s, p["admin"].partnership_id, TODAY)
                   if x.subgroup.code == "TR")
    assert summary.by_rag == {"amber": 1}


def test_lead_falls_back_to_a_member_with_the_lead_role(s):
    tr = subgroup(s, "TR")
    tr.lead_id = None
    s.add(tr)
    s.flush()
    assert subgroups.lead_name(s, tr) == "Lee Lead"


def test_summaries_of_an_empty_partnership(s):
    assert subgroups.subgroup_summaries(s, _other_partnership(s), TODAY) == []


# --- latest_updates -------------------------------------------------------------------------------


def test_latest_updates_newest_first_with_author_and_action(s):
    p = people(s)
    tr = subgroup(s, "TR")
    updates = subgroups.latest_updates(s, p["admin"].partnership_id, tr.id)
    assert [(u.action_ref, u.update.update_date) for u in updates] == [
        ("TR-01", date(2026, 11, 1)), ("TR-02", date(2026, 10, 15)), ("TR-01", date(2026, 9, 1))]
    assert updates[0].author == "Owen Owner"
    assert updates[0].update.rag == "amber"
    assert updates[0].action_title == "Increase the number of adults in treatment"


def test_latest_updates_are_limited_and_only_this_subgroups(s):
    p = people(s)
    tr = subgroup(s, "TR")
    action = s.exec(select(Action).where(Action.ref == "TR-01")).one()
    for day in range(1, 13):
        s.add(StatusUpdate(action_id=action.id, update_date=date(2026, 11, day + 1), rag="green",
                           progress=50 + day, author_id=p["lead"].id))
    s.flush()
    updates = subgroups.latest_updates(s, p["admin"].partnership_id, tr.id)
    assert len(updates) == 10
    assert updates[0].update.update_date == date(2026, 11, 13)
    assert {u.action_ref for u in updates} == {"TR-01"}
    assert len(subgroups.latest_updates(s, p["admin"].partnership_id, tr.id, limit=3)) == 3
    sup = subgroups.latest_updates(s, p["admin"].partnership_id, subgroup(s, "SUP").id)
    assert [u.action_ref for u in sup] == ["SUP-01"]


def test_latest_updates_of_another_partnerships_subgroup_is_not_found(s):
    tr = subgroup(s, "TR")
    with pytest.raises(NotFound):
        subgroups.latest_updates(s, _other_partnership(s), tr.id)


# --- reference look-ups used by the theme and subgroup pages --------------------------------------


def test_theme_look_ups(s):
    pid = people(s)["admin"].partnership_id
    themes = {t.number: t for t in reference.themes(s, pid)}
    assert [x.code for x in reference.subgroups_for_theme(s, pid, themes[2].id)] == ["TR"]
    assert [t.number for t in reference.themes_of_subgroup(s, pid, subgroup(s, "SUP").id)] == [1]
    served = reference.objective_outcomes(s, pid)
    by_code = {o.code: o.id for o in reference.objectives(s, pid)}
    assert [o.code for o in served[by_code["T2.1"]]] == ["I2", "S3"]
    assert [o.code for o in served[by_code["T1.1"]]] == ["I1"]
    # Another partnership sees none of them.
    other = _other_partnership(s)
    assert reference.subgroups_for_theme(s, other, themes[2].id) == []
    assert reference.objective_outcomes(s, other) == {}


def test_audit_of_a_new_version_holds_its_fields(s):
    tr = subgroup(s, "TR")
    tor = subgroups.record_tor_version(s, people(s)["lead"], tr.id, 1, new_tor(s))
    event = s.exec(select(AuditEvent).where(AuditEvent.entity_type == "TermsOfReference",
                                            AuditEvent.entity_id == tor.id)).one()
    assert json.loads(event.after)["meeting_frequency"] == "Every six weeks"


def test_another_partnerships_theme_and_subgroup_are_not_found(s):
    """The theme and subgroup pages look records up through these: another partnership's ids fail."""
    tr = subgroup(s, "TR")
    theme = reference.themes(s, tr.partnership_id)[0]
    other = _other_partnership(s)
    with pytest.raises(NotFound):
        reference.get_theme(s, other, theme.id)
    with pytest.raises(NotFound):
        reference.get_subgroup(s, other, tr.id)
    assert reference.themes_of_subgroup(s, other, tr.id) == []
