"""Reading the audit trail: who changed what and when, for the chair and the administrators.

The trail is written by tracker.services.audit.record (before and after values as JSON); this
module filters it and turns each event into readable text: "Role: Member → Chair".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.domain import sector_label
from tracker.formatting import short_date, short_date_time, status_label
from tracker.models import AuditEvent, Indicator, Objective, Outcome, Person, Subgroup, Theme
from tracker.rules.clock import to_uk, uk_midnight_utc
from tracker.rules.dates import parse_iso_date
from tracker.services.errors import InvalidInput
from tracker.services.people import ROLE_LABELS
from tracker.services.permissions import require_chair_or_admin
from tracker.services.rag_scale import SCALE_NAMES
from tracker.services.reference import owned

MAX_LIMIT = 1000
EMPTY = "—"
_LONGEST_VALUE = 300

# The words the trail shows for a field name where a plain "job_title" → "Job title" is not enough.
FIELD_LABELS = {
    "is_active": "Active",
    "lead_id": "Lead",
    "owner_id": "Owner",
    "author_id": "Author",
    "subgroup_id": "Subgroup",
    "other_subgroup_id": "Other subgroup",
    "objective_id": "Objective",
    "theme_id": "Theme",
    "person_id": "Person",
    "theme_ids": "Themes",
    "outcome_ids": "Outcomes",
    "indicator_ids": "Indicators",
    "created_by_id": "Created by",
    "recorded_by_id": "Recorded by",
    "rag": "RAG",
    "rag_scale": "RAG scale",
    "colour": "Colour",
    "levels": "Colours",
}
# Housekeeping columns that say nothing a reader needs.
_HIDDEN_FIELDS = {"id", "partnership_id", "version", "created_at", "updated_at", "updated_by_id"}
# Fields holding the id of another record, shown by that record's name.
_REFERENCES = {
    "lead_id": Person, "owner_id": Person, "author_id": Person, "person_id": Person, "created_by_id": Person,
    "recorded_by_id": Person, "agreed_by_id": Person, "signed_off_by_id": Person, "opened_by_id": Person,
    "rater_id": Person, "subgroup_id": Subgroup, "other_subgroup_id": Subgroup, "objective_id": Objective,
    "theme_id": Theme, "theme_ids": Theme, "outcome_ids": Outcome, "outcome_id": Outcome,
    "indicator_ids": Indicator, "indicator_id": Indicator,
}

ENTITY_LABELS = {
    "Person": "Person",
    "Subgroup": "Subgroup",
    "SubgroupMember": "Subgroup member",
    "TermsOfReference": "Terms of reference",
    "Action": "Action",
    "StatusUpdate": "Status update",
    "RagLevel": "RAG colour",
    "Partnership": "Partnership",
    "Indicator": "Indicator",
    "IndicatorValue": "Indicator value",
    "MaturityAssessment": "Maturity assessment",
    "MaturityScore": "Maturity score",
    "MaturityRating": "Maturity rating",
    "EmbedToken": "Embed token",
}
VERB_LABELS = {"create": "Created", "update": "Changed", "delete": "Deleted", "sign_off": "Signed off"}


@dataclass
class Change:
    field: str  # the label shown to the reader
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.field}: {self.before} → {self.after}"


@dataclass
class AuditEntry:
    id: int
    at: datetime  # as stored: UTC
    actor_id: int | None
    actor_name: str
    verb: str
    entity_type: str
    entity_id: int | None
    summary: str
    changes: list[Change] = field(default_factory=list)

    @property
    def at_uk(self) -> datetime:
        return to_uk(self.at)

    @property
    def when(self) -> str:
        """UK date and time, e.g. 23/11/2026 14:05."""
        return short_date_time(self.at_uk)

    @property
    def what(self) -> str:
        verb = VERB_LABELS.get(self.verb, self.verb.replace("_", " ").capitalize())
        entity = ENTITY_LABELS.get(self.entity_type, self.entity_type)
        ref = f" {self.entity_id}" if self.entity_id is not None else ""
        return f"{verb} {entity}{ref}"


@dataclass
class AuditLog:
    events: list[AuditEntry]
    total: int  # how many events match the filters (the list holds at most `limit` of them)
    limit: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.events)


def _as_date(value: Any, field_name: str) -> date | None:
    try:
        return parse_iso_date(value)
    except ValueError:
        raise InvalidInput({field_name: "Enter a real date, for example 31/03/2026"}) from None


def _as_int(value: Any, field_name: str, message: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput({field_name: message}) from None


def list_events(
    session: Session,
    actor: Person,
    person_id: int | str | None = None,
    entity_type: str | None = None,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    limit: int = 200,
) -> AuditLog:
    """The partnership's audit events, newest first, filtered by who made them, the type of record
    and a range of UK calendar days (both ends included); at most `limit` of them, with the count
    of all that match. For the chair and administrators only."""
    actor = require_chair_or_admin(actor)
    pid = actor.partnership_id
    errors: dict[str, str] = {}
    try:
        person = _as_int(person_id, "person_id", "Choose a person from the list")
    except InvalidInput as exc:
        errors |= exc.errors
        person = None
    for name in ("date_from", "date_to"):
        try:
            _as_date(date_from if name == "date_from" else date_to, name)
        except InvalidInput as exc:
            errors |= exc.errors
    if errors:
        raise InvalidInput(errors)
    start, end = _as_date(date_from, "date_from"), _as_date(date_to, "date_to")
    if start and end and end < start:
        raise InvalidInput({"date_to": "The end date cannot be before the start date"})
    if person is not None:
        if owned(session, Person, pid, person) is None:
            raise InvalidInput({"person_id": "Choose a person of this partnership"})
    limit = max(1, min(int(limit or 200), MAX_LIMIT))

    conditions = [AuditEvent.partnership_id == pid]
    if person is not None:
        conditions.append(AuditEvent.actor_id == person)
    if entity_type:
        conditions.append(AuditEvent.entity_type == str(entity_type))
    if start:
        conditions.append(AuditEvent.at >= uk_midnight_utc(start))
    if end:
        conditions.append(AuditEvent.at < uk_midnight_utc(end + timedelta(days=1)))

    total = session.exec(select(func.count(AuditEvent.id)).where(*conditions)).one()
    rows = session.exec(
        select(AuditEvent).where(*conditions).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    ).all()
    names = _names(session, pid, rows)
    return AuditLog(events=[_entry(e, names) for e in rows], total=total, limit=limit)


def entity_types(session: Session, actor: Person) -> list[str]:
    """The types of record the partnership's trail mentions (for the filter), alphabetically."""
    actor = require_chair_or_admin(actor)
    return sorted(session.exec(
        select(AuditEvent.entity_type).where(AuditEvent.partnership_id == actor.partnership_id).distinct()
    ).all(), key=lambda t: ENTITY_LABELS.get(t, t))


