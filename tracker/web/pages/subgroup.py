"""One subgroup: its lead and themes, terms of reference (current and history), members, delivery
plan (a sortable, filterable grid) and latest updates; its leads can record a new version of the
terms of reference here."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html, no_update

from tracker.domain import sector_label
from tracker.formatting import short_date, status_label
from tracker.models import Person
from tracker.services import permissions, plan, reference, subgroups
from tracker.services.errors import InvalidInput, NotFound, ServiceError
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.notices import not_found
from tracker.web.components.plan import action_href
from tracker.web.components.rag import rag_badge, rag_counts, rag_for, rag_legend
from tracker.web.components.tor import current_tor_section, theme_href
from tracker.web.context import page_title, signed_in, signed_in_page, today


def _describe(session, person, subgroup_id=None, **_) -> str:
    """The browser title names the subgroup (read in the request that renders the page)."""
    return reference.get_subgroup(session, person.partnership_id, forms.record_id(subgroup_id, "subgroup")).name


dash.register_page(__name__, path_template="/subgroup/<subgroup_id>",
                   title=page_title("Subgroup – CDP Delivery Tracker", _describe), name="Subgroup")


# --- Read-only parts ---------------------------------------------------------------------------


def members_table(rows: list[subgroups.MemberRow]):
    if not rows:
        return html.P("No members recorded yet.", id="members-table")
    return dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Name", "Organisation", "Role", "Sector")])),
        html.Tbody([
            html.Tr([
                html.Th(m.name, scope="row"),
                html.Td(m.organisation or "—"),
                html.Td(m.role.capitalize()),
                html.Td(sector_label(m.sector) or "—"),
            ])
            for m in rows
        ]),
    ], bordered=True, responsive=True, size="sm", className="bg-white", id="members-table")


def _markdown_text(text: str) -> str:
    """Text made inert inside a Markdown link label (the grid renders the Ref column as Markdown)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~&" else ch for ch in text)


UK_DATE = {"function": "params.value ? d3.timeFormat('%d/%m/%Y')(d3.timeParse('%Y-%m-%d')(params.value)) : '—'"}


def plan_grid(scale: dict, rows: list[plan.ActionRow], links: bool = True) -> dag.AgGrid:
    """The subgroup's actions, sortable and filterable; each reference a link to its action (or, with
    `links` False, for the embedded view, plain text)."""
    data = []
    for r in rows:
        rag = rag_for(scale, r.rag, r.status)
        data.append({
            "id": r.id,
            "ref": r.ref,
            **({"ref_link": f"[{_markdown_text(r.ref)}]({action_href(r.id)})"} if links else {}),
            "title": r.title,
            "objective": r.objective or "—",
            "owner": r.owner or "—",
            "due": r.due_date.isoformat() if r.due_date else None,
            "status": status_label(r.status),
            "rag": f"{rag.symbol} {rag.label}" if rag else "No RAG",
            "rag_code": rag.code if rag else "",
            "progress": r.progress,
            "last_update": r.last_update.isoformat() if r.last_update else None,
        })
    rag_styles = [
        {"condition": f"params.data.rag_code == '{rag.code}'",
         "style": {"backgroundColor": rag.colour, "color": rag.text_colour, "fontWeight": "600"}}
        for rag in scale.values()
    ]
    ref_column = {"field": "ref", "headerName": "Ref", "width": 110}
    if links:
        ref_column = {
            "field": "ref_link", "headerName": "Ref", "cellRenderer": "markdown", "width": 110,
            "filter": "agTextColumnFilter", "filterValueGetter": {"function": "params.data.ref"},
            # Tab from a Ref cell goes to the link inside it (then to the next row's), and Enter on the
            # link follows it, so the links work from the keyboard; arrow-key navigation is unchanged.
            "suppressKeyboardEvent": {"function": (
                "(params.event.key === 'Tab' && !params.event.shiftKey)"
                " || (params.event.key === 'Enter' && params.event.target.tagName === 'A')")},
        }
    column_defs = [
        ref_column,
        {"field": "title", "headerName": "Title", "flex": 2, "minWidth": 220, "wrapText": True, "autoHeight": True},
        {"field": "objective", "headerName": "Objective", "flex": 2, "minWidth": 200, "wrapText": True,
         "autoHeight": True},
        {"field": "owner", "headerName": "Owner", "minWidth": 140},
        {"field": "due", "headerName": "Due", "valueFormatter": UK_DATE, "width": 120},
        {"field": "status", "headerName": "Status", "width": 130},
        {"field": "rag", "headerName": "RAG", "width": 130, "cellStyle": {"styleConditions": rag_styles}},
        {"field": "progress", "headerName": "Progress %", "filter": "agNumberColumnFilter", "width": 130,
         "type": "numericColumn"},
        {"field": "last_update", "headerName": "Last update", "valueFormatter": UK_DATE, "width": 140},
    ]
    return dag.AgGrid(
        id="subgroup-plan-grid",
        rowData=data,
        columnDefs=column_defs,
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        getRowId="params.data.ref",
        dangerously_allow_code=False,
        dashGridOptions={"ensureDomOrder": True, "suppressColumnVirtualisation": True, "domLayout": "autoHeight"},
        style={"height": None},
    )


