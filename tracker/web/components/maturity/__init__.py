"""The pieces of the maturity views, each a pure function of a service's view model:

  levels.py      links, level chips, status badges, the level legend, the shared table
  charts.py      the heatmap, radar and change-over-time charts with the tables that give their figures
  rounds.py      lists of rounds: the overview's first few and "and N more", the rounds page's pages
  tables.py      the lowest scores, a subgroup's assessments, the raters' spread, an assessment's scores
  fields.py      the assessment forms' fields, hints and descriptors, and per-dimension errors
  assessment.py  the sections of an assessment's page

A level is always shown as its number AND its word ("3 Established"), never as colour alone.
"""

from tracker.web.components.maturity.assessment import assessment_page
from tracker.web.components.maturity.charts import (
    CHART_FONT,
    chart_text,
    heatmap_table,
    radar_figure,
    radar_table,
    score_chip,
    trend_figure,
    trend_table,
)
from tracker.web.components.maturity.fields import (
    descriptors,
    dimension_errors,
    field_error,
    hint_box,
    invalid_flags,
    score_options,
    select_field,
    success,
    text_field,
)
from tracker.web.components.maturity.levels import (
    LEVEL_COLOURS,
    action_link,
    assessment_href,
    assessment_label,
    framework_chip,
    href,
    illustrative_tag,
    level_chip,
    level_legend,
    signed_off_note,
    status_badge,
    subgroup_href,
    table,
)
from tracker.web.components.maturity.rounds import round_list, rounds_href, rounds_pager
from tracker.web.components.maturity.tables import (
    agreement_badge,
    history_table,
    lowest_table,
    scores_table,
    spread_cell,
    spread_table,
)

__all__ = [
    "CHART_FONT", "LEVEL_COLOURS", "action_link", "agreement_badge", "assessment_href",
    "assessment_label", "assessment_page", "chart_text", "descriptors", "dimension_errors", "field_error",
    "framework_chip", "heatmap_table", "hint_box", "history_table", "href", "illustrative_tag", "invalid_flags",
    "level_chip", "level_legend", "lowest_table", "radar_figure", "radar_table", "round_list", "rounds_href", "rounds_pager", "score_chip", "score_options",
    "scores_table", "select_field", "signed_off_note", "spread_cell", "spread_table", "status_badge",
    "subgroup_href", "success", "table", "text_field", "trend_figure", "trend_table",
]
