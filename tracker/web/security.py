"""Web security: response headers (CSP and friends), cookie flags, and whom to believe about the client.

- Every response carries a Content-Security-Policy that Dash works under: scripts only from the app
  itself plus the hashes of Dash's own inline scripts (`app.csp_hashes()`), inline styles (plotly.js
  sets them), and `frame-ancestors` from the configuration, which replaces X-Frame-Options.
- Cookies are HttpOnly (the session) and Secure when the app is served over https (or when
  TRACKER_SECURE_COOKIES says so). They are SameSite=Lax, unless the configuration lets other sites
  put the app in an iframe: a cross-site iframe sends only `SameSite=None; Secure` cookies.
- A reverse proxy's word (X-Forwarded-*, the single sign-on header) counts only when the request's
  immediate peer is one of TRACKER_TRUSTED_PROXIES.
- HSTS over https; a request larger than TRACKER_MAX_REQUEST_BYTES gets 413.
- A callback request (`_dash-update-component`) is checked before Dash reads it:
  a body dash-renderer would never send gets 400 and runs nothing; a callback that still fails on
  what the client sent (a Store holding text where a number belongs ...) gets 400, rolled back.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import logging
import math
import re
from collections.abc import Iterable

import dash
import flask
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.config import Settings

log = logging.getLogger(__name__)

REFERRER_POLICY = "strict-origin-when-cross-origin"

# A CSP source expression we accept in frame-ancestors: 'self', 'none', a scheme ("https:"), or a
# host source ("https://intranet.example.gov.uk", "https://*.example.gov.uk:8443"). Nothing that
# could end the directive or start another (";", ",", spaces, quotes).
_KEYWORDS = {"'self'", "'none'"}
_SOURCE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|(?:[a-z][a-z0-9+.-]*://)?(?:\*\.)?[a-z0-9.-]+(?::(?:\d{1,5}|\*))?/?)$",
                     re.IGNORECASE)


# --- frame-ancestors, cookies --------------------------------------------------------------------


def frame_ancestor_sources(configured: Iterable[str]) -> list[str]:
    """The frame-ancestors sources: 'self' plus each valid configured source ('none' alone)."""
    sources: list[str] = []
    for raw in configured:
        item = raw.strip()
        keyword = item.lower()
        if keyword in _KEYWORDS:
            item = keyword
        elif keyword in ("self", "none"):
            item = f"'{keyword}'"
        elif not _SOURCE.match(item):
            log.warning("Ignoring frame ancestor %r: not a CSP source such as https://intranet.example.gov.uk", raw)
            continue
        if item not in sources:
            sources.append(item)
    if "'none'" in sources:
        return ["'none'"]
    return ["'self'"] + [s for s in sources if s != "'self'"]


def allows_cross_site_framing(settings: Settings) -> bool:
    """True when a page of another site may frame the app (so its cookies must be SameSite=None)."""
    return any(s not in _KEYWORDS for s in frame_ancestor_sources(settings.frame_ancestors))


def cookie_secure(settings: Settings) -> bool:
    if settings.secure_cookies is not None:
        return settings.secure_cookies
    return flask.has_request_context() and flask.request.is_secure


def cookie_samesite(settings: Settings) -> str:
    # SameSite=None without Secure is refused by browsers, so only together.
    if allows_cross_site_framing(settings) and cookie_secure(settings):
        return "None"
    return "Lax"


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with Secure and SameSite decided per request."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def get_cookie_secure(self, app) -> bool:
        return cookie_secure(self.settings)

    def get_cookie_samesite(self, app) -> str:
        return cookie_samesite(self.settings)

    def get_cookie_httponly(self, app) -> bool:
        return True


def set_readable_cookie(response: flask.Response, name: str, value: str, settings: Settings, path: str) -> None:
    """A cookie the page's script must read (the CSRF token dash-renderer echoes in a header)."""
    response.set_cookie(name, value, path=path, httponly=False,
                        secure=cookie_secure(settings), samesite=cookie_samesite(settings))


# --- whom to believe ---------------------------------------------------------------------------


