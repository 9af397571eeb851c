"""The in-memory database (tests, `TRACKER_DATABASE_URL=sqlite://`) has one connection for every thread.

Two threads running statements on it at once crashed the test process (a segfault in the sqlite3
module while the Dash server's thread and the test's thread both used it), so each call into the
connection or a cursor is made by one thread at a time; transactions still overlap as before.
"""

import threading

from sqlalchemy import text

from tracker.db import make_engine, read_session, session_scope


def _engine_with_rows():
    engine = make_engine("sqlite://")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)"))
        conn.execute(text("INSERT INTO item (name) VALUES " + ", ".join(f"('item {i}')" for i in range(200))))
    return engine


def test_threads_reading_and_writing_at_once_all_get_their_answers():
    engine = _engine_with_rows()
    answers: list[tuple] = []
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(150):
                with engine.connect() as conn:
                    first = conn.execute(text("SELECT name FROM item ORDER BY id")).first()
                    count = conn.execute(text("SELECT count(*) FROM item WHERE id > :n"), {"n": i}).scalar()
                    answers.append((first[0], count >= 0))
                    if i % 25 == 0:
                        conn.execute(text("UPDATE item SET name = name WHERE id = :n"), {"n": n})
                        conn.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert len(answers) == 4 * 150
    assert set(answers) == {("item 0", True)}


def test_a_session_left_open_does_not_block_another_thread():
    # The test fixtures keep a session open while the server's threads answer the browser.
    engine = _engine_with_rows()
    done = threading.Event()
    with engine.connect() as held_open:
        held_open.execute(text("SELECT 1"))

        def other() -> None:
            with engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM item")).scalar()
            done.set()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=10)
    assert done.is_set()


def test_a_unit_rolled_back_is_not_saved_by_another_threads_commit():
    # The import preview writes through the services and rolls back; a request committing meanwhile
    # on the one shared connection used to save part of the preview (a browser test saw 47 actions, not 46).
    engine = _engine_with_rows()
    written = threading.Event()
    committed = threading.Event()

    def preview() -> None:
        try:
            with session_scope(engine) as session:
                session.execute(text("INSERT INTO item (name) VALUES ('previewed')"))
                written.set()
                committed.wait(timeout=0.5)  # the other unit cannot commit while this one is open
                raise RuntimeError("roll back, as the preview does")
        except RuntimeError:
            pass

    def other_request() -> None:
        written.wait(timeout=10)
        with session_scope(engine) as session:
            session.execute(text("UPDATE item SET name = name WHERE id = 1"))
        committed.set()

    threads = [threading.Thread(target=preview), threading.Thread(target=other_request)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert committed.is_set()
    with read_session(engine) as session:
        assert session.execute(text("SELECT count(*) FROM item WHERE name = 'previewed'")).scalar() == 0
