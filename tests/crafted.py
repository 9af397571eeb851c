"""Crafted requests to Dash's callback endpoint, exactly as dash-renderer sends them, for tests that
check the server refuses what a page never offers (the browser controls every id and value a callback
receives, so hiding a button proves nothing).

- `signed_in_client(app, email)`: a Flask test client signed in through the real sign-in form, with
  its CSRF token; `give_password(engine, email)` first for a seeded person who has none (or to make
  signing in quick).
- `post_callback(client, output, inputs, state, changed_prop_ids)`: POST one callback's body to
  /_dash-update-component with the X-CSRFToken header dash-renderer echoes from the `_csrf_token` cookie.
- `call_callback(client, trigger, values)`: the same, finding the callback by the input that fires
  it in /_dash-dependencies, so the output string (with Dash's "@<hash>" of allow_duplicate outputs)
  and every input and state come from the app itself.
- `form_body(form, fields)`: the values a form on pattern-matching ids (tracker.web.components.forms
  .form_field) sends, as `call_callback` takes them.
- `page_json(client, path, search)`: a page as the page router sends it (the JSON component tree), with
  `nodes_by_id`, `node_text` and `node_links` to read it as a user would.
- `db_fingerprint(engine)`: a hash of every row of every table, so "nothing changed" is checked for
  the whole database rather than the tables a test thought of.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine

from tests.conftest import DEMO_PASSWORD

CALLBACK_URL = "/_dash-update-component"
# A person who leads SUP only (seeds/northamptonshire/subgroups.yaml): a lead of another subgroup.
OTHER_LEAD = "m.fenwick@police.example.org"

# --- Signing in -------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _quick_hash(password: str) -> str:
    # The app's argon2id settings take about a second to check, on purpose. The same algorithm with its
    # lightest settings checks in a millisecond, and tracker.services.auth.verify_password reads the
    # settings from the hash itself: the sign-in form's real check, without the wait.
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(password)


def give_password(engine: Engine, *emails: str, password: str = DEMO_PASSWORD) -> None:
    """Give these people this password (quick to check), e.g. a seeded person who has none: the seed
    gives one to the demo accounts only."""
    from sqlmodel import Session, select

    from tracker.models import Person

    with Session(engine) as session:
        for email in emails:
            person = session.exec(select(Person).where(Person.email == email.lower())).first()
            assert person is not None, f"there is no person {email}"
            person.password_hash = _quick_hash(password)
            session.add(person)
        session.commit()


def signed_in_client(app, email: str, password: str = DEMO_PASSWORD):
    """A Flask test client signed in through the real sign-in form (with its CSRF token)."""
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token,
                                           "next": "/"})
    assert response.status_code == 302 and "/login" not in response.headers.get("Location", ""), \
        f"sign-in failed for {email}"
    return client


# --- Component ids as Dash writes them ----------------------------------------------------------


def stringify_id(component_id: Any) -> str:
    """An id as Dash writes it in an output string or changedPropIds: a dict as compact JSON with its
    keys sorted (a wildcard ALL/MATCH as ["ALL"]/["MATCH"]); a string as it is."""
    if not isinstance(component_id, dict):
        return component_id

    def value(v) -> str:
        return v.to_json() if hasattr(v, "to_json") else json.dumps(v)

    return "{" + ",".join(f"{json.dumps(k)}:{value(component_id[k])}" for k in sorted(component_id)) + "}"


def _parse_id(id_string: str) -> Any:
    return json.loads(id_string) if id_string.startswith("{") else id_string.replace("\\.", ".")


def _wildcard(value) -> str | None:
    """"ALL", "MATCH" or "ALLSMALLER" for a wildcard in a parsed pattern id, else None."""
    return value[0] if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str) else None


def split_output(output: str) -> list[tuple[Any, str]]:
    """The (id, property) of each output in a callback's output string: "a.children", or several as
    "..a.children...b.value.."; a pattern id is JSON; a property may end in "@<hash>" (allow_duplicate)."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    result = []
    for part in parts:
        id_string, prop = re.split(r"(?<!\\)\.(?=[^.]*$)", part, maxsplit=1)
        result.append((_parse_id(id_string), prop))
    return result


