"""Signing in safely, through Flask's test client: CSRF, sessions that end (by time, on the server, on
a password or role change), lockout and throttling, and the create-user command.

CSRF stays on in every test here (settings.csrf_enabled defaults to True): requests carry the token
the way the browser does, from the sign-in form or the `_csrf_token` cookie.
"""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD
from tests.web_client import (
    CLIENT,
    csrf_cookie,
    form_token,
    make_app,
    router_call,
    sign_in,
)
from tracker import cli
from tracker.models import AuditEvent, Person
from tracker.services.auth import authenticate


@pytest.fixture
def app(engine):
    return make_app(engine)


@pytest.fixture
def client(app):
    return app.server.test_client()


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
