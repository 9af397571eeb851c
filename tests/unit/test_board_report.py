"""The board report: its figures are the overview's, its lists follow the rules, and the Word and PDF
files carry its sections and figures."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document
from pypdf import PdfReader
from sqlmodel import select

from tracker.models import Action, BoardMeeting, BoardPack
from tracker.services import actions, plan
from tracker.services.board import calendar
from tracker.services.board.docx_export import report_docx
from tracker.services.board.pdf_export import latin1, report_pdf
from tracker.services.board.report import SECTIONS, build_report, to_json
from tracker.services.errors import NotFound


@pytest.fixture
def meeting(session, partnership, today) -> BoardMeeting:
    return calendar.next_meeting(session, partnership.id, today).meeting


@pytest.fixture
def report(session, partnership, meeting, today) -> dict:
    return build_report(session, partnership.id, meeting.id, today)


def test_report_counts_agree_with_the_overview(session, partnership, report, today):
    ov = plan.overview(session, partnership.id, today)
    assert report["totals"]["actions"] == ov.total == 45  # the cancelled SUP-04 is not counted
    assert report["totals"]["cancelled"] == 1
    assert {k: v for k, v in report["totals"]["by_rag"].items() if v} == dict(ov.by_rag)
    assert (report["totals"]["red"], report["totals"]["overdue"], report["totals"]["deteriorated"]) == (
        ov.red, ov.overdue, ov.deteriorated)
    assert {g["name"]: g["total"] for g in report["by_theme"]} == {k: sum(c.values()) for k, c in ov.by_theme.items()}
    assert {g["name"]: g["total"] for g in report["by_subgroup"]} == {k: sum(c.values()) for k, c in ov.by_subgroup.items()}
    for g in report["by_subgroup"]:
        assert {k: v for k, v in g["by_rag"].items() if v} == dict(ov.by_subgroup[g["name"]])
    assert [(o["objective"], o["actions"], o["mean_progress"]) for o in report["by_objective"]] == [
        (p.objective, p.actions, p.mean_progress) for p in ov.progress_by_objective]
    # Every exception of the overview is an exception of the report.
    assert {r.ref for r in ov.exceptions} <= {e["ref"] for e in report["exceptions"]}


def test_summary_says_the_rag_in_words(report):
    assert report["totals"]["words"] == "20 Green, 10 Amber, 4 Red, 8 Blue, 3 Grey"
    assert all(g["words"] and "Red" in g["words"] or not g["by_rag"]["red"] for g in report["by_theme"])


def test_exceptions_carry_their_reasons_and_words(session, partnership, report, today):
    due = calendar.due_action_ids(session, partnership.id, today)
    by_ref = {e["ref"]: e for e in report["exceptions"]}
    for row in plan.plan_rows(session, partnership.id, today):
        if row.status == "cancelled":
            continue
        listed = bool(row.exceptions) or row.id in due
        assert (row.ref in by_ref) == listed, row.ref
        if row.id in due:
            assert "Not updated this period" in by_ref[row.ref]["reasons"]
    reds = [e for e in report["exceptions"] if e["rag"] == "red"]
    assert reds and all(e["narrative"] for e in reds)
    assert report["exceptions"][: len(reds)] == reds  # red first


def test_decisions_list_every_red_actions_ask(report):
    reds = {e["ref"]: e for e in report["exceptions"] if e["rag"] == "red"}
    assert {d["ref"] for d in report["decisions"]} == set(reds) and len(reds) == report["totals"]["red"]
    for d in report["decisions"]:
        assert d["ask"] == (reds[d["ref"]]["blockers"] or reds[d["ref"]]["narrative"])


def test_maturity_and_indicators_come_from_their_services(session, partnership, report):
    from tracker.services import indicators, maturity

    heat = maturity.heatmap(session, partnership.id)
    assert {r["subgroup"] for r in report["maturity"]["rows"]} == {r.subgroup for r in heat.rows if r.latest}
    listed = indicators.list_indicators(session, partnership.id)
    assert [(i["code"], i["status_label"]) for i in report["indicators"]] == [(s.code, s.status_label) for s in listed]


def test_report_serialises_to_json_and_back(report):
    text = to_json(report)
    assert json.loads(text) == json.loads(json.dumps(report, default=str))
    assert to_json(json.loads(text)) == text


def test_a_meeting_of_another_partnership_is_not_found(session, partnership, today):
    with pytest.raises(NotFound):
        build_report(session, partnership.id, 99999, today)


def test_changes_come_from_the_previous_pack_not_from_todays_history(session, partnership, admin, today):
    """Publish October's board with a doctored snapshot: the November report compares with it."""
    october = session.exec(select(BoardMeeting).where(BoardMeeting.meeting_date == calendar.previous_meeting(
        session, partnership.id, today).meeting_date)).one()
    seen = build_report(session, partnership.id, october.id, today)
    green = next(r for r in plan.plan_rows(session, partnership.id, today)
                 if r.rag == "green" and r.status == "in_progress" and r.ref != "TR-02")
    tr01 = session.get(Action, green.id)
    snap = next(a for a in seen["actions"] if a["id"] == green.id)
    snap.update(rag="green", due_date="2020-01-01", overdue=False, status="in_progress")
    seen["actions"] = [a for a in seen["actions"] if a["ref"] != "TR-02"]  # "new" since October
    session.add(BoardPack(partnership_id=partnership.id, meeting_id=october.id, meeting_date=october.meeting_date,
                          report_json=to_json(seen), docx=b"", pdf=b""))
    session.flush()
    actions.record_status_update(session, admin, tr01.id, {"update_date": today, "rag": "red", "progress": 10,
                                                          "narrative": "Stalled: funding withdrawn."}, today)
    nxt = build_report(session, partnership.id, calendar.next_meeting(session, partnership.id, today).meeting.id, today)
    items = nxt["changes"]["items"]
    assert nxt["changes"]["compared_with"] == october.meeting_date.isoformat()
    ref = tr01.ref
    assert ref in {i["ref"] for i in items["new_red"]} and ref in {i["ref"] for i in items["rag_down"]}
    assert next(i for i in items["due_moved"] if i["ref"] == ref)["from"] == "2020-01-01"
    assert [i["ref"] for i in items["new"]] == ["TR-02"]
    reasons = next(e for e in nxt["exceptions"] if e["ref"] == ref)["reasons"]
    assert "Red" in reasons and ("Deteriorating" in reasons or "Deteriorating since the last board" in reasons)
    assert nxt["previous_board"]["date_text"] == "15 October 2026"


