"""The risk register's pieces: the heat map and the register table, pure functions of the view model."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from tracker.formatting import short_date
from tracker.rules.risk_scoring import IMPACT, LIKELIHOOD
from tracker.services.risks import RiskRegister, RiskRow


def heat_map(reg: RiskRegister) -> html.Div:
    """Residual ratings of the open risks on the 5 x 5 grid; each cell says its score, band and risks."""
    head = html.Tr([html.Td(), *[html.Th([f"{i} ", html.Span(IMPACT[i], className="d-block small")],
                                         scope="col") for i in range(1, 6)]])
    rows = []
    for line in reg.heat:
        likelihood = line[0].likelihood
        cells = [html.Th([f"{likelihood} ", html.Span(LIKELIHOOD[likelihood], className="d-block small")],
                         scope="row")]
        for cell in line:
            count = len(cell.refs)
            cells.append(html.Td([
                html.Span(f"{cell.score} {cell.band}", className="d-block small"),
                html.Strong(", ".join(cell.refs)) if cell.refs else html.Span("no risks", className="visually-hidden"),
            ], style={"backgroundColor": cell.colour, "color": cell.text_colour},
                title=f"{count} risk{'s' if count != 1 else ''}", className="risk-cell"))
        rows.append(html.Tr(cells))
    return html.Div(html.Table([
        html.Caption("Open risks by residual likelihood (rows) and impact (columns); each cell shows its "
                     "score and band, and the risks rated there."),
        html.Thead(head), html.Tbody(rows),
    ], className="table table-bordered risk-heat-map mb-0", id="risk-heat-map"), className="table-responsive")


def _row(r: RiskRow, href) -> html.Tr:
    actions = [html.A(ref, href=href(f"/action/{aid}"), title=title, className="me-1") for aid, ref, title in r.actions]
    review = [short_date(r.review_date)]
    if r.review_overdue:
        review += [" ", dbc.Badge("Review overdue", color="warning", text_color="dark")]
    return html.Tr([
        html.Th(r.ref, scope="row"),
        html.Td([html.Strong(r.title), " ", dbc.Badge("illustrative", color="light", text_color="dark")
                 if r.illustrative else None,
                 html.Details([html.Summary("Cause, effect and mitigation", className="small"),
                               html.P([html.Strong("Cause: "), r.cause], className="small mb-1"),
                               html.P([html.Strong("Effect: "), r.effect], className="small mb-1"),
                               html.P([html.Strong("Mitigation: "), r.mitigation], className="small mb-0")])]),
        html.Td(r.owner), html.Td(r.theme or "—"),
        html.Td(f"{r.inherent_score} {r.inherent_band}"),
        html.Td(r.residual_words),
        html.Td(review), html.Td(actions or "—"),
        html.Td(r.status.capitalize()),
    ])


def register_table(reg: RiskRegister, href) -> html.Div:
    if not reg.rows:
        return html.P("No risks are recorded yet.", id="risk-register")
    head = html.Tr([html.Th(h, scope="col") for h in
                    ("Ref", "Risk", "Owner", "Theme", "Inherent", "Residual", "Review", "Actions", "Status")])
    return html.Div(html.Table([html.Thead(head), html.Tbody([_row(r, href) for r in reg.rows])],
                               className="table table-sm align-top", id="risk-register"),
                    className="table-responsive")


def history_list(r: RiskRow) -> html.Details:
    return html.Details([
        html.Summary(f"{r.ref}: rating history ({len(r.history)})"),
        html.Ol([html.Li(f"{short_date(h.rated_on)}: residual {h.residual_words}, by {h.author}. {h.reason}")
                 for h in r.history], reversed=True, className="small"),
    ])


def score_select(field_id: dict, value: int) -> dbc.Select:
    return dbc.Select(id=field_id, value=str(value), options=[{"label": f"{n}", "value": str(n)} for n in range(1, 6)])


def rerate_form(reg: RiskRegister, chosen: RiskRow | None) -> list:
    """The re-rating form: pick a risk, give the four ratings, the reason and the next review date."""
    if not reg.rows:
        return []
    chosen = chosen or reg.rows[0]
    fid = lambda name: {"form": "risk-rerate", "field": name}  # noqa: E731
    def labelled(label, name, control, hint=None):
        return html.Div([dbc.Label(label, html_for=_dom(fid(name)), className="fw-semibold mb-1"),
                         html.Div(hint, className="form-text mt-0 mb-1") if hint else None, control],
                        className="mb-2")
    scores = [
        ("Inherent likelihood", "inherent_likelihood", chosen.inherent_likelihood),
        ("Inherent impact", "inherent_impact", chosen.inherent_impact),
        ("Residual likelihood", "residual_likelihood", chosen.residual_likelihood),
        ("Residual impact", "residual_impact", chosen.residual_impact),
    ]
    return [
        labelled("Risk", "risk", dbc.Select(id=fid("risk"), value=str(chosen.id),
                                            options=[{"label": f"{r.ref}: {r.title}", "value": str(r.id)}
                                                     for r in reg.rows])),
        dcc.Store(id="risk-rerate-version", data=chosen.version),
        dbc.Row([dbc.Col(labelled(label, name, score_select(fid(name), value),
                                  "1 lowest, 5 highest"), xs=6, md=3) for label, name, value in scores]),
        labelled("Next review", "review_date", dbc.Input(id=fid("review_date"), type="date",
                                                         value=chosen.review_date.isoformat() if chosen.review_date else None)),
        labelled("Reason for the change", "reason", dbc.Textarea(id=fid("reason"), value="", rows=2),
                 "Required: what changed, e.g. a mitigation now in place."),
        dbc.Button("Save the rating", id="risk-rerate-save", color="primary"),
    ]


def _dom(component_id: dict) -> str:
    from tracker.web.components.forms import dom_id

    return dom_id(component_id)
