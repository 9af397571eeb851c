"""Every indicator beside England: the verdicts in one table, stale and restricted data flagged, and
the import of a national public-health profiles export (admin)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, html

from tracker.rules.periods import period_words
from tracker.services import benchmarks
from tracker.services.permissions import is_admin
from tracker.web.callbacks import callback
from tracker.web.components.benchmarks import data_status, number, verdict_badge
from tracker.web.components.forms import decode_upload, file_upload, refused
from tracker.web.components.notices import status_message
from tracker.web.context import run_service, signed_in_page, today

dash.register_page(__name__, path="/indicators/benchmarks",
                   title="Indicators compared with England – CDP Delivery Tracker", name="Benchmarks")


def _table(views: dict[int, benchmarks.IndicatorBenchmark]) -> html.Div:
    head = html.Tr([html.Th(h, scope="col") for h in ("Indicator", "Period", "Local", "Region", "England",
                                                       "Compared with England", "Data")])
    rows = []
    for v in sorted(views.values(), key=lambda v: v.code):
        latest = v.latest
        figure = {a.kind: a for a in latest.areas} if latest else {}
        rows.append(html.Tr([
            html.Th(html.A(f"{v.code}: {v.name}", href=dash.get_relative_path(f"/indicator/{v.indicator_id}")),
                    scope="row"),
            html.Td(period_words(latest.period) if latest else "—"),
            *[html.Td(number(figure[k].value) if k in figure else "—") for k in ("local", "region", "england")],
            html.Td(verdict_badge(latest.verdict) if latest else "No comparators"),
            html.Td(data_status(v) or "Current"),
        ]))
    return html.Div(html.Table([html.Thead(head), html.Tbody(rows)], className="table table-sm align-top",
                               id="benchmarks-table"), className="table-responsive")


@signed_in_page("Sign in to see the indicators compared with England.")
def layout(session, person, **_):
    views = benchmarks.benchmarks_by_indicator(session, person.partnership_id, today())
    upload = [
        html.H2("Import comparator figures", className="h5"),
        html.P(["A CSV exported from the national public-health profiles (Fingertips) as it comes: rows are "
                "matched to indicators by the catalogue's external id and to this area by its area code. "
                "The whole file is checked first; any bad row refuses it all."], className="small"),
        file_upload("benchmarks-upload", "Profiles export (CSV)", "or drop the file here", ".csv,text/csv"),
        html.Div(id="benchmarks-upload-message", **{"aria-live": "polite"}),
    ] if is_admin(person) else []
    return html.Div([
        html.H1("Indicators compared with England", className="h3"),
        html.P("The newest period with comparator figures for each indicator. An indicator flagged “Stale data” "
               "has a newer release due or published that is not yet entered: that is not the same as off track."),
        html.Div(_table(views), id="benchmarks-body"),
        html.Section(upload, className="card-section") if upload else None,
    ])


@callback(
    Output("benchmarks-upload-message", "children"),
    Output("benchmarks-body", "children"),
    Input("benchmarks-upload", "contents"),
    State("benchmarks-upload", "filename"),
)
def upload_comparators(contents, filename):
    content = decode_upload(contents)
    if content is None:
        return status_message("That file could not be read: choose a CSV file.", ok=False), dash.no_update
    parsed, error = run_service(lambda s, p: benchmarks.import_csv(s, p, content, str(filename or "")[:100]))
    if error is not None:
        return refused(error, summary_id="benchmarks-errors"), dash.no_update
    body, _ = run_service(lambda s, p: _table(benchmarks.benchmarks_by_indicator(s, p.partnership_id, today())))
    words = f"Imported {len(parsed.rows)} comparator figures"
    if parsed.ignored:
        words += f"; {parsed.ignored} rows were for other indicators, areas or breakdowns and were ignored"
    return status_message(words + ".", message_id="benchmarks-imported"), body
