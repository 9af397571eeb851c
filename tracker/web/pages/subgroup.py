"""One subgroup: its lead and themes, terms of reference (current and history), members, delivery
plan (a sortable, filterable grid) and latest updates; its leads can record a new version of the
terms of reference here."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from tracker.domain import sector_label
from tracker.formatting import short_date, status_label
from tracker.models import Person
from tracker.services import actions, reference, saved_views, subgroups
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.subgroups.page import SubgroupView, subgroup_view
from tracker.web.callbacks import callback
from tracker.web.components import forms, url_filters
from tracker.web.components.action_forms import (
    ADD_FIELDS,
    ADD_FORM,
    ADD_NAMES,
    ADD_OUTCOME_CHECKBOX,
    EDIT_LABELS,
    ERROR_SUFFIX,
    action_details,
    add_action_form,
)
from tracker.web.components.notices import back_link, not_found
from tracker.web.components.plan import action_href
from tracker.web.components.plan_grid import (
    DATE_FIELDS,
    GRID_ID,
    NUMBER_FIELDS,
    column_width_controls,
    filter_fields,
    plan_grid,
)
from tracker.web.components.rag import rag_badge, rag_counts, rag_legend
from tracker.web.components.saved_views import saved_views_panel
from tracker.web.components.tor import (
    FORM_CONTROLS,
    FORM_FIELDS,
    FORM_LABELS,
    TOR_FORM,
    current_tor_section,
    form_data,
    form_id,
    theme_href,
    tor_form,
)
from tracker.web.context import page_title, run_service, signed_in_page, today


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


# --- The page ------------------------------------------------------------------------------------


def render(session, partnership_id: int, subgroup_id: int, person: Person | None = None,
           links: bool = True, compact: bool = False, members: bool = True) -> list:
    """Everything the subgroup's page shows below its heading. With `person`, also the forms they may
    use; without, read-only, as the embedded view (tracker.web.pages.embed) shows it, where `links`
    is False; `members` False leaves the member list out. NotFound if the subgroup is not this
    partnership's."""
    return render_view(subgroup_view(session, partnership_id, subgroup_id, today(), person), today(), links,
                       compact, members=members)


def render_view(view: SubgroupView, now, links: bool = True, compact: bool = False,
                filter_model: dict | None = None, members: bool = True) -> list:
    """The page's parts, from its view model alone: the plan near the top, the terms of reference and
    the member list (a disclosure) after it. `compact` (the embedded view's ?compact=1) is the RAG
    counts and the plan alone: no member list, no terms of reference."""
    subgroup, rows, themes, scale_list = view.subgroup, view.rows, view.themes, view.scale
    scale = view.rag_by_code
    counts_and_plan = [
        html.Section(render_counts(view), id="subgroup-rag-counts", className="card-section",
                     **{"aria-labelledby": "rag-counts-heading"}),
        html.Section(render_plan(view, links, filter_model), id="subgroup-plan", className="card-section",
                     **{"aria-labelledby": "plan-heading"}),
    ]
    if compact:
        return counts_and_plan
    return [
        html.P(subgroup.description, className="user-text") if subgroup.description else None,
        dbc.Row([
            dbc.Col(html.Dl([
                html.Dt("Lead"), html.Dd(view.lead or "No lead named", id="subgroup-lead"),
                html.Dt("Status"), html.Dd(status_label(subgroup.status), id="subgroup-status"),
                html.Dt("Themes"),
                html.Dd(html.Ul([html.Li(html.A(f"{t.number}. {t.name}", href=theme_href(t.id)))
                                 for t in themes], className="mb-0 ps-3") if themes else "None",
                        id="subgroup-themes"),
                html.Dt("Actions"), html.Dd(str(len(rows))),
                html.Dt("Members"), html.Dd(str(len(view.members))),
            ], className="card-section subgroup-facts"), lg=8),
            dbc.Col(rag_legend(scale_list), lg=4),
        ], className="mb-2"),
        # The plan first: it is what leads and the chair come for; the terms of reference and the
        # member list, read less often, follow it.
        *counts_and_plan,
        add_action_form(view.action_choices, subgroup.name) if view.action_choices and links else None,
        html.Section([
            html.H2("Latest updates", className="h5", id="updates-heading"),
            latest_updates_table(scale, view.updates),
        ], className="card-section", **{"aria-labelledby": "updates-heading"}),
        html.Section([
            html.H2("Terms of reference", className="h5", id="tor-heading"),
            html.Div(current_tor_section(view.versions, now), id="tor-display", **{"aria-live": "polite"}),
        ], className="card-section", **{"aria-labelledby": "tor-heading"}),
        tor_form(view.versions, view.others, subgroup.id) if view.can_edit else None,
        html.Section(html.Details([
            html.Summary(html.H2(f"Members ({len(view.members)})", className="h5 d-inline", id="members-heading"),
                         id="members-summary"),
            members_table(view.members),
        ], open=True), id="subgroup-members", className="card-section",
            **{"aria-labelledby": "members-heading"}) if members else None,
    ]


