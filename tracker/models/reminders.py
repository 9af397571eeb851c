"""Reminder e-mails: one row for each digest sent, so the same reminder is never sent twice for the
same deadline (one person, one board meeting, one update deadline)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import utcnow


class ReminderSent(SQLModel, table=True):
    """A digest of outstanding updates sent to one person before one deadline."""

    __table_args__ = (UniqueConstraint("person_id", "meeting_id", "deadline", name="reminder_once_per_deadline"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    meeting_id: int = Field(foreign_key="boardmeeting.id", index=True, ondelete="CASCADE")
    deadline: date
    email: str = Field(max_length=254)  # the address it went to, as it was then
    action_refs: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # "TR-03, TR-04"
    sent_by_id: int | None = Field(default=None, foreign_key="person.id")  # None: the scheduled command
    sent_at: datetime = Field(default_factory=utcnow)
