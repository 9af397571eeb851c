"""Indicators benchmarked against the region and England: verdicts, staleness, the seeded tables of the
needs overview, and the import of a national public-health profiles export (row errors, all or nothing)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select

from tracker.models import ComparatorValue, Indicator, IndicatorCatalogue
from tracker.rules import benchmark
from tracker.services import benchmarks
from tracker.services.benchmarks.csv_import import tracker_period
from tracker.services.errors import InvalidInput, PermissionDenied

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(("significance", "local", "england", "words"), [
    ("worse", 10, 5, "Worse than England"),
    ("better", 10, 5, "Better than England"),
    ("similar", 41.4, 39.7, "Similar to England"),
    ("", 479, 494, "Lower than England (no significance test given)"),
    ("", 536, 494, "Higher than England (no significance test given)"),
    ("higher", 536, 494, "Higher than England (the source does not say which is better)"),
    ("", None, 494, "No local figure (suppressed or not published)"),
    ("", 479, None, "No England figure to compare with"),
])
def test_the_verdict_says_worse_only_where_the_source_tested_it(significance, local, england, words):
    assert benchmark.verdict(local, england, significance) == words


def test_the_source_words_for_a_comparison_are_read_and_others_refused():
    assert benchmark.significance_code(" Similar ") == "similar"
    assert benchmark.significance_code("Not compared") == "not_compared"
    with pytest.raises(ValueError, match="Better, Similar, Worse"):
        benchmark.significance_code("Much worse")


def test_stale_data_is_a_missed_release_or_a_published_period_not_entered():
    today = date(2026, 11, 23)
    assert "has published 2023/24" in benchmark.staleness(None, "2023/24", "2022/23", date(2023, 3, 31), "annual", today)
    assert "was due on 1 October 2026" in benchmark.staleness(date(2026, 10, 1), "", "2022", None, "annual", today)
    assert benchmark.staleness(date(2026, 11, 1), "", "2022", None, "annual", today) == ""  # within a month's grace
    assert "No quarterly figure" in benchmark.staleness(None, "", "2025-Q2", date(2025, 9, 30), "quarterly", today)
    assert benchmark.staleness(None, "", "2026-Q2", date(2026, 6, 30), "quarterly", today) == ""
    assert benchmark.staleness(None, "", "2019", date(2019, 12, 31), "ad_hoc", today) == ""


def test_profile_periods_are_written_as_the_tracker_writes_them():
    assert tracker_period("2018 - 20") == "2018..2020"
    assert tracker_period("2021/22") == "2021/22"
    assert tracker_period("2023") == "2023"


def test_the_needs_overview_tables_are_seeded_beside_the_region_and_england(session, partnership, today):
    views = {v.code: v for v in benchmarks.benchmarks_by_indicator(session, partnership.id, today).values()}
    narrow = views["L-ALC-ADM-NARROW"].latest
    figures = {a.kind: a for a in narrow.areas}
    assert (figures["local"].value, figures["region"].value, figures["england"].value) == (479, 536, 494)
    assert figures["local"].count == 1679 and (figures["england"].worst, figures["england"].best) == (867, 251)
    assert narrow.verdict == "Similar to England"  # 004 says so in words
    assert views["L-ALC-ADM-SPECIFIC"].latest.verdict == "Lower than England (no significance test given)"
    assert views["L-ALC-MORT"].latest.verdict == "Similar to England"
    assert views["L-ALC-ADM-NARROW"].catalogue.stale.startswith("A new release was due on 6 February 2024")
    assert views["N-I2-CONTINUITY"].catalogue.access == "restricted"


def _catalogue(session, partnership_id):
    """Give two seeded indicators the profiles' ids, as an officer would in the catalogue."""
    for code, external in (("L-ALC-ADM-NARROW", "93764"), ("L-ALC-MORT", "91380")):
        indicator = session.exec(select(Indicator).where(Indicator.partnership_id == partnership_id,
                                                         Indicator.code == code)).one()
        entry = session.get(IndicatorCatalogue, indicator.id)
        entry.external_id = external
        session.add(entry)
    session.flush()


def test_a_profiles_export_imports_local_region_and_england_rows_and_ignores_the_rest(session, admin, today):
    _catalogue(session, admin.partnership_id)
    parsed = benchmarks.import_csv(session, admin, (FIXTURES / "fingertips_export.csv").read_bytes())
    assert len(parsed.rows) == 5 and parsed.ignored == 3  # a male breakdown, another council, another indicator
    session.flush()
    views = {v.code: v for v in benchmarks.benchmarks_by_indicator(session, admin.partnership_id, today).values()}
    latest = views["L-ALC-ADM-NARROW"].latest
    assert latest.period == "2022/23"
    local = next(a for a in latest.areas if a.kind == "local")
    assert (local.value, local.lower_ci, local.upper_ci, local.count) == (470, 449, 492, 1665)
    assert latest.verdict == "Similar to England"
    assert [p.period for p in views["L-ALC-ADM-NARROW"].periods] == ["2022/23", "2021/22"]


def test_a_bad_export_names_each_bad_row_and_writes_nothing(session, admin):
    _catalogue(session, admin.partnership_id)
    before = session.exec(select(func.count()).select_from(ComparatorValue)).one()
    with pytest.raises(InvalidInput) as refused:
        benchmarks.import_csv(session, admin, (FIXTURES / "fingertips_export_bad.csv").read_bytes())
    errors = refused.value.errors
    assert errors["row 4"] == "Value 'four hundred' is not a number"
    assert errors["row 7"].startswith("Compared to England value or percentiles: use Better")
    assert errors["row 8"] == "the lower confidence limit is above the upper one"
    assert session.exec(select(func.count()).select_from(ComparatorValue)).one() == before


def test_a_file_that_is_not_an_export_or_matches_nothing_says_so(session, admin):
    with pytest.raises(InvalidInput, match="no column 'Indicator ID'"):
        benchmarks.import_csv(session, admin, b"code,period,value\nX,2023,1\n")
    with pytest.raises(InvalidInput, match="No row matched"):  # nothing in the catalogue has an external id yet
        benchmarks.import_csv(session, admin, (FIXTURES / "fingertips_export.csv").read_bytes())


def test_only_the_partnership_officer_imports_comparators(session, chair):
    with pytest.raises(PermissionDenied):
        benchmarks.import_csv(session, chair, (FIXTURES / "fingertips_export.csv").read_bytes())


def test_a_file_that_is_not_csv_at_all_is_refused_with_a_message(session, admin):
    with pytest.raises(InvalidInput, match="not a readable CSV"):
        header = (FIXTURES / "fingertips_export.csv").read_bytes().split(b"\n")[0]
        benchmarks.import_csv(session, admin, header + b"\n93764," + b"x" * 200_000 + b"\n")  # over the csv field limit
