"""The column choices remembered from a partnership's last import of a spreadsheet layout."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import utcnow


class ImportMapping(SQLModel, table=True):
    """How a council's own sheet was read the last time it was imported (tracker.services.excel.remembered):
    one row per partnership and layout, the layout known by a fingerprint of the sheet's headings."""

    __table_args__ = (UniqueConstraint("partnership_id", "fingerprint", name="import_mapping_once_per_layout"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    fingerprint: str = Field(max_length=64)  # SHA-256 of the headings, as normalised text
    headings: str = Field(sa_column=Column(Text, nullable=False))  # JSON list, for reading the record
    layout: str = Field(sa_column=Column(Text, nullable=False))  # JSON: excel.Layout.to_data()
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
