"""The database tables (SQLModel), one module per feature. Table models do not validate: input goes
through tracker.schemas.

Each partnership is fully separate: every top-level record carries its partnership_id.
"""

from tracker.models.base import ACTION_STATUSES, RAG_CODES, ROLES, in_values, utcnow
from tracker.models.board import BoardMeeting, BoardMeetingBase, BoardPack, PeriodLock
from tracker.models.comparators import ComparatorValue, IndicatorCatalogue
from tracker.models.funding import ActionFunding, Funding, FundingBase, FundingShare, RiskFunding
from tracker.models.imports import ImportMapping
from tracker.models.indicators import Indicator, IndicatorValue
from tracker.models.maturity import (
    MaturityAssessment,
    MaturityDescriptor,
    MaturityDimension,
    MaturityFramework,
    MaturityLevel,
    MaturityRater,
    MaturityRating,
    MaturityScore,
)
from tracker.models.partnership import AuditEvent, EmbedToken, Partnership, Person, RagLevel
from tracker.models.plan import Action, ActionIndicator, ActionOutcome, DueDateChange, StatusUpdate
from tracker.models.reminders import ReminderSent
from tracker.models.risks import Risk, RiskAction, RiskBase, RiskRating
from tracker.models.saved_views import SavedView
from tracker.models.security import Account, AccountLockout
from tracker.models.strategy import Objective, ObjectiveOutcome, Outcome, Theme
from tracker.models.subgroups import (
    Subgroup,
    SubgroupMember,
    SubgroupTheme,
    TermsOfReference,
    TorInterdependency,
)

__all__ = [
    "SavedView",
    "ImportMapping",
    "ACTION_STATUSES",
    "RAG_CODES",
    "ROLES",
    "in_values",
    "utcnow",
    "Partnership",
    "RagLevel",
    "Person",
    "AuditEvent",
    "EmbedToken",
    "Account",
    "AccountLockout",
    "Theme",
    "Outcome",
    "Objective",
    "ObjectiveOutcome",
    "Subgroup",
    "SubgroupTheme",
    "SubgroupMember",
    "TermsOfReference",
    "TorInterdependency",
    "Action",
    "DueDateChange",
    "ActionOutcome",
    "ActionIndicator",
    "StatusUpdate",
    "Indicator",
    "IndicatorValue",
    "MaturityFramework",
    "MaturityLevel",
    "MaturityDimension",
    "MaturityDescriptor",
    "MaturityAssessment",
    "MaturityRater",
    "MaturityRating",
    "MaturityScore",
    "ActionFunding",
    "ComparatorValue",
    "IndicatorCatalogue",
    "Funding",
    "FundingBase",
    "FundingShare",
    "RiskFunding",
    "Risk",
    "RiskAction",
    "RiskBase",
    "RiskRating",
    "ReminderSent",
    "BoardMeetingBase",
    "BoardMeeting",
    "BoardPack",
    "PeriodLock",
]
