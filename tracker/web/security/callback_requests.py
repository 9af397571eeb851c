"""Callback requests (`_dash-update-component`) checked before Dash reads them: a body dash-renderer
would never send gets 400 and runs nothing; a callback that still fails on what the client sent (a
Store holding text where a number belongs ...) gets 400, its unit of work rolled back."""

from __future__ import annotations

import json
import logging
import math

import flask

log = logging.getLogger(__name__)

MALFORMED = "The server could not use what this page sent, so nothing was saved: reload the page and try again."
# What a callback raises when the client sent a value of the wrong kind (text for a number ...).
CLIENT_CAUSED = (TypeError, ValueError, KeyError, IndexError, OverflowError, AttributeError, RecursionError)
MAX_SAFE_INTEGER = 2**53  # the largest a browser's number holds exactly; an id beyond it is not one we made
_WILD = ("ALL", "ALLSMALLER", "MATCH")


def is_callback() -> bool:
    request = flask.request
    return request.method == "POST" and request.path == flask.current_app.config.get("TRACKER_CALLBACK_PATH")


def check_callback_body():
    """before_request (after the sign-in guard, so a signed-out page is told its session ended):
    a callback body dash-renderer would not send gets 400, and no callback runs."""
    if not is_callback():
        return None
    app = flask.current_app.extensions["tracker_dash_app"]
    problem = callback_body_problem(flask.request.get_data(cache=True), app.callback_map)
    if problem:
        log.warning("Refused a malformed callback request from %s: %s", flask.request.remote_addr, problem)
        return refused_callback(MALFORMED, "malformed", 400)
    return None


def refused_callback(message: str, reason: str, status: int) -> tuple[flask.Response, int]:
    """A refused callback's answer: assets/session.js shows the message in the page."""
    response = flask.jsonify({"message": message, "reason": reason})
    response.headers["X-Tracker-Refused"] = reason
    return response, status


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _bad_number(node, depth: int = 0) -> str | None:
    if depth > 60:
        return "nested too deeply"
    if isinstance(node, bool) or node is None or isinstance(node, str):
        return None
    if isinstance(node, int):
        return f"the number {str(node)[:20]}... is too large" if abs(node) > MAX_SAFE_INTEGER else None
    if isinstance(node, float):
        return None if math.isfinite(node) else "a number is not finite"
    items = node.values() if isinstance(node, dict) else node
    return next((p for p in (_bad_number(item, depth + 1) for item in items) if p), None)


def _pattern(id_string: str):
    """A declared id: a string, or a pattern dict whose wildcards read "ALL", "MATCH" ..."""
    if not id_string.startswith("{"):
        return id_string
    parsed = json.loads(id_string)
    return {k: (v[0] if isinstance(v, list) and len(v) == 1 and v[0] in _WILD else v) for k, v in parsed.items()}


def _item_problem(item, pattern, prop: str) -> str | None:
    # An allow_duplicate output's property may carry Dash's "@<hash>".
    # (An undefined value is left out of the entry, as JSON.stringify drops it.)
    if not isinstance(item, dict) or str(item.get("property")).split("@", 1)[0] != prop:
        return f"an entry for {prop} is not one Dash sends"
    component_id = item.get("id")
    if isinstance(pattern, str):
        return None if component_id == pattern else f"the id {str(component_id)[:60]!r} is not {pattern!r}"
    if not isinstance(component_id, dict) or component_id.keys() != pattern.keys():
        return "a pattern-matching id has other keys than the callback's"
    for key, want in pattern.items():
        got = component_id[key]
        if want in _WILD:
            if not isinstance(got, str | int | float | bool):
                return f"the {key} of an id is not a plain value"
        elif got != want:
            return f"the {key} of an id is {str(got)[:40]!r}, not {want!r}"
    return None


