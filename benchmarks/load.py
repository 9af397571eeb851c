"""Load test: simulated users signing in, reading pages and recording status updates, for a bounded time.

    python benchmarks/load.py --users 50 --seconds 60 --target embedded
    python benchmarks/load.py --users 50 --seconds 60 --target gunicorn-postgres

It starts the server itself, on loopback only, and stops it at the end:
- `embedded`: `python app.py` (werkzeug's threaded server, the laptop default) on a temporary SQLite
  file that the app seeds with the demo partnership on start;
- `gunicorn-postgres`: `gunicorn -w 4 app:server` (with `-c gunicorn.conf.py` when the repository has
  one) on a throwaway PostgreSQL database created on TRACKER_TEST_POSTGRES_URL's server (default
  postgres@127.0.0.1:5432) and dropped at the end.
Each simulated user (locust, headless) signs in through the real sign-in form with one of the demo
accounts, then mixes reads (the page router callback of /, /themes, /subgroup/<id>, /action/<id>,
/indicators, /golden-thread, /maturity, the body `benchmarks/pages.py` posts) and, for the owner and
the lead, writes (the action page's "Record the update" callback, found in /_dash-dependencies, on an
action they may update). It prints the requests, the errors by status, p50/p95 of reads and writes (of the
whole run, and of those sent once every user had signed in), and
whether the updates acknowledged ("Update recorded") equal the StatusUpdate rows the run added.
"""

# ruff: noqa: I001  (locust must be imported first: it monkey-patches the standard library)
from __future__ import annotations

# locust monkey-patches the standard library with gevent when imported: it must come first.
import locust  # noqa: I001  (import order matters)
from locust import HttpUser, between, events, task
from locust.env import Environment

import argparse
import itertools
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

import gevent
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.browser_http import summary  # noqa: E402
from benchmarks.pages import router_payload, update_body  # noqa: E402
from tracker.rules.clock import uk_today  # noqa: E402

PASSWORD = "demo-password-1"
ACCOUNTS = [f"{name}@cdp.example.org" for name in ("admin", "chair", "lead", "owner", "viewer")]
WRITERS = {"lead@cdp.example.org", "owner@cdp.example.org"}
SECRET = "load-test-secret-key-0123456789abcdef0123456789"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"


class Plan:
    """What the simulated users need to know about the seeded data, and what they saw."""

    reads: list[str] = []
    writable: dict[str, list[int]] = {}
    update_callback: dict = {}
    statuses: Counter = Counter()   # (kind, status) -> count
    acknowledged = 0
    writes_sent = 0
    sign_in_failures = 0
    answered: list[tuple[float, str, float]] = []  # (when it was answered, kind, ms), in order


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, process: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/health", timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server did not answer /health within {seconds:.0f} s:\n{log.read_text()[-3000:]}")


def plan_from_database(url: str) -> None:
    """Pages to read and, for each writer, the open actions they may update (the permission rule)."""
    from sqlmodel import Session, select

    from tracker.models import Action, Person, Subgroup
    from tracker.services.permissions import can_update_action

    engine = create_engine(url)
    with Session(engine) as session:
        pid = session.exec(select(Person.partnership_id).where(Person.email == ACCOUNTS[0])).one()
        actions = session.exec(select(Action).where(Action.partnership_id == pid)).all()
        subgroups = session.exec(select(Subgroup.id).where(Subgroup.partnership_id == pid)).all()
        Plan.reads = ["/", "/themes", "/indicators", "/golden-thread", "/maturity"]
        Plan.reads += [f"/subgroup/{s}" for s in subgroups[:5]] + [f"/action/{a.id}" for a in actions[:10]]
        for email in WRITERS:
            person = session.exec(select(Person).where(Person.email == email)).one()
            Plan.writable[email] = [a.id for a in actions if a.status not in ("complete", "cancelled")
                                    and can_update_action(session, person, a)]
    engine.dispose()


