"""Published board packs: the chair (or an administrator) publishes the report for a meeting; the
pack keeps its figures (JSON) and its Word and PDF files exactly as published, for ever."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from tracker.models import BoardPack, Person
from tracker.services import audit
from tracker.services.board.calendar import get_meeting
from tracker.services.board.changes import compare_figures
from tracker.services.board.docx_export import report_docx
from tracker.services.board.inputs import MeetingChoiceIn
from tracker.services.board.pdf_export import report_pdf
from tracker.services.board.report import build_report, to_json
from tracker.services.errors import Conflict, NotFound, PermissionDenied, validated
from tracker.services.permissions import require_chair_or_admin
from tracker.services.reference import as_id, owned


@dataclass
class PackSummary:
    id: int
    meeting_id: int
    meeting_date: date
    published_by: str
    published_at: datetime
    docx_bytes: int
    pdf_bytes: int


def _summary(pack: BoardPack) -> PackSummary:
    return PackSummary(pack.id, pack.meeting_id, pack.meeting_date, pack.published_by_name, pack.published_at,
                       len(pack.docx), len(pack.pdf))


def publish(session: Session, actor: Person, data: dict, today: date) -> BoardPack:
    """Freeze the board report for a meeting. A meeting is published once; nothing changes it after."""
    require_chair_or_admin(actor)
    choice = validated(MeetingChoiceIn, dict(data))
    meeting = get_meeting(session, actor.partnership_id, choice.meeting_id)
    if session.exec(select(BoardPack.id).where(BoardPack.meeting_id == meeting.id)).first() is not None:
        raise Conflict(f"The report for the board of {meeting.meeting_date:%d/%m/%Y} is already published; "
                       "a published pack cannot be replaced.")
    later = session.exec(select(BoardPack.meeting_date).where(
        BoardPack.partnership_id == meeting.partnership_id, BoardPack.meeting_date > meeting.meeting_date)).first()
    if later is not None:
        raise Conflict(f"The report for the later board of {later:%d/%m/%Y} is already published: "
                       "an earlier board cannot be published after it.")
    report = build_report(session, meeting.partnership_id, meeting.id, today)
    pack = BoardPack(partnership_id=meeting.partnership_id, meeting_id=meeting.id, meeting_date=meeting.meeting_date,
                     report_json=to_json(report), docx=report_docx(report), pdf=report_pdf(report),
                     published_by_id=actor.id, published_by_name=actor.name)
    session.add(pack)
    session.flush()
    audit.record(session, actor, "publish", pack,
                 after={"meeting_date": meeting.meeting_date.isoformat(), "actions": report["totals"]["actions"],
                        "docx_bytes": len(pack.docx), "pdf_bytes": len(pack.pdf)},
                 summary=f"Published the board report for {meeting.meeting_date:%d/%m/%Y}")
    return pack


def list_packs(session: Session, partnership_id: int) -> list[PackSummary]:
    packs = session.exec(select(BoardPack).where(BoardPack.partnership_id == partnership_id)
                         .order_by(BoardPack.meeting_date.desc())).all()
    return [_summary(p) for p in packs]


def get_pack(session: Session, partnership_id: int, pack_id) -> BoardPack:
    pack = owned(session, BoardPack, partnership_id, as_id(pack_id))
    if pack is None:
        raise NotFound(f"There is no published board pack {pack_id}.")
    return pack


def pack_for_meeting(session: Session, partnership_id: int, meeting_id: int) -> BoardPack | None:
    return session.exec(select(BoardPack).where(BoardPack.partnership_id == partnership_id,
                                                BoardPack.meeting_id == meeting_id)).first()


def pack_report(pack: BoardPack) -> dict:
    """The report exactly as the board saw it."""
    return json.loads(pack.report_json)


def compare_packs(session: Session, partnership_id: int, first_id, second_id) -> list[dict]:
    """The figures of two published packs side by side, with the change from the first to the second."""
    first, second = get_pack(session, partnership_id, first_id), get_pack(session, partnership_id, second_id)
    return compare_figures(pack_report(first), pack_report(second))


# --- Reading a meeting's report: the published pack if there is one, else today's figures --------

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass
class MeetingReport:
    report: dict
    pack: PackSummary | None  # set when this is the published pack, exactly as the board saw it


def meeting_report(session: Session, actor: Person | None, meeting_id, today: date) -> MeetingReport:
    """What anyone signed in to the partnership sees for a meeting."""
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to see the board report.")
    meeting = get_meeting(session, actor.partnership_id, meeting_id)
    pack = pack_for_meeting(session, actor.partnership_id, meeting.id)
    if pack is not None:
        return MeetingReport(pack_report(pack), _summary(pack))
    return MeetingReport(build_report(session, actor.partnership_id, meeting.id, today), None)


@dataclass
class ReportFile:
    content: bytes
    filename: str
    media_type: str


def meeting_file(session: Session, actor: Person | None, meeting_id, kind: str, today: date) -> ReportFile:
    """The Word or PDF file of a meeting's report: the published file itself, or one made now."""
    if kind not in MEDIA_TYPES:
        raise NotFound(f"There is no {kind!r} file of a board report: choose Word (docx) or PDF (pdf).")
    if actor is None or not actor.is_active:
        raise PermissionDenied("Sign in to download the board report.")
    meeting = get_meeting(session, actor.partnership_id, meeting_id)
    pack = pack_for_meeting(session, actor.partnership_id, meeting.id)
    if pack is not None:
        content = pack.docx if kind == "docx" else pack.pdf
        suffix = "published"
    else:
        report = build_report(session, actor.partnership_id, meeting.id, today)
        content = report_docx(report) if kind == "docx" else report_pdf(report)
        suffix = f"draft-{today.isoformat()}"
    return ReportFile(content, f"board-report-{meeting.meeting_date.isoformat()}-{suffix}.{kind}", MEDIA_TYPES[kind])
