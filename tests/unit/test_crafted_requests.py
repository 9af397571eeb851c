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

import base64
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from dash import ALL
from openpyxl import Workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tests.crafted import (
    OTHER_LEAD,
    call_callback,
    changed_tables,
    db_fingerprint,
    form_body,
    signed_in_client,
    stringify_id,
)
from tracker.db import session_scope
from tracker.models import (
    Action,
    ActionOutcome,
    Indicator,
    IndicatorValue,
    MaturityAssessment,
    MaturityScore,
    Subgroup,
)
from tracker.services import excel, indicators, maturity, subgroups

EMAILS = DEMO_EMAILS | {"other_lead": OTHER_LEAD}
TR_NAME = "Treatment and Recovery Subgroup"
SUP_NAME = "Supply and Enforcement Subgroup"
LEADS = {"TR": "lead", "SUP": "other_lead"}
MEMBERS = {"TR": "owner", "SUP": "other_lead"}  # a member who can sign in, to rate a round
TR_INDICATOR = "L-REF-CJ"  # linked to TR's actions only, so TR's leads may enter its values and SUP's may not
SUP_INDICATOR = "N-I1-DISRUPTIONS"  # linked to SUP's actions only
GOOD = "Minutes of the last three meetings show it."


# --- Fixtures: one seeded database per test, everyone able to sign in ---------------------------------




# --- Helpers -----------------------------------------------------------------------------------------


def person(session: Session, who: str):
    return person_by_email(session, EMAILS[who])


def subgroup(session: Session, code: str = "TR") -> Subgroup:
    return session.exec(select(Subgroup).where(Subgroup.code == code)).one()


def action(session: Session, ref: str) -> Action:
    return session.exec(select(Action).where(Action.ref == ref)).one()


def indicator(session: Session, code: str) -> Indicator:
    return session.exec(select(Indicator).where(Indicator.code == code)).one()


def data_url(content: bytes, media_type: str) -> str:
    """What dcc.Upload puts in `contents`."""
    return f"data:{media_type};base64,{base64.b64encode(content).decode()}"


def dims(session: Session) -> list[maturity.DimensionView]:
    return maturity.current_framework(session, subgroup(session).partnership_id).dimensions


def open_round(engine: Engine, code: str, raters: tuple[str, ...]) -> int:
    """A round of the subgroup opened by its lead, with these people invited to rate."""
    with session_scope(engine) as s:
        ids = [person(s, who).id for who in raters]
        return maturity.open_assessment(s, person(s, LEADS[code]), subgroup(s, code).id,
                                        {"title": "2026/27 Q3 self-assessment", "rater_ids": ids}, TODAY).id


def full_ratings(session: Session, key: str = "score", score: int = 3) -> dict:
    return {d.id: {key: score, "evidence": GOOD, "improvement": "Do the next thing."} for d in dims(session)}


def rated_round(engine: Engine, code: str) -> int:
    """A round a member was invited to rate and has submitted: ready to be agreed."""
    assessment_id = open_round(engine, code, (MEMBERS[code],))
    with session_scope(engine) as s:
        maturity.save_ratings(s, person(s, MEMBERS[code]), assessment_id, full_ratings(s), submit=True)
    return assessment_id


def agreed_round(engine: Engine) -> int:
    """A TR round whose scores its lead has agreed: ready to be moderated and signed off."""
    assessment_id = rated_round(engine, "TR")
    with session_scope(engine) as s:
        maturity.record_agreed_scores(s, person(s, "lead"), assessment_id, full_ratings(s, "agreed_score"), TODAY)
    return assessment_id


def every(kind: str, key: str) -> str:
    """The id of an ALL pattern as a key of call_callback's values: {"type": kind, key: ALL}."""
    return stringify_id({"type": kind, key: ALL})


def per_dimension(session: Session, kind: str, value: Callable[[maturity.DimensionView], object]) -> list:
    """An ALL pattern's components, one per dimension: [({"type": kind, "dim": id}, value), ...]."""
    return [({"type": kind, "dim": d.id}, value(d)) for d in dims(session)]