def status_update_rows(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT COUNT(*) FROM statusupdate")).scalar()
    engine.dispose()
    return count


_account = itertools.count()


class TrackerUser(HttpUser):
    wait_time = between(0.5, 1.5)
    connection_timeout = 30.0
    network_timeout = 60.0

    def on_start(self) -> None:
        self.email = ACCOUNTS[next(_account) % len(ACCOUNTS)]
        self.signed_in = False
        self.sign_in()

    def sign_in(self) -> None:
        page = self.client.get("/login", name="sign-in page")
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text or "")
        form = {"email": self.email, "password": PASSWORD, "next": "/", "csrf_token": found.group(1) if found else ""}
        with self.client.post("/login", data=form, name="sign-in", allow_redirects=False,
                              catch_response=True) as resp:
            self.signed_in = resp.status_code == 302 and "/login" not in resp.headers.get("Location", "")
            if not self.signed_in:
                Plan.sign_in_failures += 1
                resp.failure(f"sign-in refused ({resp.status_code})")

    def callback(self, payload: dict, name: str, **kwargs):
        token = self.client.cookies.get("_csrf_token", "")
        return self.client.post("/_dash-update-component", data=json.dumps(payload), name=name,
                                headers={"Content-Type": "application/json", "X-CSRFToken": token}, **kwargs)

    @task(4)
    def read(self) -> None:
        if not self.signed_in:
            return self.sign_in()
        self.callback(router_payload(random.choice(Plan.reads)), "read")

    @task(1)
    def write(self) -> None:
        if not self.signed_in:
            return self.sign_in()
        actions = Plan.writable.get(self.email)
        if not actions:
            return self.read()
        fields = {"update_date": uk_today().isoformat(), "rag": random.choice(["green", "amber", "red"]),
                  "progress": random.randint(0, 100), "narrative": f"Load test update by {self.email}",
                  "next_steps": "Keep going", "blockers": ""}
        payload = update_body(Plan.update_callback, random.choice(actions), fields)
        Plan.writes_sent += 1
        with self.callback(payload, "write", catch_response=True) as resp:
            if resp.status_code == 200 and b"update-success" in resp.content:
                Plan.acknowledged += 1
            elif resp.status_code == 200:
                Plan.statuses[("write", "200 not saved")] += 1
                resp.failure("answered 200 without saving: " + resp.text[:200])


@events.request.add_listener
def _count(request_type, name, response_time, response_length, response=None, exception=None, **_kw):
    status = getattr(response, "status_code", None) or f"no answer ({type(exception).__name__})"
    Plan.statuses[(name, str(status))] += 1
    Plan.answered.append((time.monotonic(), name, response_time))


def settled_line(name: str) -> str:
    """The requests of this kind sent after the last sign-in was answered: the steady state once every
    user has arrived, without the queue that 50 argon2 sign-ins in the first seconds build (each ~0.3 s
    of CPU on this 2-core machine)."""
    signed_in = max((t for t, kind, _ in Plan.answered if kind == "sign-in"), default=None)
    if signed_in is None:
        return f"{name + ', all signed in':<8} none"
    times = [ms for t, kind, ms in Plan.answered if kind == name and t - ms / 1000 > signed_in]
    if len(times) < 20:
        return f"{name}, all signed in: {len(times)} requests (too few for a p95)"
    figures = summary(times)
    return (f"{name}, all signed in: {len(times)} requests  p50 {figures['median']:>6.0f} ms"
            f"  p95 {figures['p95']:>6.0f} ms")


def find_update_callback(base: str) -> dict:
    """The action page's record-update callback, as the app declares it, signed in as the owner."""
    import requests

    session = requests.Session()
    page = session.get(base + "/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(base + "/login", data={"email": "owner@cdp.example.org", "password": PASSWORD,
                                        "csrf_token": token, "next": "/"}, timeout=60)
    deps = session.get(base + "/_dash-dependencies", timeout=30).json()
    for dep in deps:
        if any(i["id"] == "update-submit" and i["property"] == "n_clicks" for i in dep["inputs"]):
            return dep
    raise SystemExit("no callback fires on update-submit.n_clicks: the action page has changed")


