"""Crafted requests to every write callback outside the admin pages (those are in test_admin_callbacks.py).

Each request is the body dash-renderer would send for the callback, with valid inputs, so only the
permission check can stop it. Posted by someone who may not make the change (the viewer; the lead of
another subgroup, m.fenwick@police, who leads Supply and Enforcement (SUP) and nothing else; and, where
it says something, a member, the subgroup's own lead or the chair), it is refused with the service's
message and the whole database is unchanged (tests.crafted.db_fingerprint). The same body posted by
someone allowed does change the database: so each crafted body is one the callback accepts, and the
refusals come from the permission check, not from a malformed request.

Runs on the seeded Northamptonshire partnership. The records concerned belong to the Treatment and
Recovery subgroup (TR), which lead@ leads; and, the other way round for what a subgroup's lead may do
("...@SUP"), to Supply and Enforcement (SUP), refused to lead@ and done by m.fenwick@police.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy.engine import Engine

from tests.conftest import DEMO_EMAILS
from tests.crafted import call_callback, changed_tables, db_fingerprint, signed_in_client
from tests.unit.crafted_bodies import (
    EMAILS,
    NO_INDICATOR,
    ONLY_ADMIN,
    ONLY_CHAIR,
    ONLY_IMPORTERS,
    ONLY_RATERS,
    SUP_INDICATOR,
    SUP_NAME,
    TR_INDICATOR,
    TR_NAME,
    add_value,
    confirm_import,
    edit_action,
    edit_definition,
    edit_framework,
    every,
    import_refused,
    invite_raters,
    link_improvement,
    moderate,
    new_indicator,
    not_your_indicator,
    only_action_lead,
    only_indicator_lead,
    only_lead,
    only_linker,
    only_owner,
    open_assessment,
    record_agreed_scores,
    record_tor_version,
    record_update,
    remove_value,
    save_draft_ratings,
    shows,
    sign_off,
    submit_ratings,
    upload_values,
)


@dataclass
class Crafted:
    request: Callable[[Engine], tuple[tuple, dict]]
    allowed: str  # who may: the control, whose request must change the database
    done: str  # words of the allowed person's success message
    refused: dict[str, str] = field(default_factory=dict)  # who may not -> words of the refusal


def bound(request, *args) -> Callable[[Engine], tuple[tuple, dict]]:
    """`request` for these records: called with the test's database only."""
    return lambda engine: request(engine, *args)


