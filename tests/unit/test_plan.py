"""tracker.services.plan: each action's current RAG and exception flags, and the overview figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from tests.factories import build_world
from tracker.models import Action, Partnership, StatusUpdate
from tracker.services import plan
from tracker.services.plan import PlanFilter

TODAY = date(2026, 11, 23)


def add_update(session: Session, action: Action, days_ago: int, rag: str, progress: int = 50) -> StatusUpdate:
    row = StatusUpdate(action_id=action.id, update_date=TODAY - timedelta(days=days_ago), rag=rag,
                       progress=progress, narrative="n")
    session.add(row)
    session.commit()
    return row


def add_action(session: Session, world, ref: str, **fields) -> Action:
    values = {"partnership_id": world.partnership_id, "subgroup_id": world.subgroup_a.id, "ref": ref,
              "title": f"Action {ref}", "start_date": date(2026, 1, 1), "due_date": date(2027, 3, 31),
              "status": "in_progress"} | fields
    action = Action(**values)
    session.add(action)
    session.commit()
    return action


def row_of(session: Session, world, action: Action) -> plan.ActionRow:
    row = plan.plan_row(session, world.partnership_id, action.id, TODAY)
    assert row is not None
    return row


# --- The current RAG --------------------------------------------------------------------------


def test_a_never_updated_action_is_grey_with_no_progress(db_session, world):
    row = row_of(db_session, world, world.action)
    assert (row.rag, row.progress, row.last_update, row.previous_rag) == ("grey", 0, None, None)


def test_the_latest_update_gives_the_rag_and_progress(db_session, world):
    add_update(db_session, world.action, 40, "green", 30)
    add_update(db_session, world.action, 10, "amber", 35)
    row = row_of(db_session, world, world.action)
    assert (row.rag, row.progress, row.previous_rag) == ("amber", 35, "green")
    assert row.last_update == TODAY - timedelta(days=10)


def test_a_complete_action_is_blue_at_100_whatever_its_last_update_said(db_session, world):
    add_update(db_session, world.action, 10, "green", 80)
    world.action.status = "complete"
    db_session.add(world.action)
    db_session.commit()
    row = row_of(db_session, world, world.action)
    assert (row.rag, row.progress) == ("blue", 100)
    assert row.exceptions == []


def test_two_updates_on_the_same_day_the_later_one_counts(db_session, world):
    add_update(db_session, world.action, 5, "green")
    add_update(db_session, world.action, 5, "red")
    assert row_of(db_session, world, world.action).rag == "red"


# --- Overdue ----------------------------------------------------------------------------------


def test_an_open_action_past_its_due_date_is_overdue(db_session, world):
    late = add_action(db_session, world, "TR-02", due_date=TODAY - timedelta(days=1))
    due_today = add_action(db_session, world, "TR-03", due_date=TODAY)
    assert row_of(db_session, world, late).overdue
    assert "Overdue" in row_of(db_session, world, late).exceptions
    assert not row_of(db_session, world, due_today).overdue


@pytest.mark.parametrize("status", ["complete", "cancelled"])
def test_a_finished_action_is_never_overdue(db_session, world, status):
    done = add_action(db_session, world, "TR-02", due_date=TODAY - timedelta(days=100), status=status)
    assert not row_of(db_session, world, done).overdue


# --- Not updated (stale) ----------------------------------------------------------------------


def test_an_action_not_updated_in_stale_after_days_is_stale(db_session, world):
    partnership = db_session.get(Partnership, world.partnership_id)
    assert partnership.stale_after_days == 90
    recent = add_action(db_session, world, "TR-02")
    old = add_action(db_session, world, "TR-03")
    add_update(db_session, recent, 90, "green")  # exactly 90 days: still current
    add_update(db_session, old, 91, "green")
    assert not row_of(db_session, world, recent).stale
    assert row_of(db_session, world, old).stale
    assert "Not updated" in row_of(db_session, world, old).exceptions


def test_the_stale_threshold_is_the_partnerships_setting(db_session, world):
    add_update(db_session, world.action, 40, "green")
    assert not row_of(db_session, world, world.action).stale
    partnership = db_session.get(Partnership, world.partnership_id)
    partnership.stale_after_days = 30
    db_session.commit()
    assert row_of(db_session, world, world.action).stale


def test_a_started_action_never_updated_goes_stale_from_its_start(db_session, world):
    long_ago = add_action(db_session, world, "TR-02", start_date=TODAY - timedelta(days=200), status="not_started")
    lately = add_action(db_session, world, "TR-03", start_date=TODAY - timedelta(days=20), status="not_started")
    future = add_action(db_session, world, "TR-04", start_date=TODAY + timedelta(days=20),
                        due_date=TODAY + timedelta(days=200), status="not_started")
    assert row_of(db_session, world, long_ago).stale
    assert not row_of(db_session, world, lately).stale
    assert not row_of(db_session, world, future).stale


def test_a_complete_action_is_never_stale(db_session, world):
    done = add_action(db_session, world, "TR-02", status="complete")
    add_update(db_session, done, 400, "blue", 100)
    assert not row_of(db_session, world, done).stale


# --- Deteriorating ----------------------------------------------------------------------------


@pytest.mark.parametrize("previous, latest, worse", [
    ("green", "amber", True),
    ("green", "red", True),
    ("amber", "red", True),
    ("red", "amber", False),
    ("amber", "green", False),
    ("red", "red", False),
    ("grey", "red", False),  # grey has no severity: starting is not deteriorating
])
def test_deteriorating_means_the_severity_rose_at_the_last_update(db_session, world, previous, latest, worse):
    add_update(db_session, world.action, 60, previous)
    add_update(db_session, world.action, 5, latest, 50 if latest != "blue" else 100)
    row = row_of(db_session, world, world.action)
    assert row.deteriorated is worse
    assert ("Deteriorating" in row.exceptions) is worse


def test_only_the_last_two_updates_count_for_deterioration(db_session, world):
    add_update(db_session, world.action, 90, "green")
    add_update(db_session, world.action, 60, "red")
    add_update(db_session, world.action, 5, "red")
    assert not row_of(db_session, world, world.action).deteriorated


def test_a_single_update_is_not_deteriorating(db_session, world):
    add_update(db_session, world.action, 5, "red")
    row = row_of(db_session, world, world.action)
    assert not row.deteriorated and row.exceptions == ["Red"]


# --- plan_row and filters ---------------------------------------------------------------------


def test_plan_row_matches_the_row_in_plan_rows(db_session, world):
    add_update(db_session, world.action, 5, "amber")
    [row] = [r for r in plan.plan_rows(db_session, world.partnership_id, TODAY) if r.id == world.action.id]
    assert plan.plan_row(db_session, world.partnership_id, world.action.id, TODAY) == row
    assert row.subgroup == world.subgroup_a.name and row.owner == world.owner.name
    assert row.objective == "T2.1 More people in treatment" and row.theme == "2. Treatment and recovery"


def test_plan_row_of_another_partnerships_action_is_none(db_session, world):
    other = build_world(db_session, slug="elsewhere")
    db_session.commit()
    assert plan.plan_row(db_session, world.partnership_id, other.action.id, TODAY) is None
    assert plan.plan_row(db_session, world.partnership_id, 999_999, TODAY) is None


def test_a_partnership_sees_only_its_own_actions(db_session, world):
    other = build_world(db_session, slug="elsewhere")
    db_session.commit()
    ids = {r.id for r in plan.plan_rows(db_session, world.partnership_id, TODAY)}
    assert world.action.id in ids and other.action.id not in ids


def test_filters_by_subgroup_owner_and_theme(db_session, world):
    in_b = add_action(db_session, world, "SUP-01", subgroup_id=world.subgroup_b.id, owner_id=world.other_lead.id)
    rows = plan.plan_rows(db_session, world.partnership_id, TODAY)
    by_subgroup = plan.plan_rows(db_session, world.partnership_id, TODAY, PlanFilter(subgroup_id=world.subgroup_b.id))
    by_owner = plan.plan_rows(db_session, world.partnership_id, TODAY, PlanFilter(owner_id=world.owner.id))
    by_theme = plan.plan_rows(db_session, world.partnership_id, TODAY,
                              PlanFilter(theme_id=world.objective.theme_id))
    assert {r.id for r in rows} == {world.action.id, in_b.id}
    assert [r.id for r in by_subgroup] == [in_b.id]
    assert [r.id for r in by_owner] == [world.action.id]
    assert [r.id for r in by_theme] == [world.action.id]


# --- The overview -----------------------------------------------------------------------------


def _check_sums(summary: plan.Overview) -> None:
    assert sum(summary.by_rag.values()) == summary.total
    assert sum(sum(c.values()) for c in summary.by_theme.values()) == summary.total
    assert sum(sum(c.values()) for c in summary.by_subgroup.values()) == summary.total
    assert sum(p.actions for p in summary.progress_by_objective) == summary.total
    for code in {code for c in summary.by_theme.values() for code in c}:
        assert sum(c[code] for c in summary.by_theme.values()) == summary.by_rag[code]
        assert sum(c[code] for c in summary.by_subgroup.values()) == summary.by_rag[code]
    assert summary.red == summary.by_rag.get("red", 0)
    assert summary.overdue <= summary.total and summary.stale <= summary.total


def test_overview_counts_by_theme_and_subgroup_sum_to_the_total(db_session, world):
    red = add_action(db_session, world, "TR-02", due_date=TODAY - timedelta(days=3))
    add_update(db_session, red, 3, "red")
    green = add_action(db_session, world, "SUP-01", subgroup_id=world.subgroup_b.id)
    add_update(db_session, green, 3, "green")
    add_action(db_session, world, "SUP-02", subgroup_id=world.subgroup_b.id, status="cancelled")
    add_update(db_session, world.action, 200, "amber")

    summary = plan.overview(db_session, world.partnership_id, TODAY)
    _check_sums(summary)
    assert summary.total == 3  # cancelled actions are left out
    assert summary.by_rag == {"red": 1, "green": 1, "amber": 1}
    assert summary.by_subgroup == {world.subgroup_a.name: {"red": 1, "amber": 1}, world.subgroup_b.name: {"green": 1}}
    assert summary.by_theme == {"2. Treatment and recovery": {"amber": 1}, "No theme": {"red": 1, "green": 1}}
    assert (summary.red, summary.overdue, summary.stale) == (1, 1, 1)
    # The worst first: red before the others.
    assert [r.ref for r in summary.exceptions] == ["TR-02", "TR-01"]


def test_the_overview_follows_a_new_update(db_session, world):
    add_update(db_session, world.action, 10, "green")
    before = plan.overview(db_session, world.partnership_id, TODAY)
    add_update(db_session, world.action, 0, "red")
    after = plan.overview(db_session, world.partnership_id, TODAY)
    assert (before.red, after.red) == (0, 1)
    assert after.deteriorated == 1 and after.exceptions[0].id == world.action.id


def test_the_mini_fixtures_overview(mini_session):
    """The tiny seeded partnership (tests/fixtures/mini): figures worked out by hand."""
    partnership = mini_session.exec(select(Partnership)).one()
    summary = plan.overview(mini_session, partnership.id, TODAY)
    _check_sums(summary)
    rows = {r.ref: r for r in plan.plan_rows(mini_session, partnership.id, TODAY)}
    assert (rows["TR-01"].rag, rows["TR-01"].deteriorated) == ("amber", True)
    assert (rows["TR-02"].rag, rows["TR-02"].overdue) == ("red", True)
    assert (rows["SUP-01"].rag, rows["SUP-01"].progress) == ("blue", 100)
    assert (rows["SUP-02"].rag, rows["SUP-02"].stale) == ("grey", False)
    assert summary.total == 4 and summary.red == 1 and summary.overdue == 1 and summary.deteriorated == 1


def test_the_seeded_partnerships_overview_adds_up(session, partnership, today):
    """The Northamptonshire seed: whatever the plan holds, every breakdown sums to the total."""
    summary = plan.overview(session, partnership.id, today)
    assert summary.total > 0
    _check_sums(summary)
    for theme_id in {r.theme_id for r in plan.plan_rows(session, partnership.id, today) if r.theme_id}:
        part = plan.overview(session, partnership.id, today, PlanFilter(theme_id=theme_id))
        _check_sums(part)


def test_plan_row_of_every_seeded_action_is_its_row_in_the_plan(session, partnership, today):
    """One action's row is read for that action alone, and says exactly what the plan views say."""
    rows = plan.plan_rows(session, partnership.id, today)
    assert len(rows) > 10 and any(r.previous_rag for r in rows) and any(r.theme_id for r in rows)
    for row in rows:
        assert plan.plan_row(session, partnership.id, row.id, today) == row


def test_plan_row_reads_a_few_rows_whatever_the_size_of_the_plan(session, partnership, today):
    from sqlalchemy import event

    statements: list[str] = []
    engine = session.get_bind()

    def count(_conn, _cursor, statement, *_):
        statements.append(statement)

    row = plan.plan_rows(session, partnership.id, today)[0]
    event.listen(engine, "before_cursor_execute", count)
    try:
        plan.plan_row(session, partnership.id, row.id, today)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 10
    assert not any("row_number" in s.lower() for s in statements)  # no ranking of the whole plan's updates
