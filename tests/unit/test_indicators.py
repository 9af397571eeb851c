"""Indicators: reading them, who may enter data, a value entered or removed by form, editing a definition,
and the Northamptonshire seed's indicators.

Most tests use the tiny partnership in tests/fixtures/mini/: indicator NIT (adults in treatment,
higher is better, baseline 2,000 in 2022/23, target 2,400 by 31 March 2026) is linked to action
TR-01 of the treatment subgroup, which lee (lead@) leads; owen (owner@) owns TR-01 but leads
nothing; pat leads the supply subgroup, whose actions are linked to no indicator.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tests.unit.indicator_support import FIXTURES, _count, _nit, _people
from tracker.models import AuditEvent, IndicatorValue
from tracker.services import indicators as svc
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

# --- Reading ---------------------------------------------------------------------------------


def test_list_and_detail_of_the_mini_indicator(mini_session):
    nit = _nit(mini_session)
    rows = svc.list_indicators(mini_session, nit.partnership_id)
    assert [r.code for r in rows] == ["NIT"]
    row = rows[0]
    # 2,250 at 31 March 2025 against a line at about 2,267 (2,000 -> 2,400 over three years): at risk.
    assert row.status == "at_risk"
    assert row.latest_value == 2250 and row.latest_period == "2024/25"
    assert row.baseline_date == date(2023, 3, 31)
    detail = svc.indicator_detail(mini_session, nit.partnership_id, nit.id)
    assert [v.period for v in detail.values] == ["2023/24", "2024/25"]
    assert detail.values[0].expected == pytest.approx(2000 + 400 / 3, rel=1e-3)
    assert [ref for _, ref, _ in detail.actions] == ["TR-01"]


def test_an_indicator_of_another_partnership_is_not_found(mini_session):
    nit = _nit(mini_session)
    with pytest.raises(NotFound):
        svc.get_indicator(mini_session, nit.partnership_id + 1, nit.id)


@pytest.mark.parametrize(("who", "may_upload", "may_define"), [
    ("admin", True, True), ("lead", True, False), ("owner", False, False), ("viewer", False, False),
])
def test_the_indicators_page_shows_each_person_what_they_may_do(mini_session, who, may_upload, may_define):
    """The page's one view model: every indicator under its outcome, the counts, and the forms allowed."""
    actor = _people(mini_session)[who]
    page = svc.indicators_page(mini_session, actor)
    assert page.may_upload is may_upload
    assert (page.choices is not None) is may_define
    content = page.content
    assert [r.code for r in content.rows] == ["NIT"] and content.counts == {"at_risk": 1}
    grouped = [r.code for g in content.groups for r in g.rows] + [r.code for r in content.unlinked]
    assert grouped == ["NIT"]
    if may_define:
        assert page.choices.outcomes and all(isinstance(i, int) and label for i, label in page.choices.outcomes)


@pytest.mark.parametrize(("who", "may_enter", "is_admin"), [
    ("admin", True, True), ("lead", True, False), ("pat", False, False), ("viewer", False, False),
])
def test_an_indicators_page_says_who_may_enter_and_edit(mini_session, who, may_enter, is_admin):
    nit = _nit(mini_session)
    page = svc.indicator_page(mini_session, _people(mini_session)[who], nit.id)
    assert page.detail.summary.code == "NIT" and page.detail.summary.status == "at_risk"
    assert (page.may_enter, page.is_admin) == (may_enter, is_admin)
    # Only an administrator gets the definition form, filled in with the definition as it stands.
    assert (page.definition or {}).get("code") == ("NIT" if is_admin else None)
    with pytest.raises(NotFound):
        svc.indicator_page(mini_session, _people(mini_session)[who], nit.id + 999)


# --- Who may enter data ----------------------------------------------------------------------


