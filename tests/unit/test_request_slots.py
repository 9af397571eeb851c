"""No more than TRACKER_REQUEST_SLOTS requests run the app at once in a process (the rest wait, and are
all answered); the health check never waits behind them."""

from __future__ import annotations

import threading
import time

import pytest
from pydantic import ValidationError

from tracker.config import Settings
from tracker.web.request_slots import RequestSlots


def _counting_app():
    state = {"now": 0, "most": 0, "answered": 0}
    lock = threading.Lock()

    def app(environ, start_response):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.05)  # a page being built
        with lock:
            state["now"] -= 1
            state["answered"] += 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    return app, state


def test_eight_requests_at_once_run_two_at_a_time_and_all_are_answered():
    app, state = _counting_app()
    limited = RequestSlots(app, 2)
    bodies = []
    threads = [threading.Thread(target=lambda: bodies.append(limited({"PATH_INFO": "/"}, lambda *a: None)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert state["most"] == 2
    assert state["answered"] == 8 and bodies == [[b"ok"]] * 8


def test_the_health_check_is_answered_while_every_slot_is_taken():
    release = threading.Event()

    def app(environ, start_response):
        if environ["PATH_INFO"] != "/health":
            release.wait(10)
        return [environ["PATH_INFO"].encode()]
    limited = RequestSlots(app, 1)
    busy = threading.Thread(target=limited, args=({"PATH_INFO": "/"}, None))
    busy.start()
    time.sleep(0.05)
    began = time.monotonic()
    assert limited({"PATH_INFO": "/health"}, None) == [b"/health"]
    assert time.monotonic() - began < 1
    release.set()
    busy.join(10)


def test_the_app_runs_its_requests_through_the_slots_it_was_given(engine):
    from tests.web_client import make_app
    app = make_app(engine, request_slots=3)
    assert isinstance(app.server.wsgi_app, RequestSlots) and app.server.wsgi_app.slots == 3
    assert app.server.test_client().get("/health").status_code == 200


@pytest.mark.parametrize("slots", ["0", "-1", "many"])
def test_a_request_slots_setting_that_is_not_a_positive_number_is_refused(monkeypatch, slots):
    monkeypatch.setenv("TRACKER_REQUEST_SLOTS", slots)
    with pytest.raises((ValidationError, ValueError)):
        Settings.from_env()


def test_sign_ins_have_a_lane_of_their_own_beside_the_pages():
    """50 people arriving at once each hash a password as they sign in: pages do not wait behind that,
    and no more than SIGN_IN_LANE hashes run at once."""
    from tracker.web.request_slots import SIGN_IN_LANE

    release = threading.Event()
    state = {"now": 0, "most": 0}
    lock = threading.Lock()

    def app(environ, start_response):
        if environ["PATH_INFO"].endswith("/login"):
            with lock:
                state["now"] += 1
                state["most"] = max(state["most"], state["now"])
            release.wait(10)  # a password being hashed
            with lock:
                state["now"] -= 1
        return [environ["PATH_INFO"].encode()]
    limited = RequestSlots(app, 2)
    sign_ins = [threading.Thread(target=limited, args=({"PATH_INFO": "/cdp/login"}, None)) for _ in range(6)]
    for t in sign_ins:
        t.start()
    time.sleep(0.1)
    began = time.monotonic()
    assert limited({"PATH_INFO": "/_dash-update-component"}, None) == [b"/_dash-update-component"]
    assert time.monotonic() - began < 1  # a page is answered while the sign-ins wait on their hashes
    assert state["most"] == SIGN_IN_LANE
    release.set()
    for t in sign_ins:
        t.join(10)
    assert state["now"] == 0