def latest_updates_table(scale: dict, updates: list[subgroups.RecentUpdate]):
    if not updates:
        return html.P("No updates have been recorded on this subgroup's actions yet.", id="latest-updates")
    return dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Date", "Action", "RAG", "Progress", "By", "Narrative")])),
        html.Tbody([
            html.Tr([
                html.Td(short_date(u.update.update_date)),
                html.Td(html.A(f"{u.action_ref} {u.action_title}", href=action_href(u.action_id))),
                html.Td(rag_badge(scale.get(u.update.rag), small=True)),
                html.Td(f"{u.update.progress}%"),
                html.Td(u.author),
                html.Td(u.update.narrative or "—", className="user-text"),
            ])
            for u in updates
        ]),
    ], bordered=True, responsive=True, size="sm", className="bg-white", id="latest-updates")


# --- The form for a new version of the terms of reference ---------------------------------------

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


def form_id(field: str) -> str:
    return f"tor-form-{field}"


def tor_form(versions: list[subgroups.TorVersion], others: list, subgroup_id: int) -> html.Details:
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
                html.Div(id=f"{form_id('interdependencies')}-feedback", className="field-error",
                         role="alert"),
            ], className="mb-3", id=form_id("interdependencies")),
            forms.field(FORM_LABELS["change_note"], dbc.Input(id=form_id("change_note"), type="text", value=""),
                        "Shown in the history of versions."),
            dbc.Button("Save as a new version", id="tor-form-save", color="primary", n_clicks=0),
        ], id="tor-form"),
    ], summary_id="tor-form-open", section_id="tor-form-section")


def _form_data(values: dict, dep_checks, dep_check_ids, dep_texts, dep_text_ids) -> dict:
    data = {field: (values.get(field) or "") for field in FORM_FIELDS}
    for field, *_ in DATE_FIELDS:
        data[field] = values.get(field) or None
    texts = {i["subgroup"]: (t or "") for i, t in zip(dep_text_ids or [], dep_texts or [], strict=False)}
    data["interdependencies"] = [
        (i["subgroup"], texts.get(i["subgroup"], "").strip())
        for i, checked in zip(dep_check_ids or [], dep_checks or [], strict=False) if checked
    ]
    return data


# --- The page ------------------------------------------------------------------------------------


def render(session, partnership_id: int, subgroup_id: int, person: Person | None = None,
           links: bool = True) -> list:
    """Everything the subgroup's page shows below its heading. With `person`, also the forms they may
    use; without, read-only, as the embedded view (tracker.web.pages.embed) shows it, where `links`
    is False. NotFound if the subgroup is not this partnership's."""
    pid = partnership_id
    now = today()
    subgroup = reference.get_subgroup(session, pid, subgroup_id)
    scale_list = reference.rag_scale(session, pid)
    scale = {r.code: r for r in scale_list}
    themes = reference.themes_of_subgroup(session, pid, subgroup.id)
    versions = subgroups.tor_versions(session, subgroup.id)
    member_rows = subgroups.members(session, subgroup.id)
    rows = plan.plan_rows(session, pid, now, plan.PlanFilter(subgroup_id=subgroup.id, include_cancelled=True))
    counts = plan.summarise([r for r in rows if r.status != "cancelled"])
    updates = subgroups.latest_updates(session, pid, subgroup.id, limit=10)
    can_edit = person is not None and permissions.can_edit_subgroup(session, person, subgroup)
    others = [s for s in reference.subgroups(session, pid) if s.id != subgroup.id]
    lead = subgroups.lead_name(session, subgroup)
    return [
        html.P(subgroup.description, className="user-text") if subgroup.description else None,
        dbc.Row([
            dbc.Col(html.Dl([
                html.Dt("Lead"), html.Dd(lead or "No lead named", id="subgroup-lead"),
                html.Dt("Status"), html.Dd(status_label(subgroup.status), id="subgroup-status"),
                html.Dt("Themes"),
                html.Dd(html.Ul([html.Li(html.A(f"{t.number}. {t.name}", href=theme_href(t.id)))
                                 for t in themes], className="mb-0 ps-3") if themes else "None",
                        id="subgroup-themes"),
                html.Dt("Actions"), html.Dd(str(len(rows))),
                html.Dt("Members"), html.Dd(str(len(member_rows))),
            ], className="card-section subgroup-facts"), lg=8),
            dbc.Col(rag_legend(scale_list), lg=4),
        ], className="mb-2"),
        html.Section([
            html.H2(f"Actions by RAG ({counts.total})", className="h5", id="rag-counts-heading"),
            rag_counts(scale_list, counts.by_rag),
        ], className="card-section", **{"aria-labelledby": "rag-counts-heading"}),
        html.Section([
            html.H2("Terms of reference", className="h5", id="tor-heading"),
            html.Div(current_tor_section(versions, now), id="tor-display", **{"aria-live": "polite"}),
        ], className="card-section", **{"aria-labelledby": "tor-heading"}),
        tor_form(versions, others, subgroup.id) if can_edit else None,
        html.Section([
            html.H2(f"Members ({len(member_rows)})", className="h5", id="members-heading"),
            members_table(member_rows),
        ], className="card-section", **{"aria-labelledby": "members-heading"}),
        html.Section([
            html.H2(f"Delivery plan ({len(rows)} actions)", className="h5", id="plan-heading"),
            html.P("Sort by any column heading; filter from the column menu."
                   + (" Choose a reference to open the action." if links else ""), className="text-muted small"),
            plan_grid(scale, rows, links) if rows else html.P("No actions yet.", id="subgroup-plan-grid"),
        ], className="card-section", **{"aria-labelledby": "plan-heading"}),
        html.Section([
            html.H2("Latest updates", className="h5", id="updates-heading"),
            latest_updates_table(scale, updates),
        ], className="card-section", **{"aria-labelledby": "updates-heading"}),
    ]


