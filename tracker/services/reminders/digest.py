"""The e-mail digest for one person: their actions due an update, the deadline, a link to their page."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from tracker.formatting import long_date
from tracker.services.reminders.outstanding import Outstanding, PersonOwes


@dataclass
class Digest:
    person_id: int
    name: str
    email: str
    subject: str
    body: str
    action_refs: list[str]

    def message(self, sender: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = self.email
        message["Subject"] = self.subject
        message.set_content(self.body)
        return message


def my_actions_link(base_url: str) -> str:
    return base_url.rstrip("/") + "/my-actions"


def digest_for(owes: PersonOwes, outstanding: Outstanding, partnership_name: str, base_url: str) -> Digest:
    meeting = outstanding.meeting
    deadline = long_date(meeting.deadline) if meeting else "the next board"
    board = f"the board on {long_date(meeting.meeting.meeting_date)}" if meeting else "the next board"
    count = owes.count
    lines = [
        f"Dear {owes.person.name},",
        "",
        f"{count} of your actions in the {partnership_name} delivery plan "
        f"{'needs an update' if count == 1 else 'need an update'} before {board}.",
        f"Please record {'it' if count == 1 else 'them'} by {deadline}.",
        "",
    ]
    for row in owes.actions:
        last = long_date(row.last_update) if row.last_update else "never updated"
        due = long_date(row.due_date) if row.due_date else "no due date"
        why = " (you lead its subgroup; it has no owner)" if row.id in owes.as_lead else ""
        lines.append(f"- {row.ref} {row.title} ({row.subgroup}; due {due}; last update: {last}){why}")
    lines += [
        "",
        f"You can update them all from one page: {my_actions_link(base_url)}",
        "",
        "This reminder is sent once for each board deadline.",
    ]
    return Digest(
        person_id=owes.person.id,
        name=owes.person.name,
        email=owes.person.email,
        subject=f"{count} update{'s' if count != 1 else ''} due by {deadline}: {partnership_name}",
        body="\n".join(lines),
        action_refs=[r.ref for r in owes.actions],
    )


def digests(outstanding: Outstanding, partnership_name: str, base_url: str) -> list[Digest]:
    return [digest_for(p, outstanding, partnership_name, base_url) for p in outstanding.people]
