"""Terms of reference shown as text (the current version with its state in words, and the history),
and the form for a new version."""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from tracker.formatting import long_date, short_date
from tracker.services.subgroups import TorVersion, tor_is_approved, tor_review_overdue
from tracker.web.components import forms

# The fields of a version, in the order a reader expects them, with their headings.
TOR_SECTIONS = [
    ("purpose", "Purpose"),
    ("scope", "Scope"),
    ("responsibilities", "Responsibilities"),
    ("membership", "Membership"),
    ("quorum", "Quorum"),
    ("meeting_frequency", "Meeting frequency"),
    ("reports_to", "Reports to"),
]


def subgroup_href(subgroup_id: int) -> str:
    return dash.get_relative_path(f"/subgroup/{subgroup_id}")


def theme_href(theme_id: int) -> str:
    return dash.get_relative_path(f"/theme/{theme_id}")


def tor_state_text(tor, today: date) -> list[str]:
    """The state of a version in words: never a colour alone."""
    if tor is None:
        return ["No terms of reference recorded"]
    words = []
    if not tor_is_approved(tor):
        words.append("Draft — not yet approved")
    else:
        words.append(f"Approved on {long_date(tor.approved_on)}")
    if tor_review_overdue(tor, today):
        words.append(f"Review overdue (was due {long_date(tor.review_due)})")
    elif tor.review_due is not None:
        words.append(f"Review due {long_date(tor.review_due)}")
    else:
        words.append("No review date set")
    return words


def tor_state_badges(tor, today: date, id_prefix: str = "tor") -> html.Div:
    """The state as labelled, text-bearing badges (warnings in words with a symbol)."""
    badges = []
    if tor is None:
        badges.append(html.Span("No terms of reference recorded", className="badge text-bg-secondary",
                                id=f"{id_prefix}-missing"))
    else:
        if not tor_is_approved(tor):
            badges.append(html.Span("! Draft — not yet approved", className="badge text-bg-warning",
                                    id=f"{id_prefix}-draft"))
        if tor_review_overdue(tor, today):
            badges.append(html.Span("! Review overdue", className="badge text-bg-danger",
                                    id=f"{id_prefix}-overdue"))
        if tor_is_approved(tor) and not tor_review_overdue(tor, today):
            badges.append(html.Span("✓ Approved and in date", className="badge text-bg-success",
                                    id=f"{id_prefix}-in-force"))
    return html.Div(badges, className="d-flex flex-wrap gap-2 mb-2")


def interdependency_list(version: TorVersion, list_id: str | None = None):
    ids = {"id": list_id} if list_id else {}
    if not version.interdependencies:
        return html.P("No interdependencies recorded.", className="text-muted", **ids)
    return html.Ul([
        html.Li([
            html.A(name, href=subgroup_href(other_id), className="interdependency-link"),
            *([": ", html.Span(description, className="user-text")] if description else []),
        ])
        for other_id, name, description in version.interdependencies
    ], className="mb-0", **ids)


def tor_fields(version: TorVersion, heading_level: int, id_prefix: str) -> list:
    """Every field of one version, each under its own heading (text only, never HTML)."""
    heading = {3: html.H3, 4: html.H4}[heading_level]
    tor = version.tor
    parts = []
    for name, label in TOR_SECTIONS:
        value = getattr(tor, name) or ""
        parts.append(html.Div([
            heading(label, className="h6 mb-1"),
            html.P(value or "Not recorded.", className="user-text" + ("" if value else " text-muted"),
                   id=f"{id_prefix}-{name}"),
        ], className="mb-2"))
    parts.append(html.Div([
        heading("Interdependencies with other subgroups", className="h6 mb-1"),
        interdependency_list(version, f"{id_prefix}-interdependencies"),
    ], className="mb-2"))
    parts.append(html.Dl([
        html.Dt("Approved on"), html.Dd(long_date(tor.approved_on, "Not yet approved"), id=f"{id_prefix}-approved-on"),
        html.Dt("Review due"), html.Dd(long_date(tor.review_due, "No review date set"), id=f"{id_prefix}-review-due"),
        html.Dt("Recorded by"),
        html.Dd(f"{version.author} on {short_date(tor.created_at)}", id=f"{id_prefix}-recorded"),
        html.Dt("Change note"), html.Dd(tor.change_note or "None given.", className="user-text",
                                        id=f"{id_prefix}-change-note"),
    ], className="tor-meta mb-0"))
    return parts


def current_tor_section(versions: list[TorVersion], today: date) -> html.Div:
    """The current version in full and the earlier ones, newest first, each in a collapsible block."""
    if not versions:
        return html.Div([
            tor_state_badges(None, today),
            html.P("This subgroup has no terms of reference yet.", id="tor-none"),
        ], id="tor-current")
    current, earlier = versions[0], versions[1:]
    return html.Div([
        html.Div([
            html.P([html.Strong(f"Version {current.tor.version}"), " — ",
                    "; ".join(tor_state_text(current.tor, today))],
                   id="tor-current-version", className="mb-1"),
            tor_state_badges(current.tor, today),
            *tor_fields(current, 3, "tor"),
        ], id="tor-current"),
        html.Div([
            html.H3(f"Earlier versions ({len(earlier)})", className="h6 mt-3"),
            html.Div([
                html.Details([
                    html.Summary(
                        f"Version {v.tor.version}: recorded by {v.author} on {short_date(v.tor.created_at)}"
                        + (f" — {v.tor.change_note}" if v.tor.change_note else ""),
                        className="tor-history-summary",
                    ),
                    html.Div(tor_fields(v, 4, f"tor-v{v.tor.version}"), className="ps-3 pt-2"),
                ], className="tor-history-item mb-2", id=f"tor-version-{v.tor.version}")
                for v in earlier
            ]) if earlier else html.P("None: this is the first version.", className="text-muted"),
        ], id="tor-history"),
    ])


