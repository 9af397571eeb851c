"""Web security: response headers (CSP and friends), cookie flags, and whom to believe about the client.

- Every response carries a Content-Security-Policy that Dash works under: scripts only from the app
  itself plus the hashes of Dash's own inline scripts (`app.csp_hashes()`), inline styles (plotly.js
  sets them), and `frame-ancestors` from the configuration, which replaces X-Frame-Options.
- Cookies are HttpOnly (the session) and Secure when the app is served over https (or when
  TRACKER_SECURE_COOKIES says so). They are SameSite=Lax, unless the configuration lets other sites
  put the app in an iframe: a cross-site iframe sends only `SameSite=None; Secure` cookies.
- A reverse proxy's word (X-Forwarded-*, the single sign-on header) counts only when the request's
  immediate peer is one of TRACKER_TRUSTED_PROXIES.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Iterable

import dash
import flask
from flask.sessions import SecureCookieSessionInterface
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


def content_security_policy(script_hashes: Iterable[str], frame_ancestors: Iterable[str]) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],  # plotly.js sets inline styles
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": list(frame_ancestors),
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class SecurityHeaders:
    """Adds the security headers to every response; the CSP is built once Dash's inline scripts are
    known (Dash registers the pages' title script on the first request) and rebuilt if more appear."""

    def __init__(self, app: dash.Dash, settings: Settings):
        self.app = app
        self.ancestors = frame_ancestor_sources(settings.frame_ancestors)
        self._policy = ""
        self._inline_count = -1

    def policy(self) -> str:
        count = len(self.app._inline_scripts) + len(dash._callback.GLOBAL_INLINE_SCRIPTS)
        if count != self._inline_count:
            self._policy = content_security_policy(self.app.csp_hashes(), self.ancestors)
            self._inline_count = len(self.app._inline_scripts)
        return self._policy

    def __call__(self, response: flask.Response) -> flask.Response:
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
