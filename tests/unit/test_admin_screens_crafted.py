"""The new admin screens' callbacks posted by hand: a chair (not an admin) is refused every change with
nothing written, an admin's same request works (the control case), and malformed values sent back by the
browser get a message rather than a 500."""

from __future__ import annotations

import pytest
from dash import ALL, MATCH
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS
from tests.crafted import (
    call_callback,
    changed_tables,
    db_fingerprint,
    form_body,
    signed_in_client,
    stringify_id,
)
from tracker.models import Objective, Partnership, Theme
from tracker.services import strategy_admin


def m(kind: str) -> str:
    """The key of a MATCH-pattern state, as call_callback takes it (the value alone: the trigger's id)."""
    return stringify_id({"type": kind, "id": MATCH})


def first(engine):
    with Session(engine) as s:
        theme = s.exec(select(Theme).order_by(Theme.number)).first()
        objective = s.exec(select(Objective).where(Objective.theme_id == theme.id)).first()
        partnership = s.get(Partnership, theme.partnership_id)
        return (strategy_admin.loaded(theme), strategy_admin.loaded(objective),
                {"stale_after_days": partnership.stale_after_days,
                 "update_deadline_working_days": partnership.update_deadline_working_days})


def requests(engine) -> dict:
    theme, objective, limits = first(engine)
    retire_themes = stringify_id({"type": "theme-retire", "id": ALL})
    theme_loaded = stringify_id({"type": "theme-loaded", "id": ALL})
    return {
        "create_token": (("embed-create", "n_clicks", 1), form_body("embed", {
            "label": "Intranet", "scope": "overview", "expires_on": "2027-06-30"}), "Token created"),
        "thresholds": (("thresholds-save", "n_clicks", 1), {
            ("threshold-stale-after-days", "value"): 45,
            ("threshold-update-deadline-working-days", "value"): 5, ("thresholds-loaded", "data"): limits},
            "Thresholds saved."),
        "rename_theme": (({"type": "theme-save", "id": theme["id"]}, "n_clicks", 1), {
            (m("theme-name"), "value"): "Renamed theme", (m("theme-loaded"), "data"): theme}, "saved."),
        "retire_theme": (({"type": "theme-retire", "id": theme["id"]}, "n_clicks", 1), {
            (retire_themes, "n_clicks"): [({"type": "theme-retire", "id": theme["id"]}, 1)],
            (theme_loaded, "data"): [({"type": "theme-loaded", "id": theme["id"]}, theme)]}, "retired"),
        "add_theme": (("add-theme", "n_clicks", 1), form_body("new-theme", {"number": 9, "name": "Housing"}),
                      "Theme 9 added"),
        "add_objective": (("add-objective", "n_clicks", 1), form_body("new-objective", {
            "theme_id": str(theme["id"]), "code": "X1.1", "title": "New work"}), "Objective X1.1 added"),
        "rename_objective": (({"type": "objective-save", "id": objective["id"]}, "n_clicks", 1), {
            (m("objective-title"), "value"): "Renamed objective", (m("objective-loaded"), "data"): objective},
            "saved."),
    }


NAMES = ["create_token", "thresholds", "rename_theme", "retire_theme", "add_theme", "add_objective",
         "rename_objective"]


@pytest.mark.parametrize("name", NAMES)
def test_a_chair_is_refused_and_an_admin_is_not(app, db, name):
    trigger, values, done = requests(db)[name]
    chair = signed_in_client(app, DEMO_EMAILS["chair"])
    before = db_fingerprint(db)
    reply = call_callback(chair, trigger, values)
    assert reply.status == 200 and "Only an administrator can do this." in reply.strings, reply.strings[:500]
    after = db_fingerprint(db)
    assert after == before, f"the refused request changed {changed_tables(before, after)}"
    reply = call_callback(signed_in_client(app, DEMO_EMAILS["admin"]), trigger, values)
    assert reply.status == 200 and done in reply.strings, reply.strings[:500]


@pytest.mark.parametrize("name", ["rename_theme", "thresholds", "retire_theme"])
def test_a_malformed_loaded_state_is_a_conflict_message_not_a_500(app, db, name):
    trigger, values, _ = requests(db)[name]
    values = {k: ("x" if k[1] == "data" else v) if not isinstance(v, list) else [(i, "x") for i, _ in v]
              for k, v in values.items()}
    admin = signed_in_client(app, DEMO_EMAILS["admin"])
    before = db_fingerprint(db)
    reply = call_callback(admin, trigger, values)
    assert reply.status == 200 and "Someone else changed" in reply.strings, reply.strings[:500]
    assert db_fingerprint(db) == before


def test_a_theme_id_that_is_not_a_number_is_not_found(app, db):
    theme, _, _ = first(db)
    reply = call_callback(signed_in_client(app, DEMO_EMAILS["admin"]), ({"type": "theme-save", "id": "abc"},
                                                                       "n_clicks", 1),
                          {(m("theme-name"), "value"): "Renamed", (m("theme-loaded"), "data"): theme})
    assert reply.status == 200 and "There is no theme None." in reply.strings
