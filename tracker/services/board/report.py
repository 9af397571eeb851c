"""The board report for one meeting: a plain, JSON-ready structure (dicts, lists, strings, numbers,
ISO dates) that the print page, the Word and PDF files and a published pack all render.

Its figures come from the overview's own service (tracker.services.plan: plan_rows and summarise),
so the overview, the Excel summary and the report count the same actions the same way. "What
changed since the last board" compares with the action rows of the previous meeting's published
pack, never with today's update history.
"""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session, select

from tracker.formatting import long_date, status_label
from tracker.models import BoardMeeting, BoardPack, Partnership
from tracker.rules.reporting import reporting_period
from tracker.services.board import report_parts as parts
from tracker.services.board.calendar import due_action_ids, get_meeting, list_meetings
from tracker.services.board.changes import CHANGE_KINDS, compare_actions, deteriorated_ids
from tracker.services.due_dates import latest_reasons
from tracker.services.plan import ActionRow, PlanFilter, plan_rows, summarise
from tracker.services.reference import rag_scale

REPORT_VERSION = 1
# The most exceptions (and red actions' asks) a report lists, the worst first; the rest are counted in
# one line that says where the tracker lists them all (layout.more_line). Above any county's own plan
# (the seed has 17 exceptions), so only a large plan is summarised: a county x10's 1,500 were 190 pages.
LISTED_AT_MOST = 25
# The sections, in order: each output (page, Word, PDF) uses these headings.
SECTIONS = {
    "summary": "Summary by theme and subgroup",
    "objectives": "Progress by objective",
    "exceptions": "Exceptions",
    "decisions": "Decisions and escalations for the board",
    "changes": "What changed since the last board",
    "slippage": "Slippage against original due dates",
    "late_changes": "Changed after the board",
    "risks": "Risks",
    "maturity": "Subgroup maturity",
    "indicators": "Indicator progress",
}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _action_snapshot(row: ActionRow) -> dict:
    return {"id": row.id, "ref": row.ref, "title": row.title, "subgroup": row.subgroup, "theme": row.theme,
            "owner": row.owner, "status": row.status, "rag": row.rag, "progress": row.progress,
            "due_date": _iso(row.due_date), "last_update": _iso(row.last_update), "overdue": row.overdue}


def slippage(session: Session, rows: list[ActionRow]) -> list[dict]:
    """The actions due later than their original due date, worst first, with the latest reason given."""
    slipped = sorted((r for r in rows if r.days_slipped > 0), key=lambda r: (-r.days_slipped, r.ref))
    reasons = latest_reasons(session, [r.id for r in slipped])
    return [{"ref": r.ref, "title": r.title, "subgroup": r.subgroup, "owner": r.owner,
             "original_due_date": _iso(r.original_due_date), "due_date": _iso(r.due_date),
             "days_slipped": r.days_slipped, "reason": reasons.get(r.id, "")} for r in slipped]


def previous_pack(session: Session, partnership_id: int, before: date) -> BoardPack | None:
    """The published pack of the last board before `before`."""
    return session.exec(
        select(BoardPack).where(BoardPack.partnership_id == partnership_id, BoardPack.meeting_date < before)
        .order_by(BoardPack.meeting_date.desc())
    ).first()


