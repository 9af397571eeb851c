"""Contracts and grants: end-date rules, the seeded register from the documents, totals, the input model."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.rules import funding as rules
from tracker.services import funding
from tracker.services.errors import InvalidInput, PermissionDenied


def test_months_left_and_ending_soon_count_as_a_chair_reads_them():
    today = date(2026, 11, 23)
    assert rules.months_left(date(2027, 3, 31), today) == 4
    assert rules.months_left(date(2026, 11, 22), today) == -1
    assert rules.ending_within(date(2027, 11, 23), today) and not rules.ending_within(date(2027, 11, 24), today)
    assert not rules.ending_within(date(2026, 11, 22), today)
    assert rules.status(date(2026, 3, 31), today) == "Ended"
    assert rules.status(date(2030, 1, 1), today) == "Running"
    assert rules.status(None, today) == "No end date"
    assert rules.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_the_seven_contracts_carry_the_documents_values_and_split(session, partnership, today):
    reg = funding.funding_register(session, partnership.id, today)
    contracts = [c for c in reg.contracts if c.shares]
    assert len(contracts) == 7
    cgl = reg.contracts[0] if reg.contracts[0].shares else reg.contracts[1]
    assert cgl.provider_or_funder == "Change Grow Live (CGL)" and cgl.value_gbp == 5_394_000
    assert [(a, v, p) for a, v, p in cgl.shares] == [("North Northamptonshire", 2_622_000, 48.6),
                                                     ("West Northamptonshire", 2_772_000, 51.4)]
    assert [ref for _, ref in cgl.actions] == ["TR-01"]
    assert sum(c.value_gbp for c in contracts) == pytest.approx(6_983_000)  # 003, paragraph 7.1.1


def test_datrig_follows_the_supplementary_grants_and_is_flagged_as_ending_soon(session, partnership, today):
    reg = funding.funding_register(session, partnership.id, today)
    datrig = [g for g in reg.grants if "DATRIG" in g.name]
    assert [g.financial_year for g in datrig] == ["2025/26", "2026/27"]
    assert all("SSMTRG" in g.replaces for g in datrig)
    assert [(i.name, i.financial_year) for i in reg.ending_soon] == [(datrig[1].name, "2026/27")]
    assert reg.ending_soon[0].months_left == 4
    ending = funding.ending_soon(session, partnership.id, today)  # the overview's read of the same
    assert [(i.id, i.name, i.financial_year, i.end_date) for i in ending] == \
        [(i.id, i.name, i.financial_year, i.end_date) for i in reg.ending_soon]


def test_totals_by_financial_year_add_contracts_and_grants_apart(session, partnership, today):
    totals = {t.financial_year: t for t in funding.funding_register(session, partnership.id, today).totals}
    year = totals["2024/25"]
    assert year.contracts_gbp == 0
    assert year.grants_gbp == pytest.approx(2_241_633 + 596_000 + 115_000 + 811_000)
    assert totals["2023/24"].contracts_gbp == pytest.approx(6_983_000)


def test_the_input_model_says_what_to_fix(session, admin):
    base = {"kind": "grant", "name": "A grant", "financial_year": "2024/25", "value_gbp": 100_000}
    for change, field in [({"kind": "loan"}, "kind"), ({"financial_year": "2024-25"}, "financial_year"),
                          ({"financial_year": "2024/26"}, "financial_year"), ({"value_gbp": -1}, "value_gbp")]:
        with pytest.raises(InvalidInput) as refused:
            funding.add_funding(session, admin, admin.partnership_id, {**base, **change})
        assert field in refused.value.errors
    with pytest.raises(InvalidInput, match="add up"):
        funding.add_funding(session, admin, admin.partnership_id, {**base, "shares": {"North": 10_000}})
    with pytest.raises(InvalidInput, match="no action XX-99"):
        funding.add_funding(session, admin, admin.partnership_id, {**base, "actions": ["XX-99"]})


def test_only_the_partnership_officer_adds_funding(session, chair):
    with pytest.raises(PermissionDenied):
        funding.add_funding(session, chair, chair.partnership_id, {"kind": "grant", "name": "A grant"})
