"""The stored current status on each action: the plan views read it instead of ranking every update,
so it must give exactly the figures the update history gives, and stay in step with every new update."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from tracker.models import Action, StatusUpdate
from tracker.models.plan import store_current_status
from tracker.services import actions, plan
from tracker.services.errors import InvalidInput
from tracker.services.plan import PlanFilter
from tracker.services.reference import rag_by_code


def history_figures(session: Session, partnership_id: int, today: date) -> dict[int, dict]:
    """The old way, from the updates table itself: each action's two newest updates, then the rules."""
    stale_days = session.execute(text("SELECT stale_after_days FROM partnership WHERE id = :p"),
                                 {"p": partnership_id}).scalar_one()
    severity = {code: rag.severity for code, rag in rag_by_code(session, partnership_id).items()}
    updates: dict[int, list] = {}
    for action_id, update_date, rag, progress in session.execute(text(
            "SELECT action_id, update_date, rag, progress FROM statusupdate ORDER BY action_id, update_date DESC, id DESC")):
        updates.setdefault(action_id, []).append((date.fromisoformat(str(update_date)), rag, progress))
    figures = {}
    for action in session.exec(select(Action).where(Action.partnership_id == partnership_id)):
        two = updates.get(action.id, [])[:2]
        latest, previous = (two + [None, None])[:2]
        rag = "blue" if action.status == "complete" else (latest[1] if latest else "grey")
        is_open = action.status in plan.OPEN_STATUSES
        last_seen = latest[0] if latest else action.start_date
        started = action.start_date is None or action.start_date <= today
        figures[action.id] = {
            "rag": rag,
            "progress": 100 if action.status == "complete" else (latest[2] if latest else 0),
            "last_update": latest[0] if latest else None,
            "previous_rag": previous[1] if previous else None,
            "overdue": bool(is_open and action.due_date and action.due_date < today),
            "stale": bool(is_open and started and last_seen is not None
                          and last_seen < today - timedelta(days=stale_days)),
            "deteriorated": bool(is_open and previous is not None and rag in severity and previous[1] in severity
                                 and severity[rag] > severity[previous[1]]),
            "status": action.status,
        }
    return figures


def as_figures(row: plan.ActionRow) -> dict:
    return {"rag": row.rag, "progress": row.progress, "last_update": row.last_update,
            "previous_rag": row.previous_rag, "overdue": row.overdue, "stale": row.stale,
            "deteriorated": row.deteriorated, "status": row.status}


def summary_of(figures: list[dict]) -> tuple:
    return (len(figures), Counter(f["rag"] for f in figures), sum(f["overdue"] for f in figures),
            sum(f["stale"] for f in figures), sum(f["deteriorated"] for f in figures),
            sum(f["rag"] == "red" for f in figures))


def test_every_action_of_the_seed_has_the_figures_its_history_gives(session, partnership, today):
    expected = history_figures(session, partnership.id, today)
    rows = plan.plan_rows(session, partnership.id, today, PlanFilter(include_cancelled=True))
    assert len(rows) == len(expected) >= 45
    assert {r.id: as_figures(r) for r in rows} == expected
    for row in rows[:5]:  # one action alone reads the same
        assert as_figures(plan.plan_row(session, partnership.id, row.id, today)) == expected[row.id]


def test_the_overview_theme_and_subgroup_figures_of_the_seed_are_those_of_the_history(session, partnership, today):
    expected = history_figures(session, partnership.id, today)
    rows = plan.plan_rows(session, partnership.id, today, PlanFilter(include_cancelled=True))
    open_rows = [r for r in rows if r.status != "cancelled"]
    ov = plan.overview(session, partnership.id, today)
    assert (ov.total, ov.by_rag, ov.overdue, ov.stale, ov.deteriorated, ov.red) == summary_of(
        [expected[r.id] for r in open_rows])
    assert sum(ov.by_theme.values(), Counter()) == ov.by_rag
    assert ov.exceptions and all(r.exceptions for r in ov.exceptions)
    for theme_id in {r.theme_id for r in open_rows}:
        theme = plan.overview(session, partnership.id, today, PlanFilter(theme_id=theme_id))
        assert (theme.total, theme.by_rag, theme.overdue, theme.stale, theme.deteriorated, theme.red) == summary_of(
            [expected[r.id] for r in open_rows if r.theme_id == theme_id])
    for subgroup_id in {r.subgroup_id for r in open_rows}:
        sub = plan.overview(session, partnership.id, today, PlanFilter(subgroup_id=subgroup_id))
        assert (sub.total, sub.by_rag, sub.overdue, sub.stale, sub.deteriorated, sub.red) == summary_of(
            [expected[r.id] for r in open_rows if r.subgroup_id == subgroup_id])


