"""Outcomes and indicators: every national headline measure and local indicator with its status, by
outcome; and, for those who may enter data, the CSV upload of values.

A write (the upload, a new indicator) answers its own form and bumps the refresh Store; the refresh
callback then redraws the list from the view model.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from tracker.services import indicators
from tracker.services.errors import Conflict, InvalidInput, PermissionDenied
from tracker.web.callbacks import callback
from tracker.web.components import forms
from tracker.web.components.indicator_forms import (
    DEFINITION_LABELS,
    ERROR_SUFFIX,
    NEW_FORM,
    definition_fields,
    definition_form,
    flag_form,
    read_definition,
    upload_block,
    upload_errors,
)
from tracker.web.components.indicators import indicator_href, indicators_table, status_counts, status_rule
from tracker.web.components.pager import page_search, pager
from tracker.web.components.url_filters import first_value
from tracker.web.context import run_service, signed_in, signed_in_page, today

dash.register_page(__name__, path="/indicators", title="Outcomes and indicators – CDP Delivery Tracker",
                   name="Indicators", nav={"order": 50, "label": "Indicators"})

NEW_FIELDS = definition_fields(NEW_FORM, with_code=True)
REFRESH = Output("indicators-refresh", "data", allow_duplicate=True)


def _href(outcome: str | None, page: int = 1) -> str:
    """The list's address: page `page` of the indicators of `outcome` (a code, "none"), or of every outcome."""
    return dash.get_relative_path("/indicators") + page_search({"outcome": outcome}, page)


def _group(group: indicators.OutcomeGroup, heading: str, about: str | None, content: indicators.IndicatorsList,
           caption: str) -> html.Section:
    """One outcome's indicators on this page; on a list of several pages, a link to the outcome's own
    list (?outcome=<code>, shareable), and "(continued)" where it began on an earlier page."""
    rows, key = group.rows, group.key
    if rows and len(rows) < group.total:
        caption = f"{caption}, {group.earlier + 1:,}–{group.earlier + len(rows):,} of {group.total:,}"
    only = content.page.is_paged and content.outcome is None and group.total
    return html.Section([
        html.H3(f"{heading} (continued)" if group.earlier and rows else heading, className="h6", id=f"outcome-{key}"),
        html.P(about, className="small text-muted mb-1") if about else None,
        indicators_table(rows, f"indicators-{key}", caption=caption),
        html.P(html.A(f"Only the {group.total:,} indicators of {heading}", href=_href(key), id=f"outcome-all-{key}"),
               className="small") if only else None,
    ], className="mb-3")


def render(content: indicators.IndicatorsList) -> list:
    """The status counts of every indicator and a page of the indicators by outcome (of one outcome
    alone when one was asked for), with links to the other pages: a pure function of the view model."""
    sections = [
        _group(g, f"{g.code} {g.name}",
               f"{g.kind.capitalize()} outcome. {g.national} national headline measure"
               f"{'s' if g.national != 1 else ''} and {g.local} local indicator{'s' if g.local != 1 else ''}.",
               content, f"Indicators of outcome {g.code} {g.name}")
        for g in content.groups
    ]
    if content.unlinked_group:
        sections.append(_group(content.unlinked_group, "Not linked to a national outcome", None, content,
                               "Indicators not linked to a national outcome"))
    if content.outcome:
        sections.insert(0, html.P(html.A("Show every outcome", href=_href(None), id="outcome-show-every"),
                                  className="small"))
    return [
        dbc.Row([
            dbc.Col(html.Section([
                html.H2(f"Status of the {content.total} indicators", className="h5", id="status-heading"),
                status_counts(content.counts),
            ], className="card-section"), lg=8),
            dbc.Col(status_rule(), lg=4),
        ], className="mb-2"),
        html.Section([
            html.H2("Indicators by outcome of the National Combating Drugs Outcomes Framework", className="h5"),
            html.P("National headline measures first, then the partnership's local indicators. Open an "
                   "indicator to see its values against the baseline and the trajectory to its target.",
                   className="small text-muted"),
            *sections,
            pager(content.page, lambda n: _href(content.outcome, n), "indicators", "indicators-pages"),
        ], className="card-section", id="indicators-by-outcome"),
    ]


