"""Sign-in protection: the count of wrong passwords per email address, and the lockout it leads to."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from tracker.models.base import utcnow


class AccountLockout(SQLModel, table=True):
    """Wrong passwords given for one email address (known to the tracker or not, so the answer never
    tells them apart) since `window_started`; at the limit the address is locked until `locked_until`.
    The row goes when someone signs in with it."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True, max_length=254)
    failures: int = 0
    window_started: datetime = Field(default_factory=utcnow)
    locked_until: datetime | None = None
    last_address: str = Field(default="", max_length=64)  # the client address of the last wrong password


class Account(SQLModel):
    """Not a table: what the audit trail names sign-in events after (entity_type "Account", entity_id
    the person's id, None for an email address nobody has), so they stay apart from changes to people."""

    id: int | None = None
    partnership_id: int | None = None
