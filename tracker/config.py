"""Settings from the environment, with defaults that are safe on a single laptop."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str) -> list[str]:
    raw = os.environ.get(name, "")
    return [item.strip() for item in raw.replace(",", " ").split() if item.strip()]


def _prefix(raw: str) -> str:
    """A URL prefix always begins and ends with '/', as Dash requires."""
    raw = "/" + raw.strip().strip("/")
    return raw if raw == "/" else raw + "/"


@dataclass
class Settings:
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'instance' / 'tracker.db'}"
    secret_key: str = ""
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    url_prefix: str = "/"
    # Hosts allowed to put the app in an iframe (CSP frame-ancestors); empty = same origin only.
    frame_ancestors: list[str] = field(default_factory=list)
    # Single sign-on from a reverse proxy: the header is believed only from these addresses.
    sso_header: str = ""
    trusted_proxies: list[str] = field(default_factory=list)
    # A session ends this long after sign-in, and after this long without a request (0: no idle limit).
    session_minutes: int = 8 * 60
    session_idle_minutes: int = 2 * 60
    # Session cookies marked Secure: None = when the request came over https (request.is_secure).
    secure_cookies: bool | None = None
    seed_on_start: bool = True
    seed_dir: Path = PROJECT_ROOT / "seeds" / "northamptonshire"
    csrf_enabled: bool = True
    # Reminder e-mails (tracker.services.reminders): no host, no e-mail. TLS: none, starttls or ssl.
    smtp_host: str = ""
    smtp_port: int = 0  # 0: 465 with ssl, 587 with starttls, 25 with none
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_tls: str = "starttls"
    smtp_from: str = ""
    public_url: str = ""  # the app's address in e-mails, e.g. https://intranet.example.gov.uk/cdp/

    @classmethod
    def from_env(cls) -> Settings:
        defaults = cls()
        return cls(
            database_url=os.environ.get("TRACKER_DATABASE_URL", defaults.database_url),
            secret_key=os.environ.get("TRACKER_SECRET_KEY", ""),
            host=os.environ.get("TRACKER_HOST", defaults.host),
            port=int(os.environ.get("TRACKER_PORT", defaults.port)),
            debug=_bool("TRACKER_DEBUG", False),
            url_prefix=_prefix(os.environ.get("TRACKER_URL_PREFIX", "/")),
            frame_ancestors=_list("TRACKER_FRAME_ANCESTORS"),
            sso_header=os.environ.get("TRACKER_SSO_HEADER", ""),
            trusted_proxies=_list("TRACKER_TRUSTED_PROXIES"),
            session_minutes=int(os.environ.get("TRACKER_SESSION_MINUTES", defaults.session_minutes)),
            session_idle_minutes=int(os.environ.get("TRACKER_SESSION_IDLE_MINUTES", defaults.session_idle_minutes)),
            secure_cookies=_bool("TRACKER_SECURE_COOKIES", False) if os.environ.get("TRACKER_SECURE_COOKIES") else None,
            seed_on_start=_bool("TRACKER_SEED", True),
            seed_dir=Path(os.environ.get("TRACKER_SEED_DIR", defaults.seed_dir)),
            **{f"smtp_{k}": os.environ.get(f"TRACKER_SMTP_{k.upper()}", "") for k in ("host", "user", "password", "from")},
            smtp_port=int(os.environ.get("TRACKER_SMTP_PORT") or 0),
            smtp_tls=os.environ.get("TRACKER_SMTP_TLS", "starttls").strip().lower(),
            public_url=os.environ.get("TRACKER_PUBLIC_URL", ""),
        )

    def effective_secret_key(self) -> str:
        # Without a configured key, a random one per process: sessions then end on restart,
        # which is safe (nothing forgeable) though inconvenient; production must set one.
        if not self.secret_key:
            self.secret_key = secrets.token_hex(32)
        return self.secret_key
