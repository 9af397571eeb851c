"""Subgroups: recording versions of the terms of reference, and the read models of the subgroup pages.

Runs on the tiny partnership in tests/fixtures/mini/ (today is 23 November 2026): the Treatment and
recovery subgroup (TR, led by lead@) has terms of reference version 1, approved 10/01/2024 and due
for review 10/01/2025, with an interdependency on the Supply subgroup (SUP, led by pat@police).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import Session, func, select

from tests.conftest import DEMO_EMAILS, person_by_email
from tracker.models import (
    Action,
    AuditEvent,
    Person,
    StatusUpdate,
    Subgroup,
    TermsOfReference,
    TorInterdependency,
)
from tracker.services import reference, subgroups
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

TODAY = date(2026, 11, 23)


def people(session: Session) -> dict[str, Person]:
    found = {role: person_by_email(session, email) for role, email in DEMO_EMAILS.items()}
    found["pat"] = person_by_email(session, "pat@police.example.org")
    return found


def subgroup(session: Session, code: str) -> Subgroup:
    return session.exec(select(Subgroup).where(Subgroup.code == code)).one()


def tor_rows(session: Session, subgroup_id: int) -> list[TermsOfReference]:
    return list(session.exec(select(TermsOfReference).where(TermsOfReference.subgroup_id == subgroup_id)
                             .order_by(TermsOfReference.version)).all())


def new_tor(session: Session, **changes) -> dict:
    data = {
        "purpose": "Oversee the treatment and recovery part of the plan, and report to the board.",
        "scope": "Adult treatment, recovery support and harm reduction.",
        "responsibilities": "Own the theme 2 actions; report each quarter.",
        "membership": "Commissioners, providers, probation and people with lived experience.",
        "quorum": "Four members including the lead or deputy",
        "meeting_frequency": "Every six weeks",
        "reports_to": "The partnership board",
        "approved_on": date(2026, 11, 1),
        "review_due": date(2027, 11, 1),
        "change_note": "Annual review: scope widened to harm reduction.",
        "interdependencies": [(subgroup(session, "SUP").id, "Referrals from the criminal justice system.")],
    }
    return data | changes


def audit_count(session: Session) -> int:
    return session.exec(select(func.count(AuditEvent.id))).one()


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


def _other_partnership(session: Session) -> int:
    from tracker.models import Partnership

    partnership = Partnership(slug="elsewhere", name="Elsewhere CDP", area="Elsewhere")
    session.add(partnership)
    session.flush()
    return partnership.id


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


# --- The subgroup page's save callback: thin, and it trusts nothing from the browser ----------------


@pytest.fixture
def page_call(mini_engine):
    """Post the page's save callback as `email`, as the browser does, to the real app on the mini
    database; after a save, the page's refresh callback too (it re-renders the terms of reference)."""
    from dash import ALL, no_update

    from tests.crafted import call_callback, form_body, give_password, signed_in_client, stringify_id
    from tracker.config import Settings
    from tracker.web.app import create_app

    app = create_app(Settings(database_url="sqlite://", seed_on_start=False, secret_key="test",
                              csrf_enabled=False), engine=mini_engine, today=TODAY)
    from tracker.web.pages import subgroup as page  # registers its page: only after an app exists

    def call(email: str, subgroup_id: int, based_on: int, **changes):
        give_password(mini_engine, email)
        with Session(mini_engine) as session:
            sup_id = subgroup(session, "SUP").id
        form = {"purpose": "Oversee the treatment and recovery part of the plan.", "scope": "", "responsibilities": "",
                "membership": "", "quorum": "", "meeting_frequency": "Monthly", "reports_to": "The board",
                "approved_on": "2026-11-01", "review_due": "2027-11-01", "change_note": "From the page"} | changes
        context = {"subgroup_id": subgroup_id, "based_on_version": based_on}
        client = signed_in_client(app, email)
        reply = call_callback(client, ("tor-form-save", "n_clicks", 1), {
            ("tor-form-context", "data"): context,
            **form_body("tor", {f: form[f] for f in page.FORM_FIELDS}),
            (stringify_id({"type": "tor-form-dep", "subgroup": ALL}), "value"):
                [({"type": "tor-form-dep", "subgroup": sup_id}, True)],
            (stringify_id({"type": "tor-form-dep-text", "subgroup": ALL}), "value"):
                [({"type": "tor-form-dep-text", "subgroup": sup_id}, "Shares intelligence.")],
        })
        assert reply.status == 200, reply.text[:500]
        out = reply.json["response"]

        def by_field(form_key: str, prop: str) -> dict:
            return {json.loads(k)["field"]: v[prop] for k, v in out.items()
                    if k.startswith("{") and json.loads(k).get("form") == form_key and prop in v}

        result = {"context": out.get("tor-form-context", {}).get("data", no_update),
                  "alert": json.dumps(out["tor-form-alert"]["children"]),
                  "invalid": by_field("tor", "invalid"), "feedback": by_field("tor-feedback", "children"),
                  "display": no_update, "based_on_text": no_update}
        if "tor-refresh" in out:
            shown = call_callback(client, ("tor-refresh", "data", out["tor-refresh"]["data"]),
                                  {("tor-form-context", "data"): result["context"]}).json["response"]
            result["display"] = shown["tor-display"]["children"]
            result["based_on_text"] = shown["tor-form-based-on-text"]["children"]
        return result

    return call


