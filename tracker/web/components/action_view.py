"""The action page's read-only parts, pure functions of its view model (tracker.services.actions):
the details with their exception flags, the history of updates with a RAG-over-time chart, and who
may record an update."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from tracker.formatting import long_date, status_label
from tracker.services import action_views
from tracker.services.reference import Rag
from tracker.web.components.rag import rag_badge, rag_for


def _href(path: str) -> str:
    return dash.get_relative_path(path)


# --- Details --------------------------------------------------------------------------------


def _flags(detail: action_views.ActionDetail, by_code: dict[str, Rag], stale_days: int) -> html.Div:
    row = detail.row
    flags = []
    if row.overdue:
        flags.append(f"Overdue: it was due on {long_date(row.due_date)} and is not complete.")
    if row.stale:
        last = long_date(row.last_update) if row.last_update else "never"
        flags.append(f"Not updated: no update in the last {stale_days} days (last update: {last}).")
    if row.deteriorated:
        was = by_code.get(row.previous_rag)
        now = by_code.get(row.rag)
        flags.append(f"Deteriorating: the RAG went from {was.label if was else row.previous_rag} "
                     f"to {now.label if now else row.rag} at the last update.")
    if not flags:
        return html.P("No exceptions: not overdue, not deteriorating and updated recently.",
                      id="action-flags", className="mb-0")
    return html.Div([
        html.H2("Needs attention", className="h6 mb-1"),
        html.Ul([html.Li(html.Strong(text)) for text in flags], className="mb-0"),
    ], id="action-flags", className="alert alert-warning mb-0")


def _dl_row(term: str, value) -> list:
    return [html.Dt(term, className="col-sm-4 col-lg-3"), html.Dd(value, className="col-sm-8 col-lg-9")]


def render_details(detail: action_views.ActionDetail) -> list:
    action, row = detail.action, detail.row
    scale = detail.rag_by_code
    stale_days = detail.stale_days
    current = rag_for(scale, row.rag, row.status)
    outcomes = html.Ul([html.Li(f"{o.code} {o.name} ({o.kind})") for o in detail.outcomes],
                       className="mb-0 ps-3", id="action-outcomes") if detail.outcomes else "None linked"
    indicators = html.Ul([
        html.Li(f"{i.code} {i.name}" + (f" ({i.source})" if i.source else "")) for i in detail.indicators
    ], className="mb-0 ps-3", id="action-indicators") if detail.indicators else "None linked"
    theme = (html.A(row.theme, href=_href(f"/theme/{row.theme_id}")) if row.theme_id else "—")
    return [
        html.P([html.A(detail.subgroup.name, href=_href(f"/subgroup/{detail.subgroup.id}")), " › action"],
               className="small mb-1"),
        html.H1(f"{action.ref} {action.title}", className="h3", id="action-heading"),
        dbc.Alert(
            "Illustrative data: this action and its updates were made up to show how the tracker works; "
            "they are not the partnership's real plan.",
            color="info", id="illustrative-note", className="py-2",
        ) if action.illustrative else None,
        html.Div([
            html.Span("Current RAG: ", className="fw-semibold"),
            html.Span(rag_badge(current), id="action-current-rag"),
            html.Span(" Progress: ", className="fw-semibold ms-3"),
            html.Span(f"{row.progress}%", id="action-progress"),
            html.Span(  # a picture of the figure just given, so hidden from screen readers
                html.Span(style={"display": "block", "height": "100%", "width": f"{row.progress}%",
                                 "background": "#1d70b8"}),
                style={"display": "inline-block", "width": "8rem", "height": "0.7rem",
                       "border": "1px solid #505a5f", "background": "#ffffff"},
                className="ms-1", **{"aria-hidden": "true"}),
            html.Span(" Status: ", className="fw-semibold ms-3"),
            html.Span(status_label(action.status), id="action-status"),
        ], className="mb-2 d-flex flex-wrap align-items-center gap-1"),
        _flags(detail, scale, stale_days),
        html.Dl([
            *_dl_row("Subgroup", html.A(detail.subgroup.name, href=_href(f"/subgroup/{detail.subgroup.id}"),
                                        id="action-subgroup-link")),
            *_dl_row("Theme", theme),
            *_dl_row("Objective", row.objective or "—"),
            *_dl_row("Owner", html.Span(row.owner or "No owner", id="action-owner")),
            *_dl_row("Lead organisation", action.lead_organisation or "—"),
            *_dl_row("Start date", html.Span(long_date(action.start_date), id="action-start")),
            *_dl_row("Due date", html.Span(long_date(action.due_date), id="action-due")),
            *_dl_row("Source", action.source or "—"),
            *_dl_row("Linked outcomes", outcomes),
            *_dl_row("Linked indicators", indicators),
        ], className="row mt-3 mb-0"),
        html.Div([
            html.H2("Description", className="h6"),
            html.P(action.description, className="user-text mb-0", id="action-description"),
        ], className="mt-2") if action.description else None,
    ]


# --- History and the RAG-over-time chart -----------------------------------------------------


def _chart(entries: list[action_views.HistoryEntry], scale: dict[str, Rag]) -> html.Figure:
    oldest_first = list(reversed(entries))
    rags = [scale.get(e.update.rag) for e in oldest_first]
    words = [r.label if r else e.update.rag for r, e in zip(rags, oldest_first, strict=True)]
    fig = go.Figure(go.Scatter(
        x=[e.update.update_date.isoformat() for e in oldest_first],
        y=[e.update.progress for e in oldest_first],
        mode="lines+markers+text",
        line={"shape": "hv", "color": "#505a5f", "width": 2},
        marker={"size": 14, "color": [r.colour if r else "#ffffff" for r in rags],
                "line": {"color": "#0b0c0c", "width": 1.5}},
        text=[f"{r.symbol} {w}" if r else w for r, w in zip(rags, words, strict=True)],
        textposition="top center",
        textfont={"color": "#0b0c0c"},
        customdata=[[long_date(e.update.update_date), w] for e, w in zip(oldest_first, words, strict=True)],
        hovertemplate="%{customdata[0]}<br>RAG: %{customdata[1]}<br>Progress: %{y}%<extra></extra>",
        showlegend=False,
    ))
    fig.update_layout(
        height=280, margin={"l": 10, "r": 20, "t": 30, "b": 30},
        plot_bgcolor="#ffffff", paper_bgcolor="#ffffff",
        yaxis={"range": [0, 110], "title": "Progress (%)", "tickvals": [0, 25, 50, 75, 100],
               "gridcolor": "#dddddd"},
        xaxis={"title": "", "tickformat": "%d %b %Y", "gridcolor": "#eeeeee"},
        font={"family": "system-ui, sans-serif", "size": 13, "color": "#0b0c0c"},
    )
    return fig


def _chart_summary(entries: list[action_views.HistoryEntry], scale: dict[str, Rag]) -> str:
    oldest, newest = entries[-1].update, entries[0].update

    def word(code: str) -> str:
        return scale[code].label if code in scale else code

    if len(entries) == 1:
        return (f"One update, on {long_date(newest.update_date)}: {word(newest.rag)}, "
                f"{newest.progress}% progress.")
    path = ", ".join(f"{word(e.update.rag)} ({e.update.progress}%)" for e in reversed(entries))
    rags = {e.update.rag for e in entries}
    rag_story = (f"the RAG was {word(newest.rag)} throughout" if len(rags) == 1
                 else f"the RAG went from {word(oldest.rag)} to {word(newest.rag)}")
    progress_story = (f"progress stayed at {newest.progress}%" if oldest.progress == newest.progress
                      else f"progress went from {oldest.progress}% to {newest.progress}%")
    return (f"{len(entries)} updates from {long_date(oldest.update_date)} to {long_date(newest.update_date)}: "
            f"{progress_story}; {rag_story}. In order: {path}.")


def _timeline(entries: list[action_views.HistoryEntry], scale: dict[str, Rag]) -> html.Ol:
    items = []
    for entry in entries:
        u = entry.update

        def part(label: str, text: str, name: str, u=u):
            if not text:
                return None
            return html.Div([html.H4(label, className="h6 mb-0 mt-2"),
                             html.P(text, className="user-text mb-0", id=f"history-{u.id}-{name}")])

        items.append(html.Li([
            html.H3([
                html.Span(long_date(u.update_date), className="history-date"), " ",
                rag_badge(scale.get(u.rag), small=True), " ",
                html.Span(f"{u.progress}%", className="history-progress"),
            ], className="h6 mb-1 d-flex flex-wrap gap-2 align-items-center"),
            html.P(f"Recorded by {entry.author}" + (" (illustrative data)" if u.illustrative else ""),
                   className="text-muted small mb-0 history-author"),
            part("Narrative", u.narrative, "narrative"),
            part("Next steps", u.next_steps, "next-steps"),
            part("Blockers", u.blockers, "blockers"),
        ], className="history-entry", id=f"history-{u.id}"))
    return html.Ol(items, className="timeline", id="history-list", **{"aria-label": "Updates, newest first"})


def render_history(detail: action_views.ActionDetail) -> list:
    scale = detail.rag_by_code
    entries = detail.history
    if not entries:
        return [html.H2("History of updates", className="h5"),
                html.P("No updates have been recorded yet.", id="history-empty")]
    return [
        html.H2(f"History of updates ({len(entries)})", className="h5", id="history-heading"),
        html.Figure([
            dcc.Graph(id="rag-chart", figure=_chart(entries, scale),
                      config={"displayModeBar": False, "responsive": True}),
            html.Figcaption(_chart_summary(entries, scale), className="small text-muted", id="rag-chart-summary"),
        ], className="mb-3"),
        _timeline(entries, scale),
    ]


# --- Who may update -------------------------------------------------------------------------


def who_can_update(page: action_views.ActionPage) -> html.P:
    detail, leads = page.detail, page.leads
    owner = detail.row.owner
    parts = [f"its owner ({owner})" if owner else None,
             f"a lead of the {detail.subgroup.name}" + (f" ({', '.join(leads)})" if leads else ""),
             "an administrator"]
    text = ", ".join(p for p in parts[:-1] if p) + " or " + parts[-1]
    return html.P(f"Updates to this action are recorded by {text}. You can read its history here.",
                  id="update-not-allowed", className="card-section")
