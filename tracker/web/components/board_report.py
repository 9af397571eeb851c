"""The board report as HTML: the same blocks as the Word and PDF files (services/board/layout.py),
so the print page carries the same sections, rows and figures. Styled for print by assets/print.css."""

from __future__ import annotations

import dash
from dash import html

from tracker.services.board.layout import Block, blocks, footer_text


def _table(block: Block, index: int) -> html.Table:
    return html.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in block.headers])),
        html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in block.rows]),
    ], className="table table-sm board-table", id=f"board-table-{index}")


def report_body(report: dict) -> html.Article:
    """The report itself; section headings are h2 (the page's h1 is the report's title)."""
    children: list = []
    section: list | None = None
    for i, block in enumerate(blocks(report)):
        if block.kind == "heading":
            section = [html.H2(block.text, className="h4")]
            children.append(html.Section(section, className="board-section"))
            continue
        if block.kind == "title":
            node = html.H1(block.text, className="h3", id="board-report-title")
        elif block.kind == "subheading":
            node = html.H3(block.text, className="h6 mt-3 board-subheading")
        elif block.kind == "note":
            node = html.P(block.text, className="fst-italic")
        elif block.kind == "table":
            node = _table(block, i)
        elif block.link and block.link_words in block.text:
            before, after = block.text.split(block.link_words, 1)
            node = html.P([before, html.A(block.link_words, href=dash.get_relative_path(block.link)), after],
                          className="board-more")
        else:
            node = html.P(block.text)
        (section if section is not None else children).append(node)
    # Repeated at the foot of every printed page (position: fixed in print), beside the page number.
    children.append(html.Div(footer_text(report), className="print-footer", **{"aria-hidden": "true"}))
    return html.Article(children, className="board-report", id="board-report")
