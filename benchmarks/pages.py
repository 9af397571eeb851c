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
Beside the overview it times the SQL the overview needs (the latest update of every open action,
counted by theme and RAG) on the same database, and prints the ratio. Last, the time of saving a
status update: the action page's "Record update" callback posted as the browser does, as an admin.
Then what the chair does beyond reading, each through its real callback: the board report's Word and
PDF downloads, the overview's Excel export and an inline status update on "my actions".
It writes updates into the database: run it on a generated copy, not on live data. Numbers vary with the machine: read the ratios of one run.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import logging
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.config import Settings  # noqa: E402
from tracker.db import make_engine  # noqa: E402
from tracker.models import Action, BoardMeeting, Indicator, MaturityAssessment, Subgroup, Theme  # noqa: E402
from tracker.web.app import create_app  # noqa: E402

TODAY = date(2026, 11, 23)
TIMEOUT = 120  # seconds for one request
CHAIR = ("chair@cdp.example.org", "demo-password-1")
ADMIN = ("admin@cdp.example.org", "demo-password-1")  # may record an update on any action
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


class Client:
    """A browser's HTTP side: cookies, the CSRF header Dash sends, JSON callbacks."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=TIMEOUT) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def sign_in(self, email: str, password: str) -> None:
        self.request("login")
        form = urllib.parse.urlencode({"email": email, "password": password, **self._csrf_form()}).encode()
        self.request("login", form, {"Content-Type": "application/x-www-form-urlencoded"})
        status, _ = self.request("_dash-layout")
        if status != 200:
            raise SystemExit(f"could not sign in as {email} ({status})")

    def _csrf_form(self) -> dict:
        status, body = self.request("login")
        marker = b'name="csrf_token" value="'
        if marker in body:
            return {"csrf_token": body.split(marker, 1)[1].split(b'"', 1)[0].decode()}
        return {}

    def callback(self, payload: dict) -> tuple[int, bytes]:
        token = next((c.value for c in self.jar if c.name == "_csrf_token"), "")
        return self.request("_dash-update-component", json.dumps(payload).encode(),
                            {"Content-Type": "application/json", "X-CSRFToken": token})


def _components(node, found: dict) -> None:
    """Every component with a plain string id in a layout, id -> props."""
    if isinstance(node, list):
        for item in node:
            _components(item, found)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            if isinstance(props.get("id"), str):
                found[props["id"]] = props
            for value in props.values():
                _components(value, found)
        else:  # the callback's reply around the layout: {"response": {"_pages_content": {"children": ...}}}
            for value in node.values():
                _components(value, found)


def _pattern_ids(node, kind: str, found: list) -> list:
    """Every pattern-matching id {"type": kind, ...} in a layout."""
    if isinstance(node, list):
        for item in node:
            _pattern_ids(item, kind, found)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            if isinstance(props.get("id"), dict) and props["id"].get("type") == kind:
                found.append(props["id"])
            for value in props.values():
                _pattern_ids(value, kind, found)
        else:
            for value in node.values():
                _pattern_ids(value, kind, found)
    return found


def _outputs(spec: str) -> list[dict] | None:
    if "{" in spec:
        return None  # pattern-matching outputs: their ids come from the page, skipped here
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
    return [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]


def router_payload(path: str, search: str = "") -> dict:
    """The body dash-renderer posts when the location changes: Dash pages' router callback."""
    return {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}


