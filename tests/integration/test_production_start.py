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
from tracker.config import Settings
from tracker.db import make_engine
from tracker.models import Action, Partnership, Person

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "a-production-key-that-is-long-enough-0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    return {**env, "TRACKER_DATABASE_URL": url, **extra}


def test_a_production_start_refuses_a_weak_secret_and_an_unmigrated_database():
    url, drop = create_database()
    try:
        weak = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, capture_output=True, text=True,
                              env=_env(url, TRACKER_SECRET_KEY="test"), timeout=60)
        assert weak.returncode != 0 and "TRACKER_SECRET_KEY" in weak.stderr
        unmigrated = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, capture_output=True, text=True,
                                    env=_env(url, TRACKER_SECRET_KEY=STRONG_KEY), timeout=60)
        assert unmigrated.returncode != 0 and "tracker.cli init" in unmigrated.stderr
    finally:
        drop()


def test_init_then_gunicorn_workers_serve_with_no_demo_accounts():
    url, drop = create_database()
    port = _free_port()
    init = subprocess.run([sys.executable, "-m", "tracker.cli", "init"], cwd=ROOT, capture_output=True,
                          text=True, env=_env(url), timeout=180)
    assert init.returncode == 0, init.stderr
    env = _env(url, TRACKER_SECRET_KEY=STRONG_KEY, TRACKER_BIND=f"127.0.0.1:{port}", TRACKER_WORKERS="3")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"],
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
            # each default seed folder (Northamptonshire and Lancashire) loaded once, by init alone
            seeded = len(Settings.model_fields["seed_dirs"].default_factory())
            assert session.exec(select(func.count()).select_from(Partnership)).one() == seeded == 2
            assert session.exec(select(func.count()).select_from(Person)).one() > 5
            # no demo account can sign in: nobody has a password until an admin is created
            assert session.exec(select(func.count()).select_from(Person).where(Person.password_hash.is_not(None))).one() == 0
            assert session.exec(select(func.count()).select_from(Action)).one() >= 30
        engine.dispose()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        drop()