def test_no_previous_pack_means_no_changes_listed(report):
    assert report["previous_board"] is None and report["changes"]["compared_with"] is None
    assert all(not v for v in report["changes"]["items"].values())


# --- The files ---------------------------------------------------------------------------------


def docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]], str]:
    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    return headings, tables, footer


def test_word_file_has_every_section_and_the_figures(report):
    headings, tables, footer = docx_text(report_docx(report))
    assert [h for h in headings if h in SECTIONS.values()] == list(SECTIONS.values())
    themes = next(t for t in tables if t[0][0] == "Theme")
    assert {r[0]: int(r[1]) for r in themes[1:]} == {g["name"]: g["total"] for g in report["by_theme"]}
    assert [r[2] for r in themes[1:]] == [g["words"] for g in report["by_theme"]]
    decisions = next(t for t in tables if t[0][-1] == "What the board is asked for")
    assert [r[3] for r in decisions[1:]] == [d["ask"] for d in report["decisions"]]
    for e in report["exceptions"]:
        assert any(h.startswith(f"{e['ref']} ") for h in headings)
    assert "10 December 2026" in footer and "PAGE" in footer
    doc = Document(io.BytesIO(report_docx(report)))
    assert round(doc.sections[0].page_width.cm, 1) == 21.0 and round(doc.sections[0].page_height.cm, 1) == 29.7


def test_pdf_has_every_section_the_figures_and_page_numbers(report):
    reader = PdfReader(io.BytesIO(report_pdf(report)))
    pages = [p.extract_text() for p in reader.pages]
    text = " ".join(" ".join(pages).split())
    for heading in SECTIONS.values():
        assert heading in text
    assert report["totals"]["words"] in text
    for d in report["decisions"]:
        assert " ".join(latin1(d["ask"]).split())[:40] in text
    for i, page in enumerate(pages, start=1):
        assert f"page {i} of {len(pages)}" in page and "10 December 2026" in page
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_the_report_lists_the_open_risks_highest_first_in_every_output(session, partnership, today):
    from tracker.services.board import layout
    from tracker.services.board.report import SECTIONS

    meeting = session.exec(select(BoardMeeting).where(BoardMeeting.partnership_id == partnership.id)
                           .order_by(BoardMeeting.meeting_date.desc())).first()
    report = build_report(session, partnership.id, meeting.id, today)
    assert [r["ref"] for r in report["risks"]][:2] == ["R-01", "R-04"]
    assert report["risks"][0]["residual"].startswith("12 High")
    texts = [b.text for b in layout.blocks(report) if getattr(b, "text", None)]
    assert SECTIONS["risks"] in texts


def test_text_pasted_from_word_with_breaks_and_control_characters_still_downloads(report):
    """A vertical tab is Word's line break when its text is pasted; XML cannot hold it, and the Word
    download failed on it. It becomes a line break; other control characters are left out."""
    ask = "Name a lead.\x0bBy January\x01\tplease & <thanks>"
    report = report | {"decisions": [report["decisions"][0] | {"ask": ask}]}
    _headings, tables, _footer = docx_text(report_docx(report))
    decisions = next(t for t in tables if t[0][-1] == "What the board is asked for")
    assert decisions[1][3] == "Name a lead.\nBy January\tplease & <thanks>"
    doc = Document(io.BytesIO(report_docx(report)))
    header = doc.tables[0].rows[0]
    assert "tblHeader" in header._tr.xml and all(r.bold for c in header.cells for p in c.paragraphs for r in p.runs)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(report))).pages).split())
    assert "Name a lead." in text and "please & <thanks>" in text