# Each write callback, on a record of TR (led by lead@): refused to the viewer and to SUP's lead.
CRAFTED: dict[str, Crafted] = {
    # The action page (TR-03 is owned by owner@, a member of TR who leads nothing)
    "record_update": Crafted(bound(record_update, "TR-03"), "lead", "Update recorded",
                             {"viewer": only_owner("TR-03"), "other_lead": only_owner("TR-03")}),
    "edit_action": Crafted(bound(edit_action, "TR-03"), "lead", "Saved the changes to TR-03", {
        "viewer": only_action_lead("TR-03"), "other_lead": only_action_lead("TR-03"),
        "owner": only_action_lead("TR-03")}),
    # The indicator pages
    "add_value": Crafted(bound(add_value, TR_INDICATOR), "lead", "Saved 123 for Oct 2025", {
        "viewer": only_indicator_lead(TR_INDICATOR), "other_lead": only_indicator_lead(TR_INDICATOR)}),
    "remove_value": Crafted(bound(remove_value, TR_INDICATOR), "lead", "Removed the value", {
        "viewer": only_indicator_lead(TR_INDICATOR), "other_lead": only_indicator_lead(TR_INDICATOR)}),
    "edit_definition": Crafted(bound(edit_definition, TR_INDICATOR), "admin", "The definition is saved",
                               {"viewer": ONLY_ADMIN, "other_lead": ONLY_ADMIN, "lead": ONLY_ADMIN}),
    "upload_values": Crafted(bound(upload_values, TR_INDICATOR), "lead", "Saved 1 value from values.csv",
                             {"viewer": NO_INDICATOR, "other_lead": not_your_indicator(TR_INDICATOR)}),
    "new_indicator": Crafted(new_indicator, "admin", "Added ",
                             {"viewer": ONLY_ADMIN, "other_lead": ONLY_ADMIN, "lead": ONLY_ADMIN}),
    # Maturity: a subgroup's page, an assessment's page, the framework
    "open_round": Crafted(bound(open_assessment, "TR"), "lead", "/maturity/assessment/", {
        "viewer": only_lead(TR_NAME), "other_lead": only_lead(TR_NAME), "owner": only_lead(TR_NAME)}),
    "save_draft_ratings": Crafted(save_draft_ratings, "owner", "Your draft is saved",
                                  {"viewer": ONLY_RATERS, "other_lead": ONLY_RATERS}),
    "submit_ratings": Crafted(submit_ratings, "owner", "Your ratings are submitted",
                              {"viewer": ONLY_RATERS, "other_lead": ONLY_RATERS}),
    "record_agreed_scores": Crafted(bound(record_agreed_scores, "TR"), "lead", "The agreed scores are recorded", {
        "viewer": only_lead(TR_NAME), "other_lead": only_lead(TR_NAME), "owner": only_lead(TR_NAME)}),
    "moderate": Crafted(moderate, "chair", "Moderation saved (8 score(s) recorded)",
                        {"viewer": ONLY_CHAIR, "other_lead": ONLY_CHAIR, "lead": ONLY_CHAIR}),
    "sign_off": Crafted(sign_off, "chair", "The assessment is signed off",
                        {"viewer": ONLY_CHAIR, "other_lead": ONLY_CHAIR, "lead": ONLY_CHAIR}),
    "link_improvement": Crafted(bound(link_improvement, "TR", "TR-03"), "lead", "The links to the delivery plan are saved",
                                {"viewer": only_linker(TR_NAME), "other_lead": only_linker(TR_NAME),
                                 "owner": only_linker(TR_NAME)}),
    "invite_raters": Crafted(bound(invite_raters, "TR", DEMO_EMAILS["owner"]), "lead", "1 more member(s) invited", {
        "viewer": only_lead(TR_NAME), "other_lead": only_lead(TR_NAME), "owner": only_lead(TR_NAME)}),
    "edit_framework": Crafted(edit_framework, "admin", "Saved as version 2", {
        "viewer": ONLY_ADMIN, "other_lead": ONLY_ADMIN, "lead": ONLY_ADMIN, "chair": ONLY_ADMIN}),
    # The subgroup page
    "record_tor_version": Crafted(bound(record_tor_version, "TR"), "lead", "Saved: version", {
        "viewer": only_lead(TR_NAME), "other_lead": only_lead(TR_NAME), "owner": only_lead(TR_NAME)}),
    # Excel import
    "confirm_import": Crafted(bound(confirm_import, "TR-03"), "lead", "Imported plan.xlsx", {
        "viewer": ONLY_IMPORTERS, "owner": ONLY_IMPORTERS, "other_lead": import_refused("TR-03")}),
}

