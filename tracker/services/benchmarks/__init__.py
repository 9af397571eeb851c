"""Indicators beside the region and England: reading them (views.py), importing a national
public-health profiles export (csv_import.py), and the metric catalogue's staleness (views.py)."""

from tracker.services.benchmarks.csv_import import FINGERTIPS_COLUMNS, ComparatorRow, import_csv, validate_csv
from tracker.services.benchmarks.views import (
    AreaFigure,
    BenchmarkPeriod,
    CatalogueView,
    IndicatorBenchmark,
    benchmarks_by_indicator,
    indicator_benchmark,
)

__all__ = ["FINGERTIPS_COLUMNS", "AreaFigure", "BenchmarkPeriod", "CatalogueView", "ComparatorRow",
           "IndicatorBenchmark", "benchmarks_by_indicator", "import_csv", "indicator_benchmark", "validate_csv"]
