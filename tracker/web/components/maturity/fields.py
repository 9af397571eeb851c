"""The fields of the assessment forms, the hints and descriptors beside them, and how a refused save
is shown next to each dimension."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from tracker.rules.maturity import LEVELS, MAX_TEXT
from tracker.services.maturity import FrameworkView, Hint
from tracker.web.components import forms
from tracker.web.components.maturity.levels import framework_chip
from tracker.web.components.notices import status_message


def hint_box(hint: Hint | None, box_id: dict | str) -> html.Aside | None:
    if hint is None:
        return None
    return html.Aside([
        html.P([html.Strong("Evidence from the tracker "), html.Span("(a hint, not a score): "), hint.headline],
               className="mb-1"),
        html.Ul([html.Li(fact) for fact in hint.facts], className="mb-0") if hint.facts else None,
    ], className="maturity-hint", id=box_id)


def descriptors(dim, framework: FrameworkView) -> html.Details:
    return html.Details([
        html.Summary(f"What each level means for {dim.name}"),
        html.Dl([item for level, text in dim.descriptors.items() for item in (
            html.Dt(framework_chip(framework, level)),
            html.Dd(text, className="mb-2"),
        )], className="mb-0 mt-2"),
    ], className="maturity-descriptors")


def score_options(framework: FrameworkView, blank: str = "Choose a score") -> list[dict]:
    return forms.select_options([(n, f"{n} – {framework.level_name(n)}") for n in LEVELS], blank=blank)


def select_field(component_id: dict | str, label: str, options: list[dict], value, hint: str | None = None,
                 error_id: dict | None = None):
    """A labelled select of an assessment form; its problems are listed in `error_id` (the dimension's
    error block), if any."""
    return forms.field(label, forms.select(component_id, options, value), hint, error_suffix=None,
                       error_id=error_id, class_name="mb-2")


def text_field(component_id: dict | str, label: str, value: str | None, rows: int = 3, hint: str | None = None,
               error_id: dict | None = None):
    """A labelled text box of an assessment form (see select_field)."""
    return forms.field(label, dbc.Textarea(id=component_id, value=value or "", rows=rows, maxLength=MAX_TEXT), hint,
                       error_suffix=None, error_id=error_id, class_name="mb-2")


def field_error(component_id: dict) -> html.Div:
    """Where a dimension's problems are listed after a save is refused (empty until then)."""
    return html.Div(id=component_id, className="field-error")


def success(message: str, alert_id: str = "success-message") -> dbc.Alert:
    """What a save that worked says."""
    return status_message(message, ok=True, message_id=alert_id)


def dimension_errors(errors: dict[str, str], ids: list[dict], key: str = "dim") -> list:
    """For each per-dimension error block, the messages for that dimension (errors keyed "<id>.<field>")."""
    result = []
    for component_id in ids:
        prefix = f"{component_id[key]}."
        messages = [m for k, m in errors.items() if k.startswith(prefix)]
        result.append(html.Ul([html.Li(m) for m in messages], className="mb-1") if messages else None)
    return result


def invalid_flags(errors: dict[str, str], ids: list[dict], field: str, key: str = "dim") -> list[bool]:
    return [f"{component_id[key]}.{field}" in errors for component_id in ids]

