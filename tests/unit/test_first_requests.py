"""The app is wholly set up before it serves: Dash finishes its set-up (the page router's callback)
on its first request, and two first requests at once in a threaded worker raced ("dictionary changed
size during iteration", a 500 seen under load on gunicorn)."""

from __future__ import annotations

import threading

import requests
from werkzeug.serving import make_server


def test_the_page_router_is_registered_before_any_request(app):
    assert any("_pages_content.children" in key for key in app.callback_map)


def test_many_first_requests_at_once_are_all_answered(app):
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    start, answers = threading.Barrier(24), []

    def first_request(path: str) -> None:
        start.wait()
        answers.append(requests.get(base + path, timeout=30).status_code)

    try:
        threads = [threading.Thread(target=first_request, args=(("health", "login", "_dash-layout")[i % 3],))
                   for i in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.shutdown()
    # health and the sign-in page answer; the layout is for signed-in people only (401); never a 500
    assert sorted(answers) == [200] * 16 + [401] * 8, answers
