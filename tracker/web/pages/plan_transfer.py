"""The delivery plan in Excel: download it (anyone signed in), and, for an administrator or a subgroup
lead, a blank template and the import of a workbook: checked in full, previewed, then saved on "Import".

The overview's "Download this view as Excel" link (overview_export_controls) is built here too, so
the overview page carries only the one control. Both downloads are files tracker.web.downloads serves.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html, no_update

from tracker.services import excel
from tracker.services.errors import PermissionDenied
from tracker.services.permissions import is_admin
from tracker.web import downloads
from tracker.web.callbacks import callback
from tracker.web.components.forms import decode_upload, file_upload, to_int
from tracker.web.components.plan_import import (
    MAP_FIELD,
    error_report,
    layout_from,
    mapping_panel,
    preview_report,
    success_report,
)
from tracker.web.context import current_person, db, signed_in_page, today

dash.register_page(__name__, path="/plan/transfer", title="Export and import the plan – CDP Delivery Tracker",
                   name="Export and import")

SIGNED_OUT = "Your session has ended: sign in again."
NO_FILE = "There is no checked file to import: upload the workbook again."


# --- The overview's link -------------------------------------------------------------------


def _download_link(text: str, path: str, link_id: str, className: str) -> html.A:
    """A link to a workbook tracker.web.downloads serves: the browser saves the file itself."""
    return html.A(text, href=dash.get_relative_path(path), id=link_id, className=className)


def overview_export_controls(theme=None, subgroup=None, owner=None) -> html.Div:
    """For the overview: download the plan as filtered there, and a link to this page."""
    return html.Div([
        _download_link("Download this view as Excel (.xlsx)", _overview_export_path(theme, subgroup, owner),
                       "overview-export-button", "btn btn-outline-secondary btn-sm me-3"),
        html.A("Export or import the whole plan", href=dash.get_relative_path("/plan/transfer"),
               id="overview-transfer-link"),
    ], className="mb-3", id="overview-export")


def _overview_export_path(theme=None, subgroup=None, owner=None) -> str:
    return "/plan/overview.xlsx" + downloads.overview_workbook_search(theme, subgroup, owner)


def overview_export_address(theme=None, subgroup=None, owner=None) -> str:
    """The overview's download, filtered as the overview is (its filter callback keeps it so)."""
    return dash.get_relative_path(_overview_export_path(theme, subgroup, owner))


# --- The page --------------------------------------------------------------------------------


def export_section() -> html.Section:
    return html.Section([
        html.H2("Export the plan to Excel", className="h5", id="export-heading"),
        html.P("A workbook of the whole delivery plan as it stands today, cancelled actions included, with "
               "four sheets: Plan (one row per action, with its current RAG, progress and latest update), "
               "Updates (the status updates of the last 12 months and who made them), Summary (the overview's figures, cancelled actions "
               "left out as there: RAG by theme and by subgroup, and the exceptions) and RAG key (what each colour means). To export only part of the plan, filter "
               "the overview and use its download button.", className="small"),
        _download_link("Download the delivery plan (.xlsx)", "/plan/export.xlsx", "export-button", "btn btn-primary"),
    ], className="card-section", id="export-section", **{"aria-labelledby": "export-heading"})


