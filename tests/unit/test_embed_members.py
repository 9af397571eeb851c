"""Whether an embedded subgroup view lists the members: off unless the partnership opts in; the setting
is an administrator's (on the thresholds page), audited, refused to anyone else with a clear message; and
the embed's HTML has the member list exactly when it is on."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS
from tests.crafted import call_callback, changed_tables, db_fingerprint, signed_in_client
from tests.web_client import csrf_cookie, make_app, router_call
from tracker.models import AuditEvent, Partnership, Subgroup
from tracker.services import embeds
from tracker.services.errors import InvalidInput, PermissionDenied


def test_a_partnership_does_not_list_members_in_embeds_until_it_opts_in(session, partnership):
    assert partnership.embed_show_members is False
    assert embeds.shows_members(session, partnership.id) is False


def test_an_admin_opts_in_and_out_and_each_change_is_audited(session, admin, partnership):
    embeds.set_show_members(session, admin, True)
    assert embeds.shows_members(session, partnership.id) is True
    embeds.set_show_members(session, admin, True)  # no change: no second record
    embeds.set_show_members(session, admin, False)
    events = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "Partnership",
                                                   AuditEvent.summary.like("Embedded subgroup views%"))
                          .order_by(AuditEvent.id)).all()
    assert [e.summary for e in events] == ["Embedded subgroup views now list the members",
                                           "Embedded subgroup views now do not list the members"]
    assert events[0].actor_id == admin.id and '"embed_show_members": true' in events[0].after


@pytest.mark.parametrize("who", ["lead", "chair", "viewer"])
def test_anyone_but_an_admin_is_refused_with_a_clear_message(request, session, partnership, who):
    with pytest.raises(PermissionDenied) as caught:
        embeds.set_show_members(session, request.getfixturevalue(who), True)
    assert str(caught.value) == "Only an administrator can choose whether embedded views list the subgroup members."
    assert embeds.shows_members(session, partnership.id) is False


def test_a_value_that_is_not_yes_or_no_is_refused(session, admin):
    with pytest.raises(InvalidInput) as caught:
        embeds.set_show_members(session, admin, "yes please")
    assert "Tick the box" in caught.value.errors["embed_show_members"]


def embed_body(engine, session, admin) -> str:
    subgroup = session.exec(select(Subgroup).where(Subgroup.partnership_id == admin.partnership_id)
                            .order_by(Subgroup.id)).first()
    _, plain = embeds.create_embed_token(session, admin, f"subgroup:{subgroup.id}", "Intranet")
    session.commit()
    client = make_app(engine).server.test_client()
    client.get(f"/embed/subgroup/{subgroup.id}?token={plain}")
    response = client.post("/_dash-update-component",
                           json=router_call(f"/embed/subgroup/{subgroup.id}", f"?token={plain}"),
                           headers={"X-CSRFToken": csrf_cookie(client)})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_embed_html_has_the_member_list_only_when_the_partnership_opts_in(engine, session, admin):
    hidden = embed_body(engine, session, admin)
    assert "embed-subgroup" in hidden and "Delivery plan" in hidden
    assert "members-table" not in hidden and "Members (" not in hidden
    embeds.set_show_members(session, admin, True)
    session.commit()
    shown = embed_body(engine, session, admin)
    assert "members-table" in shown and "Members (" in shown


# --- The admin page's callback, posted as a browser (or someone crafting requests) would ------------

SAVE = ("embed-settings-save", "n_clicks", 1)


def setting(engine) -> bool:
    with Session(engine) as s:
        return s.exec(select(Partnership.embed_show_members)).first()


def test_a_lead_posting_the_setting_is_refused_and_nothing_is_written(app, db):
    lead = signed_in_client(app, DEMO_EMAILS["lead"])
    before = db_fingerprint(db)
    reply = call_callback(lead, SAVE, {("embed-show-members", "value"): True})
    assert reply.status == 200 and "Only an administrator can choose whether embedded views" in reply.strings
    after = db_fingerprint(db)
    assert after == before, f"the refused request changed {changed_tables(before, after)}"
    assert setting(db) is False


@pytest.mark.parametrize(("value", "words", "stored"), [
    (True, "Saved: embedded subgroup views list the members.", True),
    ("x", "Tick the box to list the members, or clear it not to", False),
])
def test_an_admin_posting_the_setting_saves_it_or_is_told_what_to_fix(app, db, value, words, stored):
    reply = call_callback(signed_in_client(app, DEMO_EMAILS["admin"]), SAVE, {("embed-show-members", "value"): value})
    assert reply.status == 200 and words in reply.strings, reply.strings[:500]
    assert setting(db) is stored
