"""Input models: what a form, an import or a seed file may submit, validated before any write.

Table models (tracker.models) do not validate, so every write goes through one of these first.
Rules that need the database (the partnership's RAG scale, "not in the future") live in the services.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tracker.models import ACTION_STATUSES


class FieldError(ValueError):
    """A rule over several fields, reported against the one the user should fix."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StatusUpdateIn(_Input):
    update_date: date
    rag: str = Field(min_length=1)
    progress: int = Field(ge=0, le=100)
    narrative: str = Field(default="", max_length=5000)
    next_steps: str = Field(default="", max_length=5000)
    blockers: str = Field(default="", max_length=5000)
    illustrative: bool = False

    @field_validator("progress", mode="before")
    @classmethod
    def _whole_number(cls, value):
        if isinstance(value, str):
            value = value.strip().rstrip("%").strip()
            if not value:
                raise ValueError("Enter progress as a whole number from 0 to 100")
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("Enter progress as a whole number from 0 to 100")
        return value

    @model_validator(mode="after")
    def _rules(self):
        if self.rag in ("blue",) and self.progress != 100:
            raise FieldError("progress", "A complete (Blue) update must have progress 100%")
        if self.rag not in ("green", "blue", "grey") and not self.narrative:
            raise FieldError("narrative", "Explain the position in the narrative: it is required for any RAG other than Green")
        return self


class ActionIn(_Input):
    subgroup_id: int
    objective_id: int | None = None
    title: str = Field(min_length=3, max_length=300)
    description: str = Field(default="", max_length=5000)
    owner_id: int | None = None
    lead_organisation: str = Field(default="", max_length=200)
    start_date: date | None = None
    due_date: date | None = None
    status: str = "not_started"
    source: str = Field(default="", max_length=300)
    illustrative: bool = False
    outcome_ids: list[int] = Field(default_factory=list)
    indicator_ids: list[int] = Field(default_factory=list)

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        if value not in ACTION_STATUSES:
            allowed = ", ".join(s.replace("_", " ") for s in ACTION_STATUSES)
            raise ValueError(f"Choose a status: {allowed}")
        return value

    @model_validator(mode="after")
    def _dates(self):
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise FieldError("due_date", "The due date cannot be before the start date")
        return self


class TermsOfReferenceIn(_Input):
    purpose: str = Field(min_length=10, max_length=5000)
    scope: str = Field(default="", max_length=5000)
    responsibilities: str = Field(default="", max_length=10000)
    membership: str = Field(default="", max_length=5000)
    quorum: str = Field(default="", max_length=300)
    meeting_frequency: str = Field(default="", max_length=200)
    reports_to: str = Field(default="", max_length=200)
    approved_on: date | None = None
    review_due: date | None = None
    change_note: str = Field(default="", max_length=500)
    # (other subgroup id, what the dependency is)
    interdependencies: list[tuple[int, str]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self):
        if self.approved_on and self.review_due and self.review_due <= self.approved_on:
            raise FieldError("review_due", "The review date must be after the approval date")
        return self
