"""The audit trail as a table, and the small form pieces the audit and admin pages share.

Form fields follow one pattern: a visible dbc.Label tied to its control (html_for), the control,
then a dbc.FormFeedback right after it, so a refused value is explained beside the field.
"""

from __future__ import annotations

import json

import dash_bootstrap_components as dbc
from dash import html

from tracker.services.audit_log import AuditEntry, AuditLog


def dom_id(component_id: str | dict) -> str:
    """The id a component has in the page: a pattern-matching (dict) id is written as Dash writes it,
    so a label can point at it with html_for."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


def feedback_id(component_id: str | dict) -> str | dict:
    if isinstance(component_id, dict):
        return {**component_id, "type": component_id["type"] + "-feedback"}
    return f"{component_id}-feedback"


def field(label: str, control, hint: str | None = None, **col) -> html.Div:
    """A labelled control with its error message; `control` must have an id."""
    parts = [dbc.Label(label, html_for=dom_id(control.id))]
    if hint:
        parts.append(html.Div(hint, className="form-text mt-0 mb-1"))
    parts += [control, dbc.FormFeedback(id=feedback_id(control.id), type="invalid")]
    return html.Div(parts, className="mb-3", **col)


def select_options(options: list[tuple[object, str]], blank: str | None = None) -> list[dict]:
    """Options for a dbc.Select. With `blank`, a first option of value "": give the Select the same
    text as its placeholder, since dbc.Select shows its own hidden placeholder option for ""."""
    result = [{"label": blank, "value": ""}] if blank is not None else []
    return result + [{"label": text, "value": str(value)} for value, text in options]


def status_message(message: str, ok: bool = True, message_id: str | None = None) -> dbc.Alert:
    """The result of an action, in words: green for done, red for refused."""
    return dbc.Alert(message, color="success" if ok else "danger", className="mb-3",
                     **({"id": message_id} if message_id else {}))


def refusal(message: str) -> html.Div:
    """What a page shows someone who may not use it."""
    return html.Div([
        html.H1("You cannot use this page", className="h3"),
        dbc.Alert(message, color="warning", id="access-refused"),
    ])


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


def field_outputs(fields: dict[str, str | dict], errors: dict[str, str]) -> list:
    """The `invalid` flags, then the messages, of a form's fields (in the order of `fields`)."""
    return [name in errors for name in fields] + [errors.get(name, "") for name in fields]


def other_errors(fields: dict[str, str | dict], errors: dict[str, str]) -> str:
    """Messages about things that are not one of the form's fields, as one sentence."""
    rest = [message for name, message in errors.items() if name not in fields]
    return " ".join(m if m.endswith(".") else m + "." for m in rest)
