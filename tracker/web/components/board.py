"""The board page's parts: the next deadline, the calendar, the published packs and a comparison."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from tracker.formatting import long_date, short_date, short_date_time
from tracker.services.board import calendar, packs
from tracker.services.indicators import format_number


def deadline_callout(nxt: calendar.MeetingDeadline | None) -> dbc.Alert:
    if nxt is None:
        return dbc.Alert("No board meeting is planned: add the next one below.", color="warning", id="board-next")
    when = (f"in {nxt.days_to_deadline} days" if nxt.days_to_deadline > 1 else
            "tomorrow" if nxt.days_to_deadline == 1 else "today" if nxt.days_to_deadline == 0 else "passed")
    return dbc.Alert([
        html.H2(f"Next board: {long_date(nxt.meeting.meeting_date)}", className="h5 alert-heading"),
        html.P([f"Updates are due by {long_date(nxt.deadline)} ({when}): ",
                f"{nxt.working_days} working days before the meeting. ", calendar.BANK_HOLIDAY_NOTE],
               className="mb-1"),
        html.A("Open the board report", href=dash.get_relative_path(f"/board/{nxt.meeting.id}/report"),
               id="board-next-report"),
    ], color="info", id="board-next")


def calendar_table(rows: list[calendar.MeetingDeadline]) -> dbc.Table | html.P:
    if not rows:
        return html.P("The calendar is empty.", id="board-calendar")
    body = []
    for r in rows:
        m = r.meeting
        body.append(html.Tr([
            html.Th(short_date(m.meeting_date), scope="row"),
            html.Td([m.title, html.Span(" (illustrative)", className="text-muted small") if m.illustrative else None]),
            html.Td(m.location or "—"),
            html.Td(short_date(r.deadline)),
            html.Td(html.A("Published pack" if r.published else "Report (draft)",
                           href=dash.get_relative_path(f"/board/{m.id}/report"))),
        ], id=f"board-meeting-{m.id}"))
    return dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Date", "Meeting", "Where", "Updates due by", "Report")])),
        html.Tbody(body),
    ], bordered=True, size="sm", responsive=True, className="bg-white", id="board-calendar")


def packs_table(rows: list[packs.PackSummary]) -> dbc.Table | html.P:
    if not rows:
        return html.P("No board report has been published yet.", id="board-packs")
    return dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Board", "Published by", "Published", "Files")])),
        html.Tbody([html.Tr([
            html.Th(html.A(long_date(p.meeting_date), href=dash.get_relative_path(f"/board/{p.meeting_id}/report")),
                    scope="row"),
            html.Td(p.published_by),
            html.Td(short_date_time(p.published_at)),
            html.Td(f"Word {p.docx_bytes / 1024:,.0f} KB, PDF {p.pdf_bytes / 1024:,.0f} KB"),
        ], id=f"board-pack-{p.id}") for p in rows]),
    ], bordered=True, size="sm", responsive=True, className="bg-white", id="board-packs")


def _value(v) -> str:
    return "—" if v is None else format_number(v)


def comparison_table(rows: list[dict], first: str, second: str) -> dbc.Table:
    return dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Figure", first, second, "Change")])),
        html.Tbody([html.Tr([
            html.Th(f"{r['section']}: {r['name']}", scope="row"), html.Td(_value(r["first"])),
            html.Td(_value(r["second"])),
            html.Td("—" if r["change"] is None else (f"+{_value(r['change'])}" if r["change"] > 0 else _value(r["change"]))),
        ]) for r in rows]),
    ], bordered=True, size="sm", responsive=True, className="bg-white", id="board-comparison")
