"""Reminders: who owes which updates, the digests, sending once per deadline (end to end through a
real SMTP server on loopback, aiosmtpd), permissions, no SMTP configured, the command, and crafted
requests to the page's Send button."""

from __future__ import annotations

import email
import re
import socket
from dataclasses import replace
from datetime import date
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, TODAY
from tests.crafted import call_callback, changed_tables, db_fingerprint, give_password, signed_in_client
from tracker import cli
from tracker.config import Settings
from tracker.db import session_scope
from tracker.models import Action, AuditEvent, Person, ReminderSent
from tracker.services import reminders
from tracker.services.board.calendar import due_action_ids
from tracker.services.errors import InvalidInput, PermissionDenied
from tracker.services.reminders.send import preview

BASE = "https://intranet.example.gov.uk/cdp/"
RUN = {"base_url": BASE}


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self, refuse: set[str] | None = None):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse = {r.lower() for r in refuse or ()}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.refuse:
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.content, policy=default_policy)))
        return "250 Message accepted for delivery"

    def to(self) -> list[str]:
        return sorted(r for rcpts, _ in self.messages for r in rcpts)

    def message_for(self, address: str):
        return next(m for rcpts, m in self.messages if address in rcpts)


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"tracker" and auth_data.password == b"s3cret"
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@pytest.fixture
def smtp():
    """A real SMTP server on loopback (a free port), with the login tracker / s3cret."""
    inbox = Inbox()
    with socket.socket() as probe:  # a port the system has just handed out as free
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port, authenticator=_authenticate,
                            auth_require_tls=False)
    controller.start()
    yield inbox
    controller.stop()


def smtp_settings(inbox: Inbox, **changes) -> reminders.SmtpSettings:
    settings = reminders.SmtpSettings(host="127.0.0.1", port=inbox.port, user="tracker", password="s3cret",
                                      tls="none", sender="cdp-tracker@example.gov.uk", timeout=10)
    return replace(settings, **changes)


def mailer(inbox: Inbox, **changes) -> reminders.SmtpMailer:
    return reminders.SmtpMailer(smtp_settings(inbox, **changes))


def owed_by(session: Session, today: date) -> dict[str, list[str]]:
    """What the data says: each due action's owner (or, with no owner, its subgroup's lead) -> refs."""
    expected: dict[str, list[str]] = {}
    for a in session.exec(select(Action).where(Action.id.in_(due_action_ids(session, 1, today))).order_by(Action.ref)):
        owner = session.get(Person, a.owner_id) if a.owner_id else None
        assert owner is not None and owner.is_active, "the seed's due actions all have an active owner"
        expected.setdefault(owner.email, []).append(a.ref)
    return expected


# --- Who owes what ----------------------------------------------------------------------------------


def test_each_due_action_is_owed_by_its_owner_with_counts_per_person_and_subgroup(session, today):
    owed = reminders.outstanding(session, 1, today)
    expected = owed_by(session, today)
    assert expected  # the seed has actions due an update before the December board
    assert {p.person.email: sorted(a.ref for a in p.actions) for p in owed.people} == \
        {k: sorted(v) for k, v in expected.items()}
    assert owed.total == sum(len(v) for v in expected.values()) == len(due_action_ids(session, 1, today))
    assert sum(owed.by_subgroup.values()) == owed.total
    assert sum(owed.by_person().values()) == owed.total
    assert owed.meeting.deadline == date(2026, 11, 26)


def test_an_action_without_an_owner_is_owed_by_its_subgroups_lead(session, today):
    due = sorted(due_action_ids(session, 1, today))
    action = session.get(Action, due[0])
    action.owner_id = None
    session.add(action)
    session.flush()
    owed = reminders.outstanding(session, 1, today)
    from tracker.models import Subgroup

    lead_id = session.get(Subgroup, action.subgroup_id).lead_id
    entry = next(p for p in owed.people if p.person.id == lead_id)
    assert action.id in entry.as_lead
    digest = reminders.digest_for(entry, owed, "Northamptonshire CDP", BASE)
    assert "you lead its subgroup; it has no owner" in digest.body


def test_the_digest_lists_the_actions_the_deadline_and_the_link(session, today):
    owed = reminders.outstanding(session, 1, today)
    digest = reminders.digests(owed, "Northamptonshire CDP", BASE)[0]
    assert "26 November 2026" in digest.subject and "26 November 2026" in digest.body
    assert "10 December 2026" in digest.body
    assert "https://intranet.example.gov.uk/cdp/my-actions" in digest.body
    for ref in digest.action_refs:
        assert ref in digest.body


# --- Sending: end to end through a real SMTP server -----------------------------------------------------