# --- The crafted requests: (trigger, values) for call_callback, on a database prepared for them --------


def record_update(engine: Engine, ref: str):
    with Session(engine) as s:
        return ("update-submit", "n_clicks", 1), {
            ("action-id", "data"): action(s, ref).id,
            **form_body("update", {"update_date": "2026-11-20", "rag": "amber", "progress": 55,
                                   "narrative": "Slower than planned.", "next_steps": "", "blockers": ""}),
        }


def edit_action(engine: Engine, ref: str):
    with Session(engine) as s:
        a = action(s, ref)
        linked = sorted(s.exec(select(ActionOutcome.outcome_id).where(ActionOutcome.action_id == a.id)).all())
        return ("edit-submit", "n_clicks", 1), {
            ("action-id", "data"): a.id, ("edit-version", "data"): a.version,
            **form_body("edit", {
                "title": "A title the crafted request chose", "description": a.description,
                "objective_id": str(a.objective_id or ""), "owner_id": str(a.owner_id or ""),
                "lead_organisation": a.lead_organisation,
                "start_date": a.start_date.isoformat() if a.start_date else "",
                "due_date": a.due_date.isoformat() if a.due_date else "", "status": a.status}),
            (every("edit-outcome", "index"), "value"): [({"type": "edit-outcome", "index": o}, True) for o in linked],
        }


def add_value(engine: Engine, code: str):
    with Session(engine) as s:
        return ("value-submit", "n_clicks", 1), {
            ("indicator-id", "data"): indicator(s, code).id,
            **form_body("indicator-value", {"period": "2025-10", "value": "123", "note": ""}),
        }


def remove_value(engine: Engine, code: str, value_of: str | None = None):
    """Remove the latest value of indicator `code` (or, posted from its page, one of `value_of`)."""
    with Session(engine) as s:
        page = indicator(s, code)
        value = s.exec(select(IndicatorValue).where(IndicatorValue.indicator_id == indicator(s, value_of or code).id)
                       .order_by(IndicatorValue.period_end.desc())).first()
        return ("remove-submit", "n_clicks", 1), {
            ("indicator-id", "data"): page.id, ("remove-value", "value"): str(value.id)}


DEFINITION_FIELDS = ["name", "outcome_id", "objective_id", "unit", "direction", "source", "baseline_value",
                     "baseline_period", "target_value", "target_date", "notes", "is_national", "illustrative"]


FLAGS = ("is_national", "illustrative")  # checkboxes: a form of their own ("<form>-flag")


def _form_text(value) -> object:
    return value if isinstance(value, bool) else ("" if value is None else str(value))


def edit_definition(engine: Engine, code: str):
    with Session(engine) as s:
        edited = indicator(s, code)
        snapshot = indicators.editable_snapshot(edited)
        values = {name: _form_text(snapshot[name]) for name in DEFINITION_FIELDS if name not in FLAGS}
        values["name"] = "A name the crafted request chose"
        return ("def-submit", "n_clicks", 1), {
            **form_body("indicator-def", values),
            **form_body("indicator-def-flag", {name: snapshot[name] for name in FLAGS}),
            ("indicator-id", "data"): edited.id, ("def-expected", "data"): snapshot}


def upload_values(engine: Engine, code: str):
    csv = f"indicator_code,period,value,note\n{code},2025-10,123,From a crafted upload\n".encode()
    return ("values-upload", "contents", data_url(csv, "text/csv")), {("values-upload", "filename"): "values.csv"}


def new_indicator(engine: Engine):
    values = {name: "" for name in ["code", *DEFINITION_FIELDS] if name not in FLAGS}
    values |= {"code": "L-CRAFTED", "name": "An indicator nobody asked for", "direction": "higher"}
    return ("new-submit", "n_clicks", 1), {**form_body("indicator-new", values),
                                           **form_body("indicator-new-flag", dict.fromkeys(FLAGS, False))}