def _concrete_outputs(output: str, inputs: list, state: list, trigger_id: Any) -> list | dict:
    """The `outputs` dash-renderer sends for these outputs: each pattern output made concrete from the
    components on the page, which here are those named in the inputs and state."""
    entries = [e for e in inputs + state if isinstance(e, list)]
    resolved = []
    for spec_id, prop in split_output(output):
        if not isinstance(spec_id, dict):
            resolved.append({"id": spec_id, "property": prop})
            continue
        wild = {k: _wildcard(v) for k, v in spec_id.items() if _wildcard(v)}
        if not wild:  # a dict id with no wildcard names one component, as a string id does
            resolved.append({"id": spec_id, "property": prop})
            continue
        if "MATCH" in wild.values() and "ALL" not in wild.values() and isinstance(trigger_id, dict):
            resolved.append({"id": {k: (trigger_id[k] if k in wild else v) for k, v in spec_id.items()},
                             "property": prop})
            continue
        # ALL (with or without MATCH in another key): one output for each component of the same shape (the
        # same keys) given in the inputs or state.
        same_shape = next((group for group in entries if group and isinstance(group[0]["id"], dict)
                           and group[0]["id"].keys() == spec_id.keys()), [])
        resolved.append([{"id": {k: (e["id"][k] if k in wild else v) for k, v in spec_id.items()},
                          "property": prop} for e in same_shape])
    return resolved if output.startswith("..") else resolved[0]


def form_body(form: str, fields: dict[str, Any], prop: str = "value") -> dict:
    """call_callback's values for a form whose controls are {"form": form, "field": name}: one ALL
    pattern, one component per field (its "id" State follows from these)."""
    from dash import ALL

    return {(stringify_id({"form": form, "field": ALL}), prop): [
        ({"form": form, "field": name}, value) for name, value in fields.items()]}


# --- Posting a callback --------------------------------------------------------------------------


class Reply(NamedTuple):
    """What /_dash-update-component answered: `status, text = reply` unpacks it."""

    status: int
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text) if self.text else None

    @property
    def strings(self) -> str:
        """Every string in the answer's JSON, decoded and joined by newlines: what a test looks for a
        message in (JSON may escape characters the message has)."""
        found: list[str] = []

        def walk(node):
            if isinstance(node, str):
                found.append(node)
            elif isinstance(node, dict):
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        try:
            walk(self.json)
        except ValueError:
            return self.text
        return "\n".join(found)


def csrf_header(client) -> dict[str, str]:
    cookie = client.get_cookie("_csrf_token")
    assert cookie is not None, "no _csrf_token cookie: is the client signed in?"
    return {"X-CSRFToken": cookie.value}


def post_callback(client, output: str, inputs: list, state: list | None = None,
                  changed_prop_ids: list[str] | None = None, outputs: list | dict | None = None) -> Reply:
    """POST to /_dash-update-component the body dash-renderer sends for one callback.

    `output`: the callback's output string exactly as Dash keys it: "id.prop", or for several outputs
    "..a.children...b.value.."; a pattern-matching id as JSON ('{"dim":["ALL"],"type":"rate-error"}').
    `inputs`, `state`: one entry per Input / State in the callback's order: {"id", "property", "value"},
    or for an ALL pattern a list of them (one per matching component on the page).
    `changed_prop_ids`: what fired it ("id.prop", a pattern id as JSON); by default the first input.
    `outputs`: the concrete outputs; by default made from `output` (MATCH from the trigger's id, ALL
    from the components of the same shape in the inputs and state).
    Returns the Reply (status and body), whatever the status.
    """
    state = list(state or [])
    if changed_prop_ids is None:
        first = inputs[0][0] if isinstance(inputs[0], list) else inputs[0]
        changed_prop_ids = [f"{stringify_id(first['id'])}.{first['property']}"]
    trigger_id = _parse_id(changed_prop_ids[0].rsplit(".", 1)[0]) if changed_prop_ids else None
    body: dict[str, Any] = {
        "output": output,
        "outputs": outputs if outputs is not None else _concrete_outputs(output, inputs, state, trigger_id),
        "inputs": inputs,
        "changedPropIds": changed_prop_ids,
        "parsedChangedPropsIds": [json.loads(p[:p.rindex("}") + 1]) if p.startswith("{") else p
                                  for p in changed_prop_ids],
    }
    if state:  # dash-renderer leaves "state" out for a callback without State
        body["state"] = state
    response = client.post(CALLBACK_URL, json=body, headers=csrf_header(client))
    return Reply(response.status_code, response.get_data(as_text=True))


