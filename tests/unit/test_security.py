"""Web security through Flask's test client: headers, CSP, CSRF, cookies, sessions, sign-on, redirects.

CSRF stays on in every test here (settings.csrf_enabled defaults to True): requests carry the token
the way the browser does, from the sign-in form or the `_csrf_token` cookie.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import time

import dash
import pytest
from itsdangerous import TimestampSigner
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD, TODAY
from tracker import cli
from tracker.config import Settings
from tracker.models import AuditEvent, Person
from tracker.services.auth import authenticate
from tracker.web import security
from tracker.web.app import create_app
from tracker.web.auth import PAGES_ROUTER_OUTPUT, safe_next

PROXY = "10.1.2.3"
CLIENT = "192.168.50.7"


def make_app(engine, **overrides):
    settings = Settings(database_url="sqlite://", seed_on_start=False, secret_key="test", **overrides)
    return create_app(settings, engine=engine, today=TODAY)


@pytest.fixture
def app(engine):
    return make_app(engine)


@pytest.fixture
def client(app):
    return app.server.test_client()


def form_token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the page has no CSRF token field"
    return match.group(1)


def sign_in(client, prefix: str = "/", email: str = DEMO_EMAILS["chair"], password: str = DEMO_PASSWORD,
            next_url: str | None = None):
    token = form_token(client.get(f"{prefix}login").get_data(as_text=True))
    data = {"email": email, "password": password, "csrf_token": token, "next": next_url or prefix}
    # Over https Flask-WTF also checks the Referer, which a browser sends on a same-origin POST.
    referer = f"{prefix}login" if "://" in prefix else f"http://localhost{prefix}login"
    return client.post(f"{prefix}login", data=data, headers={"Referer": referer})


def cookie_header(response, name: str) -> str:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"no Set-Cookie for {name} in {response.headers.getlist('Set-Cookie')}")


def router_call(pathname: str, search: str = "") -> dict:
    """The body dash-renderer posts when the page router renders `pathname`."""
    return {
        "output": PAGES_ROUTER_OUTPUT,
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def csrf_cookie(client, path: str = "/") -> str:
    cookie = client.get_cookie("_csrf_token", path=path)
    assert cookie is not None, "no _csrf_token cookie for dash-renderer to echo"
    return cookie.value


def links(tree) -> list[str]:
    """Every href and form action in a Dash component tree (JSON)."""
    found = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key in ("href", "action") and isinstance(value, str):
                found.append(value)
            else:
                found += links(value)
    elif isinstance(tree, list):
        for item in tree:
            found += links(item)
    return found


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


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


# --- CSRF -----------------------------------------------------------------------------------------


def test_callback_without_the_csrf_header_is_refused(client):
    sign_in(client)
    client.get("/")
    refused = client.post("/_dash-update-component", json=router_call("/"))
    assert refused.status_code == 400

    wrong = client.post("/_dash-update-component", json=router_call("/"), headers={"X-CSRFToken": "forged"})
    assert wrong.status_code == 400

    allowed = client.post("/_dash-update-component", json=router_call("/"),
                          headers={"X-CSRFToken": csrf_cookie(client)})
    assert allowed.status_code == 200
    assert "delivery overview" in allowed.get_data(as_text=True)


def test_csrf_token_of_another_session_is_refused(app, engine):
    first, second = app.server.test_client(), app.server.test_client()
    sign_in(first)
    sign_in(second, email=DEMO_EMAILS["viewer"])
    response = second.post("/_dash-update-component", json=router_call("/"),
                           headers={"X-CSRFToken": csrf_cookie(first)})
    assert response.status_code == 400


def test_sign_in_form_without_its_token_is_refused(client):
    client.get("/login")
    response = client.post("/login", data={"email": DEMO_EMAILS["chair"], "password": DEMO_PASSWORD, "next": "/"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out

    assert sign_in(client).status_code == 302
    assert client.get("/").status_code == 200


def test_sign_out_is_a_post_with_the_token(client):
    sign_in(client)
    # A link or an image on another site cannot sign someone out...
    assert client.get("/logout").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 200
    # ...the form in the navigation bar can.
    token = form_token(client.get("/logout").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_signed_out_callback_is_told_the_session_ended(client):
    response = client.post("/_dash-update-component", json=router_call("/"))
    assert response.status_code == 401
    assert "session has ended" in response.get_json()["message"]


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


# --- Sessions end ---------------------------------------------------------------------------------


def test_a_session_ends_after_session_minutes(client):
    sign_in(client)
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["signed_in_at"] = int(time.time()) - 8 * 60 * 60 - 5
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_session_ends_when_idle(engine, monkeypatch):
    client = make_app(engine, session_idle_minutes=30).server.test_client()
    sign_in(client)
    assert client.get("/").status_code == 200
    # The cookie was signed now; 31 minutes on, Flask no longer accepts it.
    later = int(time.time()) + 31 * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_activity_keeps_an_idle_limited_session(engine, monkeypatch):
    client = make_app(engine, session_idle_minutes=30).server.test_client()
    sign_in(client)
    start = int(time.time())
    for minutes in (20, 40, 60):  # a request every 20 minutes re-signs the cookie
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self, m=minutes: start + m * 60)
        assert client.get("/").status_code == 200


def test_session_lifetime_comes_from_settings(engine):
    app = make_app(engine, session_minutes=45, session_idle_minutes=0)
    assert app.server.permanent_session_lifetime.total_seconds() == 45 * 60
    app = make_app(engine, session_minutes=480, session_idle_minutes=20)
    assert app.server.permanent_session_lifetime.total_seconds() == 20 * 60


def test_a_deactivated_person_is_signed_out(client, engine):
    sign_in(client)
    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.email == DEMO_EMAILS["chair"])).one()
        person.is_active = False
        session.add(person)
        session.commit()
    assert client.get("/").status_code == 302


# --- Single sign-on from the intranet's proxy ------------------------------------------------------


def sso_app(engine, header: str = "X-Forwarded-User", proxies=(PROXY,)):
    return make_app(engine, sso_header=header, trusted_proxies=list(proxies))


def test_sso_header_from_a_trusted_proxy_signs_in(engine):
    client = sso_app(engine).server.test_client()
    response = client.get("/", headers={"X-Forwarded-User": "Chair@CDP.Example.org"},
                          environ_base={"REMOTE_ADDR": PROXY})
    assert response.status_code == 200
    # The session then carries on; the CSRF cookie is there for callbacks.
    response = client.post("/_dash-update-component", json=router_call("/"),
                           headers={"X-CSRFToken": csrf_cookie(client), "X-Forwarded-User": DEMO_EMAILS["chair"]},
                           environ_base={"REMOTE_ADDR": PROXY})
    assert response.status_code == 200


def test_sso_header_from_anyone_else_is_ignored_and_logged(engine, caplog):
    client = sso_app(engine).server.test_client()
    with caplog.at_level(logging.WARNING, logger="tracker.web.security"):
        response = client.get("/", headers={"X-Forwarded-User": DEMO_EMAILS["admin"]},
                              environ_base={"REMOTE_ADDR": CLIENT})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Ignoring the single sign-on header" in caplog.text and CLIENT in caplog.text


def test_sso_cannot_be_spoofed_with_x_forwarded_for(engine):
    client = sso_app(engine).server.test_client()
    response = client.get("/", headers={"X-Forwarded-User": DEMO_EMAILS["admin"], "X-Forwarded-For": PROXY},
                          environ_base={"REMOTE_ADDR": CLIENT})
    assert response.status_code == 302


def test_sso_trusts_the_proxy_itself_when_it_forwards_for_a_client(engine):
    # Through the proxy, ProxyFix makes REMOTE_ADDR the client's; the peer is still the proxy.
    client = sso_app(engine, proxies=["10.1.0.0/16"]).server.test_client()
    response = client.get("/", headers={"X-Forwarded-User": DEMO_EMAILS["viewer"], "X-Forwarded-For": CLIENT,
                                        "X-Forwarded-Proto": "https"},
                          environ_base={"REMOTE_ADDR": PROXY})
    assert response.status_code == 200
    assert "Secure" in cookie_header(response, "session")  # X-Forwarded-Proto believed from the proxy


def test_sso_unknown_or_inactive_person_is_ignored(engine, caplog):
    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.email == DEMO_EMAILS["viewer"])).one()
        person.is_active = False
        session.add(person)
        session.commit()
    client = sso_app(engine).server.test_client()
    with caplog.at_level(logging.WARNING):
        for email in ("nobody@example.org", DEMO_EMAILS["viewer"], ""):
            response = client.get("/", headers={"X-Forwarded-User": email}, environ_base={"REMOTE_ADDR": PROXY})
            assert response.status_code == 302, email
    assert "no active person has the email nobody@example.org" in caplog.text


def test_sso_header_switches_the_session_to_the_person_it_names(engine):
    client = sso_app(engine).server.test_client()
    headers = {"X-Forwarded-User": DEMO_EMAILS["chair"]}
    client.get("/", headers=headers, environ_base={"REMOTE_ADDR": PROXY})
    client.get("/", headers={"X-Forwarded-User": DEMO_EMAILS["viewer"]}, environ_base={"REMOTE_ADDR": PROXY})
    with Session(engine) as db:
        viewer = db.exec(select(Person).where(Person.email == DEMO_EMAILS["viewer"])).one()
    with client.session_transaction() as session:
        assert session["_user_id"] == str(viewer.id)


def test_remote_user_is_read_from_the_environ(engine):
    client = sso_app(engine, header="REMOTE_USER").server.test_client()
    response = client.get("/", environ_base={"REMOTE_ADDR": PROXY, "REMOTE_USER": DEMO_EMAILS["chair"]})
    assert response.status_code == 200
    client = sso_app(engine, header="REMOTE_USER").server.test_client()
    response = client.get("/", environ_base={"REMOTE_ADDR": CLIENT, "REMOTE_USER": DEMO_EMAILS["chair"]})
    assert response.status_code == 302


def test_sso_is_off_without_the_setting(engine):
    client = make_app(engine, trusted_proxies=[PROXY]).server.test_client()
    response = client.get("/", headers={"X-Forwarded-User": DEMO_EMAILS["admin"]}, environ_base={"REMOTE_ADDR": PROXY})
    assert response.status_code == 302


def test_trusted_proxy_matching():
    assert security.is_trusted_proxy("10.1.2.3", ["10.1.2.3"])
    assert security.is_trusted_proxy("10.1.2.3", ["10.0.0.0/8"])
    assert security.is_trusted_proxy("::1", ["::1"])
    assert not security.is_trusted_proxy("10.1.2.4", ["10.1.2.3"])
    assert not security.is_trusted_proxy("not-an-ip", ["10.0.0.0/8", "garbage"])
    assert not security.is_trusted_proxy("10.1.2.3", [])
    environ = {"REMOTE_ADDR": "192.168.1.1", "werkzeug.proxy_fix.orig": {"REMOTE_ADDR": "10.1.2.3"}}
    assert security.peer_address(environ) == "10.1.2.3"


# --- Prefix and redirects --------------------------------------------------------------------------


def test_sign_in_redirects_under_a_prefix(engine):
    client = make_app(engine, url_prefix="/cdp/").server.test_client()
    response = client.get("/cdp/theme/1?view=all&x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/cdp/login?next=%2Fcdp%2Ftheme%2F1%3Fview%3Dall%26x%3D1"
    # The sign-in page and its stylesheets are served under the prefix, without a session.
    page = client.get("/cdp/login?next=%2Fcdp%2Ftheme%2F1%3Fview%3Dall%26x%3D1").get_data(as_text=True)
    assert 'href="/cdp/vendor/bootstrap.min.css"' in page and 'action="/cdp/login"' in page
    assert 'name="next" value="/cdp/theme/1?view=all&amp;x=1"' in page
    assert client.get("/cdp/vendor/bootstrap.min.css").status_code == 200
    assert client.get("/cdp/assets/tracker.css").status_code == 200
    # After signing in, back to where the person was going.
    response = sign_in(client, prefix="/cdp/", next_url="/cdp/theme/1?view=all&x=1")
    assert response.headers["Location"] == "/cdp/theme/1?view=all&x=1"
    index = client.get("/cdp/").get_data(as_text=True)
    assert '"requests_pathname_prefix":"\\u002fcdp\\u002f"' in index
    assert 'src="/cdp/_dash-component-suites/' in index
    assert client.get("/login").status_code == 302  # nothing is served outside the prefix
    # The session cookie belongs to the prefix only.
    assert "Path=/cdp/" in cookie_header(response, "session")


def test_callbacks_and_links_under_a_prefix(engine):
    client = make_app(engine, url_prefix="/cdp/").server.test_client()
    sign_in(client, prefix="/cdp/")
    client.get("/cdp/")
    shell_links = links(client.get("/cdp/_dash-layout").get_json())
    assert "/cdp/themes" in shell_links and "/cdp/logout" in shell_links
    assert all(link.startswith("/cdp/") or link.startswith("#") for link in shell_links), shell_links
    response = client.post("/cdp/_dash-update-component", json=router_call("/cdp/"),
                           headers={"X-CSRFToken": csrf_cookie(client, path="/cdp/")})
    assert response.status_code == 200
    assert "delivery overview" in response.get_data(as_text=True)
    page_links = links(response.get_json())
    assert page_links and all(link.startswith("/cdp/") or link.startswith("#") for link in page_links), page_links


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
    "javascript:alert(1)", "http:/evil.example", "evil.example", "",
])
def test_open_redirect_is_refused(client, target):
    response = sign_in(client, next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_safe_next():
    assert safe_next("/theme/3?x=1", "/") == "/theme/3?x=1"
    assert safe_next("/cdp/theme/3", "/cdp/") == "/cdp/theme/3"
    assert safe_next("/other/app", "/cdp/") == "/cdp/"
    assert safe_next("//evil.example", "/") == "/"
    assert safe_next("/\\evil.example", "/") == "/"
    assert safe_next(None, "/cdp/") == "/cdp/"


def test_an_authenticated_visit_to_the_sign_in_page_goes_on(client):
    sign_in(client)
    response = client.get("/login?next=%2Ftheme%2F1")
    assert response.status_code == 302 and response.headers["Location"] == "/theme/1"


# --- The create-user command -------------------------------------------------------------------------


def test_cli_creates_a_user_who_can_sign_in(engine, monkeypatch, capsys):
    monkeypatch.setenv("TRACKER_NEW_PASSWORD", "a-long-new-password")
    code = cli.main(["create-user", "--email", "New.Officer@Example.gov.uk", "--name", "New Officer",
                     "--role", "member", "--partnership", "northamptonshire"], engine=engine)
    assert code == 0, capsys.readouterr().err
    assert "Created New Officer" in capsys.readouterr().out
    with Session(engine) as session:
        person = authenticate(session, "new.officer@example.gov.uk", "a-long-new-password")
        assert person is not None and person.role == "member" and person.password_hash.startswith("$argon2")
        event = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "Person",
                                                      AuditEvent.entity_id == person.id)).one()
        assert event.actor_name == "system" and "a-long-new-password" not in (event.after or "")
    client = make_app(engine).server.test_client()
    assert sign_in(client, email="new.officer@example.gov.uk", password="a-long-new-password").status_code == 302
    assert client.get("/").status_code == 200


def test_cli_reads_the_password_from_a_named_variable(engine, monkeypatch, capsys):
    monkeypatch.delenv("TRACKER_NEW_PASSWORD", raising=False)
    monkeypatch.setenv("MY_SECRET", "another-long-password")
    code = cli.main(["create-user", "--email", "x@example.org", "--name", "X", "--role", "viewer",
                     "--partnership", "northamptonshire", "--password-env", "MY_SECRET"], engine=engine)
    assert code == 0
    with Session(engine) as session:
        assert authenticate(session, "x@example.org", "another-long-password") is not None


def test_cli_prompts_for_the_password(engine, monkeypatch):
    monkeypatch.delenv("TRACKER_NEW_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    answers = iter(["typed-long-password", "typed-long-password"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(answers))
    assert cli.main(["create-user", "--email", "t@example.org", "--name", "T", "--role", "chair",
                     "--partnership", "northamptonshire"], engine=engine) == 0
    with Session(engine) as session:
        assert authenticate(session, "t@example.org", "typed-long-password") is not None


@pytest.mark.parametrize("args, password, message", [
    (["--email", DEMO_EMAILS["chair"]], "a-long-new-password", "already has the email"),
    (["--email", "ok@example.org", "--partnership", "nowhere"], "a-long-new-password", "no partnership"),
    (["--email", "not-an-email"], "a-long-new-password", "email"),
    (["--email", "ok@example.org"], "short", "at least 12"),
])
def test_cli_refuses_bad_input(engine, monkeypatch, capsys, args, password, message):
    monkeypatch.setenv("TRACKER_NEW_PASSWORD", password)
    base = {"--name": "Someone", "--role": "member", "--partnership": "northamptonshire"}
    argv = ["create-user", *args]
    for flag, value in base.items():
        if flag not in args:
            argv += [flag, value]
    assert cli.main(argv, engine=engine) == 1
    assert message in capsys.readouterr().err
    with Session(engine) as session:
        assert session.exec(select(Person).where(Person.email == "ok@example.org")).first() is None


# --- Sign-in protection: lockout, throttling, the same answer for everyone ---------------------------


def without_token(page: str) -> str:
    return re.sub(r'value="[^"]{20,}"', 'value="…"', page)


def post_sign_in(client, email: str, password: str, address: str = CLIENT):
    token = form_token(client.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token, "next": "/"},
                       environ_base={"REMOTE_ADDR": address})


def test_wrong_passwords_lock_the_account_with_a_clear_message(engine):
    from tests.crafted import give_password

    give_password(engine, DEMO_EMAILS["chair"])
    client = make_app(engine, lockout_attempts=3).server.test_client()
    assert [post_sign_in(client, DEMO_EMAILS["chair"], "wrong-password").status_code for _ in range(2)] == [401, 401]
    locked = post_sign_in(client, DEMO_EMAILS["chair"], "wrong-password")
    assert locked.status_code == 429
    assert "Too many attempts: try again in 15 minutes." in locked.get_data(as_text=True)
    # The right password does not get in while locked, from anywhere.
    again = post_sign_in(client, DEMO_EMAILS["chair"], DEMO_PASSWORD, address="192.168.50.99")
    assert again.status_code == 429 and client.get("/").status_code == 302
    with Session(engine) as session:
        verbs = [e.verb for e in session.exec(select(AuditEvent).where(AuditEvent.verb.in_(
            ["sign_in_failed", "lockout"])))]
    assert verbs == ["sign_in_failed"] * 3 + ["lockout"]


def test_sign_in_answers_the_same_for_unknown_known_and_password_less_people(engine):
    with Session(engine) as session:
        sso_only = session.exec(select(Person).where(Person.email == DEMO_EMAILS["viewer"])).one()
        sso_only.password_hash = None
        session.add(sso_only)
        session.commit()
    client = make_app(engine).server.test_client()
    answers = {email: post_sign_in(client, email, "a-wrong-password")
               for email in ("nobody@cdp.example.org", DEMO_EMAILS["chair"], DEMO_EMAILS["viewer"])}
    assert {a.status_code for a in answers.values()} == {401}
    pages = {without_token(a.get_data(as_text=True)).replace(email, "EMAIL") for email, a in answers.items()}
    assert len(pages) == 1 and "email address or password is not right" in pages.pop()


def test_sign_ins_are_throttled_per_client_address(engine):
    client = make_app(engine, sign_in_address_limit="3 per 15 minutes").server.test_client()
    for email in ("a@example.org", "b@example.org", "c@example.org"):  # three accounts, one address
        assert post_sign_in(client, email, "a-wrong-password").status_code == 401
    throttled = post_sign_in(client, DEMO_EMAILS["chair"], DEMO_PASSWORD)
    assert throttled.status_code == 429
    assert re.search(r"Too many attempts: try again in \d+ minutes?\.", throttled.get_data(as_text=True))
    # Someone at another address is not held up.
    assert post_sign_in(client, DEMO_EMAILS["chair"], DEMO_PASSWORD, address="192.168.50.8").status_code == 302


def test_the_address_throttle_can_be_shared_through_redis(engine):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379", socket_connect_timeout=0.5).ping()
    except Exception:
        pytest.skip("no Redis at 127.0.0.1:6379")
    address = f"10.99.{time.time_ns() % 250}.{time.time_ns() % 249 + 1}"  # a fresh key in the shared store
    one = make_app(engine, sign_in_address_limit="2 per 15 minutes", ratelimit_storage="redis://127.0.0.1:6379")
    other = make_app(engine, sign_in_address_limit="2 per 15 minutes", ratelimit_storage="redis://127.0.0.1:6379")
    assert post_sign_in(one.server.test_client(), "a@example.org", "wrong-password-1", address).status_code == 401
    assert post_sign_in(other.server.test_client(), "b@example.org", "wrong-password-1", address).status_code == 401
    # A third "worker" sees the two failures of the others.
    assert post_sign_in(make_app(engine, sign_in_address_limit="2 per 15 minutes",
                                 ratelimit_storage="redis://127.0.0.1:6379").server.test_client(),
                        DEMO_EMAILS["chair"], DEMO_PASSWORD, address).status_code == 429


# --- Sessions end on the server ---------------------------------------------------------------------


def copy_of(app, client):
    """A second client holding a copy of the first one's cookies (a stolen or left-behind cookie)."""
    thief = app.server.test_client()
    for name in ("session", "_csrf_token"):
        cookie = client.get_cookie(name)
        thief.set_cookie(name, cookie.value)
    return thief


