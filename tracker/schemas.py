"""Input models: what a form, an import or a seed file may submit, validated before any write.

Table models (tracker.models) do not validate, so every write goes through one of these first.
Where a table mirrors the input, the fields are written once in the table's Base (for example
tracker.models.subgroups.TermsOfReferenceBase) and the input model adds only what a form sends
beside them, as fastapi/full-stack-fastapi-template does: Base -> Create/Update -> table.
Rules that need the database (the partnership's RAG scale, "not in the future") live in the services.
"""

from __future__ import annotations

import re

from pydantic import ConfigDict, field_validator
from sqlmodel import Field, SQLModel

from tracker.models.base import FieldError
from tracker.models.partnership import PersonBase, RagLevelText
from tracker.models.plan import ActionBase, StatusUpdateBase
from tracker.models.subgroups import SubgroupBase, TermsOfReferenceBase
from tracker.rules.text import NUL_PROBLEM, holds_nul

__all__ = [
    "FieldError",
    "Input",
    "StatusUpdateIn",
    "ActionIn",
    "TermsOfReferenceIn",
    "PersonIn",
    "PasswordIn",
    "SubgroupIn",
    "NewSubgroupIn",
    "RagLevelIn",
    "MIN_PASSWORD",
]

MIN_PASSWORD = 12
_SUBGROUP_CODE = re.compile(r"^[A-Z]{2,6}$")


def _refuse_nul(cls, value):
    if holds_nul(value):
        raise ValueError(NUL_PROBLEM)
    return value


def nul_free():
    """A validator for every field of a model: text holding a NUL character is refused (PostgreSQL cannot
    store one, so the write would fail as a 500). Every input model has it: `_nul_free = nul_free()`."""
    return field_validator("*", mode="after")(_refuse_nul)


class Input(SQLModel):
    """The base of every input model and seed record: unknown fields are refused, text is trimmed, and
    text holding a NUL character is refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_default=True)

    _nul_free = nul_free()


# --- The delivery plan ------------------------------------------------------------------------


class StatusUpdateIn(Input, StatusUpdateBase):
    illustrative: bool = False


class ActionIn(Input, ActionBase):
    subgroup_id: int
    objective_id: int | None = None
    outcome_ids: list[int] = Field(default_factory=list)
    indicator_ids: list[int] = Field(default_factory=list)


# --- Subgroups --------------------------------------------------------------------------------


class TermsOfReferenceIn(Input, TermsOfReferenceBase):
    # (other subgroup id, what the dependency is)
    interdependencies: list[tuple[int, str]] = Field(default_factory=list)


class SubgroupIn(Input, SubgroupBase):
    theme_ids: list[int] = Field(default_factory=list)


class NewSubgroupIn(SubgroupIn):
    code: str

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value):
        value = str(value or "").strip().upper()
        if not value:
            raise ValueError("Enter a code of 2 to 6 capital letters, for example TR")
        if not _SUBGROUP_CODE.match(value):
            raise ValueError("Use 2 to 6 capital letters only (A–Z), for example TR")
        return value


# --- People and the RAG scale -----------------------------------------------------------------


def check_password(value: str) -> str:
    """At least MIN_PASSWORD characters, and not a common or breached password (the one policy)."""
    from tracker.services.auth import check_password as policy  # the policy lives with sign-in

    return policy(value)


class PersonIn(Input, PersonBase):
    password: str | None = None

    @field_validator("password", mode="before")
    @classmethod
    def _password(cls, value):
        # An empty box means "no password yet"; the person cannot sign in until one is set.
        if value is None or (isinstance(value, str) and value == ""):
            return None
        if not isinstance(value, str):
            raise ValueError("Enter the password as text")
        return check_password(value)


class PasswordIn(Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, validate_default=True)
    password: str

    @field_validator("password", mode="before")
    @classmethod
    def _password(cls, value):
        if not isinstance(value, str) or value == "":
            raise ValueError("Enter a new password")
        return check_password(value)


class RagLevelIn(Input, RagLevelText):
    # An administrator's words for a colour must say something (the seed's may be short: "Complete.").
    definition: str = Field(min_length=10, max_length=400)