def render_counts(view: SubgroupView) -> list:
    return [html.H2(f"Actions by RAG ({view.counts.total})", className="h5", id="rag-counts-heading"),
            rag_counts(view.scale, view.counts.by_rag)]


def render_plan(view: SubgroupView, links: bool = True, filter_model: dict | None = None) -> list:
    rows = view.rows
    return [
        html.H2(f"Delivery plan ({len(rows)} actions)", className="h5", id="plan-heading"),
        html.P("Sort by any column heading (Enter on a focused heading); filter from the column menu. In the "
               "table, arrow keys move between cells and Tab leaves it. Slippage is against each action's "
               "original due date." + (" Choose a reference (or press Enter on it) to open the action."
                                       if links else ""),
               className="text-muted small"),
        column_width_controls(links) if rows else None,
        plan_grid(view.rag_by_code, rows, links, filter_model) if rows
        else html.P("No actions yet.", id="subgroup-plan-grid"),
    ]


@signed_in_page("Sign in to see this subgroup.")
def layout(session, person, subgroup_id=None, **query):
    try:
        view = subgroup_view(session, person.partnership_id, forms.record_id(subgroup_id, "subgroup"), today(),
                             person)
    except NotFound as exc:
        return not_found("Subgroup not found", str(exc), "/subgroups", "See all subgroups", "subgroup-not-found")
    return html.Div([
        back_link("All subgroups", "/subgroups"),
        html.H1(view.subgroup.name, className="h3", id="subgroup-heading"),
        dcc.Store(id="tor-refresh", data=0),
        dcc.Store(id="plan-refresh", data=0),
        dcc.Store(id="add-action-subgroup", data=view.subgroup.id),
        url_filters.grid_location("subgroup"),
        saved_views_panel(saved_views.list_views(session, person, page=f"/subgroup/{subgroup_id}")),
        *render_view(view, today(), filter_model=url_filters.grid_filters_from_search(
            url_filters.to_search(query), NUMBER_FIELDS, filter_fields(), DATE_FIELDS)),
    ])


@callback(
    Output("tor-display", "children"),
    Output("tor-form-based-on-text", "children"),
    Input("tor-refresh", "data"),
    State("tor-form-context", "data"),
)
def refresh_tor(_count, context):
    """After a new version is saved: the terms of reference as they now are."""
    context = context if isinstance(context, dict) else {}
    subgroup_id = forms.to_int(context.get("subgroup_id")) or -1

    def versions(session, person):
        return subgroups.tor_versions(session, reference.get_subgroup(session, person.partnership_id, subgroup_id).id)

    found, error = run_service(versions)
    if error:
        return no_update, no_update
    return current_tor_section(found, today()), f"You are editing version {context.get('based_on_version')}."


@callback(
    Output("tor-form-alert", "children"),
    *forms.form_outputs(TOR_FORM),
    Output(f"{form_id('interdependencies')}-feedback", "children"),
    Output("tor-form-context", "data"),
    forms.form_values_output(TOR_FORM),
    Output("tor-refresh", "data"),
    Input("tor-form-save", "n_clicks"),
    State("tor-form-context", "data"),
    *forms.form_states(TOR_FORM),
    State({"type": "tor-form-dep", "subgroup": ALL}, "value"),
    State({"type": "tor-form-dep", "subgroup": ALL}, "id"),
    State({"type": "tor-form-dep-text", "subgroup": ALL}, "value"),
    State({"type": "tor-form-dep-text", "subgroup": ALL}, "id"),
    State("tor-refresh", "data"),
)
def save_tor_version(n_clicks, context, field_ids, field_values, dep_checks, dep_check_ids, dep_texts,
                     dep_text_ids, refresh_count):
    """Thin: read the form, let the service check everything again, say what happened."""

    def answer(message, errors=None, new_context=no_update, values=None, refresh=no_update):
        errors = errors or {}
        return (message, *forms.form_feedback(TOR_FORM, errors), errors.get("interdependencies", ""), new_context,
                values if values is not None else forms.form_unchanged(TOR_FORM), refresh)

    def alert(message: str, color: str = "danger"):
        return dbc.Alert(message, color=color, id="tor-form-message")  # Bootstrap's alert has role="alert"

    if not n_clicks:
        raise PreventUpdate
    context = context if isinstance(context, dict) else {}
    subgroup_id, based_on = forms.to_int(context.get("subgroup_id")), forms.to_int(context.get("based_on_version"))
    if subgroup_id is None or based_on is None:
        return answer(alert("The form is out of date: reload the page."))
    data = form_data(forms.read_form(field_ids, field_values, FORM_FIELDS), dep_checks, dep_check_ids, dep_texts,
                      dep_text_ids)
    tor, error = run_service(lambda session, person: subgroups.record_tor_version(
        session, person, subgroup_id, based_on, data))
    if isinstance(error, InvalidInput):
        return answer(forms.error_summary(error.errors, FORM_CONTROLS, FORM_LABELS, "tor-form-message"), error.errors)
    if error:
        return answer(alert(str(error)))
    saved = alert(f"Saved: version {tor.version} is now the current terms of reference.", "success")
    return answer(saved, new_context={"subgroup_id": subgroup_id, "based_on_version": tor.version},
                  values=forms.form_reset(TOR_FORM, {"change_note": ""}, keep_others=True),
                  refresh=forms.bumped(refresh_count))


