"""Before it serves, the app freezes the objects alive at start-up, so the garbage collector's full
collections (which paused a request 150-200 ms now and then at county x10) no longer walk them."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from tracker.startup import freeze_startup_objects

ROOT = Path(__file__).resolve().parents[2]


def test_objects_alive_at_the_freeze_leave_the_collected_generations():
    kept = {"built at start-up": [1, 2, 3]}
    try:
        frozen = freeze_startup_objects()
        assert frozen > 1000 and frozen == gc.get_freeze_count()
        assert not any(o is kept for generation in range(3) for o in gc.get_objects(generation))
        made_later = {"built per request": []}
        assert any(o is made_later for o in gc.get_objects(0))
    finally:
        gc.unfreeze()  # the rest of the test run collects as before


def test_app_py_freezes_the_built_app_before_serving():
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_DATABASE_URL"] = "sqlite://"  # in memory: nothing written to instance/
    started = subprocess.run([sys.executable, "-c", "import gc, app; print(gc.get_freeze_count())"], cwd=ROOT,
                             env=env, capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    assert int(started.stdout.split()[-1]) > 100_000  # the whole app: modules, pages, callbacks, mappers
