"""The crafted requests' parts: for each write callback outside the admin pages, the body dash-renderer
would send, valid, on a database prepared for it (a round opened, rated or agreed; an edited export to
import); the words of each refusal; the records and people of tests/unit/test_crafted_requests.py."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from datetime import date

from dash import ALL
from openpyxl import Workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tests.crafted import OTHER_LEAD, form_body, stringify_id
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


def shows(reply, words: str) -> bool:
    """Whether the callback's answer has these words (in any case: a message quoted mid-sentence may
    start with a small letter)."""
    return words.casefold() in reply.strings.casefold()
