"""Settings from TRACKER_* environment variables, parsed and checked in one place (pydantic-settings).

The defaults suit one person on a laptop: an SQLite file under instance/, migrated and seeded with
the two example partnerships (Northamptonshire, Lancashire) and their demo accounts on first start. A production start (gunicorn, a
database URL other than that file, or TRACKER_ENV=production) is different: it needs a strong
TRACKER_SECRET_KEY, never loads demo accounts, and never migrates inside a worker (run
`python -m tracker.cli init` once before the workers start).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'instance' / 'tracker.db'}"
# Keys that have appeared in this project's docs and tests: never good enough for production.
KNOWN_KEYS = {"", "test", "secret", "changeme", "production-test-key", "dev", "development"}
MIN_SECRET_LENGTH = 32


class SettingsError(ValueError):
    """A setting is missing or wrong; the message names the variable and what to do."""


def _words(value) -> list[str]:
    """A list from "a b", "a,b" or a list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [item for item in value.replace(",", " ").split() if item]
    return list(value)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRACKER_", extra="ignore", validate_default=True,
                                      populate_by_name=True)

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    host: str = "127.0.0.1"
    port: int = Field(default=8050, ge=1, le=65535)
    debug: bool = False
    # "production" forces the production rules even on the default database; "laptop" is the default.
    env: str = Field(default="", pattern=r"^(|laptop|production)$")
    url_prefix: str = "/"
    # Hosts allowed to put the app in an iframe (CSP frame-ancestors); empty = same origin only.
    frame_ancestors: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Single sign-on from a reverse proxy: the header is believed only from these addresses.
    sso_header: str = ""
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # A session ends this long after sign-in, and after this long without a request (0: no idle limit).
    session_minutes: int = Field(default=8 * 60, ge=1)
    session_idle_minutes: int = Field(default=2 * 60, ge=0)
    # Session cookies marked Secure: None = when the request came over https (request.is_secure).
    secure_cookies: bool | None = None
    # Load the seed partnerships on a laptop start (production: `tracker.cli init` does it once).
    seed_on_start: bool = Field(default=True, validation_alias="TRACKER_SEED")
    # One or more seed folders (space- or comma-separated); each is loaded once. By default both example
    # partnerships, side by side and fully separate, so the laptop shows what one installation hosts.
    seed_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=lambda: [PROJECT_ROOT / "seeds" / name for name in ("northamptonshire", "lancashire")],
        validation_alias="TRACKER_SEED_DIR")
    # The seeds' demo accounts (with the demo password): the laptop default, never in production.
    demo_accounts: bool | None = Field(default=None, validation_alias="TRACKER_DEMO")
    csrf_enabled: bool = True
    # Largest request body accepted (bytes; larger gets 413): a council's spreadsheet fits well inside.
    max_request_bytes: int = Field(default=10_000_000, ge=1024)
    # Requests that run the app at once in one process (tracker/web/request_slots.py); the server's
    # other threads wait for a slot. 2 gave the best read p95 under load on 2 cores (docs/load.md).
    request_slots: int = Field(default=2, ge=1, le=64)
    # Sign-in protection: failed sign-ins per client address (Flask-Limiter; storage memory:// for one
    # process, redis://127.0.0.1:6379 to share it between workers); an account locks for lockout_minutes
    # after lockout_attempts wrong passwords within lockout_minutes.
    ratelimit_storage: str = "memory://"
    sign_in_address_limit: str = "60 per 15 minutes"
    lockout_attempts: int = Field(default=30, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    # Reminder e-mails (tracker.services.reminders): no host, no e-mail. TLS: none, starttls or ssl.
    smtp_host: str = ""
    smtp_port: int = Field(default=0, ge=0, le=65535)  # 0: 465 with ssl, 587 with starttls, 25 with none
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_tls: str = Field(default="starttls", pattern=r"^(none|starttls|ssl)$")
    smtp_from: str = ""
    public_url: str = ""  # the app's address in e-mails, e.g. https://intranet.example.gov.uk/cdp/

    @field_validator("frame_ancestors", "trusted_proxies", mode="before")
    @classmethod
    def _split(cls, value):
        return _words(value)

    @field_validator("seed_dirs", mode="before")
    @classmethod
    def _paths(cls, value):
        return [Path(v) for v in _words(value)] if not isinstance(value, Path) else [value]

    @field_validator("url_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        """A URL prefix always begins and ends with '/', as Dash requires."""
        value = "/" + value.strip().strip("/")
        return value if value == "/" else value + "/"

    @field_validator("smtp_tls", mode="before")
    @classmethod
    def _lower(cls, value):
        return value.strip().lower() if isinstance(value, str) else value

    @classmethod
    def from_env(cls) -> Settings:
        """The settings from the environment; a bad value raises SettingsError naming the variable."""
        try:
            return cls()
        except ValidationError as exc:
            problems = []
            for err in exc.errors():
                name = "TRACKER_" + "_".join(str(p) for p in err["loc"]).upper()
                problems.append(f"{name}: {err['msg']} (got {err.get('input')!r})")
            raise SettingsError("Check these settings:\n  " + "\n  ".join(problems)) from None

    # --- What kind of start this is -----------------------------------------------------------

    @property
    def seed_dir(self) -> Path:
        return self.seed_dirs[0]

    @property
    def in_memory(self) -> bool:
        return self.database_url in ("sqlite://", "sqlite:///:memory:")

    @property
    def production(self) -> bool:
        if self.env:
            return self.env == "production"
        under_gunicorn = "gunicorn" in os.environ.get("SERVER_SOFTWARE", "")
        return under_gunicorn or (self.database_url != DEFAULT_DATABASE_URL and not self.in_memory)

    @property
    def load_demo_accounts(self) -> bool:
        return (not self.production) if self.demo_accounts is None else (self.demo_accounts and not self.production)

    def check_production(self) -> None:
        """Refuse a production start that is not safe; the message says what to set."""
        if not self.production:
            return
        if self.secret_key in KNOWN_KEYS or len(self.secret_key) < MIN_SECRET_LENGTH:
            raise SettingsError(
                "TRACKER_SECRET_KEY must be set to a random value of at least 32 characters for a production "
                "start, the same on every worker, e.g. python -c 'import secrets; print(secrets.token_hex(32))'.")
        if self.debug:
            raise SettingsError("TRACKER_DEBUG must be off in production.")
        if self.demo_accounts:
            raise SettingsError("TRACKER_DEMO cannot be on in production: the demo accounts share one password.")

    def effective_secret_key(self) -> str:
        # On a laptop without a configured key, a random one per process: sessions then end on
        # restart, which is safe (nothing forgeable). Production refuses to start without one.
        if not self.secret_key:
            self.secret_key = secrets.token_hex(32)
        return self.secret_key
