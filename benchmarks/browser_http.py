"""The browser's HTTP side, for the benchmarks: a signed-in session with Dash's CSRF header, and the
bodies dash-renderer posts (a page load through the pages router, a button click, the action page's
"Record the update"), built from /_dash-dependencies as the browser builds them."""

from __future__ import annotations

import http.cookiejar
import json
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from werkzeug.serving import BaseWSGIServer, make_server

from tracker.startup import freeze_startup_objects

TIMEOUT = 120  # seconds for one request


def serve_on_loopback(app) -> BaseWSGIServer:
    """The built Dash app served as app.py serves it (its start-up objects frozen first), threaded, on a
    free loopback port (server.server_port), in a background thread; server.shutdown() stops it."""
    freeze_startup_objects()
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(times: list[float], size: int = 0) -> dict:
    """The figures a benchmark table prints for one row: median and p95 ms, bytes (and the times, so
    that summaries of several rounds can be merged)."""
    return {"median": statistics.median(times), "p95": pct(times, 0.95), "bytes": size, "times": list(times)}


def merged(parts: list[dict]) -> dict:
    """One summary of the times of several (the size of the last; the least of their SQL times)."""
    whole = summary([t for p in parts for t in p["times"]], parts[-1]["bytes"])
    sql = [p["sql"] for p in parts if "sql" in p]
    return {**whole, "sql": min(sql)} if sql else whole


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


def pattern_ids(node, kind: str, found: list) -> list:
    """Every pattern-matching id {"type": kind, ...} in a layout."""
    if isinstance(node, list):
        for item in node:
            pattern_ids(item, kind, found)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            if isinstance(props.get("id"), dict) and props["id"].get("type") == kind:
                found.append(props["id"])
            for value in props.values():
                pattern_ids(value, kind, found)
        else:
            for value in node.values():
                pattern_ids(value, kind, found)
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


def button_callback(deps: list[dict], trigger: str) -> dict:
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


def timed_get(client: Client, path: str, starts: bytes, runs: int) -> tuple[list[float], int]:
    """GET a file download (a warm-up first); ms per request and the size of the last reply."""
    times, size = [], 0
    for n in range(runs + 1):
        began = time.perf_counter()
        status, reply = client.request(path)
        elapsed = (time.perf_counter() - began) * 1000
        if status != 200 or not reply.startswith(starts):
            raise RuntimeError(f"answered {status}: {reply[:300]!r}")
        size = len(reply)
        if n:
            times.append(elapsed)
    return times, size
