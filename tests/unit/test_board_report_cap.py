"""A large plan's board report summarises: it lists the worst LISTED_AT_MOST exceptions (and red
actions' asks), then one line saying how many more there are, of which kinds, and where the tracker
lists them all; the print page, the Word file and the PDF say the same. At seed size nothing is cut."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tests.crafted import post_callback, signed_in_client
from tracker.models import Objective, Subgroup
from tracker.rules.indicator_status import STATUS_ORDER
from tracker.services import actions
from tracker.services.board import calendar, layout
from tracker.services.board import report as report_service
from tracker.services.board import report_parts as parts
from tracker.services.board.docx_export import report_docx
from tracker.services.board.pdf_export import latin1, report_pdf
from tracker.services.board.report import LISTED_AT_MOST, build_report

N_RED, N_AMBER = 40, 20  # added to the seed's 45 actions, every one overdue


def add_overdue_actions(session: Session) -> None:
    """N_RED red and N_AMBER amber actions, all overdue, each updated today with its words."""
    admin = person_by_email(session, DEMO_EMAILS["admin"])
    subgroup = session.exec(select(Subgroup).where(Subgroup.partnership_id == admin.partnership_id)
                            .order_by(Subgroup.id)).first()
    objective = session.exec(select(Objective).where(Objective.partnership_id == admin.partnership_id)
                             .order_by(Objective.id)).first()
    for n in range(N_RED + N_AMBER):
        action = actions.create_action(session, admin, {
            "subgroup_id": subgroup.id, "objective_id": objective.id, "title": f"Bulk action {n:02d}",
            "description": "", "owner_id": admin.id, "lead_organisation": "", "start_date": date(2026, 1, 1),
            "due_date": date(2026, 6, 1) + timedelta(days=n), "status": "in_progress"})
        actions.record_status_update(session, admin, action.id, {
            "update_date": TODAY, "rag": "red" if n < N_RED else "amber", "progress": 20,
            "narrative": f"Stalled, bulk {n:02d}.", "next_steps": "", "blockers": f"Needs a board decision {n:02d}."},
            TODAY)
    session.commit()


def next_board(session: Session) -> int:
    pid = person_by_email(session, DEMO_EMAILS["admin"]).partnership_id
    return calendar.next_meeting(session, pid, TODAY).meeting.id


def report_of(session: Session) -> dict:
    pid = person_by_email(session, DEMO_EMAILS["admin"]).partnership_id
    return build_report(session, pid, next_board(session), TODAY)


def more_lines(report: dict) -> list[str]:
    return [b.text for b in layout.blocks(report) if b.text.startswith("…and ")]


def flat(text: str) -> str:
    return " ".join(text.split())


def docx_paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def pdf_text(content: bytes) -> str:
    return flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))


@pytest.fixture
def seed_report(session) -> dict:
    return report_of(session)


@pytest.fixture
def big(session, seed_report, monkeypatch) -> tuple[dict, dict, dict]:
    """(the seed's report, the large plan's report, the same with nothing cut)."""
    add_overdue_actions(session)
    capped = report_of(session)
    monkeypatch.setattr(report_service, "LISTED_AT_MOST", 10_000)
    return seed_report, capped, report_of(session)


def test_the_cap_is_above_the_seed_so_nothing_is_cut_at_seed_size(seed_report):
    assert 0 < seed_report["totals"]["exceptions"] == len(seed_report["exceptions"]) < LISTED_AT_MOST
    assert seed_report["exceptions_unlisted"]["count"] == seed_report["decisions_unlisted"]["count"] == 0
    assert len(seed_report["decisions"]) == seed_report["totals"]["red"]
    assert more_lines(seed_report) == []
    assert not any("actions are exceptions" in b.text for b in layout.blocks(seed_report))


def test_a_large_plan_lists_the_worst_exceptions_and_counts_the_rest(big):
    seed, capped, whole = big
    total = seed["totals"]["exceptions"] + N_RED + N_AMBER  # every added action is overdue
    assert capped["totals"]["exceptions"] == len(whole["exceptions"]) == total
    assert len(capped["exceptions"]) == LISTED_AT_MOST
    # The worst, in the report's own order (red first): exactly the first of the uncut list.
    assert [e["ref"] for e in capped["exceptions"]] == [e["ref"] for e in whole["exceptions"][:LISTED_AT_MOST]]
    assert all(e["rag"] == "red" for e in capped["exceptions"])
    left, rest = capped["exceptions_unlisted"], whole["exceptions"][LISTED_AT_MOST:]
    reds = seed["totals"]["red"] + N_RED
    assert left["count"] == total - LISTED_AT_MOST == len(rest)
    assert left["red"] == reds - LISTED_AT_MOST == sum(e["rag"] == "red" for e in rest)
    assert left["overdue"] == sum("Overdue" in e["reasons"] for e in rest)
    assert left["not_updated"] == sum(any(r.startswith("Not updated") for r in e["reasons"]) for e in rest)
    line = more_lines(capped)[0]
    assert line.startswith(f"…and {total - LISTED_AT_MOST} more exception actions ({reds - LISTED_AT_MOST} red, "
                           f"{left['overdue']} overdue")
    assert "Exceptions list on the tracker's Overview page" in line


def test_a_large_plan_lists_the_worst_red_asks_and_counts_the_rest(big):
    seed, capped, whole = big
    reds = seed["totals"]["red"] + N_RED
    assert len(whole["decisions"]) == reds and capped["totals"]["red"] == reds
    assert [d["ref"] for d in capped["decisions"]] == [d["ref"] for d in whole["decisions"][:LISTED_AT_MOST]]
    assert capped["decisions_unlisted"]["count"] == reds - LISTED_AT_MOST
    assert more_lines(capped)[1].startswith(f"…and {reds - LISTED_AT_MOST} more red actions asking the board")


def test_word_and_pdf_list_the_cap_and_carry_the_same_lines(big):
    _, capped, _ = big
    lines = more_lines(capped)
    assert len(lines) == 2
    paragraphs = docx_paragraphs(report_docx(capped))
    assert all(line in paragraphs for line in lines)
    assert sum(p.startswith("Why it is listed:") for p in paragraphs) == LISTED_AT_MOST
    text = pdf_text(report_pdf(capped))
    assert all(flat(latin1(line)) in text for line in lines)  # "…" is "..." in the PDF's Latin-1 font
    assert text.count("Why it is listed:") == LISTED_AT_MOST
    assert "Bulk action" in text


# --- The print page, as the chair's browser receives it -------------------------------------------


def _walk(node, found: list) -> list:
    if isinstance(node, list):
        for item in node:
            _walk(item, found)
    elif isinstance(node, dict):
        found.append(node)
        for value in (node.get("props") or {}).values():
            _walk(value, found)
    return found


def _text(node) -> str:
    if isinstance(node, (str, int)):
        return str(node)
    if isinstance(node, list):
        return "".join(_text(n) for n in node)
    if isinstance(node, dict):
        return _text((node.get("props") or {}).get("children"))
    return ""


def test_the_print_page_shows_the_same_lines_with_a_link_to_the_overview(app, db: Engine):
    with Session(db) as session:
        add_overdue_actions(session)
        meeting = next_board(session)
        lines = more_lines(report_of(session))
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    reply = post_callback(client, ".._pages_content.children..._pages_store.data..",
                          [{"id": "_pages_location", "property": "pathname", "value": f"/board/{meeting}/report"},
                           {"id": "_pages_location", "property": "search", "value": ""}],
                          changed_prop_ids=["_pages_location.pathname"])
    assert reply.status == 200
    nodes = _walk(reply.json["response"]["_pages_content"]["children"], [])
    more = [n for n in nodes if n.get("type") == "P" and _text(n).startswith("…and ")]
    assert [_text(n) for n in more] == lines
    for n in more:
        links = [c for c in _walk(n["props"]["children"], []) if c.get("type") == "A"]
        assert [(link["props"]["href"], _text(link)) for link in links] == [("/", layout.OVERVIEW_WORDS)]
    headings = [_text(n) for n in nodes if n.get("type") == "H3" and "board-subheading" in n["props"].get("className", "")]
    assert len(headings) == LISTED_AT_MOST


# --- Indicators: the national measures and the local ones most in need of attention ----------------


def test_at_seed_size_every_indicator_is_listed(seed_report):
    assert len(seed_report["indicators"]) == 27 < parts.INDICATORS_LISTED_AT_MOST
    assert seed_report["indicators_unlisted"] == {"count": 0, "by_status": []}


def test_a_long_indicator_list_keeps_the_national_and_the_worst_local_and_counts_the_rest(session, seed_report,
                                                                                        monkeypatch):
    every = seed_report["indicators"]
    national = [i for i in every if i["is_national"]]
    cap = len(national) + 3
    monkeypatch.setattr(parts, "INDICATORS_LISTED_AT_MOST", cap)
    capped = report_of(session)
    listed = capped["indicators"]
    assert len(listed) == cap and [i for i in listed if i["is_national"]] == national
    rank = {c: n for n, c in enumerate(STATUS_ORDER)}
    local_ranks = sorted(rank[i["status"]] for i in every if not i["is_national"])
    assert sorted(rank[i["status"]] for i in listed if not i["is_national"]) == local_ranks[:3]  # the worst three
    assert [i["code"] for i in listed] == [i["code"] for i in every if i in listed]  # the Indicators page's order
    left = capped["indicators_unlisted"]
    rest = [i for i in every if i not in listed]
    assert left["count"] == len(every) - cap == len(rest)
    assert {x["status"]: x["count"] for x in left["by_status"]} == dict(Counter(i["status"] for i in rest))
    line = more_lines(capped)[-1]
    assert line.startswith(f"…and {len(rest)} more indicators (") and "the tracker's Indicators page" in line
    assert line in docx_paragraphs(report_docx(capped))
    assert flat(latin1(line)) in pdf_text(report_pdf(capped))
    table = Document(io.BytesIO(report_docx(capped))).tables[-1]
    assert len(table.rows) == cap + 1  # the heading row and one a listed indicator
