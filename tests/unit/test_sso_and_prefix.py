"""Single sign-on from the intranet's trusted proxy, and the app under a URL prefix (redirects, links,
no open redirect), through Flask's test client.

CSRF stays on in every test here (settings.csrf_enabled defaults to True): requests carry the token
the way the browser does, from the sign-in form or the `_csrf_token` cookie.
"""

from __future__ import annotations

import logging

import pytest
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS
from tests.web_client import (
    CLIENT,
    PROXY,
    cookie_header,
    csrf_cookie,
    links,
    make_app,
    router_call,
    sign_in,
)
from tracker.models import Person
from tracker.web import security
from tracker.web.auth import safe_next


@pytest.fixture
def app(engine):
    return make_app(engine)


@pytest.fixture
def client(app):
    return app.server.test_client()


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
