"""Production as the README describes it: gunicorn with several workers on one PostgreSQL.

The workers boot at the same moment on an empty database; exactly one of them must create the
schema and seed it, and all of them must then serve.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlmodel import Session, func, select

from tests.postgres import create_database
from tracker.db import make_engine
from tracker.models import Action, Partnership, Person

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_workers_boot_together_and_seed_once():
    url, drop = create_database()
    port = _free_port()
    env = dict(os.environ, TRACKER_DATABASE_URL=url, TRACKER_SECRET_KEY="production-test-key")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "3", "--bind", f"127.0.0.1:{port}", "app:server"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 90
        answers = []
        while time.monotonic() < deadline and len(answers) < 6:
            assert server.poll() is None, f"gunicorn stopped:\n{server.stdout.read()}"
            try:
                # The socket opens before the workers are ready: a request may wait while they boot.
                answers.append(requests.get(f"http://127.0.0.1:{port}/health", timeout=60).status_code)
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        assert answers == [200] * 6, answers
        sign_in = requests.get(f"http://127.0.0.1:{port}/login", timeout=5)
        assert sign_in.status_code == 200 and "Sign in" in sign_in.text

        engine = make_engine(url)
        with Session(engine) as session:
            assert session.exec(select(func.count()).select_from(Partnership)).one() == 1
            assert session.exec(select(func.count()).select_from(Person)).one() > 5
            assert session.exec(select(func.count()).select_from(Action)).one() >= 30
        engine.dispose()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        drop()