def actors(session: Session, actor: Person) -> list[tuple[int, str]]:
    """Everyone in the partnership (deactivated people too: their changes stay on the record)."""
    actor = require_chair_or_admin(actor)
    people = session.exec(
        select(Person).where(Person.partnership_id == actor.partnership_id).order_by(Person.name)
    ).all()
    return [(p.id, p.name + ("" if p.is_active else " (deactivated)")) for p in people]


def entity_label(entity_type: str) -> str:
    return ENTITY_LABELS.get(entity_type, entity_type)


# --- Turning the stored JSON into readable text -----------------------------------------------


Names = dict[type, dict[int, str]]


def _names(session: Session, partnership_id: int, events: list[AuditEvent]) -> Names:
    """The names of the records the events refer to by id (one query per kind of record)."""
    wanted: dict[type, set[int]] = {}
    for event in events:
        for raw in (event.before, event.after):
            data, _ = _load(raw)
            for key, value in (data or {}).items():
                model = _REFERENCES.get(key)
                if model is None:
                    continue
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, int) and not isinstance(item, bool):
                        wanted.setdefault(model, set()).add(item)
    names: Names = {}
    for model, ids in wanted.items():
        label = {Person: Person.name, Subgroup: Subgroup.name, Objective: Objective.code, Theme: Theme.name,
                 Outcome: Outcome.code, Indicator: Indicator.code}[model]
        rows = session.exec(
            select(model.id, label).where(model.id.in_(ids), model.partnership_id == partnership_id)
        ).all()
        names[model] = {i: str(n) for i, n in rows}
    return names


def _entry(event: AuditEvent, names: Names | None = None) -> AuditEntry:
    return AuditEntry(
        id=event.id, at=event.at, actor_id=event.actor_id, actor_name=event.actor_name or "system",
        verb=event.verb, entity_type=event.entity_type, entity_id=event.entity_id, summary=event.summary,
        changes=changes(event.before, event.after, names),
    )


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def _load(raw: str | None) -> tuple[dict | None, str | None]:
    if raw in (None, ""):
        return None, None
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return None, raw
    if isinstance(data, dict):
        return data, None
    return None, raw


def readable(value: Any) -> str:
    """One stored value as a reader would write it: UK dates, Yes/No, lists with commas."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list | tuple):
        return ", ".join(readable(v) for v in value) if value else EMPTY
    if isinstance(value, dict):
        return ", ".join(f"{field_label(str(k))}: {readable(v)}" for k, v in value.items()) or EMPTY
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return short_date(date.fromisoformat(text))
        except ValueError:
            pass
    if len(text) >= 16 and text[4] == "-" and "T" in text[10:11]:
        try:
            return short_date_time(to_uk(datetime.fromisoformat(text)))
        except ValueError:
            pass
    text = " ".join(text.split())
    return text if len(text) <= _LONGEST_VALUE else text[:_LONGEST_VALUE - 1] + "…"


def _value(key: str, value: Any, names: Names | None) -> str:
    """A field's value in words: a person's name for a person's id, "Chair" for "chair"."""
    model = _REFERENCES.get(key)
    if model is not None and value not in (None, "", []):
        known = (names or {}).get(model, {})
        items = value if isinstance(value, list) else [value]
        return ", ".join(known.get(i, f"#{i}") if isinstance(i, int) else readable(i) for i in items)
    if isinstance(value, str) and value:
        if key == "role":
            return ROLE_LABELS.get(value) or status_label(value)  # a person's or a member's role
        if key == "sector":
            return sector_label(value)
        if key == "rag_scale":
            return SCALE_NAMES.get(value, value)
        if key in ("status", "rag", "kind", "direction"):
            return status_label(value)
    return readable(value)


def changes(before_json: str | None, after_json: str | None, names: Names | None = None) -> list[Change]:
    """Each field that differs between the stored before and after values, in a stable order.
    A created record shows — → value; a deleted one value → —; unreadable JSON is shown raw.
    `names` turns the ids of people, subgroups, themes ... into their names."""
    before, before_raw = _load(before_json)
    after, after_raw = _load(after_json)
    if before_raw is not None or after_raw is not None:
        return [Change("Record", readable(before_raw), readable(after_raw))]
    before, after = before or {}, after or {}
    result = []
    for key in dict.fromkeys([*before, *after]):
        if key in _HIDDEN_FIELDS or key == "password_hash":
            continue
        old, new = before.get(key), after.get(key)
        if old == new and key in before and key in after:
            continue
        if old in (None, "", []) and new in (None, "", []):
            continue
        result.append(Change(field_label(key), _value(key, old, names), _value(key, new, names)))
    return result