def import_section(is_admin: bool) -> html.Section:
    who = ("As an administrator you can change any action." if is_admin else
           "As a subgroup lead you can add and change the actions of the subgroups you lead; a row that "
           "would change another subgroup's action is refused.")
    return html.Section([
        html.H2("Import actions and updates from Excel", className="h5", id="import-heading"),
        html.P(["Upload a workbook laid out like the export's Plan sheet, or your own plan's spreadsheet: "
                "you then choose its sheet, the row of its headings and what each column holds. ", who],
               className="small"),
        html.Ul([
            html.Li("A row with the Ref of an action changes that action; when its RAG, Progress %, Latest "
                    "narrative, Next steps or Blockers differ from the action's latest update, a new status "
                    "update is recorded."),
            html.Li("A row with no Ref adds a new action, which gets the next ref of its subgroup."),
            html.Li("On your own spreadsheet, a column read as your own reference (such as No. 1.1) is kept on "
                    "each action: import the sheet again and each row with a known reference updates that "
                    "action instead of adding it twice. Your column choices are remembered for the next "
                    "upload with the same headings."),
            html.Li("Subgroups, objectives and owners are given by name, code or email address. Dates are "
                    "written dd/mm/yyyy, or entered as Excel dates."),
            html.Li("Every row is checked first. You then see what would change, and nothing is saved until "
                    "you choose Import. If any row has a problem, nothing is saved and each problem is listed "
                    "by row and column."),
        ], className="small"),
        html.P("The template has the headings, a row of notes on each column and a Lists sheet of the names, "
               "codes and values allowed.", className="small mb-2"),
        dbc.Button("Download the blank template (.xlsx)", id="template-button", color="secondary",
                   outline=True, className="mb-3"),
        dcc.Download(id="template-download"),
        html.Div(id="template-message", **{"aria-live": "polite"}),
        file_upload("plan-upload", "Choose an Excel workbook (.xlsx) of the plan",
                    "or drag and drop it here (.xlsx, up to 5 MB)",
                    ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        html.Div(id="import-mapping"),
        dcc.Store(id="import-file", storage_type="memory"),
        dcc.Loading(html.Div(id="import-result", **{"aria-live": "polite"}), type="default"),
        html.Div([
            dbc.Button("Import", id="import-confirm", color="primary", className="me-2"),
            dbc.Button("Cancel", id="import-cancel", color="secondary", outline=True),
        ], id="import-buttons", hidden=True, className="mt-2"),
        dcc.Store(id="import-pending", storage_type="memory"),
    ], className="card-section", id="import-section", **{"aria-labelledby": "import-heading"})


@signed_in_page("Sign in to export or import the plan.")
def layout(session, person, **_):
    may_import = excel.may_import(session, person)
    return html.Div([
        html.H1("Export and import the delivery plan", className="h3"),
        html.P("The delivery plan as an Excel workbook, for a board pack or to work on offline; and, for "
               "administrators and subgroup leads, the plan brought back in from Excel.",
               className="text-muted"),
        export_section(),
        import_section(is_admin(person)) if may_import else html.P(
            "Only an administrator or a subgroup lead can import the plan from Excel.",
            className="text-muted", id="import-not-allowed"),
    ])


# --- Callbacks ---------------------------------------------------------------------------------


@callback(
    Output("template-download", "data"),
    Output("template-message", "children"),
    Input("template-button", "n_clicks"),
)
def download_template(_clicks):
    try:
        with db() as session:
            file = excel.template_workbook(session, current_person(session))
    except PermissionDenied as exc:
        return no_update, dbc.Alert(str(exc), color="danger", className="mt-2")
    return dcc.send_bytes(file.content, file.filename, type=file.media_type), None


def _refused(exc: Exception | str):
    if isinstance(exc, excel.PlanImportRejected):
        return error_report(exc)
    return dbc.Alert(str(exc), color="danger", id="import-rejected")


def _filename(kept: dict) -> str:
    """The uploaded file's name as the browser keeps it, cut to a sane length."""
    return str(kept.get("filename") or "")[:200]


def _preview(content: bytes, name: str, contents: str, layout: excel.Layout | None):
    """The check of the whole file (writing nothing), and what to keep for Import: (report, pending)."""
    with db() as session:
        summary = excel.preview_import(session, current_person(session), content, today(), filename=name,
                                       layout=layout)
    pending = None
    if summary.writes:
        pending = {"contents": contents, "filename": name, "expected": summary.expected,
                   "layout": layout.to_data() if layout else None}
    return preview_report(summary), pending


# What each step of an import after the upload answers: the report of the check (or the import), the
# file waiting to be imported once checked, and whether the buttons to import or cancel it are hidden.
IMPORT_STEP = [Output("import-result", "children", allow_duplicate=True),
               Output("import-pending", "data", allow_duplicate=True),
               Output("import-buttons", "hidden", allow_duplicate=True)]


@callback(
    Output("import-result", "children"),
    Output("import-pending", "data"),
    Output("import-buttons", "hidden"),
    Output("plan-upload", "contents"),
    Output("import-mapping", "children"),
    Output("import-file", "data"),
    Input("plan-upload", "contents"),
    State("plan-upload", "filename"),
)
def check_upload(contents, filename):
    """The template's own layout is checked at once; any other sheet first asks how to read it."""
    if not contents:
        return no_update, no_update, no_update, no_update, no_update, no_update
    content = decode_upload(contents)
    if content is None:
        return (dbc.Alert("The file could not be read: choose an Excel workbook (.xlsx) and try again.",
                          color="danger", id="import-rejected"), None, True, None, None, None)
    name = str(filename or "")[:200]
    try:
        with db() as session:
            view = excel.inspect_upload(session, current_person(session), content)
        if not view.template:
            return (None, None, True, None, _mapping(view, name),
                    {"contents": contents, "filename": name})
        report, pending = _preview(content, name, contents, None)
    except (excel.PlanImportRejected, PermissionDenied) as exc:
        return _refused(exc), None, True, None, None, None
    return report, pending, pending is None, None, None, None


def _mapping(view: excel.SheetView, name: str) -> html.Div:
    return html.Div([mapping_panel(view, name),
                     dcc.Store(id="map-base", data={"sheet": view.sheet, "header_row": view.header_row})])


@callback(
    Output("import-mapping", "children", allow_duplicate=True),
    Output("import-result", "children", allow_duplicate=True),
    Input("map-reread", "n_clicks"),
    State("map-sheet", "value"),
    State("map-header-row", "value"),
    State("import-file", "data"),
)
def reread_sheet(_clicks, sheet, header_row, file):
    file = file if isinstance(file, dict) else {}
    content = decode_upload(file.get("contents"))
    if content is None:
        return None, _refused(NO_FILE)
    try:
        with db() as session:
            view = excel.inspect_upload(session, current_person(session), content,
                                        sheet=str(sheet or "")[:200] or None, header_row=to_int(header_row))
    except (excel.PlanImportRejected, PermissionDenied) as exc:
        return no_update, _refused(exc)
    return _mapping(view, _filename(file)), None


@callback(
    *IMPORT_STEP,
    Input("map-check", "n_clicks"),
    State("map-base", "data"),
    State({"type": MAP_FIELD, "index": ALL}, "id"),
    State({"type": MAP_FIELD, "index": ALL}, "value"),
    State("map-words-blank", "value"),
    State("import-file", "data"),
)
def check_mapped(_clicks, base, ids, values, words_blank, file):
    file = file if isinstance(file, dict) else {}
    content = decode_upload(file.get("contents"))
    if content is None:
        return _refused(NO_FILE), None, True
    try:
        report, pending = _preview(content, _filename(file), file["contents"],
                                   layout_from(base, ids, values, words_blank))
    except (excel.PlanImportRejected, PermissionDenied) as exc:
        return _refused(exc), None, True
    return report, pending, pending is None


@callback(
    *IMPORT_STEP,
    Output("import-mapping", "children", allow_duplicate=True),
    Input("import-confirm", "n_clicks"),
    State("import-pending", "data"),
)
def confirm_import(_clicks, pending):
    # The pending file comes back from the browser: it is checked again, in full, as it is imported.
    pending = pending if isinstance(pending, dict) else {}
    content = decode_upload(pending.get("contents"))
    if content is None:
        return _refused(NO_FILE), None, True, no_update
    expected = pending.get("expected") if isinstance(pending.get("expected"), dict) else {}
    try:
        layout = excel.Layout.from_data(pending["layout"]) if pending.get("layout") is not None else None
        with db() as session:  # one transaction: every row is saved, or (on any exception) none
            summary = excel.import_plan(session, current_person(session), content, today(),
                                        filename=_filename(pending), expected=expected,
                                        layout=layout)
    except (excel.PlanImportRejected, PermissionDenied) as exc:
        return _refused(exc), None, True, no_update
    return success_report(summary), None, True, None


@callback(
    *IMPORT_STEP,
    Output("import-mapping", "children", allow_duplicate=True),
    Input("import-cancel", "n_clicks"),
)
def cancel_import(_clicks):
    return (dbc.Alert("Import cancelled: nothing was saved.", color="secondary", id="import-cancelled"), None, True,
            None)
