"""The view models of the maturity pages: everything each page shows, from one service call, so the
page's components are pure functions of it and query nothing themselves."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, select

from tracker.formatting import financial_year
from tracker.models import MaturityAssessment, MaturityFramework, MaturityRater, Person, Subgroup
from tracker.rules.maturity import COMPLETED, AssessmentStatus
from tracker.rules.paging import Page, page_of, requested_page
from tracker.services.errors import NotFound
from tracker.services.maturity.assessments import (
    AssessmentSummary,
    assessment_history,
    eligible_raters,
    get_assessment,
    rounds_awaiting,
    rounds_in_progress,
    subgroup_of,
    summaries,
)
from tracker.services.maturity.framework import (
    FrameworkView,
    current_framework,
    framework_versions,
    framework_view,
)
from tracker.services.maturity.hints import Hint, evidence_hints
from tracker.services.maturity.spread import (
    RatingRow,
    Spread,
    ratings_visible,
    spread_by_dimension,
    visible_ratings,
)
from tracker.services.maturity.views import (
    Comparison,
    Heatmap,
    LowScore,
    ScoreRow,
    Trend,
    change_over_time,
    improvement_action_choices,
    latest_and_previous,
    lowest_scoring,
    overview_readings,
    score_rows,
)
from tracker.services.permissions import can_edit_subgroup, is_admin, is_chair
from tracker.services.reference import get_subgroup

# --- The partnership's maturity page ----------------------------------------------------------


# The overview lists the first ROUNDS_LISTED of each list of rounds, with "and N more" and a link to the
# rounds page, which lists them all ROUNDS_PER_PAGE at a time: at county x10 forty rounds in progress were a
# tenth of the overview's bytes. A county's own partnership has fewer, so nothing is cut at seed size.
ROUNDS_LISTED = 10
ROUNDS_PER_PAGE = 25


@dataclass
class OverviewPage:
    framework: FrameworkView | None
    missing: str = ""  # why there is no framework, when there is none
    awaiting_me: list[AssessmentSummary] = field(default_factory=list)  # the first ROUNDS_LISTED
    in_progress: list[AssessmentSummary] = field(default_factory=list)  # the first ROUNDS_LISTED
    heatmap: Heatmap | None = None
    lowest: list[LowScore] = field(default_factory=list)
    awaiting_me_total: int = 0
    in_progress_total: int = 0

    @property
    def awaiting_me_more(self) -> int:
        return self.awaiting_me_total - len(self.awaiting_me)

    @property
    def in_progress_more(self) -> int:
        return self.in_progress_total - len(self.in_progress)


def overview_page(session: Session, actor: Person) -> OverviewPage:
    """The heatmap, the lowest-scoring dimensions, the rounds in progress and those awaiting `actor`."""
    pid = actor.partnership_id
    try:
        framework = current_framework(session, pid)
    except NotFound as exc:
        return OverviewPage(None, missing=str(exc))
    # The heatmap and the lowest scores share one reading of each subgroup's latest round.
    heat, lowest = overview_readings(session, pid, framework, limit=10)
    awaiting, awaiting_total = rounds_awaiting(session, actor, limit=ROUNDS_LISTED)
    in_progress, in_progress_total = rounds_in_progress(session, pid, limit=ROUNDS_LISTED)
    return OverviewPage(framework, awaiting_me=awaiting, in_progress=in_progress, heatmap=heat, lowest=lowest,
                        awaiting_me_total=awaiting_total, in_progress_total=in_progress_total)


# --- Every round in progress, a page at a time ---------------------------------------------------

ROUND_LISTS = {"in-progress": "Rounds in progress", "mine": "Your ratings to give"}


@dataclass
class RoundsPage:
    which: str  # a key of ROUND_LISTS
    rounds: list[AssessmentSummary]
    shown: Page  # which page of the list this is

    @property
    def heading(self) -> str:
        return ROUND_LISTS[self.which]

    @property
    def total(self) -> int:
        return self.shown.total

    @property
    def pages(self) -> int:
        return self.shown.pages


def rounds_page(session: Session, actor: Person, which: str = "in-progress", page=1) -> RoundsPage:
    """One page of the partnership's rounds not yet signed off, or (`which` "mine") of those awaiting
    `actor`'s rating. An unknown list is the rounds in progress; `page` is read as the address gives
    it (tracker.rules.paging): a page past the last is the last."""
    which = which if isinstance(which, str) and which in ROUND_LISTS else "in-progress"  # ?list=a&list=b: a list
    read = ((lambda start: rounds_awaiting(session, actor, start, ROUNDS_PER_PAGE)) if which == "mine" else
            (lambda start: rounds_in_progress(session, actor.partnership_id, start, ROUNDS_PER_PAGE)))
    asked = requested_page(page)
    rounds, total = read((asked - 1) * ROUNDS_PER_PAGE)
    shown = page_of(total, ROUNDS_PER_PAGE, asked)
    if shown.number != asked:  # past the last page: read the last
        rounds, total = read(shown.offset)
        shown = page_of(total, ROUNDS_PER_PAGE, shown.number)
    return RoundsPage(which, rounds, shown)


# --- One subgroup's maturity page ---------------------------------------------------------------


@dataclass
class SubgroupPage:
    subgroup: Subgroup
    comparison: Comparison
    trend: Trend
    lowest: list[LowScore]
    history: list[AssessmentSummary]  # newest first
    can_open: bool  # may open a round (a lead of the subgroup)
    in_progress: AssessmentSummary | None  # the round not yet signed off, which blocks a new one
    eligible: list[Person]  # who may be invited to rate a new round
    suggested_title: str

    @property
    def heading(self) -> str:
        return subgroup_heading(self.subgroup)


def subgroup_heading(subgroup: Subgroup) -> str:
    """What a subgroup's maturity page is called, on the page and in the browser's title."""
    return f"Maturity: {subgroup.name}"


def subgroup_page(session: Session, actor: Person, subgroup_id: int, today: date) -> SubgroupPage:
    """Radar, change over time, lowest scores and history of a subgroup; and opening a round for its leads."""
    pid = actor.partnership_id
    subgroup = get_subgroup(session, pid, subgroup_id)
    history = assessment_history(session, pid, subgroup.id)
    in_progress = next((h for h in history if not h.is_signed_off), None)
    can_open = can_edit_subgroup(session, actor, subgroup)
    return SubgroupPage(
        subgroup=subgroup, comparison=latest_and_previous(session, pid, subgroup.id),
        trend=change_over_time(session, pid, subgroup.id), lowest=lowest_scoring(session, pid, subgroup.id, limit=5),
        history=history, can_open=can_open, in_progress=in_progress,
        eligible=eligible_raters(session, pid, subgroup.id) if can_open and in_progress is None else [],
        suggested_title=f"{financial_year(today)} self-assessment",
    )


# --- The framework page -----------------------------------------------------------------------


@dataclass
class FrameworkPage:
    framework: FrameworkView
    versions: list[MaturityFramework]  # newest first
    can_edit: bool


def framework_page(session: Session, actor: Person) -> FrameworkPage:
    """The current framework, every version of it, and whether `actor` may edit it (NotFound: none yet)."""
    return FrameworkPage(current_framework(session, actor.partnership_id),
                         framework_versions(session, actor.partnership_id), is_admin(actor))


# --- One assessment's page ----------------------------------------------------------------------


@dataclass
class RaterRow:
    person_id: int
    name: str
    organisation: str
    submitted_at: datetime | None


@dataclass
class AssessmentDetail:
    assessment: MaturityAssessment
    summary: AssessmentSummary
    subgroup: Subgroup
    framework: FrameworkView
    raters: list[RaterRow]
    is_rater: bool
    my_submitted_at: datetime | None
    my_ratings: dict[int, RatingRow]
    ratings_visible: bool
    ratings: dict[int, list[RatingRow]]  # dimension id -> submitted ratings (when visible)
    spreads: dict[int, Spread] | None
    scores: list[ScoreRow]
    hints: dict[int, Hint]
    can_rate: bool
    can_invite: bool
    can_agree: bool
    can_moderate: bool
    can_sign_off: bool
    can_link: bool
    invitable: list[Person]

    action_choices: list[tuple[int, str]]  # (id, label) of the actions an improvement may be linked to

    @property
    def is_open(self) -> bool:
        return self.summary.is_open


def assessment_detail(session: Session, actor: Person, assessment_id: int, today: date) -> AssessmentDetail:
    """Everything the assessment page shows `actor`, and what they may do there."""
    assessment = get_assessment(session, actor.partnership_id, assessment_id)
    subgroup = subgroup_of(session, assessment)
    framework = framework_view(session, assessment.framework_id)
    summary = summaries(session, [assessment])[0]
    raters = [
        RaterRow(p.id, p.name, p.organisation, r.submitted_at)
        for r, p in session.exec(
            select(MaturityRater, Person).join(Person, Person.id == MaturityRater.person_id)
            .where(MaturityRater.assessment_id == assessment.id).order_by(Person.name))
    ]
    me = next((r for r in raters if r.person_id == actor.id), None)
    visible = visible_ratings(session, actor, assessment.id)
    show_all = ratings_visible(session, actor, assessment)
    by_dim: dict[int, list[RatingRow]] = defaultdict(list)
    for row in visible:
        if row.submitted and show_all:
            by_dim[row.dimension_id].append(row)
    is_open, is_agreed = summary.is_open, assessment.status == AssessmentStatus.AGREED
    lead = can_edit_subgroup(session, actor, subgroup)
    chair_or_admin = is_chair(actor) or is_admin(actor)
    invited = {r.person_id for r in raters}
    can_rate = is_open and me is not None and me.submitted_at is None
    can_agree = is_open and lead and summary.submitted > 0 and (me is None or me.submitted_at is not None)
    can_link = assessment.status in COMPLETED and (lead or chair_or_admin)
    return AssessmentDetail(
        assessment=assessment, summary=summary, subgroup=subgroup, framework=framework, raters=raters,
        is_rater=me is not None, my_submitted_at=me.submitted_at if me else None,
        my_ratings={r.dimension_id: r for r in visible if r.rater_id == actor.id},
        ratings_visible=show_all, ratings=dict(by_dim),
        spreads=spread_by_dimension(framework, visible) if show_all else None,
        scores=score_rows(session, assessment, framework),
        # Hints sit beside the rating and agreeing forms only: no need to compute them otherwise.
        hints=evidence_hints(session, subgroup.partnership_id, subgroup.id, framework, today)
        if can_rate or can_agree else {},
        can_rate=can_rate,
        can_invite=is_open and lead,
        can_agree=can_agree,
        can_moderate=is_agreed and chair_or_admin,
        can_sign_off=is_agreed and chair_or_admin,
        can_link=can_link,
        invitable=[p for p in eligible_raters(session, actor.partnership_id, subgroup.id) if p.id not in invited]
        if is_open and lead else [],
        action_choices=improvement_action_choices(session, subgroup.partnership_id, subgroup.id) if can_link else [],
    )
