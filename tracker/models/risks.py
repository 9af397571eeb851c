"""The risk register: risks beside the plan, each rating change kept as history (never overwritten)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.base import in_values, utcnow

RISK_STATUSES = ("open", "closed")


SCORES = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")


def _score_ranges() -> tuple[CheckConstraint, ...]:
    """Each score of a rating is 1 to 5 (new constraints for each table that holds the scores)."""
    return tuple(CheckConstraint(f"{column} BETWEEN 1 AND 5", name=f"risk_{column}_range") for column in SCORES)


class RiskBase(SQLModel):
    """The fields a person enters for a risk: shared by the table, the input model and the seed."""

    title: str = Field(max_length=300)
    cause: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    effect: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    mitigation: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int
    residual_impact: int
    review_date: date | None = None
    status: str = Field(default="open", max_length=20)
    source: str = Field(default="", max_length=300)
    illustrative: bool = False


class Risk(RiskBase, table=True):
    __table_args__ = (
        UniqueConstraint("partnership_id", "ref"),
        CheckConstraint(in_values("status", RISK_STATUSES), name="risk_status"),
        *_score_ranges(),
    )
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True, ondelete="CASCADE")
    ref: str = Field(max_length=20)  # "R-01"
    owner_id: int | None = Field(default=None, foreign_key="person.id")
    theme_id: int | None = Field(default=None, foreign_key="theme.id", index=True)
    # Optimistic lock, as for actions: a re-rating is UPDATE ... WHERE version = <the version seen>.
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))
    created_at: datetime = Field(default_factory=utcnow)


class RiskAction(SQLModel, table=True):
    """An action of the plan that mitigates the risk."""

    risk_id: int = Field(foreign_key="risk.id", primary_key=True, ondelete="CASCADE")
    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")


class RiskRating(SQLModel, table=True):
    """One rating of a risk, with the reason it changed: a new row every time."""

    __table_args__ = _score_ranges()
    id: int | None = Field(default=None, primary_key=True)
    risk_id: int = Field(foreign_key="risk.id", index=True, ondelete="CASCADE")
    rated_on: date
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int
    residual_impact: int
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    author_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