def open_assessment(engine: Engine, code: str):
    with Session(engine) as s:
        group = subgroup(s, code)
        raters = maturity.eligible_raters(s, group.partnership_id, group.id)
        return ("open-round-submit", "n_clicks", 1), {
            ("open-round-title", "value"): "A round the crafted request opened",
            (every("open-round-rater", "person"), "value"): [
                ({"type": "open-round-rater", "person": p.id}, True) for p in raters],
            ("maturity-subgroup-id", "data"): group.id,
        }


def _ratings(engine: Engine, button: str):
    assessment_id = open_round(engine, "TR", ("lead", "owner"))
    with Session(engine) as s:
        return (button, "n_clicks", 1), {
            (every("rate-score", "dim"), "value"): per_dimension(s, "rate-score", lambda d: "3"),
            (every("rate-evidence", "dim"), "value"): per_dimension(s, "rate-evidence", lambda d: GOOD),
            (every("rate-improvement", "dim"), "value"): per_dimension(
                s, "rate-improvement", lambda d: "Do the next thing."),
            ("assessment-id", "data"): assessment_id, ("assessment-refresh", "data"): 0,
        }


def save_draft_ratings(engine: Engine):
    return _ratings(engine, "rate-save")


def submit_ratings(engine: Engine):
    return _ratings(engine, "rate-submit")


def record_agreed_scores(engine: Engine, code: str):
    assessment_id = rated_round(engine, code)
    with Session(engine) as s:
        return ("agree-submit", "n_clicks", 1), {
            (every("agree-score", "dim"), "value"): per_dimension(s, "agree-score", lambda d: "3"),
            (every("agree-evidence", "dim"), "value"): per_dimension(s, "agree-evidence", lambda d: GOOD),
            (every("agree-improvement", "dim"), "value"): per_dimension(
                s, "agree-improvement", lambda d: "Next step."),
            ("assessment-id", "data"): assessment_id, ("assessment-refresh", "data"): 0,
        }


def moderate(engine: Engine):
    assessment_id = agreed_round(engine)
    with Session(engine) as s:
        return ("moderate-submit", "n_clicks", 1), {
            (every("mod-score", "dim"), "value"): per_dimension(
                s, "mod-score", lambda d: "4" if d.number == 1 else "3"),
            (every("mod-comment", "dim"), "value"): per_dimension(
                s, "mod-comment", lambda d: "The board's evidence shows more." if d.number == 1 else ""),
            ("assessment-id", "data"): assessment_id, ("assessment-refresh", "data"): 0,
        }


def sign_off(engine: Engine):
    assessment_id = agreed_round(engine)
    return ("signoff-submit", "n_clicks", 1), {
        ("signoff-comment", "value"): "Signed off by a crafted request.",
        ("assessment-id", "data"): assessment_id, ("assessment-refresh", "data"): 0,
    }


def link_improvement(engine: Engine, code: str, ref: str):
    """Link an improvement of the subgroup's first (seeded, signed-off) assessment to action `ref`."""
    with Session(engine) as s:
        assessment = s.exec(select(MaturityAssessment).where(MaturityAssessment.subgroup_id == subgroup(s, code).id)
                            .order_by(MaturityAssessment.id)).first()
        score = s.exec(select(MaturityScore).where(MaturityScore.assessment_id == assessment.id)
                       .order_by(MaturityScore.id)).first()
        target = action(s, ref)
        assert score.improvement_action_id != target.id
        return ("link-submit", "n_clicks", 1), {
            (every("link-action", "score"), "value"): [({"type": "link-action", "score": score.id}, str(target.id))],
            ("assessment-refresh", "data"): 0,
        }


def invite_raters(engine: Engine, code: str, invitee: str):
    assessment_id = open_round(engine, code, (LEADS[code],))
    with Session(engine) as s:
        invited = person_by_email(s, invitee).id
        return ("invite-submit", "n_clicks", 1), {
            (every("invite-rater", "person"), "value"): [({"type": "invite-rater", "person": invited}, True)],
            ("assessment-id", "data"): assessment_id, ("assessment-refresh", "data"): 0,
        }


