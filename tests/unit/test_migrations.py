"""Migrations: they build the whole schema, they agree with the models, and they upgrade a database
made by an older tracker (tables from create_all, no migration history) without losing a row."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from tests.conftest import SEED_DIR
from tracker import migrate
from tracker.db import make_engine
from tracker.seed import seed_database


def test_upgrade_head_builds_an_empty_database_that_matches_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert migrate.upgrade(engine) == migrate.head()
    assert migrate.pending_changes(engine) == []  # a model change without its migration fails here
    assert "ix_statusupdate_latest" in {i["name"] for i in inspect(engine).get_indexes("statusupdate")}
    assert seed_database(engine, SEED_DIR) is True  # the seed loads into a migrated database
    engine.dispose()


def test_a_database_made_before_migrations_is_stamped_and_upgraded_keeping_its_rows(tmp_path):
    """The file the tracker made before migrations: the baseline's tables, filled by the old seed."""
    from alembic import command

    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(migrate.config(conn), migrate.BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))  # as create_all left it: no history
        conn.execute(text("INSERT INTO partnership (slug, name, area, chair_name, sro_name, rag_scale, "
                          "stale_after_days, notes) VALUES ('old', 'Old CDP', 'Somewhere', '', '', 'standard', 90, '')"))
    assert "ix_statusupdate_latest" not in {i["name"] for i in inspect(engine).get_indexes("statusupdate")}
    assert migrate.upgrade(engine) == migrate.head()
    with engine.connect() as conn:
        row = conn.execute(text("SELECT name, update_deadline_working_days FROM partnership")).one()
    assert tuple(row) == ("Old CDP", 10)  # the row kept, the new column given its default
    assert migrate.pending_changes(engine) == []
    assert "ix_statusupdate_latest" in {i["name"] for i in inspect(engine).get_indexes("statusupdate")}
    engine.dispose()


def test_upgrading_twice_changes_nothing(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'twice.db'}")
    migrate.upgrade(engine)
    assert migrate.upgrade(engine) == migrate.head()
    engine.dispose()


@pytest.mark.postgres
def test_upgrade_head_on_postgresql_matches_the_models():
    from tests.postgres import postgres_engine  # skips (outside CI) when no server answers

    engine, drop = postgres_engine()
    try:
        assert migrate.upgrade(engine) == migrate.head()
        assert migrate.pending_changes(engine) == []
        assert seed_database(engine, SEED_DIR) is True
    finally:
        drop()



def test_the_stored_status_migration_fills_existing_actions_from_their_history(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'status.db'}")
    migrate.upgrade(engine)
    seed_database(engine, SEED_DIR)
    migrate.downgrade(engine, "0004_sign_in_protection")  # back to before the columns existed ...
    migrate.upgrade(engine)  # ... and forward again: the columns are filled from the history
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT a.latest_rag, (SELECT rag FROM statusupdate s WHERE s.action_id = a.id "
            "ORDER BY update_date DESC, id DESC LIMIT 1) FROM action a")).all()
    assert rows and all(stored == newest for stored, newest in rows)
    assert sum(1 for stored, _ in rows if stored is not None) > 30
    engine.dispose()