def page_reply(client, path: str, search: str = "") -> Reply:
    """The page router's reply for `path` + `search`, whatever its status (a refusal included)."""
    return post_callback(client, ".._pages_content.children..._pages_store.data..",
                         [{"id": "_pages_location", "property": "pathname", "value": path},
                          {"id": "_pages_location", "property": "search", "value": search}],
                         changed_prop_ids=["_pages_location.pathname"])


def page_json(client, path: str, search: str = "") -> dict:
    """The page at `path` + `search` as the page router's callback sends it to the browser."""
    reply = page_reply(client, path, search)
    assert reply.status == 200, reply.text[:300]
    return reply.json


def nodes_by_id(node, found: dict | None = None) -> dict:
    """Every component in a JSON tree that has a string id, by id."""
    found = {} if found is None else found
    if isinstance(node, list):
        for item in node:
            nodes_by_id(item, found)
    elif isinstance(node, dict):
        props = node.get("props") or {}
        if isinstance(props.get("id"), str):
            found[props["id"]] = node
        for value in node.values():
            nodes_by_id(value, found)
    return found


def node_text(node) -> str:
    """The text a reader sees in a JSON tree (its children's text, joined)."""
    if isinstance(node, str | int):
        return str(node)
    if isinstance(node, list):
        return "".join(node_text(n) for n in node)
    if isinstance(node, dict):
        return node_text(node.get("props", {}).get("children"))
    return ""


def node_links(node, found: list | None = None) -> list:
    """The href of every link (html.A) in a JSON tree, in order."""
    found = [] if found is None else found
    if isinstance(node, list):
        for item in node:
            node_links(item, found)
    elif isinstance(node, dict):
        props = node.get("props") or {}
        if node.get("type") == "A":
            found.append(props.get("href"))
        node_links(props.get("children"), found)
    return found


def _fits(parsed_spec_id: Any, component_id: Any) -> bool:
    """Whether a component id is one a callback's (possibly pattern-matching) id names."""
    if isinstance(parsed_spec_id, dict) and isinstance(component_id, dict):
        return parsed_spec_id.keys() == component_id.keys() and all(
            _wildcard(v) or v == component_id[k] for k, v in parsed_spec_id.items())
    return parsed_spec_id == component_id


def callback_spec(client, trigger_id: Any, trigger_prop: str, output_contains: str | None = None) -> dict:
    """The callback (from /_dash-dependencies) that `trigger_id`.`trigger_prop` is an Input of."""
    found = [d for d in client.get("/_dash-dependencies").get_json()
             if any(_fits(_parse_id(i["id"]), trigger_id) and i["property"] == trigger_prop for i in d["inputs"])
             and (output_contains is None or output_contains in d["output"])]
    assert len(found) == 1, (f"{len(found)} callbacks have the input {stringify_id(trigger_id)}.{trigger_prop}: "
                             f"{[d['output'] for d in found]}")
    return found[0]


