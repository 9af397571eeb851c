"""Slow clients against gunicorn as gunicorn.conf.py sets it up (threaded workers): connections that
send their headers a byte at a time, or open and send nothing, must not stop a normal request being
answered. (With the old sync workers, four such clients took a four-worker server down.)

In production nginx buffers requests (docs/deploy/nginx.conf), so slow clients never reach gunicorn at
all; this shows gunicorn alone also survives a few. It cannot survive many: a client that trickles its headers
holds one of its worker's threads until it finishes (gunicorn has no header timeout), so as many of them
as a worker has threads stall that worker. Runs on a SQLite file, so it needs no PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
KEY = "a-production-key-that-is-long-enough-0123456789"
WORKERS = 2  # the threads per worker are gunicorn.conf.py's (8): what a worker's slow clients use up
TRICKLING, SILENT = 4, 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _trickle(port: int, stop: threading.Event, opened: list) -> None:
    """A client that sends a request's headers one byte every half second and never finishes."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    opened.append(sock)
    head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"z" * 4000
    for byte in head:
        if stop.wait(0.5):
            return
        try:
            sock.send(bytes([byte]))
        except OSError:
            return  # the server gave up on this client: fine


def test_normal_requests_are_answered_while_slow_clients_hold_connections(tmp_path):
    db = tmp_path / "tracker.db"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env |= {"TRACKER_DATABASE_URL": f"sqlite:///{db}", "TRACKER_SECRET_KEY": KEY,
            "TRACKER_BIND": f"127.0.0.1:{port}", "TRACKER_WORKERS": str(WORKERS)}
    init = subprocess.run([sys.executable, "-m", "tracker.cli", "init"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert init.returncode == 0, init.stderr
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    stop, opened, tricklers = threading.Event(), [], []
    try:
        deadline = time.monotonic() + 120
        while True:  # up: every worker has booted once the health check answers a few times
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                if all(requests.get(f"http://127.0.0.1:{port}/health", timeout=30).ok for _ in range(4)):
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "gunicorn did not come up"
            time.sleep(0.5)

        silent = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(SILENT)]  # send nothing
        opened.extend(silent)
        for _ in range(TRICKLING):
            thread = threading.Thread(target=_trickle, args=(port, stop, opened), daemon=True)
            thread.start()
            tricklers.append(thread)
        time.sleep(3)  # every slow client is connected and has sent part of its headers

        answered = []
        for _ in range(5):
            began = time.monotonic()
            reply = requests.get(f"http://127.0.0.1:{port}/health", timeout=30)
            answered.append((reply.status_code, time.monotonic() - began))
            page = requests.get(f"http://127.0.0.1:{port}/login", timeout=30)
            assert page.status_code == 200 and "Sign in" in page.text
        assert all(status == 200 for status, _ in answered), answered
        # A few seconds on an idle machine; the bound allows for a CI machine shared with other work (a
        # starved server never answers at all).
        assert max(seconds for _, seconds in answered) < 10, answered
        assert all(t.is_alive() for t in tricklers)  # the slow clients were still at it throughout
    finally:
        stop.set()
        for sock in opened:
            sock.close()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
