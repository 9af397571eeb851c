"""Sending e-mail through the configured SMTP server (smtplib): TRACKER_SMTP_HOST, _PORT, _USER,
_PASSWORD, _TLS (none, starttls or ssl) and _FROM."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage

from tracker.services.errors import ServiceError

TLS_MODES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}


class NotConfigured(ServiceError):
    """No SMTP server is configured (or its settings are incomplete): nothing can be sent."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = ""
    tls: str = "starttls"
    sender: str = ""
    timeout: float = 30

    @classmethod
    def from_settings(cls, settings) -> SmtpSettings:
        return cls(host=settings.smtp_host, port=settings.smtp_port, user=settings.smtp_user,
                   password=settings.smtp_password, tls=(settings.smtp_tls or "starttls").lower(),
                   sender=settings.smtp_from)

    @property
    def configured(self) -> bool:
        return bool(self.host)

    def problem(self) -> str | None:
        """What is missing or wrong, in words for the person who runs the server; None if usable."""
        if not self.host:
            return "No SMTP server is configured: set TRACKER_SMTP_HOST (and TRACKER_SMTP_FROM) to send reminders."
        if not self.sender:
            return "Set TRACKER_SMTP_FROM, the address reminders are sent from."
        if self.tls not in TLS_MODES:
            return f"TRACKER_SMTP_TLS is {self.tls!r}: set it to none, starttls or ssl."
        return None

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS.get(self.tls, 25)


class SmtpMailer:
    """One connection for a batch of messages: `with mailer.connect() as send: send(message)`."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings

    @property
    def sender(self) -> str:
        return self.settings.sender

    def check(self) -> None:
        problem = self.settings.problem()
        if problem:
            raise NotConfigured(problem)

    @contextmanager
    def connect(self) -> Iterator[Callable[[EmailMessage], None]]:
        self.check()
        s = self.settings
        context = ssl.create_default_context()
        if s.tls == "ssl":
            server = smtplib.SMTP_SSL(s.host, s.effective_port, timeout=s.timeout, context=context)
        else:
            server = smtplib.SMTP(s.host, s.effective_port, timeout=s.timeout)
        try:
            if s.tls == "starttls":
                server.starttls(context=context)
            if s.user:
                server.login(s.user, s.password)
            yield server.send_message
        finally:
            try:
                server.quit()
            except smtplib.SMTPException:
                server.close()
