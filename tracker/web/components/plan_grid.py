"""The delivery plan of one subgroup as an AG Grid: sortable and filterable, each reference a link to
its action, the RAG in its symbol, word and colour, slippage in words."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import html

from tracker.formatting import status_label
from tracker.services import plan
from tracker.web.components.plan import action_href
from tracker.web.components.rag import rag_for


def _markdown_text(text: str) -> str:
    """Text made inert inside a Markdown link label (the grid renders the Ref column as Markdown)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~&" else ch for ch in text)


SLIPPAGE_WORDS = {"function": (
    "params.value > 0 ? '+' + params.value + (params.value === 1 ? ' day' : ' days') + ' slipped'"
    " : (params.value < 0 ? (-params.value) + (params.value === -1 ? ' day' : ' days') + ' earlier than planned'"
    " : '—')")}
UK_DATE = {"function": "params.value ? d3.timeFormat('%d/%m/%Y')(d3.timeParse('%Y-%m-%d')(params.value)) : '—'"}


GRID_ID = "subgroup-plan-grid"
NUMBER_FIELDS = {"days_slipped", "progress"}  # the columns with a number filter
DATE_FIELDS = {"due", "original_due", "last_update"}  # the columns with a date filter; the rest filter text
# AG Grid's date filter reads the "yyyy-mm-dd" strings the rows carry: before, after, between two dates.
DATE_FILTER = {"filter": "agDateColumnFilter", "filterParams": {"browserDatePicker": True}}


def plan_grid(scale: dict, rows: list[plan.ActionRow], links: bool = True, filter_model: dict | None = None
              ) -> dag.AgGrid:
    """The subgroup's actions, sortable and filterable; each reference a link to its action (or, with
    `links` False, for the embedded view, plain text). `filter_model`: the filters to start with (the
    page's address, url_filters.grid_filters_from_search)."""
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
            "original_due": r.original_due_date.isoformat() if r.original_due_date else None,
            "days_slipped": r.days_slipped if r.original_due_date else 0,
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
    ref_column = {"field": "ref", "headerName": "Ref", "width": 90}
    if links:
        ref_column = {
            "field": "ref_link", "headerName": "Ref", "cellRenderer": "markdown", "width": 90,
            "filter": "agTextColumnFilter", "filterValueGetter": {"function": "params.data.ref"},
            # The link is no Tab stop of its own: Enter on the focused Ref cell follows it (assets/grids.js).
        }
    column_defs = [
        ref_column,
        {"field": "title", "headerName": "Title", "flex": 2, "minWidth": 180, "wrapText": True, "autoHeight": True},
        {"field": "objective", "headerName": "Objective", "flex": 2, "minWidth": 140, "wrapText": True,
         "autoHeight": True},
        {"field": "owner", "headerName": "Owner", "width": 120, "wrapText": True, "autoHeight": True},
        {"field": "due", "headerName": "Due", "valueFormatter": UK_DATE, "width": 110, **DATE_FILTER},
        {"field": "original_due", "headerName": "Original due", "valueFormatter": UK_DATE, "width": 115,
         **DATE_FILTER},
        # Shown in words ("+45 days slipped", as slipped_text says it), sorted by the number of days.
        {"field": "days_slipped", "headerName": "Slippage", "width": 140, "wrapText": True, "autoHeight": True,
         "filter": "agNumberColumnFilter", "valueFormatter": SLIPPAGE_WORDS},
        {"field": "status", "headerName": "Status", "width": 110},
        {"field": "rag", "headerName": "RAG", "width": 110, "cellStyle": {"styleConditions": rag_styles}},
        {"field": "progress", "headerName": "Progress %", "filter": "agNumberColumnFilter", "width": 105,
         "type": "numericColumn"},
        {"field": "last_update", "headerName": "Last update", "valueFormatter": UK_DATE, "width": 115,
         **DATE_FILTER},
    ]
    return dag.AgGrid(
        id=GRID_ID,
        rowData=data,
        filterModel=filter_model or {},
        columnDefs=column_defs,
        # Narrow columns with headings that wrap: every column shows at 1366 px.
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "wrapHeaderText": True,
                       "autoHeaderHeight": True},
        getRowId="params.data.ref",
        dangerously_allow_code=False,
        dashGridOptions={"ensureDomOrder": True, "suppressColumnVirtualisation": True, "domLayout": "autoHeight"},
        style={"height": None},
    )


# The grid's columns as the page names them (its "Column widths" control and the address's filters).
COLUMNS = [("ref", "Ref"), ("title", "Title"), ("objective", "Objective"), ("owner", "Owner"), ("due", "Due"),
           ("original_due", "Original due"), ("days_slipped", "Slippage"), ("status", "Status"), ("rag", "RAG"),
           ("progress", "Progress %"), ("last_update", "Last update")]


def filter_fields(links: bool = True) -> list[str]:
    """The grid's fields, as its filter model names them."""
    return [("ref_link" if links and f == "ref" else f) for f, _ in COLUMNS]


def _button(label: str, button_id: str, action: str) -> html.Button:
    return html.Button(label, id=button_id, type="button", className="btn btn-sm btn-outline-secondary",
                       **{"data-grid-width": action})


def column_width_controls(links: bool = True) -> html.Div:
    """Column widths without dragging a column's edge (WCAG 2.5.7): choose a column, then Narrower or
    Wider; or fit every column to the table's width. assets/grids.js does the work in the browser."""
    fields = filter_fields(links)
    return html.Div([
        html.Div([
            dbc.Label("Column", html_for="plan-width-column", className="small mb-0"),
            dbc.Select(id="plan-width-column", size="sm",
                       options=[{"label": name, "value": f} for f, (_, name) in zip(fields, COLUMNS, strict=True)],
                       value=fields[1]),
        ]),
        _button("Narrower", "plan-width-narrower", "narrower"),
        _button("Wider", "plan-width-wider", "wider"),
        _button("Fit columns to the width", "plan-width-fit", "fit"),
        _button("Reset", "plan-width-reset", "reset"),
        html.Span(id="plan-width-status", className="small text-muted", role="status",
                  **{"data-grid-status": "1"}),
    ], className="grid-widths", role="group", id="plan-width-controls",
        **{"aria-label": "Column widths", "data-grid": GRID_ID})
