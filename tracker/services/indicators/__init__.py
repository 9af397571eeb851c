"""Outcome indicators: reading them with their status, entering values (by form or CSV file), and
defining them.

A value is entered for a period written the way the partnership's sources write it (2024/25, 2024-Q2,
2024-05, 2024, or a span such as 2019-01..2022-06: tracker.rules.periods). The status of an indicator
compares its latest value with the trajectory from baseline to target (tracker.rules.indicator_status).

Entering data is for an administrator, or for a lead of a subgroup whose actions are linked to the
indicator (access); changing an indicator's definition is for an administrator only (definitions).

- views: each indicator's summary and status, one indicator's detail
- access: who may enter an indicator's data
- values: add and remove one value
- csv_import: many values from a CSV file, all or none
- definitions: add an indicator, change its definition
- listing: the indicators list a page at a time, with the status counts of every indicator
- pages: the view models of the indicators pages
"""

from tracker.rules.indicator_status import (
    AT_RISK_MARGIN,
    STATUS_LABELS,
    STATUS_ORDER,
    STATUS_RULE,
    STATUS_SYMBOLS,
    Assessment,
    Point,
    assess,
    trajectory_value,
)
from tracker.rules.numbers import format_number, parse_number
from tracker.rules.periods import PERIOD_HELP, PERIOD_KINDS, Period, parse_period, period_end
from tracker.services.indicators.access import can_enter_values, editable_indicator_ids, require_enter_values
from tracker.services.indicators.csv_import import (
    CSV_COLUMNS,
    CSV_MAX_BYTES,
    CSV_MAX_ROWS,
    CSV_REQUIRED,
    ImportResult,
    ParsedRow,
    RowError,
    UploadRejected,
    import_values_csv,
    validate_csv,
)
from tracker.services.indicators.definitions import (
    INDICATOR_FIELDS,
    IndicatorIn,
    create_indicator,
    editable_snapshot,
    update_indicator,
)
from tracker.services.indicators.listing import (
    LIST_PAGE,
    UNLINKED,
    IndicatorsList,
    OutcomeGroup,
    indicators_list,
)
from tracker.services.indicators.pages import (
    DefinitionChoices,
    IndicatorPage,
    IndicatorsPage,
    indicator_page,
    indicators_page,
)
from tracker.services.indicators.values import IndicatorValueIn, add_value, delete_value
from tracker.services.indicators.views import (
    IndicatorDetail,
    IndicatorStatus,
    IndicatorSummary,
    ValueRow,
    baseline_end,
    get_indicator,
    indicator_codes,
    indicator_detail,
    indicator_statuses,
    indicator_summary,
    list_indicators,
    list_order,
    summaries_by_id,
)

__all__ = [
    "AT_RISK_MARGIN", "CSV_COLUMNS", "CSV_MAX_BYTES", "CSV_MAX_ROWS", "CSV_REQUIRED", "INDICATOR_FIELDS",
    "LIST_PAGE", "PERIOD_HELP", "PERIOD_KINDS", "STATUS_LABELS", "STATUS_ORDER", "STATUS_RULE",
    "STATUS_SYMBOLS", "UNLINKED", "Assessment", "DefinitionChoices", "ImportResult", "IndicatorDetail",
    "IndicatorIn", "IndicatorPage", "IndicatorStatus", "IndicatorSummary", "IndicatorValueIn",
    "IndicatorsList", "IndicatorsPage", "OutcomeGroup", "ParsedRow", "Period", "Point", "RowError",
    "UploadRejected", "ValueRow", "add_value", "assess", "baseline_end", "can_enter_values",
    "create_indicator", "delete_value", "editable_indicator_ids", "editable_snapshot", "format_number",
    "get_indicator", "import_values_csv", "indicator_codes", "indicator_detail", "indicator_page",
    "indicator_statuses", "indicator_summary", "indicators_list", "indicators_page", "list_indicators",
    "list_order", "parse_number", "parse_period", "period_end", "require_enter_values", "summaries_by_id",
    "trajectory_value", "update_indicator", "validate_csv",
]
