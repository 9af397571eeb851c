"""The audit trail as a table."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from tracker.services.audit_log import AuditEntry, AuditLog


def change_list(entry: AuditEntry) -> html.Ul | html.Span:
    if not entry.changes:
        return html.Span("No field values recorded", className="text-muted")
    return html.Ul(
        [html.Li([html.Span(f"{c.field}: ", className="fw-semibold"), f"{c.before} → {c.after}"])
         for c in entry.changes],
        className="audit-changes mb-0 ps-3",
    )


def audit_count(log: AuditLog) -> html.P:
    if log.total == 0:
        text = "No changes match these filters."
    elif log.truncated:
        text = (f"Showing the newest {len(log.events):,} of {log.total:,} changes, newest first. "
                "Narrow the filters (for example the dates) to see older ones.")
    else:
        text = f"{log.total:,} change{'s' if log.total != 1 else ''}, newest first."
    return html.P(text, id="audit-count", className="fw-semibold")


def audit_table(log: AuditLog) -> html.Div:
    if not log.events:
        return html.Div(audit_count(log))
    rows = [
        html.Tr([
            html.Td(html.Time(e.when, dateTime=e.at_uk.isoformat(timespec="minutes")), className="text-nowrap"),
            html.Td(e.actor_name),
            html.Td([html.Div(e.what, className="fw-semibold"), html.Div(e.summary, className="small")]),
            html.Td(change_list(e), className="small"),
        ], id={"type": "audit-row", "event": e.id})
        for e in log.events
    ]
    return html.Div([
        audit_count(log),
        dbc.Table([
            html.Caption("Audit trail: when (UK time), who, what and the values before → after",
                         className="visually-hidden"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in ("When", "Who", "What", "Changed values")])),
            html.Tbody(rows),
        ], bordered=True, responsive=True, size="sm", className="bg-white", id="audit-table"),
    ])
