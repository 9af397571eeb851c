"""Indicators: values uploaded as a CSV file, every kind of bad row reported, all or nothing, who may upload.

Most tests use the tiny partnership in tests/fixtures/mini/: indicator NIT (adults in treatment,
higher is better, baseline 2,000 in 2022/23, target 2,400 by 31 March 2026) is linked to action
TR-01 of the treatment subgroup, which lee (lead@) leads; owen (owner@) owns TR-01 but leads
nothing; pat leads the supply subgroup, whose actions are linked to no indicator.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests.conftest import TODAY
from tests.unit.indicator_support import FIXTURES, _count, _nit, _people
from tracker.models import AuditEvent, IndicatorValue
from tracker.services import indicators as svc
from tracker.services.errors import Conflict, PermissionDenied
from tracker.services.indicators import csv_import

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