def build_report(session: Session, partnership_id: int, meeting_id: int, today: date) -> dict:
    """The board report for `meeting_id`, with the plan as it stands on `today`."""
    meeting: BoardMeeting = get_meeting(session, partnership_id, meeting_id)
    partnership = session.get(Partnership, partnership_id)
    scale = rag_scale(session, partnership_id)
    labels = {r.code: r.label for r in scale}
    severity = {r.code: r.severity for r in scale}

    every_row = plan_rows(session, partnership_id, today, PlanFilter(include_cancelled=True))
    counted = [r for r in every_row if PlanFilter().matches(r)]  # exactly the overview's rows
    ov = summarise(counted)

    prior = previous_pack(session, partnership_id, meeting.meeting_date)
    prior_report = json.loads(prior.report_json) if prior else None
    prior_actions = prior_report["actions"] if prior_report else []
    snapshots = [_action_snapshot(r) for r in every_row]

    meetings = [m.meeting_date for m in list_meetings(session, partnership_id)]
    published_before = [p for p in session.exec(select(BoardPack.meeting_date).where(
        BoardPack.partnership_id == partnership_id, BoardPack.meeting_date < meeting.meeting_date)).all()]
    period = reporting_period(meeting.meeting_date, [d for d in meetings if d <= meeting.meeting_date],
                              published_before)
    due = due_action_ids(session, partnership_id, today, period)
    worse_since_board = deteriorated_ids(prior_actions, snapshots, severity) if prior else set()

    def reasons_for(row: ActionRow) -> list[str]:
        found = list(row.exceptions)
        if row.id in worse_since_board and "Deteriorating" not in found:
            found.append("Deteriorating since the last board")
        if row.id in due:
            found.append("Not updated this period")
        return found

    why = {r.id: reasons_for(r) for r in counted}  # once each: the list, its order and its counts ask

    def reasons(row: ActionRow) -> list[str]:
        return why[row.id]

    exception_rows = [r for r in counted if reasons(r)]
    exception_rows.sort(key=lambda r: (r.rag != "red", -len(reasons(r)), r.due_date or date.max, r.ref))
    listed_rows, unlisted_rows = exception_rows[:LISTED_AT_MOST], exception_rows[LISTED_AT_MOST:]
    words = parts.latest_words(session, [r.id for r in listed_rows])

    def exception(row: ActionRow) -> dict:
        u = words.get(row.id)
        return _action_snapshot(row) | {
            "rag_label": labels.get(row.rag, row.rag), "status_label": status_label(row.status),
            "reasons": reasons(row), "narrative": u.narrative if u else "",
            "next_steps": u.next_steps if u else "", "blockers": u.blockers if u else ""}

    exceptions = [exception(r) for r in listed_rows]
    # Red comes first, so the listed exceptions hold every red action's ask unless there are more reds
    # than LISTED_AT_MOST: then the worst of them, and the rest are counted.
    decisions = [{"ref": e["ref"], "title": e["title"], "subgroup": e["subgroup"], "owner": e["owner"],
                  "ask": e["blockers"] or e["narrative"] or "No ask recorded in the latest update.",
                  "next_steps": e["next_steps"]} for e in exceptions if e["rag"] == "red"]

    def group(name: str, counter) -> dict:
        return {"name": name, "total": sum(counter.values()), "by_rag": parts.rag_counts(counter, scale),
                "words": parts.rag_words(counter, scale)}

    changes = compare_actions(prior_actions, snapshots, severity) if prior else {k: [] for k in CHANGE_KINDS}
    indicators, indicators_unlisted = parts.indicator_progress(session, partnership_id)
    return {
        "version": REPORT_VERSION,
        "partnership": {"id": partnership.id, "name": partnership.name, "area": partnership.area,
                        "chair": partnership.chair_name, "sro": partnership.sro_name},
        "meeting": {"id": meeting.id, "date": meeting.meeting_date.isoformat(),
                    "date_text": long_date(meeting.meeting_date), "title": meeting.title,
                    "location": meeting.location, "illustrative": meeting.illustrative},
        "as_at": today.isoformat(), "as_at_text": long_date(today),
        "period": {"start": _iso(period.start), "end": _iso(period.end),
                   "text": (f"Updates dated after {long_date(period.start)} up to {long_date(period.end)}"
                            if period.start else f"Every update up to {long_date(period.end)}")},
        "previous_board": ({"meeting_date": prior.meeting_date.isoformat(), "date_text": long_date(prior.meeting_date),
                            "pack_id": prior.id, "published_at": prior.published_at.isoformat(timespec="minutes")}
                           if prior else None),
        "rag_scale": [{"code": r.code, "label": r.label, "symbol": r.symbol, "definition": r.definition,
                       "severity": r.severity} for r in scale],
        "totals": {"actions": ov.total, "by_rag": parts.rag_counts(ov.by_rag, scale),
                   "words": parts.rag_words(ov.by_rag, scale), "red": ov.red, "overdue": ov.overdue,
                   "stale": ov.stale, "deteriorated": ov.deteriorated,
                   "due_update": sum(r.id in due for r in counted), "exceptions": len(exception_rows),
                   "overview_exceptions": len(ov.exceptions), "cancelled": len(every_row) - len(counted)},
        "by_theme": [group(name, c) for name, c in ov.by_theme.items()],
        "by_subgroup": [group(name, c) for name, c in ov.by_subgroup.items()],
        "by_objective": [{"objective": p.objective, "theme": p.theme, "actions": p.actions,
                          "mean_progress": p.mean_progress, "by_rag": parts.rag_counts(p.by_rag, scale),
                          "words": parts.rag_words(p.by_rag, scale)} for p in ov.progress_by_objective],
        "exceptions": exceptions,
        "exceptions_unlisted": parts.unlisted(unlisted_rows, reasons),
        "decisions": decisions,
        "decisions_unlisted": parts.unlisted([r for r in unlisted_rows if r.rag == "red"], reasons),
        "changes": {"compared_with": prior.meeting_date.isoformat() if prior else None,
                    "kinds": CHANGE_KINDS, "items": changes},
        "slippage": slippage(session, counted),
        "late_changes": parts.late_changes(session, partnership_id, prior.meeting_date if prior else None),
        "risks": risk_summary(session, partnership_id, today),
        "maturity": parts.maturity_summary(session, partnership_id),
        "indicators": indicators,
        "indicators_unlisted": indicators_unlisted,
        "actions": snapshots,
    }


def risk_summary(session: Session, partnership_id: int, today: date) -> list[dict]:
    """The open risks, highest residual score first, as the register has them today."""
    from tracker.services.risks import register  # the register reads actions too: imported when used

    return [{"ref": r.ref, "title": r.title, "owner": r.owner, "inherent": f"{r.inherent_score} {r.inherent_band}",
             "residual": r.residual_words, "mitigation": r.mitigation, "review_date": _iso(r.review_date),
             "review_overdue": r.review_overdue}
            for r in register(session, partnership_id, today, with_history=False).rows if r.status == "open"]


def to_json(report: dict) -> str:
    """The report as JSON text: the same text every time for the same report (keys in order)."""
    return json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
