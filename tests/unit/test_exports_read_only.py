"""The downloads only read: while the Excel export or a board report file is being made (seconds on a
large plan), someone else's save is not kept waiting. Before, each download ran in a writing unit of
work, which on SQLite takes the write lock at its start (BEGIN IMMEDIATE) and held it to the end: a
save waited up to the busy timeout (10 s) and then failed "database is locked"."""

from __future__ import annotations

import base64
import time

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, SEED_DIR, TODAY
from tests.crafted import call_callback, signed_in_client
from tests.web_client import make_app
from tracker import migrate
from tracker.db import make_engine, session_scope
from tracker.models import BoardMeeting
from tracker.seed import seed_database
from tracker.services import excel
from tracker.services.board import calendar, packs


@pytest.fixture
def file_engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'downloads.db'}")
    migrate.upgrade(engine)
    seed_database(engine, SEED_DIR)
    yield engine
    engine.dispose()


def _save_meanwhile(engine) -> float:
    """Someone else's save (a writing unit of work on its own connection): how long it took."""
    began = time.monotonic()
    with session_scope(engine) as writer:
        writer.exec(text("UPDATE person SET job_title = job_title || '' WHERE id = 1"))
    return time.monotonic() - began


def _file_of(reply) -> bytes:
    data = next(v["data"] for v in reply.json["response"].values() if isinstance(v.get("data"), dict))
    return base64.b64decode(data["content"])


def test_a_save_is_not_kept_waiting_by_an_excel_export(file_engine, monkeypatch):
    waited = []
    real = excel.export_plan

    def export_and_save_meanwhile(*args, **kwargs):
        file = real(*args, **kwargs)  # the export has read the plan; its unit of work is still open
        waited.append(_save_meanwhile(file_engine))
        return file

    monkeypatch.setattr(excel, "export_plan", export_and_save_meanwhile)
    client = signed_in_client(make_app(file_engine), DEMO_EMAILS["viewer"])
    for address in ("/plan/export.xlsx", "/plan/overview.xlsx"):
        reply = client.get(address)
        assert reply.status_code == 200 and reply.data[:2] == b"PK"
    assert len(waited) == 2 and max(waited) < 3, f"the save waited {max(waited):.1f} s for the export"


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_a_save_is_not_kept_waiting_by_a_board_report_download(file_engine, monkeypatch, kind):
    waited = []
    real = packs.meeting_file

    def render_and_save_meanwhile(*args, **kwargs):
        file = real(*args, **kwargs)
        waited.append(_save_meanwhile(file_engine))
        return file

    monkeypatch.setattr(packs, "meeting_file", render_and_save_meanwhile)
    with Session(file_engine) as s:
        pid = s.exec(select(BoardMeeting.partnership_id)).first()
        meeting = calendar.next_meeting(s, pid, TODAY).meeting.id
    client = signed_in_client(make_app(file_engine), DEMO_EMAILS["viewer"])
    reply = call_callback(client, (f"board-download-{kind}", "n_clicks", 1), {("board-report-meeting", "data"): meeting})
    assert reply.status == 200 and _file_of(reply)[:4] in (b"%PDF", b"PK\x03\x04")
    assert waited and waited[0] < 3, f"the save waited {waited[0]:.1f} s for the {kind} download"