def test_signing_out_ends_a_copy_of_the_session_cookie(app, client, engine):
    sign_in(client)
    assert client.get("/").status_code == 200
    thief = copy_of(app, client)
    assert thief.get("/").status_code == 200
    token = form_token(client.get("/logout").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    assert "You have signed out." in client.get("/login").get_data(as_text=True)
    assert thief.get("/").status_code == 302
    ended = thief.post("/_dash-update-component", json=router_call("/"), headers={"X-CSRFToken": csrf_cookie(thief)})
    assert ended.status_code == 401
    with Session(engine) as session:
        assert [e.verb for e in session.exec(select(AuditEvent).where(AuditEvent.verb.in_(
            ["sign_in", "sign_out"])))] == ["sign_in", "sign_out"]


def test_a_password_reset_or_a_role_change_ends_the_persons_sessions(app, engine):
    from tests.crafted import give_password
    from tracker.services import people

    for change in (lambda s, actor, chair: people.reset_password(s, actor, chair.id, "heron-kettle-Lantern-42"),
                   lambda s, actor, chair: people.change_role(s, actor, chair.id, "member")):
        give_password(engine, DEMO_EMAILS["chair"])
        client = app.server.test_client()
        assert sign_in(client).status_code == 302
        assert client.get("/").status_code == 200
        with Session(engine) as session:
            actor = session.exec(select(Person).where(Person.email == DEMO_EMAILS["admin"])).one()
            chair = session.exec(select(Person).where(Person.email == DEMO_EMAILS["chair"])).one()
            change(session, actor, chair)
            session.commit()
        assert client.get("/").status_code == 302  # signed out: back to the sign-in page


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
