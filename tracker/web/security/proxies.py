"""Whom to believe: a reverse proxy's word (X-Forwarded-*, the single sign-on header) counts only when
the request's immediate peer is one of TRACKER_TRUSTED_PROXIES."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable

import flask
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.config import Settings

log = logging.getLogger(__name__)


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
