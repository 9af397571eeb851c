"""Admin: the partnership officer's starting point, with a link to each part of the set-up."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from tracker.services import people as people_service
from tracker.services import rag_scale, reference
from tracker.web.context import admin_page

dash.register_page(__name__, path="/admin", title="Administration – CDP Delivery Tracker", name="Administration",
                   nav={"order": 80, "label": "Admin", "roles": ("admin",)})


def _card(title: str, text: str, path: str, link_id: str) -> dbc.Col:
    return dbc.Col(html.Section([
        html.H2(html.A(title, href=dash.get_relative_path(path), id=link_id), className="h5"),
        html.P(text, className="mb-0"),
    ], className="card-section h-100"), md=6, lg=3, className="mb-3")


@admin_page()
def layout(session, person, **_):
    people = people_service.list_people(session, person)
    partnership = reference.get_partnership(session, person.partnership_id)
    active = sum(1 for p in people if p.is_active)
    groups = reference.subgroups(session, person.partnership_id)
    scale = rag_scale.SCALE_NAMES.get(partnership.rag_scale, partnership.rag_scale)
    return html.Div([
        html.H1(f"Administration: {partnership.name}", className="h3"),
        html.P("Set up the partnership. Every change is recorded in the audit trail with your name.",
               className="text-muted"),
        dbc.Row([
            _card("People and roles", f"{active} active people, {len(people) - active} deactivated. Add people, "
                  "change roles, deactivate accounts and reset passwords.", "/admin/people", "admin-link-people"),
            _card("Subgroups", f"{len(groups)} subgroups. Set up subgroups, change their lead, status and "
                  "themes, and their members.", "/admin/subgroups", "admin-link-subgroups"),
            _card("RAG scale", f"The {scale} scale. Choose the scale and the words that define each colour.",
                  "/admin/rag", "admin-link-rag"),
            _card("Themes and objectives", f"{len(reference.themes(session, person.partnership_id))} themes. Add, "
                  "rename and retire themes and their local objectives.", "/admin/strategy", "admin-link-strategy"),
            _card("Embed tokens", "Read-only views for intranet pages: create them with an expiry, and revoke "
                  "them.", "/admin/embeds", "admin-link-embeds"),
            _card("Thresholds", f"Not updated after {partnership.stale_after_days} days; updates due "
                  f"{partnership.update_deadline_working_days} working days before each board.",
                  "/admin/thresholds", "admin-link-thresholds"),
            _card("Audit trail", "Who changed what and when, across the whole tracker.", "/audit",
                  "admin-link-audit"),
        ]),
    ])