def test_the_right_people_get_the_right_messages_once_per_deadline(engine, smtp, today):
    with session_scope(engine) as s:
        expected = owed_by(s, today)
        chair = s.exec(select(Person).where(Person.email == DEMO_EMAILS["chair"])).one()
        result = reminders.send_reminders(s, chair, today, RUN, mailer(smtp))
    assert result.failed == [] and len(result.sent) == len(expected)
    assert smtp.to() == sorted(expected)  # the right people, nobody else
    for address, refs in expected.items():
        message = smtp.message_for(address)
        body = message.get_content()
        assert message["From"] == "cdp-tracker@example.gov.uk" and message["To"] == address
        assert all(ref in body for ref in refs)
        others = {r for a, rs in expected.items() if a != address for r in rs}
        assert not any(re.search(rf"\b{re.escape(r)}\b", body) for r in others)  # only their own actions
        assert f"{BASE}my-actions" in body and "26 November 2026" in body
    with Session(engine) as s:
        sent = s.exec(select(ReminderSent)).all()
        assert sorted(r.email for r in sent) == sorted(expected)
        assert {r.sent_by_id for r in sent} == {chair.id}
        events = s.exec(select(AuditEvent).where(AuditEvent.entity_type == "ReminderSent")).all()
        assert len(events) == len(expected) and all(e.actor_name == chair.name for e in events)

    # A second run sends nothing: the same reminder never goes twice for the same deadline.
    with session_scope(engine) as s:
        chair = s.get(Person, chair.id)
        again = reminders.send_reminders(s, chair, today, RUN, mailer(smtp))
    assert again.sent == [] and len(again.already) == len(expected)
    assert len(smtp.messages) == len(expected)


def test_a_new_deadline_gets_a_new_reminder(engine, smtp, today):
    with session_scope(engine) as s:
        admin = s.exec(select(Person).where(Person.email == DEMO_EMAILS["admin"])).one()
        first = reminders.send_reminders(s, admin, today, RUN, mailer(smtp))
    with session_scope(engine) as s:  # the day after the December board: the February board's deadline
        admin = s.get(Person, admin.id)
        later = reminders.send_reminders(s, admin, date(2026, 12, 11), RUN, mailer(smtp))
    assert first.sent and later.sent and later.meeting.meeting.meeting_date == date(2027, 2, 11)


def test_nobody_without_outstanding_updates_gets_mail(engine, smtp, today):
    with session_scope(engine) as s:
        for action in s.exec(select(Action).where(Action.id.in_(due_action_ids(s, 1, today)))):
            action.status = "cancelled"
            s.add(action)
    with session_scope(engine) as s:
        chair = s.exec(select(Person).where(Person.email == DEMO_EMAILS["chair"])).one()
        result = reminders.send_reminders(s, chair, today, RUN, mailer(smtp))
    assert result.sent == [] and result.to_send == [] and smtp.messages == []


def test_an_address_the_server_refuses_is_not_recorded_and_goes_next_time(engine, smtp, today):
    with Session(engine) as s:
        victim = sorted(owed_by(s, today))[0]
    smtp.refuse = {victim}
    with session_scope(engine) as s:
        chair = s.exec(select(Person).where(Person.email == DEMO_EMAILS["chair"])).one()
        result = reminders.send_reminders(s, chair, today, RUN, mailer(smtp))
    assert [d.email for d, _ in result.failed] == [victim] and victim not in smtp.to()
    smtp.refuse = set()
    with session_scope(engine) as s:
        chair = s.get(Person, chair.id)
        retry = reminders.send_reminders(s, chair, today, RUN, mailer(smtp))
    assert [d.email for d in retry.sent] == [victim]


def test_a_wrong_smtp_password_sends_and_records_nothing(engine, smtp, today):
    with session_scope(engine) as s:
        chair = s.exec(select(Person).where(Person.email == DEMO_EMAILS["chair"])).one()
        result = reminders.send_reminders(s, chair, today, RUN, mailer(smtp, password="wrong"))
    assert result.sent == [] and result.failed and "could not be used" in result.summary()
    with Session(engine) as s:
        assert s.exec(select(ReminderSent)).all() == []


@pytest.mark.parametrize("who", ["lead", "owner", "viewer"])
def test_only_the_chair_or_an_admin_may_send_or_preview(engine, smtp, today, who):
    with Session(engine) as s:
        person = s.exec(select(Person).where(Person.email == DEMO_EMAILS[who])).one()
        with pytest.raises(PermissionDenied, match="Only the chair or an administrator"):
            reminders.send_reminders(s, person, today, RUN, mailer(smtp))
        with pytest.raises(PermissionDenied):
            preview(s, person, today, BASE)
    assert smtp.messages == []