def _group(entry, dep: dict, groups: list, matches: dict) -> str | None:
    """Check one input/state/output entry against its declaration; note its ALL list and MATCH values."""
    pattern, prop = _pattern(dep["id"]), dep["property"].split("@", 1)[0]
    wild = {k: v for k, v in pattern.items() if v in _WILD} if isinstance(pattern, dict) else {}
    if any(v in ("ALL", "ALLSMALLER") for v in wild.values()):
        if not isinstance(entry, list):
            return f"{prop} of {dep['id']} should be a list"
        for item in entry:
            if problem := _item_problem(item, pattern, prop):
                return problem
        groups.append((tuple(sorted(pattern)), tuple(sorted(wild)),
                       [tuple(item["id"][k] for k in sorted(wild)) for item in entry]))
        return None
    if problem := _item_problem(entry, pattern, prop):
        return problem
    for key in (k for k, v in wild.items() if v == "MATCH"):
        if matches.setdefault(key, entry["id"][key]) != entry["id"][key]:
            return "the MATCH parts of the ids differ"
    return None


def callback_body_problem(raw: bytes, callback_map: dict) -> str | None:
    """What makes a callback request one dash-renderer would not send, or None.

    The body must be JSON (no NaN); its numbers no larger than a browser's exact integers; its output a
    callback of the app; its inputs, state and outputs one entry per declared one, each with the
    declared id (a pattern's fixed parts included) and property, a list for an ALL pattern; the MATCH
    parts of its ids the same; and each ALL list of outputs naming the same components as an ALL
    list of inputs or state of the same shape, when there is one (what the callback's answer follows).
    """
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return "the body is not JSON"
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return "the body names no callback"
    if problem := _bad_number(body):
        return problem
    spec = callback_map.get(body["output"])
    if spec is None:
        return f"there is no callback {body['output'][:80]!r}"
    inputs, state, changed = body.get("inputs"), body.get("state", []), body.get("changedPropIds", [])
    if not isinstance(inputs, list) or not isinstance(state, list) or not isinstance(changed, list) \
            or not all(isinstance(c, str) for c in changed):
        return "inputs, state and changedPropIds must be lists"
    if len(inputs) != len(spec["inputs"]) or len(state) != len(spec["state"]):
        return "the number of inputs or state differs from the callback's"
    groups: list = []
    matches: dict = {}
    for entry, dep in zip(inputs + state, spec["inputs"] + spec["state"], strict=True):
        if problem := _group(entry, dep, groups, matches):
            return problem
    if spec.get("no_output"):
        return None
    declared = spec["output"] if isinstance(spec["output"], list) else [spec["output"]]
    outputs = body.get("outputs")
    outputs = outputs if isinstance(spec["output"], list) else [outputs]
    if not isinstance(outputs, list) or len(outputs) != len(declared):
        return "the number of outputs differs from the callback's"
    sources = list(groups)
    for entry, dep in zip(outputs, declared, strict=True):
        found: list = []
        if problem := _group(entry, dep.to_dict(), found, matches):
            return problem
        for shape, keys, values in found:
            same_shape = [v for s, k, v in sources if s == shape and k == keys]
            if same_shape and values not in same_shape:
                return "a list of outputs names other components than the inputs"
    return None


def callback_input(body: dict, component_id: str, prop: str):
    """The entry of a callback request's inputs that Dash hands the callback for (component_id, prop):
    the one at that input's position in the callback's declaration (not the first with that id), or None."""
    app = flask.current_app.extensions.get("tracker_dash_app")
    spec = app.callback_map.get(body.get("output")) if app is not None else None
    inputs = body.get("inputs")
    if spec is None or not isinstance(inputs, list):
        return None
    for position, dep in enumerate(spec["inputs"]):
        if dep["id"] == component_id and dep["property"] == prop:
            entry = inputs[position] if position < len(inputs) else None
            if isinstance(entry, dict) and entry.get("id") == component_id and entry.get("property") == prop:
                return entry
            return None
    return None
