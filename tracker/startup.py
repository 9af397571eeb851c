"""Getting the database ready, once, before the app serves anyone.

- laptop (the default SQLite file): migrate, then load the seed partnerships with their demo
  accounts, on every start (both are no-ops once done);
- an in-memory database (tests): create the tables directly;
- production: nothing is changed by a worker; the database must already be at the newest migration
  (`python -m tracker.cli init`, run once before the workers start), or the worker refuses to start.
"""

from __future__ import annotations

import gc

from sqlalchemy.engine import Engine

from tracker import migrate
from tracker.config import Settings, SettingsError
from tracker.db import create_schema, startup_lock
from tracker.seed import seed_database


def init_database(engine: Engine, settings: Settings, demo_accounts: bool | None = None) -> list[str]:
    """Migrate, then load each seed folder not yet loaded; returns the folders loaded now."""
    demo = settings.load_demo_accounts if demo_accounts is None else demo_accounts
    loaded = []
    with startup_lock(engine):  # two starts at once on one PostgreSQL: one migrates, the other waits
        migrate.upgrade(engine)
        if settings.seed_on_start or demo_accounts is not None:
            for seed_dir in settings.seed_dirs:
                if seed_database(engine, seed_dir, demo_accounts=demo):
                    loaded.append(str(seed_dir))
    return loaded


def prepare_database(engine: Engine, settings: Settings) -> None:
    if settings.in_memory:
        create_schema(engine)
        if settings.seed_on_start:
            for seed_dir in settings.seed_dirs:
                seed_database(engine, seed_dir, demo_accounts=settings.load_demo_accounts)
        return
    if not settings.production:
        init_database(engine, settings)
        return
    at, newest = migrate.current(engine), migrate.head()
    if at != newest:
        raise SettingsError(
            f"The database is at migration {at or 'none'}, not {newest}: run `python -m tracker.cli init` "
            "(it migrates and loads the first data) once before starting the workers.")


def freeze_startup_objects() -> int:
    """Once the app is built and before it serves: move every object alive now (the app's modules,
    pages, callbacks, SQLAlchemy mappers: about 290,000) out of the garbage collector's reach for good.
    They live as long as the process anyway, and a full collection walked all of them, pausing a
    request for 150-200 ms now and then: at county x10 that pause was most pages' p95 (overview p95
    407 -> 124 ms with this, medians unchanged; docs/performance.md, round 7). Under gunicorn each
    worker does this after loading the app. Returns how many objects are now frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
