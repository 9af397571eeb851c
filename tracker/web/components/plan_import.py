"""What the import of the plan shows: the column-choosing step for a council's own sheet, the preview
(with its warnings and how each value was read), the problems of a refused file, and the result."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html
from openpyxl.utils import get_column_letter

from tracker.services import excel
from tracker.web.components.forms import dom_id, select, select_options
from tracker.web.components.plan import action_href

MAP_FIELD = "map-field"  # {"type": MAP_FIELD, "index": <column position>}: the field a column is read as
NOT_IMPORTED = "Not imported"


# --- The column-choosing step ------------------------------------------------------------------


def mapping_panel(view: excel.SheetView, filename: str) -> html.Section:
    """Which sheet, which row holds the headings, and what each column is, with the first rows to see."""
    sheet_options = [{"label": s, "value": s} for s in view.sheets]
    field_options = select_options(excel.FIELDS.items(), blank=NOT_IMPORTED)
    examples = {i: next((row[i] for row in view.sample if i < len(row) and row[i]), "") for i in
                range(len(view.headings))}
    required = ", ".join(excel.FIELDS[k].lower() for k in excel.REQUIRED)
    source = ("The choices below are the ones you made last time; change any of them." if view.remembered else
              "The choices below are guessed from the headings.")
    return html.Section([
        html.H3(f"Choose how to read {filename or 'the file'}", className="h6", id="map-heading"),
        dbc.Alert(f"{excel.REMEMBERED_NOTE}.", color="info", className="small py-2",
                  id="map-remembered") if view.remembered else None,
        html.P(["This workbook is not laid out as the tracker's template, so check where the actions are "
                f"and what each column holds. {source} Every action needs a {required}. A column read as "
                "your own reference is kept on each action, so importing the sheet again updates those "
                "actions. Nothing is saved until you have seen the result and chosen Import."],
               className="small"),
        dbc.Row([
            dbc.Col([dbc.Label("Sheet", html_for="map-sheet"),
                     dbc.Select(id="map-sheet", options=sheet_options, value=view.sheet)], md=5),
            dbc.Col([dbc.Label("Row of the headings", html_for="map-header-row"),
                     dbc.Input(id="map-header-row", type="number", min=1, max=30, step=1, value=view.header_row,
                               inputmode="numeric")], md=3),
            dbc.Col(dbc.Button("Read this sheet and row", id="map-reread", color="secondary", outline=True,
                               className="mt-md-4"), md=4),
        ], className="g-2 mb-3"),
        html.P(f"Headings found in row {view.header_row} of {view.sheet}; {view.row_count} "
               f"row{'s' if view.row_count != 1 else ''} under them.", className="small", id="map-found"),
        dbc.Table([
            html.Caption("What each column holds", className="caption-top"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Column", "Heading", "First value",
                                                                  "Read as")])),
            html.Tbody([
                html.Tr([
                    html.Td(get_column_letter(i + 1)),
                    html.Th(heading or "(no heading)", scope="row"),
                    html.Td(examples.get(i, "")[:60], className="small"),
                    html.Td([
                        dbc.Label(f"Column {get_column_letter(i + 1)}, {heading or 'no heading'}, read as",
                                  html_for=dom_id({"type": MAP_FIELD, "index": i}),
                                  className="visually-hidden"),
                        select({"type": MAP_FIELD, "index": i}, field_options, view.suggested.get(i),
                               disabled=not heading),
                    ]),
                ], id=f"map-row-{i}")
                for i, heading in enumerate(view.headings)
            ]),
        ], bordered=True, size="sm", responsive=True, className="bg-white", id="map-columns"),
        dbc.Checkbox(id="map-words-blank", value=view.words_as_blank,
                     label="Leave a date written in words (such as Ongoing or TBC) empty, and list those rows in "
                           "the check. Otherwise such a row is refused."),
        _sample_table(view),
        dbc.Button("Check the file with these columns", id="map-check", color="primary", className="mt-2"),
    ], className="mt-3", id="import-mapping-panel", **{"aria-labelledby": "map-heading"})


def _sample_table(view: excel.SheetView) -> html.Div | None:
    if not view.sample:
        return None
    width = len(view.headings)
    return html.Div(dbc.Table([
        html.Caption(f"The first {len(view.sample)} rows under the headings", className="caption-top"),
        html.Thead(html.Tr([html.Th(h or get_column_letter(i + 1), scope="col") for i, h in enumerate(view.headings)])),
        html.Tbody([html.Tr([html.Td((row[i] if i < len(row) else "")[:80]) for i in range(width)])
                    for row in view.sample]),
    ], bordered=True, size="sm", responsive=True, className="bg-white small mt-3", id="map-sample"))


def layout_from(base, ids, values, words_as_blank) -> excel.Layout:
    """The officer's choices as a Layout: the sheet and row the panel was read with (a Store), and the
    field chosen for each column. Checked again by the service."""
    base = base if isinstance(base, dict) else {}
    columns = {str(i["index"]): v for i, v in zip(ids or [], values or [], strict=False)
               if isinstance(i, dict) and v}
    return excel.Layout.from_data({"sheet": base.get("sheet"), "header_row": base.get("header_row"),
                                   "columns": columns, "words_as_blank": bool(words_as_blank)})


# --- The outcome of a check or an import --------------------------------------------------------


def error_report(exc: excel.PlanImportRejected) -> html.Div:
    return html.Div([
        dbc.Alert([
            html.H3(str(exc), className="h6 alert-heading mb-0", id="import-error-heading"),
        ], color="danger", id="import-rejected", className="mb-2"),
        dbc.Table([
            html.Caption("The problems to fix, by row and column", className="caption-top"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Row", "Column", "What to fix")])),
            html.Tbody([
                html.Tr([
                    html.Td(str(e.row) if e.row else "Whole file"),
                    html.Td(e.column or "—"),
                    html.Td(e.message[:1].upper() + e.message[1:]),
                ], id=f"import-error-{i}")
                for i, e in enumerate(exc.errors)
            ]),
        ], bordered=True, size="sm", responsive=True, className="bg-white", id="import-errors"),
    ])


def _counts(summary: excel.ImportSummary, would: bool) -> html.Ul:
    def line(count: int, done: str, pending: str, item_id: str) -> html.Li:
        return html.Li(f"{count} action{'s' if count != 1 else ''} {pending if would else done}", id=item_id)

    return html.Ul([
        line(summary.created, "created", "would be created", "count-created"),
        line(summary.changed, "changed", "would be changed", "count-changed"),
        line(summary.updated, "given a new status update", "would get a new status update", "count-updated"),
        line(summary.unchanged, "unchanged", "unchanged", "count-unchanged"),
        html.Li(f"{summary.matched} row{'s' if summary.matched != 1 else ''} found in the plan by your own "
                "reference", id="count-matched") if summary.matched else None,
    ], className="mb-0")


def _changes_table(summary: excel.ImportSummary, table_id: str, links: bool) -> dbc.Table | None:
    # The preview says what every row does ("No change" too); the result lists what was done.
    rows = [r for r in summary.rows if not (r.unchanged and links)]
    if not rows:
        return None

    def ref(r: excel.RowChange):
        if r.created and not links:
            return f"New ({r.ref})"
        return html.A(r.ref, href=action_href(r.action_id)) if links and r.action_id else r.ref

    def what(r: excel.RowChange) -> list:
        lines = (["New action: " + r.title] if r.created else []) + r.changes + ([r.update] if r.update else [])
        return [html.Div(line) for line in lines] or [html.Div("Matches the plan", className="text-muted")]

    caption = ("What each row does" if not links else
               "What changed, row by row (unchanged rows are not listed)")
    return dbc.Table([
        html.Caption(caption, className="caption-top"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Row", "Your reference", "Action", "Outcome",
                                                              "What changes")])),
        html.Tbody([html.Tr([html.Td(str(r.row)), html.Td(r.their_ref or "—"), html.Td(ref(r)),
                             html.Td(r.label, id=f"{table_id}-{r.row}-outcome"), html.Td(what(r))],
                            id=f"{table_id}-{r.row}")
                    for r in rows]),
    ], bordered=True, size="sm", responsive=True, className="bg-white", id=table_id)


def _warnings(summary: excel.ImportSummary) -> html.Section | None:
    if not summary.warnings:
        return None
    return html.Section([
        html.H4("Worth checking before you import", className="h6", id="import-warnings-heading"),
        html.Ul([html.Li(w) for w in summary.warnings], className="small"),
    ], id="import-warnings", className="mb-2", **{"aria-labelledby": "import-warnings-heading"})


def _readings(summary: excel.ImportSummary) -> html.Div | None:
    pairs = [(column, text, shown) for column, read in summary.readings.items() for text, shown in read.items()]
    if not pairs:
        return None
    return dbc.Table([
        html.Caption("How the values in the file are read", className="caption-top"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Column", "In the file", "Read as")])),
        html.Tbody([html.Tr([html.Td(c), html.Td(t), html.Td(s)]) for c, t, s in pairs]),
    ], bordered=True, size="sm", responsive=True, className="bg-white", id="import-readings")


def preview_report(summary: excel.ImportSummary) -> html.Div:
    name = summary.filename or "the file"
    if not summary.writes:
        return html.Div(dbc.Alert([
            html.H3(f"No changes: every row of {name} matches the plan", className="h6 alert-heading"),
            html.P(f"{len(summary.rows)} row{'s' if len(summary.rows) != 1 else ''} checked. Nothing to import.",
                   className="mb-0"),
        ], color="info", id="import-no-changes"))
    return html.Div([
        dbc.Alert([
            html.H3(f"Check the changes before importing {name}", className="h6 alert-heading",
                    id="import-preview-heading"),
            html.P("Every row passed the checks, and nothing has been saved yet. If you import the file:",
                   className="mb-1"),
            _counts(summary, would=True),
            html.P("Choose Import to save all of it, or Cancel.", className="mt-2 mb-0"),
        ], color="warning", id="import-preview"),
        _warnings(summary),
        _readings(summary),
        _changes_table(summary, "import-preview-rows", links=False),
    ])


def success_report(summary: excel.ImportSummary) -> html.Div:
    return html.Div([
        dbc.Alert([
            html.H3(f"Imported {summary.filename or 'the file'}", className="h6 alert-heading",
                    id="import-success-heading"),
            _counts(summary, would=False),
        ], color="success", id="import-success"),
        _changes_table(summary, "import-done-rows", links=True),
    ])