@signed_in_page("Sign in to see the indicators.")
def layout(session, person, outcome=None, page=None, **_):
    view = indicators.indicators_page(session, person, first_value(outcome, 20), page)
    return html.Div([
        dcc.Store(id="indicators-refresh", data=0),
        dcc.Store(id="indicators-outcome", data=view.content.outcome),
        dcc.Store(id="indicators-page", data=view.content.page.number),
        html.H1("Outcomes and indicators", className="h3"),
        html.P("Progress of the measures the partnership monitors: the headline metrics of the National "
               "Combating Drugs Outcomes Framework and local indicators, each against its baseline and "
               "target. Figures marked illustrative are invented for demonstration.",
               className="text-muted"),
        upload_block() if view.may_upload else None,
        html.Div(render(view.content), id="indicators-content"),
        new_indicator_section(view.choices) if view.choices is not None else None,
    ])


def new_indicator_section(choices: indicators.DefinitionChoices) -> html.Details:
    return forms.folded_form(
        "Add a local indicator",
        "Administrators only. A baseline needs its period; a target needs its date, after the baseline period "
        "ends.", "new-message",
        [definition_form(NEW_FORM, {"direction": "higher"}, choices, with_code=True, submit_id="new-submit",
                         submit_label="Add the indicator")],
        summary_id="new-summary", section_id="new-section")



@callback(
    Output("indicators-content", "children"),
    Input("indicators-refresh", "data"),
    State("indicators-outcome", "data"),
    State("indicators-page", "data"),
)
def refresh(_count, outcome, page):
    """After a write: the list as it now is (the same outcome and page, when one was asked for; the
    Stores are the browser's, so read as the address is)."""
    content, error = run_service(lambda session, person: indicators.indicators_list(
        session, person.partnership_id, first_value(outcome, 20) if isinstance(outcome, str) else None,
        page if isinstance(page, int) else 1))
    return no_update if error else render(content)


@callback(
    Output("upload-result", "children"),
    Output("values-upload", "contents"),
    REFRESH,
    Input("values-upload", "contents"),
    State("values-upload", "filename"),
    State("indicators-refresh", "data"),
)
def upload_values(contents, filename, refresh_count):
    if not contents:
        return no_update, no_update, no_update
    content = forms.decode_upload(contents)
    if content is None:
        return dbc.Alert("The file could not be read: choose a CSV file and try again.", color="danger",
                         id="upload-rejected"), None, no_update
    name = str(filename or "")[:200]
    try:
        with signed_in() as (session, person):  # one transaction: every row is written, or (on any exception) none
            result = indicators.import_values_csv(session, person, content, today(), filename=name)
    except indicators.UploadRejected as exc:
        return upload_errors(exc.errors, str(exc)), None, no_update
    except (PermissionDenied, Conflict) as exc:
        return dbc.Alert(str(exc), color="danger", id="upload-rejected"), None, no_update
    links = [
        html.Li([html.A(code, href=indicator_href(result.indicator_ids[code])), f": {n} value{'s' if n != 1 else ''}"])
        for code, n in sorted(result.indicators.items())
    ]
    message = dbc.Alert([
        html.H3(f"Saved {result.written} value{'s' if result.written != 1 else ''}"
                + (f" from {name}" if name else ""), className="h6 alert-heading"),
        html.Ul(links, className="mb-0"),
    ], color="success", id="upload-success")
    return message, None, forms.bumped(refresh_count)


@callback(
    Output("new-message", "children"),
    *forms.form_outputs(NEW_FORM, ERROR_SUFFIX),
    REFRESH,
    Input("new-submit", "n_clicks"),
    *forms.form_states(NEW_FORM),
    *forms.form_states(flag_form(NEW_FORM)),
    State("indicators-refresh", "data"),
)
def add_indicator(_clicks, field_ids, field_values, flag_ids, flag_values, refresh_count):
    data = read_definition((field_ids, field_values), (flag_ids, flag_values), with_code=True)
    created, error = run_service(lambda session, person: _create(session, person, data))
    if isinstance(error, InvalidInput):
        return (forms.error_summary(error.errors, NEW_FIELDS, DEFINITION_LABELS, "new-error-summary"),
                *forms.form_feedback(NEW_FORM, error.errors, ERROR_SUFFIX), no_update)
    if error:
        return (dbc.Alert(str(error), color="danger", id="new-denied"),
                *forms.form_feedback(NEW_FORM, {}, ERROR_SUFFIX), no_update)
    code, new_id = created
    message = dbc.Alert(["Added ", html.A(code, href=indicator_href(new_id)), ". Until an action of the plan is "
                         "linked to it, only an administrator can enter its data."],
                        color="success", id="new-success")
    return message, *forms.form_feedback(NEW_FORM, {}, ERROR_SUFFIX), forms.bumped(refresh_count)


def _create(session, person, data: dict) -> tuple[str, int]:
    indicator = indicators.create_indicator(session, person, data)
    return indicator.code, indicator.id
