"""Everyone's outstanding updates (the chair and administrators): who owes which updates before the
next deadline, counts per person and per subgroup, a preview of each e-mail digest, and a button
that sends them (once per person for each deadline) through the configured SMTP server."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, html

from tracker.formatting import long_date
from tracker.services import permissions
from tracker.services import reminders as service
from tracker.services.errors import ServiceError
from tracker.services.reminders.send import preview
from tracker.web.callbacks import callback
from tracker.web.components.my_actions import deadline_notice
from tracker.web.context import signed_in, signed_in_page, today

dash.register_page(__name__, path="/reminders", title="Outstanding updates – CDP Delivery Tracker",
                   name="Outstanding updates")


def _settings():
    return flask.current_app.config["TRACKER_SETTINGS"]


def _mailer() -> service.SmtpMailer:
    return service.SmtpMailer(service.SmtpSettings.from_settings(_settings()))


def _base_url() -> str:
    configured = getattr(_settings(), "public_url", "")
    return configured or flask.request.host_url.rstrip("/") + dash.get_relative_path("/")


def _count_table(caption: str, heading: str, counts: dict[str, int], table_id: str) -> html.Table:
    return html.Table([
        html.Caption(caption, className="caption-top"),
        html.Thead(html.Tr([html.Th(heading, scope="col"), html.Th("Updates owed", scope="col")])),
        html.Tbody([html.Tr([html.Th(name, scope="row", className="fw-normal"), html.Td(str(n))])
                    for name, n in counts.items()]),
    ], className="table table-sm", id=table_id)


def _who_owes(owed: service.Outstanding) -> list:
    if not owed.total:
        return [html.P("Nobody owes an update: every open action has been updated for this board.",
                       id="reminders-none")]
    rows = []
    for p in owed.people:
        for a in p.actions:
            rows.append(html.Tr([html.Td(p.person.name), html.Td(html.A(a.ref, href=dash.get_relative_path(
                f"/action/{a.id}"))), html.Td(a.title), html.Td(a.subgroup),
                html.Td(long_date(a.last_update) if a.last_update else "never")]))
    for a in owed.unassigned:
        rows.append(html.Tr([html.Td("No one (no owner or lead)"), html.Td(a.ref), html.Td(a.title),
                             html.Td(a.subgroup), html.Td(long_date(a.last_update) if a.last_update else "never")]))
    return [
        dbc.Row([
            dbc.Col(_count_table("Updates owed by each person", "Person", owed.by_person(), "reminders-by-person"),
                    md=6),
            dbc.Col(_count_table("Updates owed in each subgroup", "Subgroup", dict(sorted(owed.by_subgroup.items())),
                                 "reminders-by-subgroup"), md=6),
        ]),
        html.Table([
            html.Caption(f"Actions due an update ({owed.total})", className="caption-top"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in
                                ("Who owes it", "Ref", "Action", "Subgroup", "Last update")])),
            html.Tbody(rows),
        ], className="table table-sm", id="reminders-actions"),
    ]


def _previews(run: service.SendResult) -> html.Section:
    items = [html.Details([
        html.Summary(f"{d.name} <{d.email}>: {len(d.action_refs)} update(s)"
                     + (" — already sent for this deadline" if sent else "")),
        html.P([html.Strong("Subject: "), d.subject], className="mb-1 mt-2"),
        html.Pre(d.body, className="reminder-preview border p-2 bg-light", style={"whiteSpace": "pre-wrap"}),
    ], className="mb-2 reminder-digest", id=f"reminder-digest-{d.person_id}")
        for sent, group in ((False, run.to_send), (True, run.already)) for d in group]
    return html.Section([
        html.H2("The e-mails", className="h5", id="reminders-previews-heading"),
        html.P(f"{len(run.to_send)} to send; {len(run.already)} already sent for this deadline (never sent twice).",
               id="reminders-preview-count"),
        *items,
    ], className="card-section", **{"aria-labelledby": "reminders-previews-heading"})


def render(session, person) -> list:
    owed = service.outstanding(session, person.partnership_id, today())
    run = preview(session, person, today(), _base_url())
    problem = _mailer().settings.problem()
    smtp = (dbc.Alert(["E-mail is not set up, so no reminder can be sent: ", problem,
                       " The e-mails can still be previewed below."], color="info", id="reminders-no-smtp")
            if problem else None)
    return [
        deadline_notice(owed.meeting, today()),
        html.Section([html.H2("Who owes which updates", className="h5"), *_who_owes(owed)],
                     className="card-section"),
        smtp,
        html.Div([
            dbc.Button("Send reminders", id="reminders-send", color="primary", n_clicks=0,
                       disabled=bool(problem) or not run.to_send),
            html.Span(" Each person gets one e-mail for this deadline, listing their actions.",
                      className="small text-muted ms-2"),
        ], className="mb-3"),
        _previews(run),
    ]


@signed_in_page("Sign in to see the outstanding updates.", allow=permissions.require_chair_or_admin,
                refused="Only the chair or an administrator can see everyone's outstanding updates.")
def layout(session, person, **_):
    return html.Div([
        html.H1("Everyone's outstanding updates", className="h3"),
        html.Div(id="reminders-message", **{"aria-live": "polite"}),
        html.Div(render(session, person), id="reminders-content"),
    ])


@callback(
    Output("reminders-message", "children"),
    Output("reminders-content", "children"),
    Input("reminders-send", "n_clicks"),
)
def send(_clicks):
    try:
        with signed_in() as (session, person):
            result = service.send_reminders(session, person, today(), {"base_url": _base_url()}, _mailer())
            colour = "warning" if result.failed else "success"
            return (dbc.Alert(result.summary(), color=colour, id="reminders-result"), render(session, person))
    except ServiceError as exc:
        return dbc.Alert(str(exc), color="danger", id="reminders-refused"), dash.no_update
