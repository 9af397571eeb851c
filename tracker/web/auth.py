"""Sign-in for the Dash app: Flask-Login sessions, a sign-in page, single sign-on from the intranet's
proxy, read-only embed tokens, and the guard that runs before every request.

A session ends `session_minutes` after sign-in, and `session_idle_minutes` after the last request
(Flask refuses a session cookie signed longer ago than the permanent-session lifetime, and the
cookie is re-signed on every request).
"""

from __future__ import annotations

import logging
import re
import time
from datetime import timedelta
from urllib.parse import urlencode, urlparse

import flask
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy.engine import Engine

from tracker.config import Settings
from tracker.services import auth as accounts
from tracker.services import embeds
from tracker.web import security
from tracker.web.context import remember_signed_in

log = logging.getLogger(__name__)

# Paths (after the prefix) served without a session: sign-in and static files.
PUBLIC_PATHS = ("login", "logout", "_favicon.ico", "health", "ready")
PUBLIC_PREFIXES = ("assets/", "_dash-component-suites/", "vendor/")
SESSION_ENDED = "Your session has ended: reload the page and sign in again."
WRONG = "The email address or password is not right. Check them and try again."
PAGE_EXPIRED = "This page had expired, so that was not done: try again."

# The embed views and the scope of token that opens each.
_EMBED_PATH = re.compile(r"^embed/(?:(overview)|(theme|subgroup)/([1-9][0-9]{0,9}))/?$")
# The one callback an embed-only visitor may call: Dash's page router (the embed layouts check
# their token again themselves).
PAGES_ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."


class SessionUser(UserMixin):
    """What the session remembers: only the person's id; the person is re-read on every request."""

    def __init__(self, person_id: int):
        self.id = str(person_id)


_HEAD = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} – CDP Delivery Tracker</title>
<link rel="stylesheet" href="{{ prefix }}vendor/bootstrap.min.css">
<link rel="stylesheet" href="{{ prefix }}assets/tracker.css">
</head>
<body>
<main class="container py-5" style="max-width: 28rem">
"""

SIGN_IN_PAGE = _HEAD + """
  <h1 class="h3 mb-4">Sign in to the CDP Delivery Tracker</h1>
  {% if error %}<div class="alert alert-danger" role="alert" id="login-error">{{ error }}</div>{% endif %}
  {% if notice %}<div class="alert alert-success" role="status" id="login-notice">{{ notice }}</div>{% endif %}
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

SIGN_OUT_PAGE = _HEAD + """
  <h1 class="h3 mb-4">Sign out of the CDP Delivery Tracker</h1>
  <form method="post" action="{{ prefix }}logout">
    <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
    <button class="btn btn-primary" type="submit" id="logout-submit">Sign out</button>
    <a class="btn btn-link" href="{{ prefix }}">Cancel</a>
  </form>
</main>
</body>
</html>"""

EMBED_REFUSED_PAGE = _HEAD + """
  <h1 class="h4" id="embed-refused">This view cannot be shown</h1>
  <p>The link of this embedded view is not valid, or it has been withdrawn. Ask the partnership
  officer for a new one.</p>
</main>
</body>
</html>"""


def _settings() -> Settings:
    return flask.current_app.config["TRACKER_SETTINGS"]


def relative_path(path: str, prefix: str) -> str:
    """The path after the app's prefix: "/cdp/theme/3" -> "theme/3"."""
    return path[len(prefix):] if path.startswith(prefix) else path


def safe_next(target: str | None, prefix: str) -> str:
    """Only a path of this app: never another site an attacker could send someone to."""
    target = target or ""
    if (not target.startswith(prefix) or target.startswith("//") or "\\" in target
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in target)):
        return prefix
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc:
        return prefix
    return target


def embed_scope(relative: str) -> str | None:
    """The token scope an embed path needs ("overview", "theme:3" ...), None if not an embed path."""
    match = _EMBED_PATH.match(relative)
    if not match:
        return None
    return "overview" if match.group(1) else embeds.scope_for(match.group(2), match.group(3))


def embedded_request() -> bool:
    """Whether this request is for (or, for Dash's layout request, from) an embed view, which shows
    no navigation. The layout request is told apart by its Referer (same origin, so sent in full)."""
    if not flask.has_request_context():
        return False
    prefix = _settings().url_prefix
    relative = relative_path(flask.request.path, prefix)
    if relative.startswith("_dash") and flask.request.referrer:
        relative = relative_path(urlparse(flask.request.referrer).path, prefix)
    if relative.startswith("embed/"):
        return True
    # Someone without an account is only ever let in to an embed view.
    return not current_user.is_authenticated and bool(flask.session.get("embed"))


