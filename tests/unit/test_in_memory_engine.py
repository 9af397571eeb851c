"""The in-memory database (tests, `TRACKER_DATABASE_URL=sqlite://`) has one connection for every thread.

Two threads running statements on it at once crashed the test process (a segfault in the sqlite3
module while the Dash server's thread and the test's thread both used it), so one thread at a time
holds it, from checkout to checkin.
"""

import threading
import time

from sqlalchemy import text

from tracker.db import make_engine


def test_a_second_thread_waits_until_the_first_gives_the_connection_back():
    engine = make_engine("sqlite://")
    events: list[str] = []
    first_has_it = threading.Event()

    def first() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            first_has_it.set()
            time.sleep(0.3)
            events.append("first done")

    def second() -> None:
        first_has_it.wait()
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            events.append("second ran")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert events == ["first done", "second ran"]


def test_one_thread_may_hold_two_connections_at_once():
    # A service that opens a second session while its first is open must not wait on itself.
    engine = make_engine("sqlite://")
    with engine.connect() as outer, engine.connect() as inner:
        assert inner.execute(text("SELECT 2")).scalar() == 2
        assert outer.execute(text("SELECT 1")).scalar() == 1
    with engine.connect() as again:
        assert again.execute(text("SELECT 3")).scalar() == 3
