"""Web security, one module a concern: response headers and the CSP (headers), cookie flags (cookies),
whom to believe about the client (proxies) and callback request checks (callback_requests).

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

import logging

import dash
import flask
from werkzeug.exceptions import RequestEntityTooLarge

from tracker.config import Settings
from tracker.web.security.callback_requests import (
    CLIENT_CAUSED,
    MALFORMED,
    callback_body_problem,
    callback_input,
    check_callback_body,
    is_callback,
    refused_callback,
)
from tracker.web.security.cookies import SessionInterface, cookie_samesite, cookie_secure, set_readable_cookie
from tracker.web.security.headers import (
    SecurityHeaders,
    allows_cross_site_framing,
    content_security_policy,
    frame_ancestor_sources,
)
from tracker.web.security.proxies import (
    TrustedProxyFix,
    is_trusted_proxy,
    peer_address,
    peer_is_trusted_proxy,
    sso_identity,
)

log = logging.getLogger(__name__)

__all__ = [
    "CLIENT_CAUSED", "MALFORMED", "callback_body_problem", "callback_input", "check_callback_body",
    "is_callback", "refused_callback", "SessionInterface", "cookie_samesite", "cookie_secure",
    "set_readable_cookie", "SecurityHeaders", "allows_cross_site_framing", "content_security_policy",
    "frame_ancestor_sources", "TrustedProxyFix", "is_trusted_proxy", "peer_address", "peer_is_trusted_proxy",
    "sso_identity", "install",
]


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
