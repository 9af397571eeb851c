"""The status of an outcome indicator: on track, at risk or off track against its trajectory to target.

The trajectory is the straight line from the baseline value at the end of the baseline period to the
target value at the target date. STATUS_RULE says the rule in words, for the pages that show a status;
`assess` is the rule itself, direction-aware. Pure: no database.

Small counts are judged honestly: a count (deaths, people: tracker.rules.numbers.unit_kind) below
SMALL_COUNT is too few to say anything about, and a count of events (deaths, admissions: not people in
treatment, a stock) worse than its trajectory by less than chance alone gives (about two standard deviations of a Poisson count, 1.96 x the square root of the trajectory
value) is "no clear difference", not at risk or off track.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from tracker.formatting import long_date
from tracker.rules.numbers import format_measure, is_event_count, unit_kind
from tracker.rules.periods import period_words

AT_RISK_MARGIN = 0.10
SMALL_COUNT = 10  # fewer events than this are too few to judge (public-health profiles do not rate them)
CHANCE_Z = 1.96  # how many standard deviations of a count chance alone can move it (95%)

STATUS_LABELS = {
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "no_data": "No data since baseline",
    "no_target": "No target set",
    "no_baseline": "No baseline set",
    "no_clear_change": "No clear difference",
    "too_few": "Too few to say",
}
STATUS_SYMBOLS = {
    "on_track": "✓", "at_risk": "!", "off_track": "✕", "no_data": "?", "no_target": "–", "no_baseline": "–",
    "no_clear_change": "≈", "too_few": "~",
}
# Each status in one line, where a badge or a legend shows it.
STATUS_DEFINITIONS = {
    "on_track": "The latest value is at or better than the trajectory to target.",
    "at_risk": f"Worse than the trajectory, by no more than {AT_RISK_MARGIN:.0%} of the distance from baseline to "
               "target.",
    "off_track": f"Worse than the trajectory by more than {AT_RISK_MARGIN:.0%} of the distance from baseline to "
                 "target.",
    "no_data": "No value since the baseline period.",
    "no_target": "No target, so no trajectory to judge against.",
    "no_baseline": "No baseline, so no trajectory to judge against.",
    "no_clear_change": "A count of events worse than the trajectory by less than chance alone can give for a count this "
                       "size.",
    "too_few": f"A count below {SMALL_COUNT}: too few events to judge against the trajectory.",
}
# Worst first, for sorting the chair's lists.
STATUS_ORDER = ("off_track", "at_risk", "no_clear_change", "no_data", "too_few", "on_track", "no_target",
                "no_baseline")

STATUS_RULE = [
    "The trajectory is a straight line from the baseline value, at the end of the baseline period, "
    "to the target value on the target date; after the target date it stays at the target.",
    "Each indicator is judged by its latest value, against the trajectory value for the end of "
    "that value's period. Whether higher or lower is better depends on the indicator.",
    "On track: the latest value is at or better than the trajectory value.",
    f"At risk: it is worse than the trajectory value, but by no more than {AT_RISK_MARGIN:.0%} of the "
    "distance from the baseline to the target (when the target equals the baseline, "
    f"{AT_RISK_MARGIN:.0%} of the baseline).",
    "Off track: it is worse than that.",
    f"For a count (deaths, people in treatment): below {SMALL_COUNT} it is too few to say. For a count of "
    f"events (deaths, admissions): worse than the trajectory by less than {CHANCE_Z} × the square root of the trajectory value (what chance alone can "
    "give) it is no clear difference, not at risk or off track.",
    "No data since baseline: no value has been entered for a period ending after the baseline period.",
    "No target set or no baseline set: there is no trajectory to judge against.",
]


@dataclass(frozen=True)
class Point:
    period: str
    end: date
    value: float


@dataclass(frozen=True)
class Assessment:
    status: str
    latest: Point | None = None  # the value judged (the latest after the baseline)
    expected: float | None = None  # the trajectory's value at the latest value's period end
    margin: float | None = None  # how far worse than the trajectory still counts as at risk
    explanation: str = ""

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def symbol(self) -> str:
        return STATUS_SYMBOLS[self.status]


def trajectory_value(baseline_value: float, baseline_date: date, target_value: float, target_date: date,
                     on: date) -> float:
    """The straight line from (baseline date, baseline value) to (target date, target value)."""
    if on >= target_date or target_date <= baseline_date:
        return target_value
    if on <= baseline_date:
        return baseline_value
    share = (on - baseline_date).days / (target_date - baseline_date).days
    return baseline_value + (target_value - baseline_value) * share


class Judged(NamedTuple):
    """The rule's numbers for one indicator, without its words (see `judge`)."""

    status: str
    latest: Point | None = None
    expected: float | None = None
    margin: float | None = None
    worse_by: float | None = None
    chance: float | None = None


