"""A person's saved views: a filtered page kept under a name ("Red actions in Treatment")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import utcnow


class SavedView(SQLModel, table=True):
    """One person's named address in the tracker: a page's path and its filters' query string."""

    __table_args__ = (UniqueConstraint("person_id", "name", name="saved_view_name_once_per_person"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    path: str = Field(max_length=1000)  # in-app path and query string: "/subgroup/3?rag=Red"
    created: datetime = Field(default_factory=utcnow)
