"""Benchmark: the server time and size of every main view, through the real HTTP endpoint, signed in.

    python benchmarks/generate.py --scale 10            # once: instance/bench-x10.db
    python benchmarks/pages.py                          # seed, x10 (and x100 if its file exists)
    python benchmarks/pages.py --runs 30 --db seed=instance/bench-x1.db --db x10=instance/bench-x10.db
    python benchmarks/pages.py --db x10pg=postgresql+psycopg://postgres@127.0.0.1:5432/bench --view overview

For each database it serves the app with werkzeug on a free loopback port, signs in as the chair
through the sign-in form, then for each view replays what the browser does: the page router's
callback (Dash's `_pages_location` -> `_pages_content`), then every callback the page fires on load
(those whose inputs are all in the page and that are not `prevent_initial_call`). Each view's figure is
the sum of those requests' wall time, measured `--runs` times: median and p95, with the bytes sent.
Beside each view, the SQL it needs: the SELECT statements its warm-up load sent, replayed on a
connection of their own with every row fetched (best of five), and the view's p95 divided by that.
Beside the overview it also times the SQL the overview's figures need (the latest update of every open action,
counted by theme and RAG) on the same database, and prints the ratio. Last, the time of saving a
status update: the action page's "Record update" callback posted as the browser does, as an admin.
Then what the chair does beyond reading, each through its real callback: the board report's Word and
PDF downloads, the overview's Excel export and an inline status update on "my actions".
It writes updates into the database: run it on a generated copy, not on live data. Numbers vary with the machine: read the ratios of one run.
The runs are taken in --rounds rounds, each measuring every database in turn (the order reversed every
other round), so that a busy spell on a shared machine falls on both sides of a ratio, not on one.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.browser_http import (  # noqa: E402
    TIMEOUT,
    Client,
    button_callback,
    click_body,
    merged,
    pattern_ids,
    router_payload,
    serve_on_loopback,
    summary,
    timed,
    timed_get,
    update_body,
    view_requests,
)
from benchmarks.view_sql import replayed_ms, statements_of  # noqa: E402
from tracker.config import Settings  # noqa: E402
from tracker.db import make_engine  # noqa: E402
from tracker.models import Action, BoardMeeting, Indicator, MaturityAssessment, Person, Subgroup, Theme  # noqa: E402
from tracker.web.app import create_app  # noqa: E402

TODAY = date(2026, 11, 23)
CHAIR = ("chair@cdp.example.org", "demo-password-1")
ADMIN = ("admin@cdp.example.org", "demo-password-1")  # may record an update on any of the partnership's actions
OVERVIEW_SQL = """
WITH latest AS MATERIALIZED (
  SELECT action_id, rag FROM (
    SELECT su.action_id, su.rag,
           ROW_NUMBER() OVER (PARTITION BY su.action_id ORDER BY su.update_date DESC, su.id DESC) AS n
    FROM statusupdate su JOIN action a ON a.id = su.action_id WHERE a.partnership_id = :pid) AS ranked
  WHERE n = 1)
SELECT st.theme_id, COALESCE(l.rag, 'none') AS rag, COUNT(*)
FROM action a JOIN subgrouptheme st ON st.subgroup_id = a.subgroup_id
LEFT JOIN latest l ON l.action_id = a.id
WHERE a.partnership_id = :pid AND a.status != 'cancelled'
GROUP BY st.theme_id, COALESCE(l.rag, 'none')
"""

# The same figures from the stored current status (tracker.models.plan): what the overview needs now.
STORED_SQL = """
SELECT st.theme_id, CASE WHEN a.status = 'complete' THEN 'blue' ELSE COALESCE(a.latest_rag, 'grey') END AS rag,
       COUNT(*)
