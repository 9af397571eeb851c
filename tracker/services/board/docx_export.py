"""The board report as a Word document (python-docx), from the report's blocks (layout.py)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from tracker.services.board.layout import blocks, footer_text


def _page_number(paragraph) -> None:
    """A PAGE field: Word fills in the page number."""
    run = paragraph.add_run()
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run._r.append(field)


# Characters XML 1.0 cannot hold (lxml refuses them, and the download failed): a vertical tab or form
# feed, as text pasted from Word carries for a line or page break, becomes a line break; the rest go.
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text.translate(_BREAKS))


def _cell_xml(text: str, twips: int, bold: bool) -> str:
    """One table cell as WordprocessingML: its width, and its text as one run in which a tab is a
    w:tab and a line break a w:br (as python-docx's cell.text writes them)."""
    parts = []
    for piece in re.split(r"(\t|\r\n|\r|\n)", _xml_safe(text)):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r\n", "\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{twips}" w:type="dxa"/></w:tcPr>'
            f"<w:p><w:r>{run_props}{''.join(parts)}</w:r></w:p></w:tc>")


def _table_rows(table, header: list[str], rows: list[list[str]], widths: list) -> None:
    """Append the header row (bold, repeated on every page) and the rows to `table`, written as XML
    in one parse per row: python-docx's cell API walks the table for every cell, and at county x10
    (a thousand cells) that was over half the document's time."""
    twips = [w.twips for w in widths]
    head = "".join(_cell_xml(t, w, True) for t, w in zip(header, twips, strict=True))
    table._tbl.append(parse_xml(f'<w:tr {nsdecls("w")}><w:trPr><w:tblHeader w:val="true"/></w:trPr>{head}</w:tr>'))
    for values in rows:
        cells = "".join(_cell_xml(t, w, False) for t, w in zip(values, twips, strict=True))
        table._tbl.append(parse_xml(f'<w:tr {nsdecls("w")}>{cells}</w:tr>'))


def _styled(doc, text: str, style_id: str):
    """A paragraph in a style given by its id. add_heading looks the style up by name for every
    paragraph, scanning every style each time: at county x10 (1,500 headings) that was 2.6 of 4.6 s."""
    paragraph = doc.add_paragraph(_xml_safe(text))
    paragraph._p.style = style_id
    return paragraph


def report_docx(report: dict) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    props = doc.core_properties
    props.title = f"Board report: {report['partnership']['name']}, {report['meeting']['date_text']}"
    props.author = report["partnership"]["name"]
    props.created = props.modified = datetime.fromisoformat(report["as_at"]).replace(tzinfo=UTC)
    footer = section.footer.paragraphs[0]
    footer.text = f"{footer_text(report)} · page "
    _page_number(footer)

    usable = 17.0  # cm between the margins
    title, heading, subheading = (doc.styles[name].style_id for name in ("Title", "Heading 1", "Heading 2"))
    for block in blocks(report):
        if block.kind == "title":
            _styled(doc, block.text, title)
        elif block.kind == "heading":
            _styled(doc, block.text, heading)
        elif block.kind == "subheading":
            _styled(doc, block.text, subheading)
        elif block.kind == "note":
            doc.add_paragraph().add_run(_xml_safe(block.text)).italic = True
        elif block.kind == "para":
            doc.add_paragraph(_xml_safe(block.text))
        elif block.kind == "table":
            table = doc.add_table(rows=0, cols=len(block.headers))
            table.style = "Table Grid"
            total = sum(block.widths) or len(block.headers)
            widths = [Cm(usable * w / total) for w in (block.widths or [1] * len(block.headers))]
            _table_rows(table, block.headers, block.rows, widths)
            doc.add_paragraph()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