def edit_framework(engine: Engine):
    with Session(engine) as s:
        fw = maturity.current_framework(s, subgroup(s).partnership_id)
        return ("fw-save", "n_clicks", 1), {
            ("fw-version", "data"): fw.version,
            ("fw-framework-name", "value"): "A framework the crafted request renamed",
            (every("fw-level", "level"), "value"): [
                ({"type": "fw-level", "level": n}, fw.level_name(n)) for n in maturity.LEVELS],
            (every("fw-name", "key"), "value"): [({"type": "fw-name", "key": d.key}, d.name) for d in fw.dimensions],
            (every("fw-description", "key"), "value"): [
                ({"type": "fw-description", "key": d.key}, d.description) for d in fw.dimensions],
            (stringify_id({"type": "fw-descriptor", "key": ALL, "level": ALL}), "value"): [
                ({"type": "fw-descriptor", "key": d.key, "level": n}, d.descriptors.get(n, ""))
                for d in fw.dimensions for n in maturity.LEVELS],
        }


def record_tor_version(engine: Engine, code: str):
    with Session(engine) as s:
        group = subgroup(s, code)
        return ("tor-form-save", "n_clicks", 1), {
            ("tor-form-context", "data"): {"subgroup_id": group.id,
                                           "based_on_version": subgroups.current_tor_version(s, group.id)},
            **form_body("tor", {
                "purpose": "Terms of reference a crafted request wrote for the subgroup.", "scope": "",
                "responsibilities": "", "membership": "", "quorum": "", "meeting_frequency": "Monthly",
                "reports_to": "The board", "approved_on": "2026-11-01", "review_due": "2027-11-01",
                "change_note": "From a crafted request"}),
        }


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _due_changed(engine: Engine, ref: str) -> bytes:
    """A workbook of one row, changing the due date of action `ref` (only the columns given change)."""
    with Session(engine) as s:
        changed = action(s, ref)
        row = {"Ref": ref, "Subgroup": ref.split("-")[0], "Title": changed.title, "Due": date(2027, 6, 30)}
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(list(row))
    ws.append(list(row.values()))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def confirm_import(engine: Engine, ref: str):
    """The Import button, with the pending workbook as the page keeps it in the browser after the
    preview: the file, and the state of each action it changes when it was checked."""
    content = _due_changed(engine, ref)
    with Session(engine) as s:  # the preview rolls back whatever it tried
        expected = excel.preview_import(s, person(s, "admin"), content, TODAY, "plan.xlsx").expected
    pending = {"contents": data_url(content, XLSX), "filename": "plan.xlsx", "expected": expected}
    return ("import-confirm", "n_clicks", 1), {("import-pending", "data"): pending}


@dataclass
class Crafted:
    request: Callable[[Engine], tuple[tuple, dict]]
    allowed: str  # who may: the control, whose request must change the database
    done: str  # words of the allowed person's success message
    refused: dict[str, str] = field(default_factory=dict)  # who may not -> words of the refusal


def only_owner(ref: str) -> str:
    return f"Only the owner of action {ref}, a lead of its subgroup or an administrator can record an update on it."


def only_action_lead(ref: str) -> str:
    return f"Only a lead of this action's subgroup or an administrator can change action {ref}."


def only_lead(name: str) -> str:
    return f"Only a lead of {name} or an administrator can change it."


def only_indicator_lead(code: str) -> str:
    return f"Only an administrator, or a lead of a subgroup whose actions are linked to {code}, can enter its data."


def not_your_indicator(code: str) -> str:
    return (f"You cannot enter data for {code}: only an administrator or a lead of a subgroup whose actions are "
            "linked to it can")


def only_linker(name: str) -> str:
    return f"Only a lead of {name}, the chair or an administrator can link improvements to actions."


def import_refused(ref: str) -> str:  # a row's error ("Row 2, Ref: ..."), in whichever case it starts
    return only_action_lead(ref).rstrip(".")