FROM action a JOIN subgrouptheme st ON st.subgroup_id = a.subgroup_id
WHERE a.partnership_id = :pid AND a.status != 'cancelled'
GROUP BY 1, 2
"""


def partnership_of(engine, email: str) -> int:
    """The partnership a demo account belongs to: at x100 there are ten, and each person sees only theirs."""
    with engine.connect() as conn:
        return conn.execute(select(Person.partnership_id).where(Person.email == email)).scalar_one()


def views(engine, pid: int) -> dict[str, tuple[str, str]]:
    with engine.connect() as conn:
        def first(model):  # the partnership's first record of that kind
            return conn.execute(select(model.id).where(model.partnership_id == pid).order_by(model.id)).scalar()
        theme, subgroup, action, indicator = first(Theme), first(Subgroup), first(Action), first(Indicator)
        assessment = conn.execute(select(MaturityAssessment.id).join(Subgroup).where(Subgroup.partnership_id == pid)
                                  .order_by(MaturityAssessment.id)).scalar()
    return {
        "overview": ("/", ""),
        "overview (theme filter)": ("/", f"?theme={theme}"),
        "themes": ("/themes", ""),
        "theme": (f"/theme/{theme}", ""),
        "subgroups": ("/subgroups", ""),
        "subgroup": (f"/subgroup/{subgroup}", ""),
        "action": (f"/action/{action}", ""),
        "golden thread": ("/golden-thread", ""),  # the summary and the first theme
        "golden thread (every theme)": ("/golden-thread", "?theme=all"),
        "maturity": ("/maturity", ""),
        "maturity assessment": (f"/maturity/assessment/{assessment}", ""),
        "maturity rounds": ("/maturity/rounds", ""),  # every round in progress, a page at a time
        "indicators": ("/indicators", ""),
        "indicator": (f"/indicator/{indicator}", ""),
        "my actions": ("/my-actions", ""),
        "board": ("/board", ""),
        "risks": ("/risks", ""),
        "funding": ("/funding", ""),
    }


def save_update_times(base: str, engine, runs: int) -> list[float]:
    """Post the action page's "Record update" callback as the browser does (tests/crafted.py's body),
    signed in as an administrator, `runs` times on one of the administrator's partnership's open
    actions; ms per save."""
    client = Client(base)
    client.sign_in(*ADMIN)
    deps = json.loads(client.request("_dash-dependencies")[1])
    spec = next(d for d in deps if any(i["id"] == "update-submit" and i["property"] == "n_clicks"
                                       for i in d["inputs"]))
    with engine.connect() as conn:
        action_id = conn.execute(select(Action.id).where(Action.status == "in_progress",
                                                         Action.partnership_id == partnership_of(engine, ADMIN[0]))
                                 .order_by(Action.id.desc())).scalars().first()
    times = []
    for n in range(1, runs + 2):
        fields = {"update_date": TODAY.isoformat(), "rag": ("amber", "green")[n % 2], "progress": 40 + n % 50,
                  "narrative": "Benchmark update.", "next_steps": "", "blockers": ""}
        body = update_body(spec, action_id, fields, n)
        began = time.perf_counter()
        status, reply = client.callback(body)
        elapsed = (time.perf_counter() - began) * 1000
        if status != 200 or b"Update recorded" not in reply:
            raise RuntimeError(f"saving an update answered {status}: {reply[:300]!r}")
        if n > 1:  # the first is the warm-up
            times.append(elapsed)
    return times


def action_times(client: Client, deps: list[dict], engine, pid: int, runs: int,
                 only: list[str] | None) -> dict[str, dict]:
    """What the chair does beyond reading: the board report's Word and PDF downloads, the overview's
    Excel export (the whole plan) and one inline status update on "my actions", each posted to the real
    endpoint as the browser posts it. The update writes to the database."""
    with engine.connect() as conn:
        meeting = conn.execute(select(BoardMeeting.id).where(BoardMeeting.partnership_id == pid,
                                                             BoardMeeting.meeting_date >= TODAY)
                               .order_by(BoardMeeting.meeting_date)).scalar() or \
            conn.execute(select(func.max(BoardMeeting.id)).where(BoardMeeting.partnership_id == pid)).scalar()
    _, body = client.callback(router_payload("/my-actions"))
    mine = pattern_ids(json.loads(body), "myact-save", [])  # the chair's own actions' "Save" buttons
    with engine.connect() as conn:  # one that has started, so an update dated today is accepted
        started = set(conn.execute(select(Action.id).where(Action.id.in_([m["action"] for m in mine]),
                                                           (Action.start_date.is_(None)) | (Action.start_date <= TODAY))
                                   ).scalars())
    mine = [m for m in mine if m["action"] in started]

    def one(path: str, trigger: str, values: dict, check: bytes):
        client.callback(router_payload(path))  # the page is open, as when the button is clicked
        dep = button_callback(deps, trigger)
        return timed(client, lambda n: [click_body(dep, trigger, values, k + 1) for k in range(n)], check, runs)

    jobs = {
        "board report Word": lambda: one(f"/board/{meeting}/report", "board-download-docx",
                                         {"board-report-meeting": meeting}, b"board-report-download"),
        "board report PDF": lambda: one(f"/board/{meeting}/report", "board-download-pdf",
                                        {"board-report-meeting": meeting}, b"board-report-download"),
        "Excel export (overview)": lambda: timed_get(client, "plan/overview.xlsx", b"PK", runs),
    }
    if mine:
        def my_update():
            client.callback(router_payload("/my-actions"))
            dep = button_callback(deps, "myact-save")
            trigger = mine[0]

            def bodies(n):
                return [click_body(dep, trigger, {"myact-date": TODAY.isoformat(), "myact-rag": ("amber", "green")[k % 2],
                                                  "myact-progress": 40 + k % 50, "myact-narrative": "Benchmark."},
                                   k + 1) for k in range(n)]
            return timed(client, bodies, b"Saved:", runs)
        jobs["my actions: inline update"] = my_update
    results = {}
    for name, job in jobs.items():
        if only and not any(name.startswith(o) for o in only):
            continue
        try:
            times, size = job()
        except (RuntimeError, StopIteration) as exc:
            print(f"  {name}: {exc}")
            continue
        except TimeoutError:  # a county x10's board report PDF took over the two minutes (round 3)
            print(f"  {name}: no answer within {TIMEOUT} s")
            continue
        results[name] = summary(times, size)
    return results


def sql_times(engine, sql: str, pid: int, runs: int) -> dict:
    """The time of one SQL statement the overview needs, on the same database."""
    times = []
    with engine.connect() as conn:
        for _ in range(runs):
            began = time.perf_counter()
            conn.execute(text(sql), {"pid": pid}).all()
            times.append((time.perf_counter() - began) * 1000)
    return summary(times)


def view_times(client: Client, deps: list[dict], path: str, search: str, runs: int, engine) -> dict:
    """The view's times, and the time of the SQL it sends (captured on the warm-up load, replayed)."""
    statements = statements_of(engine, lambda: view_requests(client, deps, path, search))
    times, size = [], 0
    for _ in range(runs):
        seconds, size = view_requests(client, deps, path, search)
        times.append(seconds * 1000)
    return {**summary(times, size), "sql": replayed_ms(engine, statements)}


