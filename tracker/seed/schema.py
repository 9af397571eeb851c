"""The records of the seed files (seeds/<partnership>/*.yaml), validated before anything is written.

Each record inherits the fields of its table's Base (tracker.models), so a seed file obeys the
same rules as a form: the fields are written once. A record adds only what a file says instead of
an id: a code, a number or an email that names another record (the loader turns them into ids).
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator, model_validator

from tracker.models.base import FieldError
from tracker.models.indicators import IndicatorBase, IndicatorValueBase
from tracker.models.maturity import MaturityDimensionBase, MaturityFrameworkBase, MaturityLevelBase
from tracker.models.partnership import PartnershipBase, PersonBase, RagLevelBase
from tracker.models.plan import ActionBase, StatusUpdateBase
from tracker.models.strategy import ObjectiveBase, OutcomeBase, ThemeBase
from tracker.models.subgroups import SubgroupBase, TermsOfReferenceBase
from tracker.rules.enums import MemberRole, RagCode, check_choice
from tracker.schemas import Input
from tracker.services.funding.inputs import FundingCreate


class SeedError(Exception):
    """A seed file is wrong; the message says which file, record and field."""


class SeedRecord(Input):
    """A record of a seed file: unknown fields refused, text trimmed, and other records named by
    their code or email, never by a database id (which a file cannot know)."""

    @model_validator(mode="before")
    @classmethod
    def _no_ids(cls, data):
        if isinstance(data, dict):
            for key in data:
                if key == "id" or str(key).endswith("_id"):
                    raise FieldError(str(key), "name the other record by its code or email, not by an id")
        return data


class RagLevelSeed(SeedRecord, RagLevelBase):
    code: str

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value):
        return check_choice(RagCode, value, "a RAG code")


class PartnershipSeed(SeedRecord, PartnershipBase):
    rag_levels: list[RagLevelSeed]


class PersonSeed(SeedRecord, PersonBase):
    password: str | None = None


class ThemeSeed(SeedRecord, ThemeBase):
    pass


class OutcomeSeed(SeedRecord, OutcomeBase):
    pass


class ObjectiveSeed(SeedRecord, ObjectiveBase):
    theme: int  # the theme's number
    outcomes: list[str] = Field(default_factory=list)  # outcome codes


class InterdependencySeed(SeedRecord):
    subgroup: str  # the other subgroup's code
    description: str = Field(default="", max_length=500)


class TorSeed(SeedRecord, TermsOfReferenceBase):
    version: int = Field(ge=1)
    interdependencies: list[InterdependencySeed] = Field(default_factory=list)


class MemberSeed(SeedRecord):
    person: str  # email
    role: str = MemberRole.MEMBER

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value):
        return check_choice(MemberRole, value, "a member role")


class SubgroupSeed(SeedRecord, SubgroupBase):
    code: str = Field(pattern=r"^[A-Z]{2,6}$")
    lead: str | None = None  # email
    themes: list[int] = Field(default_factory=list)  # theme numbers
    members: list[MemberSeed] = Field(default_factory=list)
    terms_of_reference: list[TorSeed] = Field(default_factory=list)


class UpdateSeed(SeedRecord, StatusUpdateBase):
    author: str | None = None  # email; the action's owner if not given

    @model_validator(mode="before")
    @classmethod
    def _date(cls, data):
        # The files call the update's date "date".
        if isinstance(data, dict) and "date" in data:
            data = {("update_date" if k == "date" else k): v for k, v in data.items()}
        return data

    @field_validator("rag", mode="before")
    @classmethod
    def _rag(cls, value):
        return check_choice(RagCode, value, "a RAG code")


class ActionSeed(SeedRecord, ActionBase):
    ref: str
    subgroup: str  # code
    objective: str | None = None  # code
    owner: str | None = None  # email
    outcomes: list[str] = Field(default_factory=list)
    indicators: list[str] = Field(default_factory=list)
    updates: list[UpdateSeed] = Field(default_factory=list)


class ValueSeed(SeedRecord, IndicatorValueBase):
    pass


class IndicatorSeed(SeedRecord, IndicatorBase):
    outcome: str | None = None  # code
    objective: str | None = None  # code
    values: list[ValueSeed] = Field(default_factory=list)


class LevelSeed(SeedRecord, MaturityLevelBase):
    pass


class DimensionSeed(SeedRecord, MaturityDimensionBase):
    descriptors: dict[int, str]


class FrameworkSeed(SeedRecord, MaturityFrameworkBase):
    levels: list[LevelSeed]
    dimensions: list[DimensionSeed]


class MaturityScoreSeed(SeedRecord):
    agreed: int = Field(ge=1, le=5)
    evidence: str = Field(min_length=1)
    improvement: str = ""
    moderated: int | None = Field(default=None, ge=1, le=5)
    moderation_comment: str = ""


class MaturityAssessmentSeed(SeedRecord):
    """A past, signed-off assessment (see maturity_assessments.yaml)."""

    subgroup: str
    title: str
    framework_version: int = 1
    illustrative: bool = True
    opened_on: date
    opened_by: str
    agreed_on: date
    agreed_by: str
    signed_off_on: date
    signed_off_by: str
    chair_comment: str = ""
    ratings: dict[str, dict[str, int]] = Field(default_factory=dict)  # rater email -> key -> score
    scores: dict[str, MaturityScoreSeed]


# file name -> (record model, whether the file holds a list of records, whether it may be absent)
FILES: dict[str, tuple[type[SeedRecord], bool, bool]] = {
    "partnership.yaml": (PartnershipSeed, False, False),
    "people.yaml": (PersonSeed, True, False),
    "themes.yaml": (ThemeSeed, True, False),
    "outcomes.yaml": (OutcomeSeed, True, False),
    "objectives.yaml": (ObjectiveSeed, True, False),
    "subgroups.yaml": (SubgroupSeed, True, False),
    "indicators.yaml": (IndicatorSeed, True, True),
    "actions.yaml": (ActionSeed, True, False),
    "funding.yaml": (FundingCreate, True, True),  # the same input model as any other way of adding funding
    "maturity_framework.yaml": (FrameworkSeed, False, True),
    "maturity_assessments.yaml": (MaturityAssessmentSeed, True, True),
}