def _start_session(person_id: int, epoch: int) -> None:
    flask.session.clear()  # a new session at sign-in: nothing carried over (session fixation)
    flask.session.permanent = True
    login_user(SessionUser(person_id))
    flask.session["signed_in_at"] = int(time.time())
    flask.session["epoch"] = epoch


def keep_session(epoch: int) -> None:
    """Keep this session once the person's other sessions have been ended (own password change)."""
    flask.session["epoch"] = epoch


def client_address() -> str:
    """The client's address (a trusted proxy's X-Forwarded-For already applied by TrustedProxyFix)."""
    return flask.request.remote_addr or ""


def too_many(minutes: int) -> str:
    return f"Too many attempts: try again in {minutes} minute{'' if minutes == 1 else 's'}."


def _end_session() -> None:
    logout_user()
    flask.session.clear()


def _expire_session(settings: Settings) -> None:
    """End a session older than TRACKER_SESSION_MINUTES (idle expiry is the cookie's max age)."""
    if "_user_id" not in flask.session:
        return
    started = flask.session.get("signed_in_at")
    now = int(time.time())
    if not isinstance(started, int):
        flask.session["signed_in_at"] = now
    elif now - started > settings.session_minutes * 60:
        _end_session()


def _sso_sign_in(settings: Settings, engine: Engine) -> None:
    email = security.sso_identity(settings)
    if email is None:
        return
    found = accounts.sso_person(engine, email)
    person_id, epoch = found if found is not None else (None, 0)
    if person_id is None:
        log.warning("Single sign-on: no active person has the email %s; the header is ignored", email)
        if current_user.is_authenticated and flask.session.get("sso"):
            _end_session()
        return
    if current_user.is_authenticated and current_user.get_id() == str(person_id):
        return
    _start_session(person_id, epoch)
    flask.session["sso"] = True
    log.info("Single sign-on: signed in person %s from the proxy's header", person_id)


def _embed_allowed(relative: str, prefix: str, engine: Engine) -> bool | flask.Response:
    """Whether a visitor without an account may have this request, thanks to an embed token."""
    request = flask.request
    scope = embed_scope(relative)
    if scope is not None:
        token = request.args.get("token")
        if not token:
            return False
        if accounts.embed_partnership(engine, token, scope) is None:
            return flask.Response(flask.render_template_string(EMBED_REFUSED_PAGE, prefix=prefix, title="Not available"),
                                  status=403)
        grants = list(flask.session.get("embed") or [])
        if scope not in grants:
            flask.session["embed"] = (grants + [scope])[-20:]
        flask.session.permanent = True
        return True
    if not flask.session.get("embed"):
        return False
    if relative in ("_dash-layout", "_dash-dependencies") and request.method == "GET":
        return True
    if relative == "_dash-update-component" and request.method == "POST":
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or body.get("output") != PAGES_ROUTER_OUTPUT:
            return False
        # The router reads its pathname by position, whatever the other entries say.
        entry = security.callback_input(body, "_pages_location", "pathname")
        pathname = entry.get("value") if isinstance(entry, dict) else None
        return isinstance(pathname, str) and embed_scope(relative_path(pathname, prefix)) is not None
    return False