ONLY_ADMIN = "Only an administrator can do this."
ONLY_CHAIR = "Only the chair or an administrator can do this."
ONLY_RATERS = "Only the members invited to rate this assessment can rate it."
ONLY_IMPORTERS = "Only an administrator or a subgroup lead can import the plan."
NO_INDICATOR = ("Only an administrator, or a lead of a subgroup whose actions are linked to an indicator, can "
                "enter indicator data.")


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

def shows(reply, words: str) -> bool:
    """Whether the callback's answer has these words (in any case: a message quoted mid-sentence may
    start with a small letter)."""
    return words.casefold() in reply.strings.casefold()


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


# --- The import's preview: it runs the import and rolls it back, so it writes nothing for anyone ---------


def check_upload(engine: Engine):
    return ("plan-upload", "contents", data_url(_due_changed(engine, "TR-03"), XLSX)), {
        ("plan-upload", "filename"): "plan.xlsx"}


@pytest.mark.parametrize(("who", "words"), [
    ("viewer", ONLY_IMPORTERS),
    ("other_lead", import_refused("TR-03")),
    ("lead", "Check the changes before importing plan.xlsx"),
    ("admin", "Check the changes before importing plan.xlsx"),
], ids=["viewer", "other_lead", "lead", "admin"])
def test_a_crafted_import_preview_writes_nothing_whoever_sends_it(app, db, who, words):
    trigger, values = check_upload(db)
    client = signed_in_client(app, EMAILS[who])
    before = db_fingerprint(db)
    status, text = reply = call_callback(client, trigger, values)
    assert status == 200, text[:1000]
    assert shows(reply, words), reply.strings[:1000]
    after = db_fingerprint(db)
    assert after == before, f"the preview changed {changed_tables(before, after)}"


# --- Forms on pattern-matching ids: only the form's own fields are read ------------------------------


def test_a_field_the_update_form_never_had_is_ignored(app, db):
    """The browser names the fields of a pattern-matching form: an extra one (here, the author) is not
    passed on to the service, so the update is still the signed-in lead's."""
    trigger, values = record_update(db, "TR-03")
    with Session(db) as s:
        viewer_id = person(s, "viewer").id
        lead_id = person(s, "lead").id
    [(pattern, prop)] = [k for k in values if k[0].startswith("{")]
    values[(pattern, prop)] = [*values[(pattern, prop)], ({"form": "update", "field": "author_id"}, viewer_id)]
    reply = call_callback(signed_in_client(app, EMAILS["lead"]), trigger, values)
    assert reply.status == 200 and shows(reply, "Update recorded"), reply.strings[:500]
    with Session(db) as s:
        from tracker.models import StatusUpdate

        newest = s.exec(select(StatusUpdate).order_by(StatusUpdate.id.desc())).first()
        assert newest.author_id == lead_id and newest.narrative == "Slower than planned."


def test_a_refused_update_names_each_field_to_fix_and_writes_nothing(app, db):
    trigger, values = record_update(db, "TR-03")
    [(pattern, prop)] = [k for k in values if k[0].startswith("{")]
    values[(pattern, prop)] = [(i, {"rag": "amber", "progress": 150, "narrative": ""}.get(i["field"], v))
                               for i, v in values[(pattern, prop)]]
    client = signed_in_client(app, EMAILS["lead"])  # signing in is itself recorded in the audit trail
    before = db_fingerprint(db)
    reply = call_callback(client, trigger, values)
    assert reply.status == 200
    answer = reply.json["response"]
    errors = {json.loads(k)["field"]: v["children"] for k, v in answer.items() if k.startswith('{"field"')
              and "update-error" in k}
    assert "100" in errors["progress"] and "narrative" in errors["narrative"].lower()
    assert errors["rag"] == "" and "update-message" in answer
    assert db_fingerprint(db) == before


# --- Errors: logged with a reference, a notice in the page, nothing half-written -----------------------