@pytest.mark.parametrize(("who", "allowed"), [
    ("admin", True),
    ("lead", True),     # leads the treatment subgroup, whose action TR-01 is linked to NIT
    ("owner", False),   # owns TR-01 but leads no subgroup
    ("chair", False),
    ("viewer", False),
    ("pat", False),     # leads the supply subgroup: none of its actions is linked to NIT
])
def test_who_may_enter_a_value(mini_session, who, allowed):
    nit = _nit(mini_session)
    actor = _people(mini_session)[who]
    assert svc.can_enter_values(mini_session, actor, nit) is allowed
    before = (_count(mini_session, IndicatorValue), _count(mini_session, AuditEvent))
    if allowed:
        value = svc.add_value(mini_session, actor, nit.id, {"period": "2025/26", "value": "2,380"}, TODAY)
        assert value.value == 2380 and value.period_end == date(2026, 3, 31) and value.recorded_by_id == actor.id
        assert _count(mini_session, IndicatorValue) == before[0] + 1
        event = mini_session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.verb, event.entity_type, event.entity_id, event.actor_id) == (
            "create", "IndicatorValue", value.id, actor.id)
        assert "NIT" in event.summary and "2025/26" in event.summary
    else:
        with pytest.raises(PermissionDenied):
            svc.add_value(mini_session, actor, nit.id, {"period": "2025/26", "value": "2380"}, TODAY)
        assert (_count(mini_session, IndicatorValue), _count(mini_session, AuditEvent)) == before


def test_an_inactive_admin_cannot_enter_data(mini_session):
    admin = _people(mini_session)["admin"]
    admin.is_active = False
    with pytest.raises(PermissionDenied):
        svc.add_value(mini_session, admin, _nit(mini_session).id, {"period": "2025/26", "value": "1"}, TODAY)


@pytest.mark.parametrize(("data", "field", "says"), [
    ({"period": "2025/27", "value": "1"}, "period", "second year must follow"),
    ({"period": "", "value": "1"}, "period", "Enter the period"),
    ({"period": "2025/26", "value": "lots"}, "value", "is not a number"),
    ({"period": "2025/26", "value": ""}, "value", "Enter a value"),
    ({"period": "2024/25", "value": "1"}, "period", "already has a value for 2024/25 (2,250)"),
    ({"period": "2026/27", "value": "1"}, "period", "does not end until 31 March 2027"),
    ({"period": "2025/26", "value": "1", "note": "x" * 501}, "note", "no more than 500"),
])
def test_a_bad_value_is_refused_with_what_to_fix(mini_session, data, field, says):
    admin = _people(mini_session)["admin"]
    before = _count(mini_session, IndicatorValue)
    with pytest.raises(InvalidInput) as info:
        svc.add_value(mini_session, admin, _nit(mini_session).id, data, TODAY)
    assert field in info.value.errors, info.value.errors
    assert says in info.value.errors[field]
    assert _count(mini_session, IndicatorValue) == before


def test_a_value_can_be_removed_and_the_trail_keeps_it(mini_session):
    people = _people(mini_session)
    nit = _nit(mini_session)
    value = mini_session.exec(select(IndicatorValue).where(IndicatorValue.period == "2024/25")).one()
    with pytest.raises(PermissionDenied):
        svc.delete_value(mini_session, people["owner"], value.id)
    with pytest.raises(NotFound):
        svc.delete_value(mini_session, people["admin"], value.id, indicator_id=nit.id + 99)
    svc.delete_value(mini_session, people["lead"], value.id, indicator_id=nit.id)
    assert mini_session.get(IndicatorValue, value.id) is None
    event = mini_session.exec(select(AuditEvent).where(AuditEvent.verb == "delete")).one()
    assert json.loads(event.before)["value"] == 2250
    # ... and the period can be entered again, corrected.
    svc.add_value(mini_session, people["lead"], nit.id, {"period": "2024/25", "value": "2260"}, TODAY)


# --- Defining indicators ---------------------------------------------------------------------


def test_only_an_admin_defines_indicators(mini_session):
    people = _people(mini_session)
    nit = _nit(mini_session)
    for who in ("lead", "chair", "viewer"):
        with pytest.raises(PermissionDenied):
            svc.create_indicator(mini_session, people[who], {"code": "X1", "name": "Something"})
        with pytest.raises(PermissionDenied):
            svc.update_indicator(mini_session, people[who], nit.id, {"target_value": "2500"})


