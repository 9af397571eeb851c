"""The fixed code lists of the tracker: statuses, roles and scales, each written once.

Each is a StrEnum, so a member is the very string stored in the database and the seed files
(`ActionStatus.CANCELLED == "cancelled"`), and carries the words the UI shows (`.label`). The CHECK
constraints of tracker.models, the input models of tracker.schemas and the seed files all take
their values from here.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry the words the UI shows: `NAME = "code", "Label"`."""

    label: str

    def __new__(cls, value: str, label: str | None = None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value.replace("_", " ").capitalize()
        return member

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The codes, in the order they are declared (the order the UI lists them)."""
        return tuple(member.value for member in cls)

    @classmethod
    def options(cls) -> list[tuple[str, str]]:
        """(code, label) pairs for a select box."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def label_of(cls, code: str | None) -> str:
        """The words for a code; an unknown code as it is ("" for none)."""
        if not code:
            return ""
        try:
            return cls(code).label
        except ValueError:
            return str(code)

    @classmethod
    def choose_message(cls, what: str = "a value") -> str:
        """The message for a code outside the list, naming the choices."""
        return f"Choose {what}: " + ", ".join(member.label for member in cls)


def check_choice(enum: type[LabelledEnum], value, what: str) -> str:
    """The code if it is one of the enum's; otherwise ValueError naming the choices (for a validator)."""
    if isinstance(value, str):
        value = value.strip()
    if value not in enum.values():
        raise ValueError(enum.choose_message(what))
    return str(value)


class RagCode(LabelledEnum):
    """The codes a RAG may take across both supported scales; the partnership's scale narrows it
    and gives each its own words (tracker.services.reference)."""

    GREEN = "green", "Green"
    AMBER_GREEN = "amber_green", "Amber/Green"
    AMBER = "amber", "Amber"
    AMBER_RED = "amber_red", "Amber/Red"
    RED = "red", "Red"
    BLUE = "blue", "Blue"
    GREY = "grey", "Grey"


# A Blue update marks the action complete, so its progress must be 100%.
COMPLETE_RAG = RagCode.BLUE
# The RAGs that need no narrative: on track, complete, not yet started.
RAGS_WITHOUT_NARRATIVE = frozenset({RagCode.GREEN, RagCode.BLUE, RagCode.GREY})


class ActionStatus(LabelledEnum):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


# An action in one of these states is finished: its RAG can only be Blue.
CLOSED_ACTION_STATUSES = frozenset({ActionStatus.COMPLETE, ActionStatus.CANCELLED})


def status_goes_back(current: str, wanted: str) -> bool:
    """Whether moving an action from `current` to `wanted` undoes work: started to not started, or
    finished (complete, cancelled) to open. A spreadsheet older than the tracker asks for exactly that."""
    stage = {ActionStatus.NOT_STARTED: 0, ActionStatus.IN_PROGRESS: 1}
    return stage.get(wanted, 2) < stage.get(current, 2)


class Role(LabelledEnum):
    """What a person may do in the partnership (Person.role)."""

    ADMIN = "admin", "Administrator"
    CHAIR = "chair", "Chair"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Viewer (read only)"


class SubgroupStatus(LabelledEnum):
    FORMING = "forming", "Forming"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


class MemberRole(LabelledEnum):
    """A person's part in one subgroup (SubgroupMember.role), most senior first."""

    LEAD = "lead", "Lead"
    DEPUTY = "deputy", "Deputy lead"
    MEMBER = "member", "Member"

    @property
    def rank(self) -> int:
        """0 for the lead, 1 for a deputy, 2 for a member: the order members are listed in."""
        return list(MemberRole).index(self)


# The members who lead a subgroup (and so may edit it and update its actions).
LEAD_ROLES = (MemberRole.LEAD, MemberRole.DEPUTY)


class OutcomeKind(LabelledEnum):
    """The two tiers of the National Combating Drugs Outcomes Framework."""

    STRATEGIC = "strategic", "Strategic"
    INTERMEDIATE = "intermediate", "Intermediate"


class IndicatorDirection(LabelledEnum):
    """Which way an indicator is better."""

    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class FundingKind(LabelledEnum):
    GRANT = "grant", "Grant"
    CONTRACT = "contract", "Contract"


class AssessmentStatus(LabelledEnum):
    """Where a maturity self-assessment is in its round."""

    OPEN = "open", "Open"
    AGREED = "agreed", "Agreed"
    SIGNED_OFF = "signed_off", "Signed off"


class RagScaleName(LabelledEnum):
    """The RAG scales a partnership may choose (Partnership.rag_scale), with the words for each."""

    STANDARD = "standard", "standard (RAG with blue and grey)"
    DELIVERY_CONFIDENCE = "delivery_confidence", "five-point delivery confidence"
