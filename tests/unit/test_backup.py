"""Backup and restore through the command line: every table, every row, identical after a round trip,
SQLite -> PostgreSQL -> SQLite."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

from tests.postgres import postgres_engine
from tracker import cli
from tracker.db import make_engine
from tracker.migrate import upgrade as migrate

from ..conftest import MINI_SEED_DIR


def _everything(engine) -> dict:
    import tracker.models  # noqa: F401

    with engine.connect() as conn:
        return {t.name: [tuple(row) for row in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for t in SQLModel.metadata.sorted_tables}


@pytest.fixture
def source(tmp_path, monkeypatch):
    from tracker.seed import seed_database

    engine = make_engine(f"sqlite:///{tmp_path / 'source.db'}")
    migrate(engine)
    seed_database(engine, MINI_SEED_DIR, demo_accounts=True)
    from datetime import UTC, datetime

    from sqlmodel import Session

    from tracker.models import AuditEvent
    with Session(engine) as session:  # text that JSON must carry intact, a timestamp in BST, JSON inside
        session.add(AuditEvent(at=datetime(2026, 6, 30, 23, 30, 15, 123456, tzinfo=UTC), actor_name="Zoë O’Brien",
                               verb="update", entity_type="Action", summary="£1,234 — “quoted”\nnew line",
                               before='{"rag": "amber"}', after='{"rag": "green"}'))
        session.commit()
    yield engine
    engine.dispose()


def _run(engine, *args) -> int:
    return cli.main(list(args), engine=engine)


def test_a_round_trip_through_postgresql_gives_identical_data(source, tmp_path, capsys):
    first, second = tmp_path / "first.jsonl.gz", tmp_path / "second.jsonl.gz"
    assert _run(source, "backup", str(first)) == 0
    original = _everything(source)
    assert all(original[t] for t in ("partnership", "person", "action", "statusupdate", "auditevent"))

    pg, cleanup = postgres_engine()
    try:
        assert _run(pg, "restore", str(first)) == 0
        assert _everything(pg) == original
        assert _run(pg, "backup", str(second)) == 0
        # new rows after a restore get new ids (PostgreSQL's sequences were moved past the restored ones)
        from sqlmodel import Session

        from tracker.models import AuditEvent
        with Session(pg) as session:
            session.add(AuditEvent(actor_name="x", verb="create", entity_type="Test", summary="after restore"))
            session.commit()
    finally:
        cleanup()
    back = make_engine(f"sqlite:///{tmp_path / 'back.db'}")
    assert _run(back, "restore", str(second)) == 0
    assert _everything(back) == original
    back.dispose()
    assert "Restored" in capsys.readouterr().out


def test_restore_refuses_a_database_that_has_data(source, tmp_path, capsys):
    file = tmp_path / "b.jsonl.gz"
    assert _run(source, "backup", str(file)) == 0
    before = _everything(source)
    assert _run(source, "restore", str(file)) == 1
    assert "not empty" in capsys.readouterr().err
    assert _everything(source) == before


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, capsys):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert _run(engine, "restore", str(bad)) == 1
    assert "not a tracker backup" in capsys.readouterr().err
    engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite"])
def test_backup_of_a_database_never_initialised_says_what_to_do(tmp_path, capsys, kind):
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert _run(engine, "backup", str(tmp_path / "x.gz")) == 1
    assert "tracker.cli init" in capsys.readouterr().err