@callback(
    Output({"type": "filter-url", "page": ALL}, "search"),
    Output(GRID_ID, "filterModel"),
    Input(GRID_ID, "filterModel"),
    Input({"type": "filter-url", "page": ALL}, "search"),
)
def plan_filters_in_address(model, searches):
    """A filter chosen in the grid goes into the address (?rag=Red); Back or Forward sets the grid's
    filters from it. The embedded view has the grid and no such address: nothing to write there."""
    searches = searches if isinstance(searches, list) else []
    fields = filter_fields()
    shown = url_filters.grid_filters_to_query(model, NUMBER_FIELDS, fields, DATE_FIELDS)
    if isinstance(ctx.triggered_id, dict):
        wanted = url_filters.grid_filters_from_search(searches[0] if searches else "", NUMBER_FIELDS, fields,
                                                      DATE_FIELDS)
        if url_filters.grid_filters_to_query(wanted, NUMBER_FIELDS, fields, DATE_FIELDS) == shown:
            raise PreventUpdate  # the address already says what the grid shows
        return [no_update] * len(searches), wanted
    return [url_filters.to_search(shown)] * len(searches), no_update


# --- Add an action --------------------------------------------------------------------------------


@callback(
    Output("subgroup-plan", "children"),
    Output("subgroup-rag-counts", "children"),
    Input("plan-refresh", "data"),
    State("add-action-subgroup", "data"),
    State(url_filters.grid_location_id(ALL), "search"),
)
def refresh_plan(_count, subgroup_id, searches):
    """After an action is added: the plan and its RAG counts as they now are, the grid filtered as it
    was (its filters are in the address, which plan_filters_in_address keeps in step with the grid)."""
    view, error = run_service(lambda session, person: subgroup_view(
        session, person.partnership_id, forms.to_int(subgroup_id) or -1, today()))
    if error:
        return no_update, no_update
    search = next((s for s in (searches if isinstance(searches, list) else []) if isinstance(s, str)), "")
    kept = url_filters.grid_filters_from_search(search, NUMBER_FIELDS, filter_fields(), DATE_FIELDS)
    return render_plan(view, filter_model=kept), render_counts(view)


@callback(
    Output("add-action-message", "children"),
    *forms.form_outputs(ADD_FORM, ERROR_SUFFIX),
    forms.form_values_output(ADD_FORM),
    Output({"type": ADD_OUTCOME_CHECKBOX, "index": ALL}, "value"),
    Output("add-action-outcomes-error", "children"),
    Output("plan-refresh", "data"),
    Input("add-action-submit", "n_clicks"),
    State("add-action-subgroup", "data"),
    *forms.form_states(ADD_FORM),
    *forms.ticked_states(ADD_OUTCOME_CHECKBOX),
    State("plan-refresh", "data"),
)
def add_action(n_clicks, subgroup_id, field_ids, field_values, outcome_ids, outcome_checked, refresh_count):
    """Thin: read the form, let actions.create_action check everything (permission included) again."""
    if not n_clicks:
        raise PreventUpdate
    values = forms.read_form(field_ids, field_values, ADD_NAMES)
    data = {
        "subgroup_id": forms.to_int(subgroup_id) if forms.to_int(subgroup_id) is not None else -1,
        **action_details(values),
        "outcome_ids": forms.ticked_ids(outcome_ids, outcome_checked),
    }
    created, error = run_service(lambda session, person: actions.create_action(session, person, data))
    unchanged_boxes = [no_update] * len(outcome_ids or [])
    if error:
        errors = error.errors if isinstance(error, InvalidInput) else {}
        message = (forms.error_summary(errors, ADD_FIELDS | {"outcome_ids": "add-action-outcomes-error"},
                                       EDIT_LABELS, "add-action-error-summary") if errors
                   else dbc.Alert(str(error), color="danger", id="add-action-denied"))
        return (message, *forms.form_feedback(ADD_FORM, errors, ERROR_SUFFIX), forms.form_unchanged(ADD_FORM),
                unchanged_boxes, errors.get("outcome_ids", ""), no_update)
    message = dbc.Alert([f"Added {created.ref} {created.title} to the plan. ",
                         html.A(f"Open {created.ref}", href=dash.get_relative_path(f"/action/{created.id}"),
                                className="alert-link")], color="success", id="add-action-success")
    return (message, *forms.form_feedback(ADD_FORM, {}, ERROR_SUFFIX), forms.form_reset(ADD_FORM, {}),
            [False] * len(outcome_ids or []), "", forms.bumped(refresh_count))
