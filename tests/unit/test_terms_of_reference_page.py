"""The subgroup page's terms-of-reference save callback: thin, and it trusts nothing from the browser.

Runs on the tiny partnership in tests/fixtures/mini/ (today is 23 November 2026): the Treatment and
recovery subgroup (TR, led by lead@) has terms of reference version 1, approved 10/01/2024 and due
for review 10/01/2025, with an interdependency on the Supply subgroup (SUP, led by pat@police).
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS
from tests.unit.subgroup_support import TODAY, subgroup, tor_rows
from tracker.models import TorInterdependency
from tracker.services import subgroups

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
