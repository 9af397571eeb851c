"""Loading a partnership's board calendar from its seed directory (board_meetings.yaml, optional)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlmodel import Session, select

from tracker.models import BoardMeeting, Partnership
from tracker.services.board.inputs import BoardMeetingIn

FILE = "board_meetings.yaml"


class BoardSeedError(ValueError):
    """board_meetings.yaml is wrong: the message names the record and the field."""


def read_board_meetings(path: Path) -> list[BoardMeetingIn]:
    if not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(raw, list):
        raise BoardSeedError(f"{FILE}: expected a list of meetings")
    meetings, seen = [], set()
    for i, item in enumerate(raw):
        try:
            meeting = BoardMeetingIn.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "(record)"
            raise BoardSeedError(f"{FILE}, record {i + 1}, field '{field}': {err['msg']}") from None
        if meeting.meeting_date in seen:
            raise BoardSeedError(f"{FILE}, record {i + 1}, field 'meeting_date': {meeting.meeting_date} is listed twice")
        seen.add(meeting.meeting_date)
        meetings.append(meeting)
    return meetings


def load_board_meetings(session: Session, partnership: Partnership, path: Path) -> int:
    """Add the meetings in `path` (a board_meetings.yaml, or a seed directory holding one) that the
    partnership does not have yet. Returns how many were added; a missing file adds none."""
    path = path / FILE if path.is_dir() else path
    meetings = read_board_meetings(path)
    have = set(session.exec(select(BoardMeeting.meeting_date).where(
        BoardMeeting.partnership_id == partnership.id)).all())
    added = [BoardMeeting(partnership_id=partnership.id, **m.model_dump()) for m in meetings if m.meeting_date not in have]
    session.add_all(added)
    session.flush()
    return len(added)
