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
    assert csp["font-src"] == ["'self'", "data:"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]


def test_csp_allows_exactly_the_inline_scripts_of_the_page(app, client):
    sign_in(client)
    response = client.get("/")
    page = response.get_data(as_text=True)
    script_src = set(csp_directives(response)["script-src"])
    assert set(app.csp_hashes()) <= script_src
    # Every executable inline script Dash wrote into the page is allowed by its hash (JSON config is
    # not executed, so it needs none).
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", page, re.S)
    inline = [s for s in inline if "alert(\"Dash v2.7+" not in s]  # inside an IE-only comment
    assert inline, "expected Dash's inline renderer script"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src


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
