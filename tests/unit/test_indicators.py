"""Indicators: periods, numbers, the status rule (both directions), data entry by form and by CSV file,
who may enter data, and editing an indicator's definition.

Most tests use the tiny partnership in tests/fixtures/mini/: indicator NIT (adults in treatment,
higher is better, baseline 2,000 in 2022/23, target 2,400 by 31 March 2026) is linked to action
TR-01 of the treatment subgroup, which lee (lead@) leads; owen (owner@) owns TR-01 but leads
nothing; pat leads the supply subgroup, whose actions are linked to no indicator.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tracker.models import AuditEvent, Indicator, IndicatorValue, Person
from tracker.services import indicators as svc
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tracker.services.indicators import (
    Point,
    assess,
    csv_import,
    parse_number,
    parse_period,
    trajectory_value,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


# --- Periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "label", "kind", "start", "end"), [
    ("2024/25", "2024/25", "financial_year", date(2024, 4, 1), date(2025, 3, 31)),
    ("2024/2025", "2024/25", "financial_year", date(2024, 4, 1), date(2025, 3, 31)),
    ("1999/00", "1999/00", "financial_year", date(1999, 4, 1), date(2000, 3, 31)),
    ("2024-Q1", "2024-Q1", "quarter", date(2024, 1, 1), date(2024, 3, 31)),
    ("2024-Q2", "2024-Q2", "quarter", date(2024, 4, 1), date(2024, 6, 30)),
    ("2024q4", "2024-Q4", "quarter", date(2024, 10, 1), date(2024, 12, 31)),
    ("2024-05", "2024-05", "month", date(2024, 5, 1), date(2024, 5, 31)),
    ("2024-2", "2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),  # a leap year
    ("2023-02", "2023-02", "month", date(2023, 2, 1), date(2023, 2, 28)),
    ("2024-12", "2024-12", "month", date(2024, 12, 1), date(2024, 12, 31)),
    ("2024", "2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
    (" 2024/25 ", "2024/25", "financial_year", date(2024, 4, 1), date(2025, 3, 31)),
    # Spans, as the documents give some figures (e.g. 42 months of deaths): the end is the later period's.
    ("2019-01..2022-06", "2019-01..2022-06", "span", date(2019, 1, 1), date(2022, 6, 30)),
    ("2018..2020", "2018..2020", "span", date(2018, 1, 1), date(2020, 12, 31)),
])
def test_periods_are_parsed_with_their_end(text, label, kind, start, end):
    period = parse_period(text)
    assert (period.label, period.kind, period.start, period.end) == (label, kind, start, end)
    assert svc.period_end(text) == end


@pytest.mark.parametrize(("text", "says"), [
    ("", "Enter the period"),
    ("2024/26", "the second year must follow the first, as in 2024/25"),
    ("2024-13", "months run from 01 to 12"),
    ("2024-25", "For the financial year write 2024/25"),
    ("2024-Q5", "quarters are Q1 to Q4"),
    ("24/25", "2024/25 (financial year), 2024-Q2 (calendar quarter), 2024-05 (month) or 2024 (calendar year)"),
    ("May 2024", "is not a period this tracker knows"),
    ("3024", "out of range"),
    ("2022..2019", "from the earlier period to the later one"),
])
def test_bad_periods_say_how_to_write_one(text, says):
    with pytest.raises(ValueError, match=None) as info:
        parse_period(text)
    assert says in str(info.value)


@pytest.mark.parametrize(("text", "number"), [
    ("3540", 3540.0), ("3,540", 3540.0), ("41.5", 41.5), ("41.5%", 41.5), ("-3", -3.0), (".5", 0.5), (7, 7.0),
])
def test_numbers_as_people_type_them(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["", "abc", "12abc", "1e3", "1,23", "nan", "inf", ",", None, True])
def test_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


# --- The status rule -------------------------------------------------------------------------

B_DATE, T_DATE = date(2023, 3, 31), date(2027, 3, 31)  # four years: the trajectory's midpoint is 31 March 2025
MID = date(2025, 3, 31)


def _status(direction, baseline, target, value, on=MID, points=None):
    pts = points if points is not None else [Point("x", on, value)]
    return assess(direction, baseline, B_DATE, target, T_DATE, pts)


def test_trajectory_is_a_straight_line_from_baseline_to_target():
    assert trajectory_value(100, B_DATE, 200, T_DATE, B_DATE) == 100
    assert trajectory_value(100, B_DATE, 200, T_DATE, MID) == pytest.approx(150, abs=0.1)
    assert trajectory_value(100, B_DATE, 200, T_DATE, T_DATE) == 200
    # After the target date the line stays at the target; before the baseline at the baseline.
    assert trajectory_value(100, B_DATE, 200, T_DATE, date(2030, 1, 1)) == 200
    assert trajectory_value(100, B_DATE, 200, T_DATE, date(2020, 1, 1)) == 100


@pytest.mark.parametrize(("value", "status"), [
    (160, "on_track"),   # above the line (150), higher is better
    (150, "on_track"),   # exactly on it
    (145, "at_risk"),    # 5 below: within 10% of the distance (100 -> 200: margin 10)
    (140.05, "at_risk"),
    (139, "off_track"),  # 11 below
    (90, "off_track"),
])
def test_status_when_higher_is_better(value, status):
    expected = trajectory_value(100, B_DATE, 200, T_DATE, MID)
    result = _status("higher", 100, 200, value + (expected - 150))  # exact offsets from the line
    assert result.status == status
    assert result.latest.value == pytest.approx(value + (expected - 150))


@pytest.mark.parametrize(("value", "status"), [
    (140, "on_track"),   # below the line (150), lower is better
    (150, "on_track"),
    (155, "at_risk"),    # 5 above: within the margin of 10 (200 -> 100)
    (159.95, "at_risk"),
    (161, "off_track"),
    (210, "off_track"),
])
def test_status_when_lower_is_better(value, status):
    expected = trajectory_value(200, B_DATE, 100, T_DATE, MID)
    result = _status("lower", 200, 100, value + (expected - 150))
    assert result.status == status


def test_margin_boundary_is_at_risk_and_just_past_it_off_track():
    # On the target date the line is at the target exactly, so the boundary is exact: 200 - 10% of 100.
    assert _status("higher", 100, 200, 190, on=T_DATE).status == "at_risk"
    assert _status("higher", 100, 200, 189.99, on=T_DATE).status == "off_track"
    assert _status("lower", 200, 100, 110, on=T_DATE).status == "at_risk"
    assert _status("lower", 200, 100, 110.01, on=T_DATE).status == "off_track"


def test_the_latest_value_is_judged_not_the_best_or_the_first():
    points = [Point("2024/25", date(2025, 3, 31), 190), Point("2025/26", date(2026, 3, 31), 120)]
    result = assess("higher", 100, B_DATE, 200, T_DATE, points)
    assert result.latest.period == "2025/26"
    assert result.status == "off_track"  # the line is at 175 by then
    assert "worse by" in result.explanation and "higher is better" in result.explanation


def test_after_the_target_date_the_target_itself_is_the_bar():
    late = date(2028, 3, 31)
    assert _status("higher", 100, 200, 200, on=late).status == "on_track"
    assert _status("higher", 100, 200, 195, on=late).status == "at_risk"


def test_no_data_since_baseline():
    # Only the baseline's own value (and an older one): nothing after the baseline period ended.
    points = [Point("2021/22", date(2022, 3, 31), 90), Point("2022/23", B_DATE, 100)]
    result = assess("higher", 100, B_DATE, 200, T_DATE, points)
    assert result.status == "no_data" and result.label == "No data since baseline"
    assert assess("lower", 100, B_DATE, 50, T_DATE, []).status == "no_data"
    # No data is reported even when no target is set: the data gap matters on its own.
    assert assess("lower", 100, B_DATE, None, None, points).status == "no_data"


def test_no_target_or_no_baseline_means_no_trajectory():
    points = [Point("2024/25", date(2025, 3, 31), 120)]
    assert assess("higher", 100, B_DATE, None, None, points).status == "no_target"
    assert assess("higher", None, None, 200, T_DATE, points).status == "no_baseline"


def test_target_equal_to_baseline_uses_ten_percent_of_the_baseline():
    # "Hold at 100": the margin is 10 (10% of the baseline).
    assert _status("lower", 100, 100, 100).status == "on_track"
    assert _status("lower", 100, 100, 109).status == "at_risk"
    assert _status("lower", 100, 100, 111).status == "off_track"


def test_every_status_has_a_word_and_a_symbol_and_the_rule_is_in_words():
    for code in svc.STATUS_ORDER:
        assert svc.STATUS_LABELS[code] and svc.STATUS_SYMBOLS[code]
    rule = " ".join(svc.STATUS_RULE)
    assert "10%" in rule and "trajectory" in rule and "On track" in rule and "Off track" in rule


# --- Reading ---------------------------------------------------------------------------------


def _nit(session: Session) -> Indicator:
    return session.exec(select(Indicator).where(Indicator.code == "NIT")).one()


def _people(session: Session) -> dict[str, Person]:
    found = {key: person_by_email(session, email) for key, email in DEMO_EMAILS.items()}
    found["pat"] = person_by_email(session, "pat@police.example.org")
    return found


def _count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


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


# --- CSV upload ------------------------------------------------------------------------------


def _csv(*rows: str, header: str = "indicator_code,period,value,note") -> str:
    return "\n".join([header, *rows]) + "\n"


def _rejected(session, actor, content) -> list[svc.RowError]:
    with pytest.raises(svc.UploadRejected) as info:
        svc.import_values_csv(session, actor, content, TODAY)
    return info.value.errors


def test_a_good_file_writes_every_row_in_one_go(mini_session):
    admin = _people(mini_session)["admin"]
    nit = _nit(mini_session)
    before_audit = _count(mini_session, AuditEvent)
    content = _csv(
        "NIT,2025/26,2380,Year end",
        "nit,2025-Q2,2390,lower-case code and quarter",
        'NIT,2025-07,"2,395","A note, with a comma"',
        "NIT,2025,2391",
        "",  # a blank line at the end is ignored
    ).encode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    result = svc.import_values_csv(mini_session, admin, content, TODAY, filename="values.csv")
    assert result.written == 4 and result.indicators == {"NIT": 4}
    written = {v.period: v for v in mini_session.exec(
        select(IndicatorValue).where(IndicatorValue.indicator_id == nit.id, IndicatorValue.recorded_by_id == admin.id))}
    assert set(written) == {"2025/26", "2025-Q2", "2025-07", "2025"}
    assert written["2025-07"].value == 2395 and written["2025-07"].note == "A note, with a comma"
    assert written["2025-Q2"].period_end == date(2025, 6, 30)
    assert written["2025"].period_end == date(2025, 12, 31)
    assert _count(mini_session, AuditEvent) == before_audit + 4
    assert "values.csv" in mini_session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first().summary


def test_the_fixture_files_parse(mini_session):
    # tests/fixtures/indicator_values_*.csv are the browser test's files (Northamptonshire codes):
    # here, only their shape. In the mini partnership their codes are unknown, row by row.
    good = (FIXTURES / "indicator_values_good.csv").read_bytes()
    errors = _rejected(mini_session, _people(mini_session)["admin"], good)
    assert errors and all(e.column == "indicator_code" and "no indicator with the code" in e.message for e in errors)
    assert [e.row for e in errors] == list(range(2, 2 + len(errors)))


def test_each_kind_of_bad_row_is_reported_and_nothing_is_written(mini_session):
    admin = _people(mini_session)["admin"]
    before = (_count(mini_session, IndicatorValue), _count(mini_session, AuditEvent))
    errors = _rejected(mini_session, admin, _csv(
        "NIT,2025/26,2380,fine on its own",      # row 2: good, but must not be written
        "NOPE,2025/26,1,",                        # row 3: unknown indicator
        "NIT,2025-13,1,",                         # row 4: bad period
        "NIT,2025-Q1,many,",                      # row 5: not a number
        "NIT,2024/25,2250,",                      # row 6: the period is already there
        "NIT,2025/26,2381,",                      # row 7: same indicator and period as row 2
        "NIT,2026/27,1,",                         # row 8: the period has not ended
        ",2025-Q3,1,",                            # row 9: no code
        "NIT,2025-Q4,,",                          # row 10: no value
    ))
    found = {(e.row, e.column) for e in errors}
    assert found == {(3, "indicator_code"), (4, "period"), (5, "value"), (6, "period"), (7, "period"),
                     (8, "period"), (9, "indicator_code"), (10, "value")}
    by_row = {e.row: e.message for e in errors}
    assert "no indicator with the code 'NOPE'" in by_row[3]
    assert "months run from 01 to 12" in by_row[4]
    assert "'many' is not a number" in by_row[5]
    assert "already has a value for 2024/25" in by_row[6] and "remove that value" in by_row[6]
    assert "Row 2 already gives NIT for 2025/26" in by_row[7]
    assert "does not end until" in by_row[8]
    assert (_count(mini_session, IndicatorValue), _count(mini_session, AuditEvent)) == before


def test_one_bad_row_among_good_ones_writes_nothing(mini_session):
    admin = _people(mini_session)["admin"]
    before = _count(mini_session, IndicatorValue)
    errors = _rejected(mini_session, admin, _csv("NIT,2025/26,2380,", "NIT,2025-Q2,2390,", "NIT,2025-Q3,oops,"))
    assert [(e.row, e.column) for e in errors] == [(4, "value")]
    assert _count(mini_session, IndicatorValue) == before


def test_one_row_can_have_several_problems(mini_session):
    errors = _rejected(mini_session, _people(mini_session)["admin"], _csv("NOPE,20xx,abc,"))
    assert [(e.row, e.column) for e in errors] == [(2, "indicator_code"), (2, "period"), (2, "value")]


@pytest.mark.parametrize(("content", "says"), [
    ("", "The file is empty"),
    ("indicator_code,period,value,note\n", "no rows of values"),
    ("code,period,value\nNIT,2025/26,1\n", "needs the column indicator_code"),
    ("indicator_code,period,value,comment\nNIT,2025/26,1,x\n", "Unexpected column 'comment'"),
    ("indicator_code,period,value,value\nNIT,2025/26,1,2\n", "more than once"),
    (b"\xff\xfe\x00\x00\x81\x8d", "not text"),
])
def test_file_level_problems(mini_session, content, says):
    errors = _rejected(mini_session, _people(mini_session)["admin"], content)
    assert any(says in e.message for e in errors), errors


def test_a_row_with_too_many_cells_is_reported(mini_session):
    errors = _rejected(mini_session, _people(mini_session)["admin"],
                       _csv("NIT,2025/26,2380,a note, with an unquoted comma"))
    assert errors[0].row == 2 and "stray comma" in errors[0].message


def test_columns_may_come_in_any_order_and_note_may_be_left_out(mini_session):
    admin = _people(mini_session)["admin"]
    result = svc.import_values_csv(mini_session, admin, "Value,Period,Indicator_Code\n2380,2025/26,NIT\n", TODAY)
    assert result.written == 1


def test_semicolon_separated_files_are_read(mini_session):
    admin = _people(mini_session)["admin"]
    result = svc.import_values_csv(mini_session, admin, "indicator_code;period;value;note\nNIT;2025/26;2380;\n", TODAY)
    assert result.written == 1


def test_a_lead_may_upload_only_for_indicators_linked_to_their_actions(mini_session):
    people = _people(mini_session)
    admin, lead = people["admin"], people["lead"]
    other = svc.create_indicator(mini_session, admin, {"code": "L-OTHER", "name": "Another local indicator"})
    before = _count(mini_session, IndicatorValue)
    errors = _rejected(mini_session, lead, _csv("NIT,2025/26,2380,", "L-OTHER,2025/26,5,"))
    assert [(e.row, e.column) for e in errors] == [(3, "indicator_code")]
    assert "You cannot enter data for L-OTHER" in errors[0].message
    assert _count(mini_session, IndicatorValue) == before
    assert svc.import_values_csv(mini_session, lead, _csv("NIT,2025/26,2380,"), TODAY).written == 1
    assert other.id not in svc.editable_indicator_ids(mini_session, lead)


@pytest.mark.parametrize("who", ["viewer", "chair", "owner", "pat"])
def test_people_who_may_enter_no_data_cannot_upload(mini_session, who):
    with pytest.raises(PermissionDenied):
        svc.import_values_csv(mini_session, _people(mini_session)[who], _csv("NIT,2025/26,2380,"), TODAY)


def test_a_clash_with_a_value_saved_meanwhile_raises_conflict(mini_session, monkeypatch):
    """If someone saves the same period between the check and the write, the database's unique
    constraint stops the upload, and it is reported as a conflict (the caller rolls back)."""
    admin = _people(mini_session)["admin"]
    nit = _nit(mini_session)
    rows = svc.validate_csv(mini_session, admin, _csv("NIT,2025/26,2380,"), TODAY)
    mini_session.add(IndicatorValue(indicator_id=nit.id, period="2025/26", period_end=date(2026, 3, 31), value=1))
    mini_session.flush()
    monkeypatch.setattr(csv_import, "validate_csv", lambda *a, **k: rows)
    with pytest.raises(Conflict):
        svc.import_values_csv(mini_session, admin, "ignored", TODAY)


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
