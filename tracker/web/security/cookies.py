"""Cookie flags: the session HttpOnly, Secure over https (or when TRACKER_SECURE_COOKIES says so),
SameSite=Lax unless other sites may frame the app (a cross-site iframe sends only SameSite=None; Secure)."""

from __future__ import annotations

import flask
from flask.sessions import SecureCookieSessionInterface

from tracker.config import Settings
from tracker.web.security.headers import allows_cross_site_framing


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