def _fail_statements(engine: Engine, starting: str):
    """Make every SQL statement starting with `starting` fail as a lost database connection does."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    def fail(_conn, _cursor, statement, parameters, *_):
        if statement.lstrip().upper().startswith(starting.upper()):
            raise OperationalError(statement, parameters, ConnectionRefusedError("the database went away"))

    event.listen(engine, "before_cursor_execute", fail)
    return lambda: event.remove(engine, "before_cursor_execute", fail)


def test_an_update_while_the_database_is_unavailable_says_so_and_keeps_the_form(app, db, caplog):
    from tracker.web.errors import DATABASE_UNAVAILABLE, NOTICE_ID

    trigger, values = record_update(db, "TR-03")
    client = signed_in_client(app, EMAILS["lead"])
    before = db_fingerprint(db)
    restore = _fail_statements(db, "INSERT")
    try:
        reply = call_callback(client, trigger, values)
    finally:
        restore()
    assert reply.status == 200, reply.text[:500]
    assert reply.json["response"] == {}  # no output written: the form keeps what was typed
    notice = reply.json["sideUpdate"][NOTICE_ID]["children"]
    assert DATABASE_UNAVAILABLE in json.dumps(notice)
    assert db_fingerprint(db) == before
    assert any("database unavailable" in r.getMessage() for r in caplog.records)


def test_an_unexpected_error_in_a_callback_is_logged_with_the_reference_the_page_shows(app, db, caplog,
                                                                                      monkeypatch):
    from tracker.services import actions as actions_service

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(actions_service, "record_update", broken)
    trigger, values = record_update(db, "TR-03")
    reply = call_callback(signed_in_client(app, EMAILS["lead"]), trigger, values)
    assert reply.status == 200 and reply.json["response"] == {}
    text = json.dumps(reply.json["sideUpdate"])
    reference = re.search(r"Something went wrong \(reference ([0-9A-F]{8})\)\. Nothing was saved unless a "
                          r"message says so\.", text).group(1)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info and "a bug" in str(logged[0].exc_info[1])


def _open_page(client, path: str):
    return call_callback(client, ("_pages_location", "pathname", path), {("_pages_location", "search"): ""})


def test_a_page_while_the_database_is_unavailable_says_so_not_a_stack_trace(app, db, caplog):
    from tracker.web.errors import PAGE_UNAVAILABLE

    with Session(db) as s:
        action_id = action(s, "TR-03").id
    client = signed_in_client(app, EMAILS["lead"])
    assert "TR-03" in _open_page(client, f"/action/{action_id}").strings
    restore = _fail_statements(db, "SELECT statusupdate")  # the page's history query fails
    try:
        reply = _open_page(client, f"/action/{action_id}")
    finally:
        restore()
    assert reply.status == 200, reply.text[:500]
    assert PAGE_UNAVAILABLE in reply.strings and "Traceback" not in reply.text
    assert any("database unavailable" in r.getMessage() for r in caplog.records)


def test_the_title_of_a_page_that_fails_is_logged_not_swallowed(app, db, caplog):
    from flask_login import login_user

    from tracker.web.auth import SessionUser
    from tracker.web.context import page_title

    def broken(session, person, **_):
        raise RuntimeError("the title broke")

    title = page_title("Action – CDP Delivery Tracker", broken)
    with Session(db) as s:
        lead_id = person(s, "lead").id
    with app.server.test_request_context("/"):
        login_user(SessionUser(lead_id))
        assert title(action_id="1") == "Action – CDP Delivery Tracker"  # the default: the page still shows
    assert any(r.exc_info and "the title broke" in str(r.exc_info[1]) for r in caplog.records)


def test_every_app_made_in_a_process_has_every_page_callback(db):
    """Each test builds its own app: the second (and any later) one serves the same callbacks."""
    from tracker.config import Settings
    from tracker.web.app import create_app

    settings = Settings(database_url="sqlite://", seed_on_start=False, secret_key="test")
    first, second = (create_app(settings, engine=db, today=TODAY) for _ in range(2))
    for app in (first, second):
        app.server.test_client().get("/login")  # serving a request is when Dash sets a server up
    assert set(first.callback_map) == set(second.callback_map)
    assert any("update-message" in key for key in second.callback_map)
    assert any("tor-form-alert" in key for key in second.callback_map)
