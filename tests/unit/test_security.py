"""Web security through Flask's test client: the headers and the CSP, cookie flags, request handling
(no-store, HSTS, size limit, stale tokens, malformed callback bodies).

CSRF stays on in every test here (settings.csrf_enabled defaults to True): requests carry the token
the way the browser does, from the sign-in form or the `_csrf_token` cookie.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re

import dash
import pytest
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS
from tests.web_client import (
    cookie_header,
    csp_directives,
    csrf_cookie,
    make_app,
    router_call,
    sign_in,
)
from tracker.models import Person
from tracker.web import security


@pytest.fixture
def app(engine):
    return make_app(engine)


@pytest.fixture
def client(app):
    return app.server.test_client()


# --- Security headers and the CSP -----------------------------------------------------------------


def test_every_response_has_the_security_headers(client):
    sign_in(client)
    responses = {
        "index": client.get("/"),
        "sign-in redirect": client.get("/login"),
        "sign-out page": client.get("/logout"),
        "callback": client.post("/_dash-update-component", json=router_call("/"),
                                headers={"X-CSRFToken": csrf_cookie(client)}),
        "layout": client.get("/_dash-layout"),
        "stylesheet": client.get("/vendor/bootstrap.min.css"),
        "asset": client.get("/assets/tracker.css"),
        "health": client.get("/health"),
    }
    for name, response in responses.items():
        assert response.status_code in (200, 302), name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", name
        assert "X-Frame-Options" not in response.headers, name
        assert "Content-Security-Policy" in response.headers, name


def test_csp_has_the_expected_directives(client):
    sign_in(client)
    csp = csp_directives(client.get("/"))
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'"
    assert all(source.startswith("'sha256-") for source in csp["script-src"][1:])
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["font-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]


def inline_script_hashes(page: str) -> set[str]:
    """The CSP hash of each executable inline script of a page (JSON config is not executed)."""
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", page, re.S)
    inline = [s for s in inline if "alert(\"Dash v2.7+" not in s]  # inside an IE-only comment
    return {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline}


def test_csp_allows_exactly_the_inline_scripts_of_the_page(app, client):
    sign_in(client)
    response = client.get("/")
    script_src = set(csp_directives(response)["script-src"])
    assert set(app.csp_hashes()) <= script_src
    # Every executable inline script Dash wrote into the page is allowed by its hash.
    inline = inline_script_hashes(response.get_data(as_text=True))
    assert inline, "expected Dash's inline renderer script"
    assert inline <= script_src


def test_csp_follows_the_hashes_dash_gives_as_scripts_are_added(app, client):
    # Dash adds the pages' title script on the first request and a clientside callback may come
    # later: each response allows exactly what app.csp_hashes() gives at that time.
    sign_in(client)
    first = set(csp_directives(client.get("/"))["script-src"][1:])
    assert first == set(app.csp_hashes())
    app.clientside_callback("function(v) { return v; }", dash.Output("late-out", "children"),
                            dash.Input("late-in", "value"))
    response = client.get("/")
    later = set(csp_directives(response)["script-src"][1:])
    assert later == set(app.csp_hashes())
    added = later - first
    assert len(added) == 1 and first <= later
    assert added <= inline_script_hashes(response.get_data(as_text=True))


def test_frame_ancestors_follow_the_configuration(engine):
    client = make_app(engine, frame_ancestors=["https://intranet.example.gov.uk", "https://*.nhs.example:8443"]
                      ).server.test_client()
    csp = csp_directives(client.get("/login"))
    assert csp["frame-ancestors"] == ["'self'", "https://intranet.example.gov.uk", "https://*.nhs.example:8443"]

    client = make_app(engine, frame_ancestors=["'none'"]).server.test_client()
    assert csp_directives(client.get("/login"))["frame-ancestors"] == ["'none'"]


def test_a_frame_ancestor_cannot_inject_directives(engine, caplog):
    with caplog.at_level(logging.WARNING):
        client = make_app(engine, frame_ancestors=["https://ok.example", "https://x.example; script-src *",
                                                   "https://y.example,https://z.example"]).server.test_client()
        policy = client.get("/login").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://ok.example;" in policy
    assert "script-src *" not in policy and "z.example" not in policy
    assert "Ignoring frame ancestor" in caplog.text


def test_frame_ancestor_sources():
    assert security.frame_ancestor_sources([]) == ["'self'"]
    assert security.frame_ancestor_sources(["self", "https://a.example"]) == ["'self'", "https://a.example"]
    assert security.frame_ancestor_sources(["https://a.example", "'none'"]) == ["'none'"]


# --- Cookies --------------------------------------------------------------------------------------


def test_session_cookie_flags_over_http(client):
    response = sign_in(client)
    session_cookie = cookie_header(response, "session")
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    assert "Secure" not in session_cookie
    readable = cookie_header(response, "_csrf_token")
    assert "HttpOnly" not in readable and "SameSite=Lax" in readable


def test_session_cookie_is_secure_over_https(engine):
    client = make_app(engine).server.test_client()
    response = sign_in(client, prefix="https://localhost/")
    assert "Secure" in cookie_header(response, "session")
    assert "Secure" in cookie_header(response, "_csrf_token")


def test_secure_cookies_can_be_forced(engine):
    client = make_app(engine, secure_cookies=True).server.test_client()
    response = client.get("/login")
    assert "Secure" in cookie_header(response, "session")


def test_cross_site_embedding_makes_cookies_samesite_none(engine):
    app = make_app(engine, frame_ancestors=["https://intranet.example.gov.uk"])
    response = sign_in(app.server.test_client(), prefix="https://localhost/")
    for name in ("session", "_csrf_token"):
        header = cookie_header(response, name)
        assert "SameSite=None" in header and "Secure" in header, header
    # Over plain http a SameSite=None cookie would be thrown away by the browser: stay Lax.
    response = sign_in(app.server.test_client())
    assert "SameSite=Lax" in cookie_header(response, "session")


# --- Request handling -------------------------------------------------------------------------------


def test_signed_in_responses_are_not_stored_and_static_files_may_be(client):
    sign_in(client)
    assert client.get("/").headers["Cache-Control"] == "no-store"
    callback = client.post("/_dash-update-component", json=router_call("/"),
                           headers={"X-CSRFToken": csrf_cookie(client)})
    assert callback.status_code == 200 and callback.headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/assets/session.js").headers.get("Cache-Control", "")


def test_hsts_only_over_https(engine):
    client = make_app(engine).server.test_client()
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://tracker.example.gov.uk")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_an_expired_page_token_gets_a_message_and_a_fresh_token(client):
    sign_in(client)
    client.get("/")
    refused = client.post("/_dash-update-component", json=router_call("/"), headers={"X-CSRFToken": "expired"})
    assert refused.status_code == 400
    assert refused.headers["X-Tracker-Refused"] == "csrf"  # assets/session.js shows the message in the page
    assert "had expired" in refused.get_json()["message"]
    retried = client.post("/_dash-update-component", json=router_call("/"), headers={"X-CSRFToken": csrf_cookie(client)})
    assert retried.status_code == 200


def test_a_request_over_the_size_limit_gets_413_with_a_message(engine):
    client = make_app(engine, max_request_bytes=50_000).server.test_client()
    sign_in(client)
    body = router_call("/")
    body["inputs"][1]["value"] = "x" * 60_000
    refused = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": csrf_cookie(client)})
    assert refused.status_code == 413
    assert "too large" in refused.get_json()["message"] and refused.headers["X-Tracker-Refused"] == "too_large"


def test_the_embed_guard_reads_the_pathname_the_router_uses(app, engine):
    """Dash hands the router its inputs by position: an entry that only names the pathname elsewhere
    does not open a signed-in page to someone holding an embed token."""
    from tracker.services import embeds

    with Session(engine) as session:
        actor = session.exec(select(Person).where(Person.email == DEMO_EMAILS["admin"])).one()
        _, token = embeds.create_embed_token(session, actor, "overview", "Intranet")
        session.commit()
    client = app.server.test_client()
    assert client.get(f"/embed/overview?token={token}").status_code == 200
    headers = {"X-CSRFToken": csrf_cookie(client)}
    assert client.post("/_dash-update-component", json=router_call("/embed/overview"), headers=headers).status_code == 200
    swapped = router_call("/embed/overview")
    swapped["inputs"] = [{"id": "_pages_location", "property": "search", "value": "/admin/people"},
                         {"id": "_pages_location", "property": "pathname", "value": "/embed/overview"}]
    assert client.post("/_dash-update-component", json=swapped, headers=headers).status_code in (400, 401)


def _rate_save(client) -> dict:
    from tests.crafted import callback_spec

    return callback_spec(client, "rate-save", "n_clicks")


def _scores(n: int, kind: str = "rate-score") -> list[dict]:
    return [{"id": {"type": kind, "dim": d}, "property": "value", "value": "3"} for d in range(1, n + 1)]


@pytest.mark.parametrize("mangle", [
    "not json", "nan", "huge id", "wrong input count", "no such callback", "unequal lists", "foreign id",
    "list for a single input", "non-numeric store",
])
def test_malformed_callback_bodies_get_a_4xx_and_write_nothing(engine, mangle):
    from tests.crafted import csrf_header, db_fingerprint

    client = make_app(engine).server.test_client()
    sign_in(client, email=DEMO_EMAILS["lead"])
    spec = _rate_save(client)

    def ids(kind, n):
        return [{"id": {"type": kind, "dim": d}, "property": "id", "value": {"type": kind, "dim": d}}
                for d in range(1, n + 1)]

    state = [ids("rate-score", 3), _scores(3), _scores(3, "rate-evidence"), _scores(3, "rate-improvement"),
             {"id": "assessment-id", "property": "data", "value": 1},
             {"id": "assessment-refresh", "property": "data", "value": 0}]
    outputs = [{"id": "assessment-message", "property": "children"}] + [
        [{"id": {"type": kind, "dim": d}, "property": prop} for d in range(1, 4)]
        for kind, prop in (("rate-error", "children"), ("rate-score", "invalid"), ("rate-evidence", "invalid"),
                           ("rate-improvement", "invalid"))] + [{"id": "assessment-refresh", "property": "data"}]
    body = {"output": spec["output"], "outputs": outputs, "state": state,
            "inputs": [{"id": "rate-save", "property": "n_clicks", "value": 1},
                       {"id": "rate-submit", "property": "n_clicks"}],
            "changedPropIds": ["rate-save.n_clicks"]}
    raw = None
    if mangle == "not json":
        raw = "{output: rate-save"
    elif mangle == "nan":
        raw = json_dumps(body).replace('"value": 1}', '"value": NaN}', 1)
    elif mangle == "huge id":
        body["state"][4]["value"] = 10**30
    elif mangle == "wrong input count":
        body["inputs"] = body["inputs"][:1]
    elif mangle == "no such callback":
        body["output"] = "assessment-message.children"
    elif mangle == "unequal lists":  # five scores, three outputs: the answer would not fit after the write
        body["state"][0], body["state"][1] = ids("rate-score", 5), _scores(5)
        body["state"][2], body["state"][3] = _scores(5, "rate-evidence"), _scores(5, "rate-improvement")
    elif mangle == "foreign id":
        body["state"][1][0]["id"] = {"type": "agree-score", "dim": 1}
    elif mangle == "list for a single input":
        body["inputs"][0] = [body["inputs"][0]]
    elif mangle == "non-numeric store":
        body["state"][4]["value"] = {"assessment": "one"}
        body["state"][5]["value"] = "lots"
    before = db_fingerprint(engine)
    headers = csrf_header(client) | {"Content-Type": "application/json"}
    reply = client.post("/_dash-update-component", data=raw if raw is not None else json_dumps(body), headers=headers)
    if mangle == "non-numeric store":  # well formed, so the callback runs, and refuses
        assert reply.status_code in (200, 400), reply.get_data(as_text=True)[:300]
    else:
        assert 400 <= reply.status_code < 500, (mangle, reply.status_code)
        assert "nothing was saved" in reply.get_json()["message"]
    assert db_fingerprint(engine) == before


def json_dumps(body) -> str:
    import json

    return json.dumps(body)