@signed_in_page("Sign in to see this subgroup.")
def layout(session, person, subgroup_id=None, **_):
    try:
        subgroup = reference.get_subgroup(session, person.partnership_id, forms.record_id(subgroup_id, "subgroup"))
    except NotFound as exc:
        return not_found("Subgroup not found", str(exc), "/subgroups", "See all subgroups", "subgroup-not-found")
    return html.Div([
        html.P(html.A("← All subgroups", href=dash.get_relative_path("/subgroups")), className="mb-1"),
        html.H1(subgroup.name, className="h3", id="subgroup-heading"),
        *render(session, person.partnership_id, subgroup.id, person),
    ])


FIELD_OUTPUTS = forms.field_outputs(form_id(f) for f in FORM_FIELDS)
FORM_CONTROLS = {f: form_id(f) for f in [*FORM_FIELDS, "interdependencies"]}


@callback(
    Output("tor-display", "children"),
    Output("tor-form-context", "data"),
    Output("tor-form-alert", "children"),
    Output("tor-form-based-on-text", "children"),
    Output(form_id("change_note"), "value"),
    Output(f"{form_id('interdependencies')}-feedback", "children"),
    *FIELD_OUTPUTS,
    Input("tor-form-save", "n_clicks"),
    State("tor-form-context", "data"),
    *[State(form_id(f), "value") for f in FORM_FIELDS],
    State({"type": "tor-form-dep", "subgroup": ALL}, "value"),
    State({"type": "tor-form-dep", "subgroup": ALL}, "id"),
    State({"type": "tor-form-dep-text", "subgroup": ALL}, "value"),
    State({"type": "tor-form-dep-text", "subgroup": ALL}, "id"),
    prevent_initial_call=True,
)
def save_tor_version(n_clicks, context, *values):
    """Thin: read the form, let the service check everything again, render what happened."""
    field_values = dict(zip(FORM_FIELDS, values[:len(FORM_FIELDS)], strict=True))
    dep_checks, dep_check_ids, dep_texts, dep_text_ids = values[len(FORM_FIELDS):]
    n = len(FORM_FIELDS)
    clear_fields = forms.field_values(FORM_FIELDS, {})

    def alert(message: str, color: str = "danger"):
        return dbc.Alert(message, color=color, id="tor-form-message")  # Bootstrap's alert has role="alert"

    if not n_clicks:
        return [no_update] * (6 + 2 * n)
    context = context if isinstance(context, dict) else {}
    try:
        subgroup_id = int(context.get("subgroup_id"))
        based_on = int(context.get("based_on_version"))
    except (TypeError, ValueError):
        return [no_update, no_update, alert("The form is out of date: reload the page."), no_update, no_update,
                ""] + clear_fields
    data = _form_data(field_values, dep_checks, dep_check_ids, dep_texts, dep_text_ids)
    try:
        with signed_in() as (session, person):
            tor = subgroups.record_tor_version(session, person, subgroup_id, based_on, data)
            new_version = tor.version
            versions = subgroups.tor_versions(session, subgroup_id)
            display = current_tor_section(versions, today())
    except InvalidInput as exc:
        errors = exc.errors
        summary = forms.error_summary(errors, FORM_CONTROLS, FORM_LABELS, "tor-form-message")
        return [no_update, no_update, summary, no_update, no_update, errors.get("interdependencies", ""),
                *forms.field_values(FORM_FIELDS, errors)]
    except ServiceError as exc:
        return [no_update, no_update, alert(str(exc)), no_update, no_update, ""] + clear_fields
    saved = alert(f"Saved: version {new_version} is now the current terms of reference.", "success")
    return [display, {"subgroup_id": subgroup_id, "based_on_version": new_version}, saved,
            f"You are editing version {new_version}.", "", ""] + clear_fields

