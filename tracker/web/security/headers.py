"""The security headers of every response: the Content-Security-Policy (with frame-ancestors, which
replaces X-Frame-Options), nosniff, the referrer policy and HSTS over https."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable

import dash
import flask

from tracker.config import Settings

log = logging.getLogger(__name__)

REFERRER_POLICY = "strict-origin-when-cross-origin"

# A CSP source expression we accept in frame-ancestors: 'self', 'none', a scheme ("https:"), or a
# host source ("https://intranet.example.gov.uk", "https://*.example.gov.uk:8443"). Nothing that
# could end the directive or start another (";", ",", spaces, quotes).
_KEYWORDS = {"'self'", "'none'"}
_SOURCE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|(?:[a-z][a-z0-9+.-]*://)?(?:\*\.)?[a-z0-9.-]+(?::(?:\d{1,5}|\*))?/?)$",
                     re.IGNORECASE)



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
