"""Sign-in for the Dash app: Flask-Login sessions, a sign-in page and a guard on every request."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

import flask
from flask_login import LoginManager, UserMixin, login_user, logout_user
from sqlmodel import Session

from tracker.models import Person
from tracker.services.auth import authenticate

# Paths served without a session: the sign-in page itself and static files.
PUBLIC_PREFIXES = ("login", "logout", "assets/", "_dash-component-suites/", "vendor/", "_favicon.ico", "health")


class SessionUser(UserMixin):
    """What the session remembers: only the person's id; the person is re-read on every request."""

    def __init__(self, person_id: int):
        self.id = str(person_id)


SIGN_IN_PAGE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in – CDP Delivery Tracker</title>
<link rel="stylesheet" href="{{ prefix }}vendor/bootstrap.min.css">
<link rel="stylesheet" href="{{ prefix }}assets/tracker.css">
</head>
<body>
<main class="container py-5" style="max-width: 28rem">
  <h1 class="h3 mb-4">Sign in to the CDP Delivery Tracker</h1>
  {% if error %}<div class="alert alert-danger" role="alert" id="login-error">{{ error }}</div>{% endif %}
  <form method="post" action="{{ prefix }}login" novalidate>
    <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
    <input type="hidden" name="next" value="{{ next }}">
    <div class="mb-3">
      <label class="form-label" for="email">Email address</label>
      <input class="form-control" id="email" name="email" type="email" autocomplete="username" value="{{ email }}" required>
    </div>
    <div class="mb-3">
      <label class="form-label" for="password">Password</label>
      <input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required>
    </div>
    <button class="btn btn-primary" type="submit" id="login-submit">Sign in</button>
  </form>
</main>
</body>
</html>"""


def _safe_next(target: str, prefix: str) -> str:
    """Only a path on this site: never an absolute URL an attacker could send someone to."""
    parsed = urlparse(target or "")
    if parsed.scheme or parsed.netloc or not (target or "").startswith("/"):
        return prefix
    return target


def install(server: flask.Flask, engine, prefix: str, session_minutes: int) -> None:
    manager = LoginManager()
    manager.init_app(server)
    server.permanent_session_lifetime = timedelta(minutes=session_minutes)

    @manager.user_loader
    def load_user(user_id: str):
        with Session(engine) as session:
            person = session.get(Person, int(user_id))
            return SessionUser(person.id) if person and person.is_active else None

    @server.route(f"{prefix}login", methods=["GET", "POST"])
    def login():
        from flask_wtf.csrf import generate_csrf

        error, email = "", ""
        next_url = _safe_next(flask.request.values.get("next", ""), prefix)
        if flask.request.method == "POST":
            email = flask.request.form.get("email", "").strip()
            password = flask.request.form.get("password", "")
            with Session(engine) as session:
                person = authenticate(session, email, password) if email and password else None
            if person is None:
                error = "The email address or password is not right. Check them and try again."
            else:
                flask.session.clear()
                flask.session.permanent = True
                login_user(SessionUser(person.id))
                return flask.redirect(next_url)
        page = flask.render_template_string(
            SIGN_IN_PAGE, prefix=prefix, error=error, email=email, next=next_url, csrf_token=generate_csrf()
        )
        return page, (401 if error else 200)

    @server.route(f"{prefix}logout", methods=["POST", "GET"])
    def logout():
        logout_user()
        flask.session.clear()
        return flask.redirect(f"{prefix}login")
