"""The risk register's pieces: the heat map, the register table and the forms (add a risk, re-rate one,
link one to contracts and grants), pure functions of the view models."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from tracker.formatting import short_date
from tracker.rules.risk_scoring import IMPACT, LIKELIHOOD
from tracker.services.risks import FormChoices, RiskRegister, RiskRow
from tracker.web.components import forms
from tracker.web.components.forms import field

NEW_FORM = "risk-new"
ERROR_SUFFIX = "error"  # each field's message goes to {"form": "risk-new-error", "field": <name>}
NEW_FUNDING = "risk-new-funding"  # the add form's checkboxes: {"type": NEW_FUNDING, "index": <funding id>}
LINK_FUNDING = "risk-link"  # the same for an existing risk's links
SCORE_NAMES = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")
NEW_NAMES = ("ref", "title", "cause", "effect", "mitigation", "owner_id", "theme_id", *SCORE_NAMES,
             "review_date", "action_refs")
NEW_LABELS = {
    "ref": "Reference", "title": "Risk", "cause": "Cause", "effect": "Effect", "mitigation": "Mitigation",
    "owner_id": "Owner", "theme_id": "Theme", "inherent_likelihood": "Inherent likelihood",
    "inherent_impact": "Inherent impact", "residual_likelihood": "Residual likelihood",
    "residual_impact": "Residual impact", "review_date": "Next review", "action_refs": "Actions of the plan",
    "funding_ids": "Contracts and grants",
}
NEW_FIELDS = forms.form_fields(NEW_FORM, NEW_NAMES) | {"funding_ids": "risk-new-funding-error"}


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
    money = [html.Li(html.A(name, href=href(f"/funding#funding-{fid}"))) for fid, name in r.funding]
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
        html.Td(html.Ul(money, className="list-unstyled small mb-0") if money else "—"),
        html.Td(r.status.capitalize()),
    ], id=f"risk-{r.id}")


def register_table(reg: RiskRegister, href) -> html.Div:
    if not reg.rows:
        return html.P("No risks are recorded yet.", id="risk-register")
    head = html.Tr([html.Th(h, scope="col") for h in
                    ("Ref", "Risk", "Owner", "Theme", "Inherent", "Residual", "Review", "Actions",
                     "Contracts and grants", "Status")])
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
    return forms.dom_id(component_id)


def _score_options(words: dict[int, str]) -> list[dict]:
    return forms.select_options([(n, f"{n} {words[n]}") for n in range(1, 6)], blank="Choose 1 to 5")


def _funding_boxes(form: str, choices: list[tuple[int, str]], linked: set[int], error_id: str) -> html.Fieldset:
    return html.Fieldset([
        html.Legend(NEW_LABELS["funding_ids"], className="fs-6 fw-semibold mb-1"),
        html.P("The contracts and grants this risk concerns: the funding page shows the risk beside them.",
               className="form-text mt-0 mb-1"),
        *[dbc.Checkbox(id={"type": form, "index": fid}, value=fid in linked, label=label, class_name="mb-1")
          for fid, label in choices],
        html.Div(id=error_id, className="invalid-feedback d-block"),
    ], className="mb-3")


def add_risk_form(choices: FormChoices) -> html.Details:
    """The folded add-risk form (admin and chair): every field labelled, each with its own error."""
    fid = lambda name: forms.form_field(NEW_FORM, name)  # noqa: E731
    def f(name, control, hint=None):
        return field(NEW_LABELS[name], control, hint, error_suffix=ERROR_SUFFIX)
    def text(name, rows=2):
        return f(name, dbc.Textarea(id=fid(name), value="", rows=rows, maxLength=5000))
    scores = [(name, LIKELIHOOD if name.endswith("likelihood") else IMPACT) for name in SCORE_NAMES]
    return forms.folded_form("Add a risk", (
        "The partnership officer or the chair adds risks. Likelihood and impact are 1 (lowest) to 5 (highest); "
        "inherent is before the mitigation, residual after it. The first rating is kept in the risk's history."),
        "risk-new-message", [
        dbc.Row([
            dbc.Col(f("ref", dbc.Input(id=fid("ref"), value="", maxLength=20), "Unique, e.g. R-06"), md=3),
            dbc.Col(f("title", dbc.Input(id=fid("title"), value="", maxLength=300)), md=9),
        ], className="g-2"),
        text("cause"), text("effect"), text("mitigation"),
        dbc.Row([
            dbc.Col(f("owner_id", forms.select(fid("owner_id"), forms.select_options(choices.owners, "No owner"))),
                    md=6),
            dbc.Col(f("theme_id", forms.select(fid("theme_id"), forms.select_options(choices.themes, "No theme"))),
                    md=6),
        ], className="g-2"),
        dbc.Row([dbc.Col(f(name, forms.select(fid(name), _score_options(words))), xs=12, sm=6, lg=3)
                 for name, words in scores], className="g-2"),
        dbc.Row([
            dbc.Col(f("review_date", dbc.Input(id=fid("review_date"), type="date", value="")), md=4),
            dbc.Col(f("action_refs", dbc.Input(id=fid("action_refs"), value="", maxLength=500),
                      "The refs of the actions that mitigate it, separated by commas, e.g. TR-01, TR-02"), md=8),
        ], className="g-2"),
        _funding_boxes(NEW_FUNDING, choices.funding, set(), "risk-new-funding-error") if choices.funding else None,
        dbc.Button("Add the risk", id="risk-new-submit", color="primary", n_clicks=0),
    ], summary_id="risk-new-summary", section_id="risk-new-section")


def link_form(choices: FormChoices, chosen: RiskRow) -> html.Div:
    """The contracts and grants of the risk chosen in the re-rating form, to change them."""
    return html.Div([
        html.H3(f"Contracts and grants of {chosen.ref}", className="h6 mt-4"),
        _funding_boxes(LINK_FUNDING, choices.funding, {i for i, _ in chosen.funding}, "risk-link-error"),
        dbc.Button("Save the links", id="risk-link-save", color="secondary", n_clicks=0),
    ], id="risk-link-section")
