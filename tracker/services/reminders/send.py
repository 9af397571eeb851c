"""Sending the digests: once per person for each board meeting's update deadline, audited.

Each reminder is recorded (ReminderSent) and committed as soon as its e-mail has gone, so a run that
stops half way, or a second run, never sends it again; a message the server refuses is not recorded
and goes out on the next run.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from tracker.models import Partnership, Person, ReminderSent
from tracker.schemas import nul_free
from tracker.services import audit
from tracker.services.board.calendar import MeetingDeadline
from tracker.services.errors import NotFound, validated
from tracker.services.permissions import require_chair_or_admin
from tracker.services.reminders.digest import Digest, digests
from tracker.services.reminders.mailer import SmtpMailer
from tracker.services.reminders.outstanding import outstanding


class ReminderRunIn(BaseModel):
    """What a run needs besides the data: where the app is (for the link), and whether to send."""

    base_url: str = Field(min_length=1, max_length=500, pattern=r"^https?://\S+$")
    dry_run: bool = False
    _nul_free = nul_free()  # no NUL character in any text (PostgreSQL cannot store one)


@dataclass
class SendResult:
    meeting: MeetingDeadline | None
    dry_run: bool
    to_send: list[Digest] = field(default_factory=list)  # what this run sends (or would, when dry)
    sent: list[Digest] = field(default_factory=list)
    already: list[Digest] = field(default_factory=list)  # sent before for this deadline: not again
    failed: list[tuple[Digest, str]] = field(default_factory=list)

    def summary(self) -> str:
        if self.meeting is None:
            return "No board meeting is planned: there is no deadline to remind anyone of."
        deadline = f"{self.meeting.deadline:%d/%m/%Y}"
        if self.dry_run:
            head = f"Dry run: {len(self.to_send)} reminder(s) would be sent for the deadline of {deadline}"
        else:
            head = f"Sent {len(self.sent)} reminder(s) for the deadline of {deadline}"
        parts = [head]
        if self.already:
            parts.append(f"{len(self.already)} already sent for this deadline, not sent again")
        if self.failed:
            parts.append(f"{len(self.failed)} could not be sent: "
                         + "; ".join(f"{d.email} ({why})" for d, why in self.failed))
        return "; ".join(parts) + "."


def already_sent(session: Session, partnership_id: int, meeting: MeetingDeadline | None) -> set[int]:
    """The people already reminded for this meeting's current deadline."""
    if meeting is None:
        return set()
    return set(session.exec(select(ReminderSent.person_id).where(
        ReminderSent.partnership_id == partnership_id,
        ReminderSent.meeting_id == meeting.meeting.id,
        ReminderSent.deadline == meeting.deadline,
    )).all())


def plan_run(session: Session, partnership_id: int, today: date, base_url: str,
             dry_run: bool = True) -> SendResult:
    """Who would get which digest now (nothing is written): the preview and the dry run."""
    partnership = session.get(Partnership, partnership_id)
    if partnership is None:
        raise NotFound(f"There is no partnership {partnership_id}.")
    owed = outstanding(session, partnership_id, today)
    result = SendResult(meeting=owed.meeting, dry_run=dry_run)
    if owed.meeting is None:
        return result
    done = already_sent(session, partnership_id, owed.meeting)
    for digest in digests(owed, partnership.name, base_url):
        (result.already if digest.person_id in done else result.to_send).append(digest)
    return result


def _send(session: Session, actor: Person | None, partnership_id: int, today: date, data: dict,
          mailer: SmtpMailer) -> SendResult:
    payload = validated(ReminderRunIn, dict(data))
    if not payload.dry_run:
        mailer.check()  # NotConfigured: the message says which setting is missing
    result = plan_run(session, partnership_id, today, payload.base_url, payload.dry_run)
    if payload.dry_run or not result.to_send:
        return result
    meeting = result.meeting
    pending = list(result.to_send)
    try:
        with mailer.connect() as send:
            while pending:
                digest = pending[0]
                record = ReminderSent(partnership_id=partnership_id, person_id=digest.person_id,
                                      meeting_id=meeting.meeting.id, deadline=meeting.deadline, email=digest.email,
                                      action_refs=", ".join(digest.action_refs),
                                      sent_by_id=actor.id if actor else None)
                session.add(record)
                session.flush()  # the unique (person, meeting, deadline) is taken before the mail goes
                try:
                    send(digest.message(mailer.sender))
                except smtplib.SMTPRecipientsRefused as exc:
                    session.delete(record)
                    session.flush()
                    result.failed.append((digest, f"the server refused the address: {exc.recipients}"))
                    pending.pop(0)
                    continue
                except (smtplib.SMTPException, OSError):
                    session.delete(record)
                    session.flush()
                    raise
                audit.record(session, actor, "create", record,
                             summary=f"Reminder sent to {digest.name} <{digest.email}> for the deadline of "
                                     f"{meeting.deadline:%d/%m/%Y}: {', '.join(digest.action_refs)}")
                session.commit()  # an e-mail that has gone cannot be unsent: record it now
                result.sent.append(pending.pop(0))
    except (smtplib.SMTPException, OSError) as exc:
        reason = f"the SMTP server could not be used ({type(exc).__name__}: {exc})"
        result.failed.extend((digest, reason) for digest in pending)
    return result


def send_reminders(session: Session, actor: Person, today: date, data: dict, mailer: SmtpMailer) -> SendResult:
    """Send the digests of outstanding updates (the chair or an administrator). `data`: base_url (the
    app's address, for the link to /my-actions) and dry_run."""
    require_chair_or_admin(actor)
    return _send(session, actor, actor.partnership_id, today, data, mailer)


def preview(session: Session, actor: Person, today: date, base_url: str) -> SendResult:
    """What "Send reminders" would send now (the chair or an administrator)."""
    require_chair_or_admin(actor)
    return plan_run(session, actor.partnership_id, today, validated(ReminderRunIn, {"base_url": base_url}).base_url)


def send_reminders_as_system(session: Session, partnership_id: int, today: date, data: dict,
                             mailer: SmtpMailer) -> SendResult:
    """The scheduled command's run (`python -m tracker.cli send-reminders`): trusted as the server's
    operator, audited as "system"."""
    return _send(session, None, partnership_id, today, data, mailer)