def start_server(target: str, workdir: Path) -> tuple[subprocess.Popen, str, str, callable]:
    """(process, base URL, database URL, clean-up) for the target."""
    port = free_port()
    log = workdir / "server.log"
    env = {**os.environ, "TRACKER_SECRET_KEY": SECRET, "TRACKER_HOST": "127.0.0.1", "TRACKER_PORT": str(port),
           "TRACKER_DEBUG": "false", "TRACKER_SEED": "true", "TRACKER_URL_PREFIX": "/"}
    cleanup = lambda: None  # noqa: E731
    if target == "embedded":
        url = f"sqlite:///{workdir / 'tracker.db'}"
        command = [sys.executable, "app.py"]
    else:
        admin_url = os.environ.get("TRACKER_TEST_POSTGRES_URL", PG_DEFAULT)
        name = f"tracker_load_{os.getpid()}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin_url.rsplit("/", 1)[0] + "/" + name

        def cleanup():
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

        command = [sys.executable, "-m", "gunicorn", "-w", "4", "-b", f"127.0.0.1:{port}"]
        if (ROOT / "gunicorn.conf.py").exists():
            command += ["-c", str(ROOT / "gunicorn.conf.py")]
        command += ["app:server"]
    env["TRACKER_DATABASE_URL"] = url
    # A database other than the laptop default is a production start: migrate and seed once first, with
    # the demo accounts the simulated users sign in with (as scripts/prestart.sh does, plus --demo).
    subprocess.run([sys.executable, "-m", "tracker.cli", "init", "--demo"], cwd=ROOT, env=env, check=True,
                   stdout=log.open("w"), stderr=subprocess.STDOUT)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
    except BaseException:
        process.kill()
        cleanup()
        raise
    return process, base, url, cleanup


def stats_line(env: Environment, name: str) -> str:
    entry = env.stats.entries.get((name, "POST"))
    if not entry or not entry.num_requests:
        return f"{name:<8} none"
    return (f"{name:<8} {entry.num_requests:>6} requests  p50 {entry.get_response_time_percentile(0.5):>6.0f} ms"
            f"  p95 {entry.get_response_time_percentile(0.95):>6.0f} ms  max {entry.max_response_time:>6.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--keep-log", type=Path, help="copy the server's log to this file")
    parser.add_argument("--target", choices=["embedded", "gunicorn-postgres"], default="embedded")
    args = parser.parse_args()
    if not (1 <= args.users <= 500 and 1 <= args.seconds <= 1800):
        raise SystemExit("--users 1..500 and --seconds 1..1800")

    with tempfile.TemporaryDirectory(prefix="tracker-load-") as tmp:
        workdir = Path(tmp)
        process, base, url, cleanup = start_server(args.target, workdir)
        try:
            plan_from_database(url)
            Plan.update_callback = find_update_callback(base)
            before = status_update_rows(url)
            TrackerUser.host = base
            env = Environment(user_classes=[TrackerUser], events=events, stop_timeout=30)
            runner = env.create_local_runner()
            print(f"{args.target}: {args.users} users for {args.seconds} s against {base} (locust {locust.__version__})")
            runner.start(args.users, spawn_rate=args.spawn_rate)
            gevent.spawn_later(args.seconds, runner.quit)
            runner.greenlet.join(timeout=args.seconds + 60)
            time.sleep(1)
            stored = status_update_rows(url) - before
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            cleanup()
        log = (workdir / "server.log").read_text(errors="replace")
        if args.keep_log:
            args.keep_log.write_text(log)

    total = env.stats.total
    print(f"requests {total.num_requests}, failures {total.num_failures}")
    errors = {k: v for k, v in sorted(Plan.statuses.items()) if k[1] not in ("200", "204", "302")}
    print("answers by status: " + ", ".join(f"{n} {s}: {c}" for (n, s), c in sorted(Plan.statuses.items())))
    print("errors: " + (", ".join(f"{n} {s}: {c}" for (n, s), c in errors.items()) or "none"))
    print(f"sign-ins refused: {Plan.sign_in_failures}")
    print(stats_line(env, "read"))
    print(stats_line(env, "write"))
    print(stats_line(env, "sign-in"))
    print(settled_line("read"))
    print(settled_line("write"))
    verdict = "=" if Plan.acknowledged == stored else "!="
    print(f"updates sent {Plan.writes_sent}; acknowledged {Plan.acknowledged} {verdict} stored {stored}")
    print(f"server log: {log.count('database is locked')} 'database is locked', "
          f"{log.count('Traceback')} tracebacks, {log.count('WORKER TIMEOUT')} worker timeouts")
    if "Traceback" in log:  # the first in full: the temporary log is gone once the run ends
        print("first traceback in the server log:\n" + "\n".join(log[log.index("Traceback"):].splitlines()[:60]))
    sys.exit(0 if not errors and Plan.acknowledged == stored else 1)


if __name__ == "__main__":
    main()
