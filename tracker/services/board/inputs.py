"""Input models of the board cycle's writes (each shares its fields with the table it fills)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, field_validator
from sqlmodel import Field

from tracker.models import BoardMeetingBase
from tracker.schemas import nul_free

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class BoardMeetingIn(BoardMeetingBase):
    """A board meeting as a form or the seed gives it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: str = Field(default="Partnership board", min_length=1, max_length=200)
    _nul_free = nul_free()  # no NUL character in any text (PostgreSQL cannot store one)

    @field_validator("meeting_date")
    @classmethod
    def _plausible(cls, value: date) -> date:
        if not EARLIEST <= value <= LATEST:
            raise ValueError("Enter a meeting date between 2000 and 2100, for example 10/12/2026")
        return value


class DeadlineSettingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    update_deadline_working_days: int = Field(ge=0, le=60)


class MeetingChoiceIn(BaseModel):
    """A meeting picked by id (publish, lock): the id comes from the browser."""

    model_config = ConfigDict(extra="forbid")
    meeting_id: int = Field(ge=1)


class LateChangeIn(BaseModel):
    """An administrator's reason for changing something in a locked period."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str = Field(min_length=5, max_length=500)
    _nul_free = nul_free()  # no NUL character in any text (PostgreSQL cannot store one)