def call_callback(client, trigger: tuple, values: dict | None = None, output_contains: str | None = None) -> Reply:
    """POST what dash-renderer would send when `trigger` (id, property, value) fires its callback.

    `values` gives the callback's other inputs and states by (id, property), the id as the callback
    declares it (a pattern-matching id as stringify_id writes it, e.g. stringify_id({"type": "x",
    "dim": dash.ALL}), since a dict cannot be a key):
      - for an ALL pattern, a list of (concrete id, value); its "id" property, when not given, is
        the ids given for another property of the same pattern;
      - for a MATCH pattern, (concrete id, value), or just the value (the id is the trigger's);
      - otherwise the value. Anything not given is None (an ALL pattern: no components).
    An ALL input that fires is sent with the one component that fired (the page would send them all,
    the others with the values they have).
    """
    trigger_id, trigger_prop, trigger_value = trigger
    spec = callback_spec(client, trigger_id, trigger_prop, output_contains)
    given = {(stringify_id(k[0]), k[1]): v for k, v in (values or {}).items()}

    def entry(dep: dict):
        spec_id, prop = dep["id"], dep["property"]
        parsed = _parse_id(spec_id)
        wild = {k: _wildcard(v) for k, v in parsed.items()} if isinstance(parsed, dict) else {}
        is_all = any(w in ("ALL", "ALLSMALLER") for w in wild.values())
        if prop == trigger_prop and _fits(parsed, trigger_id):
            concrete = {"id": trigger_id, "property": prop, "value": trigger_value}
            return [concrete] if is_all else concrete
        if is_all:
            pairs = given.get((spec_id, prop))
            if pairs is None and prop == "id":  # the ids of the components given for another property
                other = next((v for (i, _), v in given.items() if i == spec_id), [])
                pairs = [(component_id, component_id) for component_id, _ in other]
            return [{"id": i, "property": prop, "value": v} for i, v in (pairs or [])]
        if wild:  # MATCH
            value = given.get((spec_id, prop))
            if isinstance(value, tuple):
                return {"id": value[0], "property": prop, "value": value[1]}
            concrete_id = {k: (trigger_id[k] if wild.get(k) else v) for k, v in parsed.items()}
            return {"id": concrete_id, "property": prop, "value": value}
        return {"id": parsed, "property": prop, "value": given.get((spec_id, prop))}

    inputs = [entry(i) for i in spec["inputs"]]
    state = [entry(s) for s in spec["state"]]
    return post_callback(client, spec["output"], inputs, state,
                         changed_prop_ids=[f"{stringify_id(trigger_id)}.{trigger_prop}"])


# --- The whole database, as one hash ---------------------------------------------------------------


class DbFingerprint(str):
    """A hash of every row of every table; `.tables` holds one hash per table, to say what changed."""

    tables: dict[str, str]


def db_fingerprint(engine: Engine) -> DbFingerprint:
    """A hash of every row of every table of the database (in any order of rows)."""
    preparer = engine.dialect.identifier_preparer
    tables: dict[str, str] = {}
    with engine.connect() as connection:
        for name in sorted(inspect(connection).get_table_names()):
            rows = connection.exec_driver_sql(f"SELECT * FROM {preparer.quote(name)}").all()
            digest = hashlib.sha256()
            for row in sorted(repr(tuple(row)) for row in rows):
                digest.update(row.encode())
                digest.update(b"\n")
            tables[name] = f"{len(rows)}:{digest.hexdigest()}"
    whole = hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()
    fingerprint = DbFingerprint(whole)
    fingerprint.tables = tables
    return fingerprint


def changed_tables(before: DbFingerprint, after: DbFingerprint) -> list[str]:
    """The tables whose rows differ between two fingerprints (for an assertion's message)."""
    return sorted(name for name in before.tables.keys() | after.tables.keys()
                  if before.tables.get(name) != after.tables.get(name))


def fail_statements(engine: Engine, starting: str):
    """Make every SQL statement starting with `starting` fail as a lost database connection does;
    returns the function that ends it."""
    from sqlalchemy.exc import OperationalError

    def fail(_conn, _cursor, statement, parameters, *_):
        if statement.lstrip().upper().startswith(starting.upper()):
            raise OperationalError(statement, parameters, ConnectionRefusedError("the database went away"))

    event.listen(engine, "before_cursor_execute", fail)
    return lambda: event.remove(engine, "before_cursor_execute", fail)