def _networks(entries: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            log.warning("Ignoring trusted proxy %r: not an IP address or network", entry)
    return networks


def peer_address(environ: dict) -> str:
    """The address of whoever opened the connection, before ProxyFix rewrote REMOTE_ADDR."""
    original = environ.get("werkzeug.proxy_fix.orig") or {}
    return original.get("REMOTE_ADDR") or environ.get("REMOTE_ADDR") or ""


def is_trusted_proxy(address: str, trusted: Iterable[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return any(ip in network for network in _networks(trusted))


def peer_is_trusted_proxy(settings: Settings, environ: dict | None = None) -> bool:
    environ = environ if environ is not None else flask.request.environ
    return bool(settings.trusted_proxies) and is_trusted_proxy(peer_address(environ), settings.trusted_proxies)


class TrustedProxyFix:
    """werkzeug's ProxyFix (X-Forwarded-For/Proto/Host/Port, one proxy), applied only when the
    connection comes from a trusted proxy: anyone else's X-Forwarded-* headers change nothing."""

    def __init__(self, wsgi_app, trusted: list[str]):
        self.wsgi_app = wsgi_app
        self.trusted = list(trusted)
        self.fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)

    def __call__(self, environ, start_response):
        if self.trusted and is_trusted_proxy(environ.get("REMOTE_ADDR", ""), self.trusted):
            return self.fixed(environ, start_response)
        return self.wsgi_app(environ, start_response)


def sso_identity(settings: Settings) -> str | None:
    """The email address the intranet's proxy vouches for, or None.

    The header is believed only when the request's immediate peer is a trusted proxy (which must
    strip the header from its clients' requests); from anyone else it is ignored and logged.
    """
    name = settings.sso_header.strip()
    if not name:
        return None
    request = flask.request
    if name.upper().replace("-", "_") == "REMOTE_USER":
        value = request.environ.get("REMOTE_USER") or request.headers.get("Remote-User")
    else:
        value = request.headers.get(name)
    if value is None:
        return None
    value = value.strip()
    peer = peer_address(request.environ)
    if not peer_is_trusted_proxy(settings):
        log.warning("Ignoring the single sign-on header %s (%r) from %s: not a trusted proxy", name, value[:254], peer)
        return None
    if not value:
        return None
    return value.lower()


# --- headers -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def content_security_policy(script_hashes: tuple[str, ...], frame_ancestors: tuple[str, ...]) -> str:
    """The policy for these inline-script hashes (cached: it changes only when Dash adds a script)."""
    directives = {
        "default-src": ["'self'"],
        # Dash writes its renderer and each clientside callback (the pages' title script) inline in the
        # page: each is allowed by its own hash, never by 'unsafe-inline'.
        "script-src": ["'self'", *script_hashes],
        # plotly.js and dash-ag-grid set style attributes and <style> elements at run time, which no
        # hash can cover; styles cannot run script, so this exception is the accepted cost of charts.
        "style-src": ["'self'", "'unsafe-inline'"],
        # Bootstrap's CSS draws its check boxes, select arrows and close buttons as data: SVG images;
        # plotly.js draws its mode-bar icons and exports a chart the same way.
        "img-src": ["'self'", "data:"],
        # No data: fonts: neither Bootstrap, plotly.js, AG Grid nor our assets embed one.
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # 'self' (the app frames its own embeds) plus the intranet pages TRACKER_FRAME_ANCESTORS names.
        "frame-ancestors": list(frame_ancestors),
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class SecurityHeaders:
    """Adds the security headers to every response.

    The script hashes come from Dash's public `app.csp_hashes()` on every response, not once at start:
    Dash adds the pages' title script (a clientside callback) on the first request, after create_app
    has returned, and any later clientside callback must be allowed too. Hashing Dash's few short
    inline scripts costs microseconds (benchmarks/csp.py); the policy text is cached per set of hashes.
    """

    def __init__(self, app: dash.Dash, settings: Settings):
        self.app = app
        self.ancestors = tuple(frame_ancestor_sources(settings.frame_ancestors))

    def policy(self) -> str:
        return content_security_policy(tuple(self.app.csp_hashes()), self.ancestors)

    def __call__(self, response: flask.Response) -> flask.Response:
        if flask.request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        response.headers["Content-Security-Policy"] = self.policy()
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = REFERRER_POLICY
        response.headers.pop("X-Frame-Options", None)  # frame-ancestors replaces it
        return response


def install(app: dash.Dash, settings: Settings) -> None:
    server = app.server
    server.session_interface = SessionInterface(settings)
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         SESSION_COOKIE_PATH=settings.url_prefix)
    if settings.trusted_proxies:
        server.wsgi_app = TrustedProxyFix(server.wsgi_app, settings.trusted_proxies)
    if allows_cross_site_framing(settings) and settings.secure_cookies is False:
        log.warning("TRACKER_FRAME_ANCESTORS lets other sites frame the app, but TRACKER_SECURE_COOKIES is off: "
                    "browsers send no cookies to a cross-site iframe without SameSite=None; Secure")
    server.after_request(SecurityHeaders(app, settings))
    server.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    server.extensions["tracker_dash_app"] = app
    server.config["TRACKER_CALLBACK_PATH"] = f"{settings.url_prefix}_dash-update-component"

    def callback_failed(error: Exception):
        # What the client sent made the callback fail: its unit of work is already rolled back.
        if not is_callback():
            raise error
        log.error("A callback failed on what the client sent: %r", error, exc_info=error)
        return refused_callback(MALFORMED, "malformed", 400)

    for kind in CLIENT_CAUSED:
        server.register_error_handler(kind, callback_failed)

    @server.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        megabytes = settings.max_request_bytes / 1_000_000
        message = f"That is too large to send: the limit is {megabytes:g} MB. Nothing was saved."
        if is_callback():
            return refused_callback(message, "too_large", 413)
        return flask.Response(message, status=413, mimetype="text/plain")


# --- Callback requests -----------------------------------------------------------------------------

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

