"""Maturity self-assessment of subgroups: the framework, the assessment workflow and the views.

An assessment round moves open -> agreed -> signed_off (tracker.rules.maturity.AssessmentStatus):

- a lead of the subgroup (permissions.can_edit_subgroup) opens it and invites members to rate;
- each invited member scores every dimension on their own (score 1-5, evidence, improvement), saving
  drafts until they submit; until then they see only their own ratings, so scores stay independent;
- the tracker shows the spread of the submitted scores per dimension ("split" when the range is 2
  or more), and the lead records the agreed score of each dimension (status agreed);
- the chair (or an admin) moderates: keeps or changes each agreed score, with a comment for a
  change, and signs the assessment off. After that its scores, evidence and comments never change;
  only the link from an improvement to a delivery-plan action may still be set, as follow-up work.

Beside each dimension the tracker offers evidence from its own data (delivery plan, terms of
reference, membership) as a hint for the raters: never a score.

Where each part lives:
  framework.py    the framework's versions (read, and an admin's edit saving version N+1)
  assessments.py  reading rounds: summaries, lists, who may be invited
  workflow.py     open a round, invite, rate, agree (the subgroup's part)
  moderation.py   moderate, sign off, link improvements to actions (the chair's part)
  spread.py       who sees whose ratings, and the spread of the submitted scores
  hints.py        evidence from the tracker's own data
  views.py        scores, each subgroup's latest round, radar, change over time, heatmap, lowest scores
  pages.py        the view model of each maturity page

`from tracker.services import maturity` gives all of it: `maturity.heatmap(...)`.
"""

from tracker.rules.maturity import (
    COMPLETED,
    DEFAULT_LEVEL_NAMES,
    LEVELS,
    MAX_DESCRIPTOR,
    MAX_TEXT,
    SPLIT_RANGE,
    STATUS_LABELS,
    AssessmentStatus,
)
from tracker.services.maturity.assessments import (
    AssessmentSummary,
    assessment_history,
    assessment_summary,
    assessments_in_progress,
    awaiting_my_rating,
    eligible_raters,
    get_assessment,
    rounds_awaiting,
    rounds_in_progress,
)
from tracker.services.maturity.framework import (
    DimensionView,
    FrameworkView,
    current_framework,
    framework_versions,
    framework_view,
    update_framework,
)
from tracker.services.maturity.hints import (
    ON_TRACK_RAGS,
    Hint,
    delivery_hint,
    evidence_hints,
    governance_hint,
    hint_kind,
    membership_hint,
)
from tracker.services.maturity.moderation import link_improvement_action, moderate, sign_off
from tracker.services.maturity.pages import (
    ROUND_LISTS,
    ROUNDS_LISTED,
    ROUNDS_PER_PAGE,
    AssessmentDetail,
    FrameworkPage,
    OverviewPage,
    RaterRow,
    RoundsPage,
    SubgroupPage,
    assessment_detail,
    framework_page,
    overview_page,
    rounds_page,
    subgroup_heading,
    subgroup_page,
)
from tracker.services.maturity.spread import (
    RatingRow,
    Spread,
    compute_spread,
    ratings_visible,
    spreads,
    visible_ratings,
)
from tracker.services.maturity.views import (
    AssessedScores,
    Comparison,
    Heatmap,
    HeatmapRow,
    LatestRound,
    LowScore,
    ScoreRow,
    Trend,
    change_over_time,
    final_score,
    final_scores,
    heatmap,
    improvement_action_choices,
    latest_and_previous,
    latest_rounds,
    lowest_scoring,
    overview_readings,
    score_rows,
)
from tracker.services.maturity.workflow import (
    OpenAssessmentIn,
    invite_raters,
    open_assessment,
    record_agreed_scores,
    save_ratings,
)

__all__ = [
    "COMPLETED", "DEFAULT_LEVEL_NAMES", "LEVELS", "MAX_DESCRIPTOR", "MAX_TEXT", "ON_TRACK_RAGS",
    "ROUNDS_LISTED", "ROUNDS_PER_PAGE", "ROUND_LISTS", "SPLIT_RANGE", "STATUS_LABELS", "AssessedScores",
    "AssessmentDetail", "AssessmentStatus", "AssessmentSummary", "Comparison", "DimensionView",
    "FrameworkPage", "FrameworkView", "Heatmap", "HeatmapRow", "Hint", "LatestRound", "LowScore",
    "OpenAssessmentIn", "OverviewPage", "RaterRow", "RatingRow", "RoundsPage", "ScoreRow", "Spread",
    "SubgroupPage", "Trend", "assessment_detail", "assessment_history", "assessment_summary",
    "assessments_in_progress", "awaiting_my_rating", "change_over_time", "compute_spread",
    "current_framework", "delivery_hint", "eligible_raters", "evidence_hints", "final_score", "final_scores",
    "framework_page", "framework_versions", "framework_view", "get_assessment", "governance_hint", "heatmap",
    "hint_kind", "improvement_action_choices", "invite_raters", "latest_and_previous", "latest_rounds",
    "link_improvement_action", "lowest_scoring", "membership_hint", "moderate", "open_assessment",
    "overview_page", "overview_readings", "ratings_visible", "record_agreed_scores", "rounds_awaiting",
    "rounds_in_progress", "rounds_page", "save_ratings", "score_rows", "sign_off", "spreads",
    "subgroup_heading", "subgroup_page", "update_framework", "visible_ratings",
]