def install(server: flask.Flask, engine: Engine, settings: Settings) -> None:
    """Sessions, the sign-in and sign-out pages, and the guard. Call before CSRFProtect, so a
    signed-out callback gets "session ended" rather than a CSRF error."""
    prefix = settings.url_prefix
    manager = LoginManager()
    manager.init_app(server)
    idle = settings.session_idle_minutes if settings.session_idle_minutes > 0 else settings.session_minutes
    server.permanent_session_lifetime = timedelta(minutes=min(idle, settings.session_minutes))

    rules = accounts.Lockout(attempts=settings.lockout_attempts, minutes=settings.lockout_minutes)
    # Failed sign-ins per client address, counted where every worker sees them (TRACKER_RATELIMIT_STORAGE).
    limiter = Limiter(client_address, app=server, storage_uri=settings.ratelimit_storage, strategy="moving-window",
                      key_prefix=f"tracker-sign-in:{prefix}", swallow_errors=True)
    accounts.warm_up()  # the dummy hash that unknown emails are checked against

    @manager.user_loader
    def load_user(user_id: str):
        epoch = flask.session.get("epoch", 0)
        try:
            person_id = int(user_id)
        except (TypeError, ValueError):
            return None
        if not isinstance(epoch, int) or not -2**31 <= person_id < 2**31:
            return None
        # None once the person is deactivated, or their sessions were ended (sign-out, new password, role).
        person = accounts.session_person(engine, person_id, epoch)
        if person is None:
            return None
        remember_signed_in(person)
        return SessionUser(person.id)

    @server.before_request
    def require_sign_in():
        relative = relative_path(flask.request.path, prefix)
        _expire_session(settings)
        if settings.sso_header:
            _sso_sign_in(settings, engine)
        if relative in PUBLIC_PATHS or relative.startswith(PUBLIC_PREFIXES) or current_user.is_authenticated:
            return None
        allowed = _embed_allowed(relative, prefix, engine)
        if isinstance(allowed, flask.Response):
            return allowed
        if allowed:
            return None
        if relative.startswith("_") or flask.request.method != "GET":
            return flask.jsonify({"message": SESSION_ENDED}), 401
        target = flask.request.full_path.rstrip("?")
        return flask.redirect(f"{prefix}login?{urlencode({'next': target})}")

    server.before_request(security.check_callback_body)

    @server.after_request
    def no_store(response: flask.Response) -> flask.Response:
        # Pages and callbacks hold what only the signed-in person may see: no copy in any cache.
        if not relative_path(flask.request.path, prefix).startswith(PUBLIC_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        return response

    def sign_in_page(error: str = "", email: str = "", next_url: str = prefix, status: int = 200, notice: str = ""):
        page = flask.render_template_string(SIGN_IN_PAGE, prefix=prefix, title="Sign in", error=error, notice=notice,
                                            email=email, next=next_url, csrf_token=generate_csrf())
        return page, status

    @server.route(f"{prefix}login", methods=["GET", "POST"])
    @limiter.limit(settings.sign_in_address_limit, methods=["POST"],
                   deduct_when=lambda response: response.status_code == 401)
    def login():
        next_url = safe_next(flask.request.values.get("next"), prefix)
        if flask.request.method == "GET":
            if current_user.is_authenticated:
                return flask.redirect(next_url)
            ended = flask.session.pop("signed_out", False)
            return sign_in_page(next_url=next_url, notice="You have signed out." if ended else "")
        email = flask.request.form.get("email", "").strip()
        password = flask.request.form.get("password", "")
        if not email or not password:
            return sign_in_page("Enter your email address and your password.", email, next_url, 400)
        result = accounts.sign_in(engine, email, password, client_address(), rules)
        if result.locked_minutes:
            return sign_in_page(too_many(result.locked_minutes), email, next_url, 429)
        if not result.ok:
            return sign_in_page(WRONG, email, next_url, 401)
        if result.role == "member" and next_url == prefix:
            next_url = f"{prefix}my-actions"  # members land on their own actions
        _start_session(result.person_id, result.epoch)
        return flask.redirect(next_url)

    @server.errorhandler(RateLimitExceeded)
    def throttled(error: RateLimitExceeded):
        reset_at = getattr(limiter.current_limit, "reset_at", None) or (time.time() + error.limit.limit.get_expiry())
        minutes = max(1, -(-int(reset_at - time.time()) // 60))
        log.warning("Sign-in throttled for %s: %s", client_address(), error.description)
        return sign_in_page(too_many(minutes), flask.request.form.get("email", "").strip()[:254],
                            safe_next(flask.request.form.get("next"), prefix), 429)

    @server.route(f"{prefix}logout", methods=["GET", "POST"])
    def logout():
        # Signing out changes state, so it is a POST (with the CSRF token); a GET asks first.
        if flask.request.method == "GET" and current_user.is_authenticated:
            return flask.render_template_string(SIGN_OUT_PAGE, prefix=prefix, title="Sign out",
                                                csrf_token=generate_csrf())
        if flask.request.method == "POST":
            if current_user.is_authenticated:
                # Ends this person's sessions everywhere: a copy of the cookie is worth nothing now.
                accounts.record_sign_out(engine, int(current_user.get_id()))
                _end_session()
                flask.session["signed_out"] = True
            else:
                _end_session()
        return flask.redirect(f"{prefix}login")

    @server.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError):
        log.warning("CSRF check failed for %s %s: %s", flask.request.method, flask.request.path, error.description)
        relative = relative_path(flask.request.path, prefix)
        if relative == "login":
            return sign_in_page("The sign-in form had expired. Enter your email address and password again.",
                                flask.request.form.get("email", "").strip(),
                                safe_next(flask.request.form.get("next"), prefix), 400)
        if relative == "logout":
            return flask.redirect(f"{prefix}logout")
        if relative.startswith("_dash"):
            # assets/session.js shows this in the page; the reply carries a fresh token (its cookie),
            # so trying again works and nothing typed is lost.
            response = flask.jsonify({"message": PAGE_EXPIRED, "reason": "csrf"})
            response.headers["X-Tracker-Refused"] = "csrf"
            return response, 400
        return flask.Response(f"Refused: {error.description}", status=400, mimetype="text/plain")
