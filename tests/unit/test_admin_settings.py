"""The administrator's services behind /admin/embeds, /admin/strategy and /admin/thresholds: embed
tokens with an expiry, themes and objectives added, renamed, retired and restored, and the partnership's
thresholds. Each: refused to a non-admin with nothing written, audited, bad input named by field, and a
change made by someone else since the page was opened refused rather than overwritten."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from tests.conftest import DEMO_EMAILS, TODAY, person_by_email
from tests.factories import build_world
from tracker.db import create_schema, make_engine, session_scope
from tracker.models import Action, AuditEvent, EmbedToken, Objective, Partnership, Person, Theme
from tracker.services import embeds, strategy_admin, thresholds
from tracker.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied


def audit_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_type != "Account")).one()


def first_theme(session: Session, partnership: Partnership) -> Theme:
    return session.exec(select(Theme).where(Theme.partnership_id == partnership.id).order_by(Theme.number)).first()


def objective_with_actions(session: Session, partnership: Partnership) -> Objective:
    used = session.exec(select(Action.objective_id).where(Action.partnership_id == partnership.id,
                                                          Action.objective_id.is_not(None))).first()
    return session.get(Objective, used)


# --- Embed tokens with an expiry ---------------------------------------------------------------


def test_a_token_opens_its_view_until_its_expiry_day_and_not_after(session, admin, partnership):
    row, plain = embeds.create_embed_token(session, admin, "overview", "Intranet", TODAY + timedelta(days=30), TODAY)
    session.commit()
    assert row.expires_on == TODAY + timedelta(days=30)
    assert embeds.resolve(session, plain, "overview", TODAY + timedelta(days=30)) == partnership.id
    assert embeds.resolve(session, plain, "overview", TODAY + timedelta(days=31)) is None
    assert embeds.token_state(row, TODAY + timedelta(days=31)) == "expired"
    event = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "EmbedToken")).all()[-1]
    assert "until" in event.summary and '"expires_on"' in event.after


@pytest.mark.parametrize(("expires", "message"), [
    (TODAY - timedelta(days=1), "has passed: choose today or a later date"),
    (TODAY + timedelta(days=4 * 365), "Choose an expiry within three years"),
    ("31/03/2027", "Enter the expiry as a date"),
])
def test_a_bad_expiry_is_refused_and_nothing_is_written(session, admin, expires, message):
    before = session.exec(select(func.count()).select_from(EmbedToken)).one()
    with pytest.raises(InvalidInput) as caught:
        embeds.create_embed_token(session, admin, "overview", "Intranet", expires, TODAY)
    assert message in caught.value.errors["expires_on"]
    assert session.exec(select(func.count()).select_from(EmbedToken)).one() == before


def test_only_an_admin_creates_lists_or_revokes_tokens(session, admin, chair, lead):
    row, _ = embeds.create_embed_token(session, admin, "overview", "Intranet", None, TODAY)
    for who in (chair, lead):
        with pytest.raises(PermissionDenied):
            embeds.create_embed_token(session, who, "overview", "Intranet", None, TODAY)
        with pytest.raises(PermissionDenied):
            embeds.revoke_embed_token(session, who, row.id)
        with pytest.raises(PermissionDenied):
            embeds.embed_tokens(session, who)
    assert not session.get(EmbedToken, row.id).revoked
    with pytest.raises(NotFound):
        embeds.revoke_embed_token(session, admin, "1")  # an id from the browser that is not a number


# --- Themes and objectives ---------------------------------------------------------------------


def test_an_admin_adds_renames_retires_and_restores_a_theme_with_audit(session, admin, partnership):
    before = audit_count(session)
    theme = strategy_admin.add_theme(session, admin, {"number": 5, "name": "  Housing and  homelessness ",
                                                      "description": ""})
    assert (theme.number, theme.name, theme.retired) == (5, "Housing and homelessness", False)
    theme = strategy_admin.edit_theme(session, admin, theme.id, {"name": "Housing", "description": "Rough sleepers"},
                                      strategy_admin.loaded(theme))
    theme = strategy_admin.set_theme_retired(session, admin, theme.id, True, strategy_admin.loaded(theme))
    assert theme.retired and theme.name == "Housing"
    theme = strategy_admin.set_theme_retired(session, admin, theme.id, False, strategy_admin.loaded(theme))
    assert not theme.retired
    events = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "Theme").order_by(AuditEvent.id)).all()
    assert [e.summary for e in events[-4:]] == ["Theme 5 added: Housing and homelessness", "Theme 5 renamed: Housing",
                                                "Theme 5 retired: Housing", "Theme 5 restored: Housing"]
    assert audit_count(session) == before + 4


def test_retiring_an_objective_keeps_its_actions(session, admin, partnership):
    objective = objective_with_actions(session, partnership)
    count = strategy_admin.action_counts(session, partnership.id)[objective.id]
    objective = strategy_admin.set_objective_retired(session, admin, objective.id, True,
                                                     strategy_admin.loaded(objective))
    assert objective.retired
    assert strategy_admin.action_counts(session, partnership.id)[objective.id] == count


@pytest.mark.parametrize(("call", "field", "message"), [
    (lambda s, a, t: strategy_admin.add_theme(s, a, {"number": t.number, "name": "A new theme"}), "number",
     "already exists: choose another number"),
    (lambda s, a, t: strategy_admin.add_theme(s, a, {"number": 9, "name": t.name.upper()}), "name",
     "There is already a theme called"),
    (lambda s, a, t: strategy_admin.add_theme(s, a, {"number": 0, "name": "Zero"}), "number", ""),
    (lambda s, a, t: strategy_admin.edit_theme(s, a, t.id, {"name": "x"}, strategy_admin.loaded(t)), "name",
     "at least 3 characters"),
    (lambda s, a, t: strategy_admin.add_objective(s, a, {"theme_id": t.id, "code": "T 1", "title": "Outreach"}),
     "code", "letters, digits, dots or dashes"),
    (lambda s, a, t: strategy_admin.add_objective(s, a, {"theme_id": 999999, "code": "T9.1", "title": "Outreach"}),
     "theme_id", "Choose the theme"),
])
def test_bad_input_names_what_to_fix_and_writes_nothing(session, admin, partnership, call, field, message):
    theme = first_theme(session, partnership)
    before = audit_count(session)
    with pytest.raises(InvalidInput) as caught:
        call(session, admin, theme)
    assert message in caught.value.errors[field], caught.value.errors
    session.rollback()
    assert audit_count(session) == before


def test_an_objective_code_already_used_is_refused(session, admin, partnership):
    objective = objective_with_actions(session, partnership)
    with pytest.raises(InvalidInput) as caught:
        strategy_admin.add_objective(session, admin, {"theme_id": objective.theme_id, "code": objective.code.lower(),
                                                      "title": "Another"})
    assert caught.value.errors["code"].startswith(f"{objective.code} is already the code of")


def test_an_objective_cannot_be_added_under_or_restored_into_a_retired_theme(session, admin, partnership):
    theme = first_theme(session, partnership)
    objective = session.exec(select(Objective).where(Objective.theme_id == theme.id)).first()
    objective = strategy_admin.set_objective_retired(session, admin, objective.id, True,
                                                     strategy_admin.loaded(objective))
    strategy_admin.set_theme_retired(session, admin, theme.id, True, strategy_admin.loaded(theme))
    with pytest.raises(InvalidInput, match="is retired"):
        strategy_admin.add_objective(session, admin, {"theme_id": theme.id, "code": "T1.9", "title": "New work"})
    with pytest.raises(InvalidInput, match="restore the theme first"):
        strategy_admin.set_objective_retired(session, admin, objective.id, False, strategy_admin.loaded(objective))


def test_a_non_admin_is_refused_every_change_and_nothing_is_written(session, partnership, chair, lead, viewer):
    theme = first_theme(session, partnership)
    objective = session.exec(select(Objective).where(Objective.theme_id == theme.id)).first()
    before = audit_count(session)
    for who in (chair, lead, viewer):
        for call in (
            lambda who=who: strategy_admin.add_theme(session, who, {"number": 9, "name": "Nine"}),
            lambda who=who: strategy_admin.edit_theme(session, who, theme.id, {"name": "Renamed"}, strategy_admin.loaded(theme)),
            lambda who=who: strategy_admin.set_theme_retired(session, who, theme.id, True, strategy_admin.loaded(theme)),
            lambda who=who: strategy_admin.add_objective(session, who, {"theme_id": theme.id, "code": "Z1", "title": "Zed"}),
            lambda who=who: strategy_admin.edit_objective(session, who, objective.id, {"title": "Renamed"},
                                                  strategy_admin.loaded(objective)),
            lambda who=who: strategy_admin.set_objective_retired(session, who, objective.id, True,
                                                         strategy_admin.loaded(objective)),
            lambda who=who: thresholds.update_thresholds(session, who, {"stale_after_days": 30,
                                                                "update_deadline_working_days": 5},
                                                 {"stale_after_days": 90, "update_deadline_working_days": 10}),
        ):
            with pytest.raises(PermissionDenied):
                call()
    session.expire_all()
    assert first_theme(session, partnership).name == theme.name and audit_count(session) == before


def test_another_partnerships_theme_is_not_found(session, admin, partnership):
    other = Partnership(slug="elsewhere", name="Elsewhere CDP", area="Elsewhere")
    session.add(other)
    session.flush()
    theirs = Theme(partnership_id=other.id, number=1, name="Their theme")
    session.add(theirs)
    session.flush()
    with pytest.raises(NotFound):
        strategy_admin.edit_theme(session, admin, theirs.id, {"name": "Ours now"}, strategy_admin.loaded(theirs))


def test_a_rename_after_someone_elses_is_a_conflict_not_an_overwrite(engine: Engine):
    with Session(engine) as s:
        theme = s.exec(select(Theme).order_by(Theme.number)).first()
        opened = strategy_admin.loaded(theme)  # both editors open the page
        theme_id = theme.id
    with session_scope(engine) as s:
        strategy_admin.edit_theme(s, person_by_email(s, DEMO_EMAILS["admin"]), theme_id,
                                  {"name": "Breaking supply chains"}, opened)
    with pytest.raises(Conflict, match="Someone else changed this theme"), session_scope(engine) as s:
        strategy_admin.edit_theme(s, person_by_email(s, DEMO_EMAILS["admin"]), theme_id,
                                  {"name": "Disrupting supply"}, opened)
    with Session(engine) as s:
        assert s.get(Theme, theme_id).name == "Breaking supply chains"


def test_simultaneous_renames_land_exactly_once(tmp_path):
    # A database file (not the shared in-memory one), so each writer has its own connection and lock.
    engine = make_engine(f"sqlite:///{tmp_path / 'renames.db'}")
    create_schema(engine)
    with session_scope(engine) as s:
        world = build_world(s)
        theme = s.get(Theme, world.objective.theme_id)
        opened, theme_id, admin_id = strategy_admin.loaded(theme), theme.id, world.admin.id
    results: list[str] = []
    barrier = threading.Barrier(4)

    def rename(n: int) -> None:
        barrier.wait()
        try:
            with session_scope(engine) as s:
                strategy_admin.edit_theme(s, s.get(Person, admin_id), theme_id, {"name": f"Supply, version {n}"},
                                          opened)
            results.append("saved")
        except Conflict:
            results.append("conflict")

    threads = [threading.Thread(target=rename, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["conflict"] * 3 + ["saved"]
    with Session(engine) as s:
        assert s.get(Theme, theme_id).name.startswith("Supply, version")
        assert s.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_type == "Theme")).one() == 1
    engine.dispose()


# --- Thresholds --------------------------------------------------------------------------------


def test_an_admin_changes_the_thresholds_with_audit_and_the_plan_uses_them(session, admin, partnership):
    opened = thresholds.thresholds(session, admin)
    assert opened["stale_after_days"] == partnership.stale_after_days and opened["at_risk_margin"] == 0.10
    thresholds.update_thresholds(session, admin, {"stale_after_days": "60", "update_deadline_working_days": 5},
                                 opened)
    session.expire_all()
    assert (session.get(Partnership, partnership.id).stale_after_days,
            session.get(Partnership, partnership.id).update_deadline_working_days) == (60, 5)
    event = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "Partnership")).all()[-1]
    assert event.summary.startswith("Thresholds changed (days without an update: 90 → 60;")


@pytest.mark.parametrize(("data", "field"), [
    ({"stale_after_days": 3, "update_deadline_working_days": 10}, "stale_after_days"),
    ({"stale_after_days": "ninety", "update_deadline_working_days": 10}, "stale_after_days"),
    ({"stale_after_days": 90, "update_deadline_working_days": -1}, "update_deadline_working_days"),
])
def test_bad_thresholds_are_refused_by_field(session, admin, partnership, data, field):
    with pytest.raises(InvalidInput) as caught:
        thresholds.update_thresholds(session, admin, data, thresholds.thresholds(session, admin))
    assert field in caught.value.errors
    session.expire_all()
    assert session.get(Partnership, partnership.id).stale_after_days == partnership.stale_after_days


def test_thresholds_changed_since_the_page_opened_are_a_conflict(session, admin, partnership):
    opened = thresholds.thresholds(session, admin)
    thresholds.update_thresholds(session, admin, {"stale_after_days": 60, "update_deadline_working_days": 10}, opened)
    with pytest.raises(Conflict, match="Someone else changed the thresholds"):
        thresholds.update_thresholds(session, admin, {"stale_after_days": 120, "update_deadline_working_days": 10},
                                     opened)
    session.expire_all()
    assert session.get(Partnership, partnership.id).stale_after_days == 60