def _tor_versions(engine, code: str) -> list[int]:
    with Session(engine) as session:
        return sorted(t.version for t in tor_rows(session, subgroup(session, code).id))


def test_page_saves_a_version_for_the_lead(page_call, mini_engine):
    with Session(mini_engine) as session:
        tr_id = subgroup(session, "TR").id
    result = page_call(DEMO_EMAILS["lead"], tr_id, 1)
    assert "Saved: version 2" in result["alert"]
    assert result["context"] == {"subgroup_id": tr_id, "based_on_version": 2}
    assert result["based_on_text"] == "You are editing version 2."
    assert not any(result["invalid"].values())
    assert _tor_versions(mini_engine, "TR") == [1, 2]
    with Session(mini_engine) as session:
        tor = subgroups.tor_versions(session, tr_id)[0].tor
        links = session.exec(select(TorInterdependency).where(TorInterdependency.tor_id == tor.id)).all()
        assert [link.description for link in links] == ["Shares intelligence."]


def test_page_refuses_a_forged_request_from_a_viewer(page_call, mini_engine):
    """The form is not shown to a viewer; a request made by hand is refused by the service."""
    with Session(mini_engine) as session:
        tr_id = subgroup(session, "TR").id
    result = page_call(DEMO_EMAILS["viewer"], tr_id, 1)
    assert "Only a lead of Treatment and recovery subgroup" in result["alert"]
    assert result["context"] is dash_no_update()
    assert _tor_versions(mini_engine, "TR") == [1]


def test_page_refuses_another_subgroup_named_in_the_stored_context(page_call, mini_engine):
    """The subgroup id comes from a dcc.Store the browser controls: the lead of TR cannot use it to
    change SUP's terms of reference."""
    with Session(mini_engine) as session:
        sup_id = subgroup(session, "SUP").id
    result = page_call(DEMO_EMAILS["lead"], sup_id, 0)
    assert "Only a lead of Supply subgroup" in result["alert"]
    assert _tor_versions(mini_engine, "SUP") == []


def test_page_shows_each_error_beside_its_field(page_call, mini_engine):
    with Session(mini_engine) as session:
        tr_id = subgroup(session, "TR").id
    result = page_call(DEMO_EMAILS["lead"], tr_id, 1, purpose="short", review_due="2026-10-01")
    assert result["invalid"]["purpose"] is True
    assert result["feedback"]["purpose"] == "Enter at least 10 characters"
    assert result["invalid"]["approved_on"] is False
    assert "Nothing was saved" in result["alert"]
    assert _tor_versions(mini_engine, "TR") == [1]


def test_page_reports_a_conflict(page_call, mini_engine):
    with Session(mini_engine) as session:
        tr_id = subgroup(session, "TR").id
    page_call(DEMO_EMAILS["admin"], tr_id, 1)
    result = page_call(DEMO_EMAILS["lead"], tr_id, 1)
    assert "Ada Admin" in result["alert"] and "Nothing was saved" in result["alert"]
    assert _tor_versions(mini_engine, "TR") == [1, 2]


def test_page_refuses_a_tampered_context(page_call, mini_engine):
    result = page_call(DEMO_EMAILS["lead"], "not-a-number", 1)
    assert "reload the page" in result["alert"]


def dash_no_update():
    from dash import no_update

    return no_update