def test_without_smtp_the_dry_run_previews_and_sending_says_what_to_set(session, chair, today):
    unconfigured = reminders.SmtpMailer(reminders.SmtpSettings())
    dry = reminders.send_reminders(session, chair, today, {**RUN, "dry_run": True}, unconfigured)
    assert dry.to_send and dry.sent == [] and "would be sent" in dry.summary()
    with pytest.raises(reminders.NotConfigured, match="TRACKER_SMTP_HOST"):
        reminders.send_reminders(session, chair, today, RUN, unconfigured)
    assert session.exec(select(ReminderSent)).all() == []


def test_a_bad_link_address_is_refused(session, chair, today, smtp):
    with pytest.raises(InvalidInput) as refused:
        reminders.send_reminders(session, chair, today, {"base_url": "javascript:alert(1)"}, mailer(smtp))
    assert "base_url" in refused.value.errors


# --- The command a scheduler runs ------------------------------------------------------------------------


def test_the_command_sends_once_and_the_dry_run_sends_nothing(engine, smtp, monkeypatch, capsys):
    for name, value in {"HOST": "127.0.0.1", "PORT": str(smtp.port), "USER": "tracker", "PASSWORD": "s3cret",
                        "TLS": "none", "FROM": "cdp-tracker@example.gov.uk"}.items():
        monkeypatch.setenv(f"TRACKER_SMTP_{name}", value)
    monkeypatch.setenv("TRACKER_PUBLIC_URL", BASE)
    with Session(engine) as s:
        expected = owed_by(s, TODAY)
    assert cli.main(["send-reminders", "--dry-run", "--today", TODAY.isoformat()], engine=engine) == 0
    assert "would be sent" in capsys.readouterr().out and smtp.messages == []
    assert cli.main(["send-reminders", "--today", TODAY.isoformat()], engine=engine) == 0
    assert smtp.to() == sorted(expected)
    assert cli.main(["send-reminders", "--today", TODAY.isoformat()], engine=engine) == 0
    assert "Sent 0 reminder(s)" in capsys.readouterr().out.splitlines()[-1]
    assert len(smtp.messages) == len(expected)
    with Session(engine) as s:
        assert {e.actor_name for e in s.exec(select(AuditEvent).where(AuditEvent.entity_type == "ReminderSent"))} \
            == {"system"}


def test_the_command_without_smtp_fails_with_a_message(engine, monkeypatch, capsys):
    monkeypatch.delenv("TRACKER_SMTP_HOST", raising=False)
    assert cli.main(["send-reminders", "--today", TODAY.isoformat()], engine=engine) == 1
    assert "TRACKER_SMTP_HOST" in capsys.readouterr().err


# --- Crafted requests to the page's Send button ---------------------------------------------------------


def app_for(engine: Engine, settings: Settings):
    from tracker.web.app import create_app

    return create_app(settings, engine=engine, today=TODAY)


def page_settings(inbox: Inbox | None) -> Settings:
    settings = Settings(database_url="sqlite://", seed_on_start=False, secret_key="test")
    if inbox is not None:
        settings = settings.model_copy(update={
            "smtp_host": "127.0.0.1", "smtp_port": inbox.port, "smtp_user": "tracker", "smtp_password": "s3cret",
            "smtp_tls": "none", "smtp_from": "cdp-tracker@example.gov.uk"})
    return settings


@pytest.mark.parametrize("who", ["lead", "owner", "viewer"])
def test_a_crafted_send_by_someone_not_allowed_changes_nothing_and_sends_nothing(engine, smtp, who):
    give_password(engine, DEMO_EMAILS[who])
    client = signed_in_client(app_for(engine, page_settings(smtp)), DEMO_EMAILS[who])
    before = db_fingerprint(engine)
    reply = call_callback(client, ("reminders-send", "n_clicks", 1))
    assert reply.status == 200 and "Only the chair or an administrator can do this." in reply.strings
    after = db_fingerprint(engine)
    assert after == before, changed_tables(before, after)
    assert smtp.messages == []


def test_the_same_crafted_send_by_the_chair_sends(engine, smtp):
    give_password(engine, DEMO_EMAILS["chair"])
    client = signed_in_client(app_for(engine, page_settings(smtp)), DEMO_EMAILS["chair"])
    with Session(engine) as s:
        expected = owed_by(s, TODAY)
    reply = call_callback(client, ("reminders-send", "n_clicks", 1))
    assert reply.status == 200 and f"Sent {len(expected)} reminder(s)" in reply.strings
    assert smtp.to() == sorted(expected)
    assert "http://localhost/my-actions" in smtp.messages[0][1].get_content()


def test_without_smtp_the_page_says_so_and_a_crafted_send_fails_cleanly(engine):
    give_password(engine, DEMO_EMAILS["chair"])
    client = signed_in_client(app_for(engine, page_settings(None)), DEMO_EMAILS["chair"])
    before = db_fingerprint(engine)
    reply = call_callback(client, ("reminders-send", "n_clicks", 1))
    assert reply.status == 200 and "No SMTP server is configured" in reply.strings
    assert db_fingerprint(engine) == before
