"""What a request needs from the server: the database engine and the signed-in person.

The engine lives on the Flask app's config (one per worker process); no other state is kept in
the process, so any worker can serve any request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import flask
from flask_login import current_user
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.db import session_scope
from tracker.models import Person


def engine() -> Engine:
    return flask.current_app.config["TRACKER_ENGINE"]


@contextmanager
def db() -> Iterator[Session]:
    with session_scope(engine()) as session:
        yield session


def current_person(session: Session) -> Person | None:
    """The signed-in person, loaded in this session (None when signed out)."""
    if not current_user or not current_user.is_authenticated:
        return None
    person = session.get(Person, int(current_user.get_id()))
    return person if person and person.is_active else None


def today() -> date:
    # Tests pin "today" through the app's config, so seeded figures stay stable over time.
    pinned = flask.current_app.config.get("TRACKER_TODAY")
    return pinned or date.today()