# The other way round, for the callbacks a subgroup's lead may use: SUP's record, refused to TR's lead
# (lead@), and done by SUP's lead as the control.
CRAFTED |= {f"{name}@SUP": crafted for name, crafted in {
    "record_update": Crafted(bound(record_update, "SUP-03"), "other_lead", "Update recorded",
                             {"lead": only_owner("SUP-03")}),
    "edit_action": Crafted(bound(edit_action, "SUP-03"), "other_lead", "Saved the changes to SUP-03",
                           {"lead": only_action_lead("SUP-03")}),
    "add_value": Crafted(bound(add_value, SUP_INDICATOR), "other_lead", "Saved 123 for Oct 2025",
                         {"lead": only_indicator_lead(SUP_INDICATOR)}),
    "remove_value": Crafted(bound(remove_value, SUP_INDICATOR), "other_lead", "Removed the value",
                            {"lead": only_indicator_lead(SUP_INDICATOR)}),
    "upload_values": Crafted(bound(upload_values, SUP_INDICATOR), "other_lead", "Saved 1 value from values.csv",
                             {"lead": not_your_indicator(SUP_INDICATOR)}),
    "open_round": Crafted(bound(open_assessment, "SUP"), "other_lead", "/maturity/assessment/",
                          {"lead": only_lead(SUP_NAME)}),
    "record_agreed_scores": Crafted(bound(record_agreed_scores, "SUP"), "other_lead", "The agreed scores are recorded",
                                    {"lead": only_lead(SUP_NAME)}),
    "link_improvement": Crafted(bound(link_improvement, "SUP", "SUP-03"), "other_lead",
                                "The links to the delivery plan are saved", {"lead": only_linker(SUP_NAME)}),
    "invite_raters": Crafted(bound(invite_raters, "SUP", "j.pritchard@nnc.example.org"), "other_lead",
                             "1 more member(s) invited", {"lead": only_lead(SUP_NAME)}),
    "record_tor_version": Crafted(bound(record_tor_version, "SUP"), "other_lead", "Saved: version",
                                  {"lead": only_lead(SUP_NAME)}),
    "confirm_import": Crafted(bound(confirm_import, "SUP-03"), "other_lead", "Imported plan.xlsx",
                              {"lead": import_refused("SUP-03")}),
}.items()}


REFUSALS = [(name, who) for name, crafted in CRAFTED.items() for who in crafted.refused]


@pytest.mark.parametrize(("name", "who"), REFUSALS, ids=[f"{name}-{who}" for name, who in REFUSALS])
def test_a_crafted_write_is_refused_and_changes_nothing(app, db, name, who):
    crafted = CRAFTED[name]
    trigger, values = crafted.request(db)
    client = signed_in_client(app, EMAILS[who])
    before = db_fingerprint(db)
    status, text = reply = call_callback(client, trigger, values)
    assert status == 200, text[:1000]
    assert shows(reply, crafted.refused[who]), reply.strings[:1000]
    assert not shows(reply, crafted.done)
    after = db_fingerprint(db)
    assert after == before, f"the refused request changed {changed_tables(before, after)}"


@pytest.mark.parametrize("name", CRAFTED)
def test_the_same_crafted_write_from_someone_allowed_changes_the_database(app, db, name):
    """The control: the body is valid, so a refusal above came from the permission check."""
    crafted = CRAFTED[name]
    trigger, values = crafted.request(db)
    client = signed_in_client(app, EMAILS[crafted.allowed])
    before = db_fingerprint(db)
    status, text = reply = call_callback(client, trigger, values)
    assert status == 200, text[:1000]
    assert shows(reply, crafted.done), reply.strings[:1000]
    assert not any(shows(reply, message) for message in crafted.refused.values())
    assert db_fingerprint(db) != before


# --- Ids the browser controls, used to reach another subgroup's record -----------------------------------


def test_a_lead_cannot_remove_another_indicators_value_from_their_own_indicators_page(app, db):
    """TR's lead may remove values of L-REF-CJ; the page's indicator id says L-REF-CJ, the value is SUP's."""
    trigger, values = remove_value(db, TR_INDICATOR, value_of=SUP_INDICATOR)
    client = signed_in_client(app, EMAILS["lead"])
    before = db_fingerprint(db)
    reply = call_callback(client, trigger, values)
    assert reply.status == 200
    assert shows(reply, "That value is no longer there")
    assert db_fingerprint(db) == before


def test_one_refused_link_among_several_saves_none_of_them(app, db):
    """The link form sends every score's id: TR's lead slipping in a score of SUP's assessment gets the
    whole save refused, including the link to TR's own score."""
    _, tr_values = link_improvement(db, "TR", "TR-03")
    trigger, sup_values = link_improvement(db, "SUP", "TR-03")
    key = (every("link-action", "score"), "value")
    values = {key: tr_values[key] + sup_values[key], ("assessment-refresh", "data"): 0}
    client = signed_in_client(app, EMAILS["lead"])
    before = db_fingerprint(db)
    reply = call_callback(client, trigger, values)
    assert reply.status == 200 and shows(reply, only_linker(SUP_NAME))
    after = db_fingerprint(db)
    assert after == before, f"the refused request changed {changed_tables(before, after)}"
