"""Slippage against the original due date, in words (never colour alone): on the action page (the
baseline, the current due date and every change with its reason) and in the plan tables."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import html

from tracker.formatting import long_date, short_date
from tracker.rules.slippage import slippage_words
from tracker.services.due_dates import DueChangeEntry


def slipped_text(days: int, original_due: date | None) -> str:
    """For a plan table's cell: "+45 days slipped", "10 days earlier than planned", "—" when none."""
    if original_due is None or days == 0:
        return "—"
    return slippage_words(days)


def due_dates_section(original_due: date | None, due: date | None, days: int,
                      changes: list[DueChangeEntry]) -> list:
    """The action page's "Due date" section: original → current, the days slipped, and the history."""
    if original_due is None and due is None:
        summary = "No due date has been set."
    elif original_due is None or original_due == due and not changes:
        summary = f"Due on {long_date(due)}, its original due date."
    else:
        summary = f"Original due date {long_date(original_due)} → current due date {long_date(due)}: " \
                  f"{slippage_words(days).lower() if days else 'back on its original due date'}."
    parts = [
        html.H2("Due date and slippage", className="h5", id="due-dates-heading"),
        html.P(summary, id="action-slippage"),
    ]
    if changes:
        parts.append(dbc.Table([
            html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Changed on", "From", "To", "Reason", "By")])),
            html.Tbody([
                html.Tr([
                    html.Td(short_date(c.changed_at)),
                    html.Td(short_date(c.old_due, "No due date")),
                    html.Td(short_date(c.new_due, "No due date")),
                    html.Td(c.reason, className="user-text"),
                    html.Td(c.changed_by),
                ]) for c in changes
            ]),
        ], bordered=True, size="sm", responsive=True, className="bg-white mb-0", id="due-date-history"))
    else:
        parts.append(html.P("The due date has not been changed.", className="text-muted small mb-0",
                            id="due-date-history"))
    return parts