def test_an_admin_adds_a_local_indicator(mini_session):
    admin = _people(mini_session)["admin"]
    indicator = svc.create_indicator(mini_session, admin, {
        "code": "l-detox", "name": "Inpatient detox placements", "unit": "placements", "direction": "higher",
        "source": "Commissioner returns", "baseline_value": "12", "baseline_period": "2023/24",
        "target_value": "20", "target_date": "2026-03-31",
    })
    assert indicator.code == "L-DETOX" and indicator.baseline_value == 12 and indicator.target_date == date(2026, 3, 31)
    assert mini_session.exec(select(AuditEvent).where(AuditEvent.entity_type == "Indicator")).one().verb == "create"
    with pytest.raises(InvalidInput) as info:
        svc.create_indicator(mini_session, admin, {"code": "L-DETOX", "name": "Twice"})
    assert "already used" in info.value.errors["code"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"baseline_value": "", "baseline_period": "2023/24"}, "baseline_value"),
    ({"target_value": "2500", "target_date": ""}, "target_date"),
    ({"target_date": "2022-01-01"}, "target_date"),  # before the baseline period ends
    ({"baseline_period": "2023/25"}, "baseline_period"),
    ({"direction": "sideways"}, "direction"),
    ({"target_value": "plenty"}, "target_value"),
])
def test_a_bad_definition_is_refused(mini_session, changes, field):
    admin = _people(mini_session)["admin"]
    with pytest.raises(InvalidInput) as info:
        svc.update_indicator(mini_session, admin, _nit(mini_session).id, changes)
    assert field in info.value.errors, info.value.errors


def test_editing_the_target_changes_the_status_and_is_audited(mini_session):
    admin = _people(mini_session)["admin"]
    nit = _nit(mini_session)
    seen = svc.editable_snapshot(nit)
    svc.update_indicator(mini_session, admin, nit.id, {"target_value": "2300"}, expected=seen)
    assert svc.indicator_summary(mini_session, nit.partnership_id, nit.id).status == "on_track"
    event = mini_session.exec(select(AuditEvent).where(AuditEvent.entity_type == "Indicator")).one()
    assert json.loads(event.before) == {"target_value": 2400.0}
    assert json.loads(event.after) == {"target_value": 2300.0}


def test_a_definition_changed_meanwhile_is_a_conflict(mini_session):
    admin = _people(mini_session)["admin"]
    nit = _nit(mini_session)
    seen = svc.editable_snapshot(nit)
    svc.update_indicator(mini_session, admin, nit.id, {"unit": "adults"}, expected=seen)
    with pytest.raises(Conflict):
        svc.update_indicator(mini_session, admin, nit.id, {"target_value": "2300"}, expected=seen)
    mini_session.expire_all()
    assert _nit(mini_session).target_value == 2400


# --- The Northamptonshire seed ---------------------------------------------------------------

HEADLINE_METRICS = {
    # The 11 headline metrics of the National Combating Drugs Outcomes Framework (May 2023), by outcome;
    # "numbers in treatment" is seeded as two indicators (adults; young people).
    "S1": ["N-S1-LASTYEAR", "N-S1-OCU"],
    "S2": ["N-S2-HOMICIDE", "N-S2-NEIGHBOURHOOD"],
    "S3": ["N-S3-DEATHS", "N-S3-ADMISSIONS"],
    "I1": ["N-I1-COUNTYLINES", "N-I1-DISRUPTIONS"],
    "I2": ["N-I2-ADULTS", "N-I2-YP", "N-I2-CONTINUITY"],
    "I3": ["N-I3-RECOVERY"],
}


def test_the_seed_has_every_headline_metric_under_its_outcome(session, partnership):
    rows = svc.list_indicators(session, partnership.id)
    national = {r.code: r.outcome.split()[0] for r in rows if r.is_national}
    expected = {code: outcome for outcome, codes in HEADLINE_METRICS.items() for code in codes}
    assert national == expected
    # Every seeded baseline period can be read, so every indicator has a status.
    assert all(r.baseline_date is not None for r in rows if r.baseline_period)


def test_fixture_csv_uploads_into_the_seed(session, partnership):
    admin = person_by_email(session, DEMO_EMAILS["admin"])
    content = (FIXTURES / "indicator_values_good.csv").read_bytes()
    result = svc.import_values_csv(session, admin, content, TODAY, "indicator_values_good.csv")
    assert result.written == content.decode().strip().count("\n")
    bad = (FIXTURES / "indicator_values_bad.csv").read_bytes()
    before = _count(session, IndicatorValue)
    with pytest.raises(svc.UploadRejected):
        svc.import_values_csv(session, admin, bad, TODAY)
    assert _count(session, IndicatorValue) == before
