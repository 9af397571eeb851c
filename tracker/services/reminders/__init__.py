"""Reminders before each board's update deadline: who owes which updates (counts per person and per
subgroup), an e-mail digest for each person, sent once per deadline through the configured SMTP
server, and the `send-reminders` command a scheduler runs."""

from tracker.services.reminders.digest import Digest, digest_for, digests
from tracker.services.reminders.mailer import NotConfigured, SmtpMailer, SmtpSettings
from tracker.services.reminders.outstanding import Outstanding, PersonOwes, outstanding
from tracker.services.reminders.send import SendResult, already_sent, send_reminders, send_reminders_as_system

__all__ = [
    "Digest",
    "digest_for",
    "digests",
    "NotConfigured",
    "SmtpMailer",
    "SmtpSettings",
    "Outstanding",
    "PersonOwes",
    "outstanding",
    "SendResult",
    "already_sent",
    "send_reminders",
    "send_reminders_as_system",
]