def test_the_stored_status_is_what_rewriting_it_from_the_history_gives(session, partnership):
    def stored():
        return session.execute(text("SELECT id, latest_rag, latest_progress, latest_update_date, latest_update_id, "
                                    "previous_rag FROM action ORDER BY id")).all()
    before = stored()
    assert any(r[1] for r in before)
    session.execute(text("UPDATE action SET latest_rag = NULL, latest_progress = NULL, latest_update_date = NULL, "
                         "latest_update_id = NULL, previous_rag = NULL"))
    store_current_status(session.connection(), partnership_id=partnership.id)
    assert stored() == before


def _open_action(session, partnership) -> Action:
    return session.exec(select(Action).where(Action.partnership_id == partnership.id,
                                             Action.status == "in_progress").order_by(Action.ref)).first()


def test_saving_an_update_stores_it_as_the_current_status_and_keeps_the_history(session, partnership, admin, today):
    action = _open_action(session, partnership)
    before = plan.plan_row(session, partnership.id, action.id, today)
    count = len(session.exec(select(StatusUpdate).where(StatusUpdate.action_id == action.id)).all())
    version = action.version
    update = actions.record_status_update(session, admin, action.id, {
        "update_date": today.isoformat(), "rag": "red", "progress": 41, "narrative": "Partner pulled out."}, today)
    row = plan.plan_row(session, partnership.id, action.id, today)
    assert (row.rag, row.progress, row.last_update, row.previous_rag) == ("red", 41, today, before.rag)
    assert session.execute(text("SELECT latest_update_id FROM action WHERE id = :a"), {"a": action.id}).scalar() == update.id
    assert len(session.exec(select(StatusUpdate).where(StatusUpdate.action_id == action.id)).all()) == count + 1
    # An update that changes no status leaves the action's version alone (no conflict with an editor).
    assert session.execute(text("SELECT version FROM action WHERE id = :a"), {"a": action.id}).scalar() == version
    assert as_figures(row) == history_figures(session, partnership.id, today)[action.id]


def test_a_backdated_update_does_not_become_the_current_status(session, partnership, admin, today):
    action = _open_action(session, partnership)
    before = plan.plan_row(session, partnership.id, action.id, today)
    assert before.last_update is not None
    older = max(before.last_update - timedelta(days=400), action.start_date or date.min)
    actions.record_status_update(session, admin, action.id, {
        "update_date": older.isoformat(), "rag": "amber", "progress": 5, "narrative": "Catching up the record."},
        today, late_reason="Recording an old meeting.")
    row = plan.plan_row(session, partnership.id, action.id, today)
    assert (row.rag, row.progress, row.last_update) == (before.rag, before.progress, before.last_update)
    assert as_figures(row) == history_figures(session, partnership.id, today)[action.id]


def test_a_refused_update_changes_neither_the_history_nor_the_stored_status(session, partnership, admin, today):
    action = _open_action(session, partnership)
    before = session.execute(text("SELECT latest_rag, latest_update_id FROM action WHERE id = :a"),
                             {"a": action.id}).one()
    with pytest.raises(InvalidInput):
        actions.record_status_update(session, admin, action.id, {
            "update_date": today.isoformat(), "rag": "purple", "progress": 50}, today)
    assert session.execute(text("SELECT latest_rag, latest_update_id FROM action WHERE id = :a"),
                           {"a": action.id}).one() == before
