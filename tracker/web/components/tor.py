"""Terms of reference shown as text: the current version with its state in words, and the history."""

from __future__ import annotations

from datetime import date

import dash
from dash import html

from tracker.formatting import long_date, short_date
from tracker.services.subgroups import TorVersion, tor_is_approved, tor_review_overdue

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
