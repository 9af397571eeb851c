"""Every subgroup: lead, status, themes, members, actions by RAG and the state of its terms of reference."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from tracker.formatting import status_label
from tracker.services import reference, subgroups
from tracker.web.components.rag import frozen_badge, rag_legend
from tracker.web.components.static_html import element
from tracker.web.components.tor import subgroup_href, theme_href, tor_state_text
from tracker.web.context import signed_in_page, today

dash.register_page(__name__, path="/subgroups", title="Subgroups – CDP Delivery Tracker", name="Subgroups",
                   nav={"order": 30, "label": "Subgroups"})


def tor_cell(summary: subgroups.SubgroupSummary, now) -> dict:
    if summary.tor is None:
        verdict = "✕ None recorded"
    elif summary.tor_in_force:
        verdict = "✓ Approved and in date"
    elif not summary.tor_approved:
        verdict = "! Draft — not yet approved"
    else:
        verdict = "! Review overdue"
    details = tor_state_text(summary.tor, now) if summary.tor else []
    return element("Td", [
        element("Div", element("Strong", verdict), className="tor-verdict"),
        element("Div", f"Version {summary.tor.version}: " + "; ".join(details), className="small")
        if summary.tor else None,
    ], id=f"tor-state-{summary.subgroup.id}")


def _row(scale, s: subgroups.SubgroupSummary, now) -> dict:
    """One subgroup's row, written as its JSON (static_html): a county x10 has 46 rows of about 20
    elements, which built as Dash components cost more than the page's SQL (docs/performance.md, round 18)."""
    themes = (element("Ul", [element("Li", element("A", f"{t.number}. {t.name}", href=theme_href(t.id)))
                             for t in s.themes], className="mb-0 ps-3") if s.themes else "—")
    return element("Tr", [
        element("Th", element("A", s.subgroup.name, href=subgroup_href(s.subgroup.id), className="subgroup-link",
                              id=f"subgroup-link-{s.subgroup.id}"), scope="row"),
        element("Td", s.lead or "No lead named"),
        element("Td", status_label(s.subgroup.status)),
        element("Td", themes),
        element("Td", str(s.member_count), className="text-center"),
        *[element("Td", str(s.by_rag.get(r.code, 0)), className="text-center") for r in scale],
        element("Td", str(s.actions), className="text-center"),
        tor_cell(s, now),
    ], id=f"subgroup-row-{s.subgroup.id}")


def subgroups_table(scale, summaries, now) -> dbc.Table | html.P:
    if not summaries:
        return html.P("No subgroups have been set up yet.", id="subgroups-table")
    header = html.Thead(html.Tr(
        [html.Th(h, scope="col") for h in ("Subgroup", "Lead", "Status", "Themes", "Members")]
        + [html.Th(frozen_badge(r), scope="col", className="text-center") for r in scale]
        + [html.Th("Actions", scope="col", className="text-center"),
           html.Th("Terms of reference", scope="col")]
    ))
    body = html.Tbody([_row(scale, s, now) for s in summaries])
    return dbc.Table([header, body], bordered=True, hover=True, responsive=True, size="sm",
                     className="bg-white", id="subgroups-table")


@signed_in_page("Sign in to see the subgroups.")
def layout(session, person, **_):
    pid = person.partnership_id
    now = today()
    scale = reference.rag_scale(session, pid)
    summaries = subgroups.subgroup_summaries(session, pid, now)
    in_force = sum(s.tor_in_force for s in summaries)
    return html.Div([
        html.H1("Subgroups", className="h3"),
        dbc.Row([
            dbc.Col([
                html.P("The delivery subgroups of the partnership: who leads them, what they work on, "
                       "how their actions stand and whether their terms of reference are approved and "
                       "in date.", className="text-muted"),
                html.P(f"{in_force} of {len(summaries)} subgroups have terms of reference that are "
                       "approved and within their review date.", id="tor-in-force-count"),
            ], lg=8),
            dbc.Col(rag_legend(scale), lg=4),
        ], className="mb-3"),
        html.Section([
            html.H2("All subgroups", className="h5"),
            subgroups_table(scale, summaries, now),
        ], className="card-section"),
    ])