TEXT_FIELDS = [
    # (field, label, hint, multi-line)
    ("purpose", "Purpose", "Why the subgroup exists (at least 10 characters).", True),
    ("scope", "Scope", "What is in and out of the subgroup's remit.", True),
    ("responsibilities", "Responsibilities", "", True),
    ("membership", "Membership", "Which organisations and roles sit on it.", True),
    ("quorum", "Quorum", "", False),
    ("meeting_frequency", "Meeting frequency", "", False),
    ("reports_to", "Reports to", "", False),
]
DATE_FIELDS = [("approved_on", "Approved on", "Leave empty while the version is a draft."),
               ("review_due", "Review due", "Must be after the approval date.")]
FORM_FIELDS = [f for f, *_ in TEXT_FIELDS] + [f for f, *_ in DATE_FIELDS] + ["change_note"]
FORM_LABELS = {f: label for f, label, *_ in TEXT_FIELDS + DATE_FIELDS} | {
    "change_note": "What changed and why", "interdependencies": "Interdependencies with other subgroups"}


TOR_FORM = "tor"  # each field's control is forms.form_field(TOR_FORM, <field>)
FORM_CONTROLS = forms.form_fields(TOR_FORM, FORM_FIELDS) | {"interdependencies": "tor-form-interdependencies"}


def form_id(field: str) -> str | dict:
    """The id of a field's control ("interdependencies" is the fieldset of the ticks and texts)."""
    if field == "interdependencies":
        return "tor-form-interdependencies"
    return forms.form_field(TOR_FORM, field)


def tor_form(versions: list[TorVersion], others: list, subgroup_id: int) -> html.Details:
    current = versions[0].tor if versions else None
    based_on = current.version if current else 0
    deps = {other_id: description for other_id, _, description in (versions[0].interdependencies if versions else [])}
    fields = []
    for field, label, hint, multiline in TEXT_FIELDS:
        value = getattr(current, field) if current else ""
        control = (dbc.Textarea(id=form_id(field), value=value, rows=4) if multiline
                   else dbc.Input(id=form_id(field), type="text", value=value))
        fields.append(forms.field(label, control, hint or None))
    dates = [
        dbc.Col(forms.field(label, dbc.Input(
            id=form_id(field), type="date",
            value=getattr(current, field).isoformat() if current and getattr(current, field) else None,
        ), hint), md=6)
        for field, label, hint in DATE_FIELDS
    ]
    dep_rows = []
    for other in others:
        check_id = {"type": "tor-form-dep", "subgroup": other.id}
        text_id = {"type": "tor-form-dep-text", "subgroup": other.id}
        dep_rows.append(html.Div([
            dbc.Checkbox(id=check_id, label=f"Depends on {other.name}", value=other.id in deps),
            dbc.Label(f"What the dependency on {other.name} is", html_for=forms.dom_id(text_id),
                      className="small mb-0 mt-1"),
            dbc.Input(id=text_id, type="text", value=deps.get(other.id, ""), size="sm"),
        ], className="mb-2 ps-2 border-start"))
    intro = ["The form starts from the current version; change what needs changing and save. The earlier "
             "version is kept. ", html.Span(f"You are editing version {based_on}.", id="tor-form-based-on-text")]
    return forms.folded_form("Record a new version of the terms of reference", intro, "tor-form-alert", [
        dcc.Store(id="tor-form-context", data={"subgroup_id": subgroup_id, "based_on_version": based_on}),
        dbc.Form([
            *fields,
            dbc.Row(dates, className="g-2"),
            html.Fieldset([
                html.Legend(FORM_LABELS["interdependencies"], className="h6"),
                html.Div("Tick each subgroup this one depends on, and say what the dependency is.",
                         className="form-text mt-0 mb-2"),
                *dep_rows,
                html.Div(id="tor-form-interdependencies-feedback", className="field-error",
                         role="alert"),
            ], className="mb-3", id=form_id("interdependencies")),
            forms.field(FORM_LABELS["change_note"], dbc.Input(id=form_id("change_note"), type="text", value=""),
                        "Shown in the history of versions."),
            dbc.Button("Save as a new version", id="tor-form-save", color="primary", n_clicks=0),
        ], id="tor-form"),
    ], summary_id="tor-form-open", section_id="tor-form-section")


def form_data(values: dict, dep_checks, dep_check_ids, dep_texts, dep_text_ids) -> dict:
    data = {field: (values.get(field) or "") for field in FORM_FIELDS}
    for field, *_ in DATE_FIELDS:
        data[field] = values.get(field) or None
    texts = {i["subgroup"]: (t or "") for i, t in zip(dep_text_ids or [], dep_texts or [], strict=False)}
    data["interdependencies"] = [
        (i["subgroup"], texts.get(i["subgroup"], "").strip())
        for i, checked in zip(dep_check_ids or [], dep_checks or [], strict=False) if checked
    ]
    return data