def judge(direction: str, baseline_value: float | None, baseline_date: date | None,
          target_value: float | None, target_date: date | None, points: list[Point], unit: str = "") -> Judged:
    """The status of an indicator (see STATUS_RULE) and the numbers it rests on; `assess` says it in
    words. A list that only counts statuses needs no more than this."""
    if baseline_value is None or baseline_date is None:
        return Judged("no_baseline", max(points, key=lambda p: p.end) if points else None)
    since = [p for p in points if p.end > baseline_date]
    if not since:
        return Judged("no_data")
    latest = max(since, key=lambda p: p.end)
    if target_value is None or target_date is None:
        return Judged("no_target", latest)
    expected = trajectory_value(baseline_value, baseline_date, target_value, target_date, latest.end)
    distance = abs(target_value - baseline_value) or abs(baseline_value)
    margin = AT_RISK_MARGIN * distance
    worse_by = (expected - latest.value) if direction == "higher" else (latest.value - expected)
    # Float noise (0.1 + 0.2) must not turn "exactly on the line" into "worse".
    tolerance = 1e-9 * max(1.0, abs(expected))
    chance = CHANCE_Z * math.sqrt(max(expected, 1.0)) if is_event_count(unit) else 0.0
    if unit_kind(unit) == "count" and latest.value < SMALL_COUNT:
        status = "too_few"
    elif worse_by <= tolerance:
        status = "on_track"
    elif worse_by <= chance + tolerance:
        status = "no_clear_change"
    elif worse_by <= margin + tolerance:
        status = "at_risk"
    else:
        status = "off_track"
    return Judged(status, latest, expected, margin, worse_by, chance)


def assess(direction: str, baseline_value: float | None, baseline_date: date | None,
           target_value: float | None, target_date: date | None, points: list[Point], unit: str = "") -> Assessment:
    """The status of an indicator (see STATUS_RULE) with the reason in words; a pure function of its numbers."""
    j = judge(direction, baseline_value, baseline_date, target_value, target_date, points, unit)
    status, latest = j.status, j.latest
    if status == "no_baseline":
        return Assessment(status, latest, explanation="No baseline is set, so there is nothing to judge against.")
    if status == "no_data":
        return Assessment(status, None, explanation=(
            f"No value has been entered for a period ending after the baseline period "
            f"(which ended {long_date(baseline_date)})."))
    if status == "no_target":
        return Assessment(status, latest, explanation=(
            f"The latest value is {format_measure(latest.value, unit)} for {period_words(latest.period)}; no target "
            "is set, so there is no trajectory to judge it against."))

    def shown(number: float) -> str:
        return format_measure(number, unit)

    unit_words = (unit if unit.startswith("%") else f" {unit}") if unit else ""
    said = (f"The latest value is {shown(latest.value)}{unit_words} ({period_words(latest.period)}); the "
            f"trajectory value for {long_date(latest.end)} is {shown(j.expected)}.")
    better = "higher" if direction == "higher" else "lower"
    worse = f"It is worse by {shown(j.worse_by)} ({better} is better)" if j.worse_by is not None else ""
    if status == "too_few":
        why = (f"A count below {SMALL_COUNT} is too few to judge against the trajectory: "
               "chance alone moves it by more than the plan can.")
    elif status == "on_track":
        why = f"It is at or better than the trajectory ({better} is better)."
    elif status == "no_clear_change":
        why = (f"{worse}, less than the {shown(j.chance)} that chance alone can give for a count this size, so "
               "there is no clear difference from the trajectory.")
    else:
        why = f"{worse}, {'within' if status == 'at_risk' else 'more than'} the at-risk margin of {shown(j.margin)}."
    return Assessment(status, latest, j.expected, j.margin, f"{said} {why}")