def measure(label: str, db: str, runs: int, only: list[str] | None = None) -> dict[str, dict]:
    def wanted(name: str) -> bool:
        return not only or any(name.startswith(o) for o in only)

    url = db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    engine = make_engine(url)
    settings = Settings(database_url=url, secret_key="benchmark-secret-key-0123456789abcdef", seed_on_start=False,
                        env="laptop")
    app = create_app(settings, engine=engine, today=TODAY)
    server = serve_on_loopback(app)
    base = f"http://127.0.0.1:{server.server_port}/"
    client = Client(base)
    client.sign_in(*CHAIR)
    pid = partnership_of(engine, CHAIR[0])
    deps = json.loads(client.request("_dash-dependencies")[1])
    results: dict[str, dict] = {}
    registered = {p["path"] for p in __import__("dash").page_registry.values()}
    for name, (path, search) in views(engine, pid).items():
        template = "/" + path.strip("/").split("/")[0] if path != "/" else "/"
        if not wanted(name) or not any(r == path or r.startswith(template) for r in registered):
            continue  # not asked for, or a view this version of the tracker does not have yet
        try:
            results[name] = view_times(client, deps, path, search, runs, engine)
        except RuntimeError as exc:
            print(f"  {label} {name}: {exc}")
    results.update(action_times(client, deps, engine, pid, runs, only))
    results["overview SQL"] = sql_times(engine, OVERVIEW_SQL, pid, runs)
    results["overview SQL (stored)"] = sql_times(engine, STORED_SQL, pid, runs)
    if wanted("save"):
        try:
            results["save a status update"] = summary(save_update_times(base, engine, runs))
        except RuntimeError as exc:
            print(f"  {label} save a status update: {exc}")
    server.shutdown()
    engine.dispose()
    return results


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not a line per request
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", action="append", default=[],
                        help="label=path of an SQLite file, or label=a database URL (repeatable)")
    parser.add_argument("--view", action="append", default=[],
                        help="only the views whose name starts with this (repeatable), e.g. --view overview")
    parser.add_argument("--rounds", type=int, default=3,
                        help="take the runs in this many rounds, alternating the databases (default 3)")
    args = parser.parse_args()
    dbs = dict(item.split("=", 1) for item in args.db) or {
        label: f"instance/bench-{label}.db" for label in ("x1", "x10", "x100")
        if Path(f"instance/bench-{label}.db").exists()}
    if not dbs:
        raise SystemExit("no database: run python benchmarks/generate.py --scale 1 and --scale 10 first")
    rounds = max(1, min(args.rounds, args.runs))
    parts: dict[str, list[dict]] = {label: [] for label in dbs}
    for n in range(rounds):
        runs = args.runs // rounds + (n < args.runs % rounds)  # --runs in all
        for label in (list(dbs) if n % 2 == 0 else list(reversed(dbs))):
            parts[label].append(measure(label, dbs[label], runs, args.view))
    table = {label: {name: merged([r[name] for r in results if name in r])
                     for name in dict.fromkeys(k for r in results for k in r)}
             for label, results in parts.items()}
    labels = list(table)
    names = list(dict.fromkeys(n for res in table.values() for n in res))
    head = f"{'view':<26}" + "".join(f"{label + ' median/p95 ms':>26}{'KB':>8}{'SQL ms':>8}{'÷SQL':>6}"
                                     for label in labels)
    if len(labels) > 1:
        head += f"{labels[1] + '÷' + labels[0]:>12}"
    print(head)
    for name in names:
        row = f"{name:<26}"
        for label in labels:
            r = table[label].get(name)
            row += (f"{r['median']:>17.1f}/{r['p95']:<8.1f}{r['bytes'] / 1024:>8.0f}" if r else f"{'—':>26}{'':>8}")
            row += (f"{r['sql']:>8.1f}{r['p95'] / max(r['sql'], 1e-6):>6.1f}" if r and "sql" in r else f"{'':>14}")
        if len(labels) > 1 and name in table[labels[0]] and name in table[labels[1]]:
            row += f"{table[labels[1]][name]['median'] / max(table[labels[0]][name]['median'], 1e-6):>12.1f}"
        print(row)
    for label in labels:
        if "overview" in table[label] and table[label]["overview SQL"]["median"]:
            ratio = table[label]["overview"]["p95"] / table[label]["overview SQL"]["median"]
            print(f"{label}: overview p95 is {ratio:.1f}x the SQL it needs from the update history")
        if "overview" in table[label] and table[label].get("overview SQL (stored)", {}).get("median"):
            ratio = table[label]["overview"]["p95"] / table[label]["overview SQL (stored)"]["median"]
            print(f"{label}: overview p95 is {ratio:.1f}x the SQL it needs from the stored status")


if __name__ == "__main__":
    main()
