"""The board cycle: the partnership's board meetings, the published board packs and locked periods.

A BoardMeeting is a date in the partnership's board calendar. A BoardPack is the board report for
one meeting as it was published: its figures as JSON and the Word and PDF files, never changed
afterwards. A PeriodLock closes the reporting period up to a meeting: later changes to it need an
administrator and a reason.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import utcnow


class BoardMeetingBase(SQLModel):
    """The fields of a board meeting that a person edits (shared by the table, the form and the seed)."""

    meeting_date: date = Field(index=True)
    title: str = Field(default="Partnership board", max_length=200)
    location: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=2000)
    illustrative: bool = False


class BoardMeeting(BoardMeetingBase, table=True):
    __table_args__ = (UniqueConstraint("partnership_id", "meeting_date"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class BoardPack(SQLModel, table=True):
    """The board report for one meeting exactly as it was published: data and files, frozen."""

    __table_args__ = (UniqueConstraint("meeting_id"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    meeting_id: int = Field(foreign_key="boardmeeting.id", index=True)
    meeting_date: date  # copied, so the pack says which board it was for even if the calendar changes
    report_json: str = Field(sa_column=Column(Text, nullable=False))
    docx: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    published_by_id: int | None = Field(default=None, foreign_key="person.id")
    published_by_name: str = Field(default="", max_length=200)
    published_at: datetime = Field(default_factory=utcnow)


class PeriodLock(SQLModel, table=True):
    """Everything dated up to `locked_until` (a board's meeting date) is closed to ordinary edits."""

    __table_args__ = (UniqueConstraint("partnership_id", "locked_until"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    meeting_id: int | None = Field(default=None, foreign_key="boardmeeting.id")
    locked_until: date
    locked_by_id: int | None = Field(default=None, foreign_key="person.id")
    locked_at: datetime = Field(default_factory=utcnow)