def view_requests(client: Client, deps: list[dict], path: str, search: str = "") -> tuple[float, int]:
    """Load one view as the browser does; (seconds, bytes)."""
    began = time.perf_counter()
    status, body = client.callback(router_payload(path, search))
    if status != 200:
        raise RuntimeError(f"{path}: router answered {status}: {body[:200]!r}")
    size = len(body)
    found: dict = {}
    _components(json.loads(body), found)
    for dep in deps:
        if dep.get("prevent_initial_call") or dep.get("clientside_function"):
            continue
        outputs = _outputs(dep["output"])
        ins = dep["inputs"] + dep.get("state", [])
        if not outputs or not all(isinstance(i["id"], str) and i["id"] in found for i in ins):
            continue
        if not any(o["id"] in found for o in outputs):
            continue
        payload = {"output": dep["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
                   "inputs": [{**i, "value": found[i["id"]].get(i["property"])} for i in dep["inputs"]],
                   "state": [{**s, "value": found[s["id"]].get(s["property"])} for s in dep.get("state", [])],
                   "changedPropIds": []}
        status, body = client.callback(payload)
        if status not in (200, 204):
            raise RuntimeError(f"{path}: callback {dep['output']} answered {status}: {body[:200]!r}")
        size += len(body)
    return time.perf_counter() - began, size


def views(engine) -> dict[str, tuple[str, str]]:
    with engine.connect() as conn:
        first = lambda q: conn.execute(q).scalar()  # noqa: E731
        theme = first(select(Theme.id).order_by(Theme.id))
        subgroup = first(select(Subgroup.id).order_by(Subgroup.id))
        action = first(select(Action.id).order_by(Action.id))
        indicator = first(select(Indicator.id).order_by(Indicator.id))
        assessment = first(select(MaturityAssessment.id).order_by(MaturityAssessment.id))
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
        "indicators": ("/indicators", ""),
        "indicator": (f"/indicator/{indicator}", ""),
        "my actions": ("/my-actions", ""),
        "board": ("/board", ""),
        "risks": ("/risks", ""),
        "funding": ("/funding", ""),
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def update_body(spec: dict, action_id: int, fields: dict, clicks: int = 1) -> dict:
    """The body dash-renderer posts for the action page's "Record the update" (`spec` from
    /_dash-dependencies): the form's fields are one ALL pattern, {"form": "update", "field": name}."""
    from tests.crafted import _concrete_outputs

    def entry(dep):
        parsed = json.loads(dep["id"]) if dep["id"].startswith("{") else dep["id"]
        if parsed == "update-submit":
            return {"id": parsed, "property": dep["property"], "value": clicks}
        if parsed == "action-id":
            return {"id": parsed, "property": dep["property"], "value": action_id}
        if isinstance(parsed, dict) and parsed.get("form") == "update":
            return [{"id": {"form": "update", "field": k}, "property": dep["property"],
                     "value": v if dep["property"] == "value" else {"form": "update", "field": k}}
                    for k, v in fields.items()]
        return {"id": parsed, "property": dep["property"], "value": None}

    inputs, state = [entry(i) for i in spec["inputs"]], [entry(s) for s in spec["state"]]
    body = {"output": spec["output"], "outputs": _concrete_outputs(spec["output"], inputs, state, "update-submit"),
            "inputs": inputs, "changedPropIds": ["update-submit.n_clicks"],
            "parsedChangedPropsIds": ["update-submit.n_clicks"]}
    if state:
        body["state"] = state
    return body


def save_update_times(base: str, engine, runs: int) -> list[float]:
    """Post the action page's "Record update" callback as the browser does (tests/crafted.py's body),
    signed in as an administrator, `runs` times on one open action; ms per save."""
    client = Client(base)
    client.sign_in(*ADMIN)
    deps = json.loads(client.request("_dash-dependencies")[1])
    spec = next(d for d in deps if any(i["id"] == "update-submit" and i["property"] == "n_clicks"
                                       for i in d["inputs"]))
    with engine.connect() as conn:
        action_id = conn.execute(select(Action.id).where(Action.status == "in_progress")
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


def _dep(deps: list[dict], trigger: str) -> dict:
    """The callback a button fires (its id, or a pattern id's "type"), as /_dash-dependencies gives it."""
    def names(i):
        return i["id"] == trigger or (i["id"].startswith("{") and json.loads(i["id"]).get("type") == trigger)
    return next(d for d in deps if any(names(i) and i["property"] == "n_clicks" for i in d["inputs"]))


def click_body(dep: dict, trigger, values: dict, clicks: int = 1) -> dict:
    """The body dash-renderer posts when a button is clicked: the button's n_clicks, every other input
    and state from `values` (id -> value; for a pattern id, its "type"), MATCH ids made concrete from
    the button's id."""
    from tests.crafted import _concrete_outputs

    def entry(spec):
        parsed = json.loads(spec["id"]) if spec["id"].startswith("{") else spec["id"]
        if isinstance(parsed, dict):  # {"type": ..., "action": ["MATCH"]} -> the clicked row's id
            key = parsed["type"]
            parsed = {k: (trigger[k] if isinstance(v, list) else v) for k, v in parsed.items()}
        else:
            key = parsed
        value = clicks if parsed == trigger else values.get(key)
        return {"id": parsed, "property": spec["property"], "value": value}

    inputs, state = [entry(i) for i in dep["inputs"]], [entry(s) for s in dep.get("state", [])]
    trigger_name = json.dumps(trigger, separators=(",", ":"), sort_keys=True) if isinstance(trigger, dict) \
        else trigger
    body = {"output": dep["output"], "outputs": _concrete_outputs(dep["output"], inputs, state, trigger),
            "inputs": inputs, "changedPropIds": [f"{trigger_name}.n_clicks"]}
    if state:
        body["state"] = state
    return body


def timed(client: Client, bodies, check: bytes, runs: int) -> tuple[list[float], int]:
    """Post each body (a warm-up first); ms per request and the size of the last reply."""
    times, size = [], 0
    for n, body in enumerate(bodies(runs + 1)):
        began = time.perf_counter()
        status, reply = client.callback(body)
        elapsed = (time.perf_counter() - began) * 1000
        if status != 200 or check not in reply:
            raise RuntimeError(f"answered {status}: {reply[:300]!r}")
        size = len(reply)
        if n:
            times.append(elapsed)
    return times, size


def action_times(client: Client, deps: list[dict], engine, runs: int, only: list[str] | None) -> dict[str, dict]:
    """What the chair does beyond reading: the board report's Word and PDF downloads, the overview's
    Excel export (the whole plan) and one inline status update on "my actions", each posted to the real
    endpoint as the browser posts it. The update writes to the database."""
    with engine.connect() as conn:
        meeting = conn.execute(select(BoardMeeting.id).where(BoardMeeting.meeting_date >= TODAY)
                               .order_by(BoardMeeting.meeting_date)).scalar() or \
            conn.execute(select(func.max(BoardMeeting.id))).scalar()
    _, body = client.callback(router_payload("/my-actions"))
    mine = _pattern_ids(json.loads(body), "myact-save", [])  # the chair's own actions' "Save" buttons
    with engine.connect() as conn:  # one that has started, so an update dated today is accepted
        started = set(conn.execute(select(Action.id).where(Action.id.in_([m["action"] for m in mine]),
                                                           (Action.start_date.is_(None)) | (Action.start_date <= TODAY))
                                   ).scalars())
    mine = [m for m in mine if m["action"] in started]

    def one(path: str, trigger: str, values: dict, check: bytes):
        client.callback(router_payload(path))  # the page is open, as when the button is clicked
        dep = _dep(deps, trigger)
        return timed(client, lambda n: [click_body(dep, trigger, values, k + 1) for k in range(n)], check, runs)

    jobs = {
        "board report Word": lambda: one(f"/board/{meeting}/report", "board-download-docx",
                                         {"board-report-meeting": meeting}, b"board-report-download"),
        "board report PDF": lambda: one(f"/board/{meeting}/report", "board-download-pdf",
                                        {"board-report-meeting": meeting}, b"board-report-download"),
        "Excel export (overview)": lambda: one("/", "overview-export-button",
                                               {"filter-theme": "", "filter-subgroup": "", "filter-owner": ""},
                                               b"overview-export-download"),
    }
    if mine:
        def my_update():
            client.callback(router_payload("/my-actions"))
            dep = _dep(deps, "myact-save")
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
        results[name] = {"median": statistics.median(times), "p95": pct(times, 0.95), "bytes": size}
    return results


def measure(label: str, db: str, runs: int, only: list[str] | None = None) -> dict[str, dict]:
    url = db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    engine = make_engine(url)
    settings = Settings(database_url=url, secret_key="benchmark-secret-key-0123456789abcdef", seed_on_start=False,
                        env="laptop")
    app = create_app(settings, engine=engine, today=TODAY)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = Client(f"http://127.0.0.1:{server.server_port}/")
    client.sign_in(*CHAIR)
    deps = json.loads(client.request("_dash-dependencies")[1])
    results: dict[str, dict] = {}
    registered = {p["path"] for p in __import__("dash").page_registry.values()}
    for name, (path, search) in views(engine).items():
        if only and not any(name.startswith(o) for o in only):
            continue
        template = "/" + path.strip("/").split("/")[0] if path != "/" else "/"
        if not any(r == path or r.startswith(template) for r in registered):
            continue  # a view this version of the tracker does not have yet
        try:
            view_requests(client, deps, path, search)  # warm
            times, size = [], 0
            for _ in range(runs):
                seconds, size = view_requests(client, deps, path, search)
                times.append(seconds * 1000)
        except RuntimeError as exc:
            print(f"  {label} {name}: {exc}")
            continue
        results[name] = {"median": statistics.median(times), "p95": pct(times, 0.95), "bytes": size}
    results.update(action_times(client, deps, engine, runs, only))
    sql_times = []
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT MIN(id) FROM partnership")).scalar()
        for _ in range(runs):
            began = time.perf_counter()
            conn.execute(text(OVERVIEW_SQL), {"pid": pid}).all()
            sql_times.append((time.perf_counter() - began) * 1000)
    results["overview SQL"] = {"median": statistics.median(sql_times), "p95": pct(sql_times, 0.95), "bytes": 0}
    with engine.connect() as conn:
        if "latest_rag" in {c["name"] for c in __import__("sqlalchemy").inspect(conn).get_columns("action")}:
            stored = []
            for _ in range(runs):
                began = time.perf_counter()
                conn.execute(text(STORED_SQL), {"pid": pid}).all()
                stored.append((time.perf_counter() - began) * 1000)
            results["overview SQL (stored)"] = {"median": statistics.median(stored), "p95": pct(stored, 0.95),
                                                "bytes": 0}
    try:
        if only and not any(o.startswith("save") for o in only):
            raise StopIteration  # not asked for
        saves = save_update_times(f"http://127.0.0.1:{server.server_port}/", engine, runs)
        results["save a status update"] = {"median": statistics.median(saves), "p95": pct(saves, 0.95), "bytes": 0}
    except RuntimeError as exc:
        print(f"  {label} save a status update: {exc}")
    except StopIteration:
        pass
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
    args = parser.parse_args()
    dbs = dict(item.split("=", 1) for item in args.db) or {
        label: f"instance/bench-{label}.db" for label in ("x1", "x10", "x100")
        if Path(f"instance/bench-{label}.db").exists()}
    if not dbs:
        raise SystemExit("no database: run python benchmarks/generate.py --scale 1 and --scale 10 first")
    table = {label: measure(label, path, args.runs, args.view) for label, path in dbs.items()}
    labels = list(table)
    names = list(dict.fromkeys(n for res in table.values() for n in res))
    head = f"{'view':<26}" + "".join(f"{label + ' median/p95 ms':>26}{'KB':>8}" for label in labels)
    if len(labels) > 1:
        head += f"{labels[1] + '÷' + labels[0]:>12}"
    print(head)
    for name in names:
        row = f"{name:<26}"
        for label in labels:
            r = table[label].get(name)
            row += (f"{r['median']:>17.1f}/{r['p95']:<8.1f}{r['bytes'] / 1024:>8.0f}" if r else f"{'—':>26}{'':>8}")
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
