"""What a request needs from the server: the database engine and the signed-in person.

The engine lives on the Flask app's config (one per worker process); no other state is kept in
the process, so any worker can serve any request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TypeVar

import flask
from dash import html
from flask_login import current_user
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.db import session_scope
from tracker.models import Person
from tracker.services.errors import PermissionDenied, ServiceError
from tracker.web.components.notices import refusal

SIGNED_OUT = "Your session has ended: sign in again."
T = TypeVar("T")


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


@contextmanager
def signed_in() -> Iterator[tuple[Session, Person]]:
    """A unit of work for the signed-in person: `with signed_in() as (session, person)`.

    Signed out, it raises PermissionDenied (SIGNED_OUT) and nothing is written; a callback shows that
    like any other refusal. (The sign-in guard answers a signed-out callback with 401 before it gets
    here; this is for a session that ends in between, or a person deactivated meanwhile.)
    """
    with db() as session:
        person = current_person(session)
        if person is None:
            raise PermissionDenied(SIGNED_OUT)
        yield session, person


def run_service(action: Callable[[Session, Person], T]) -> tuple[T | None, ServiceError | None]:
    """Call `action(session, person)` as one unit of work: (result, None), or (None, the ServiceError).

    The error is caught outside the unit of work, so a refused write is rolled back whole.
    """
    try:
        with signed_in() as (session, person):
            return action(session, person), None
    except ServiceError as exc:
        return None, exc


def signed_in_page(signed_out: str, allow: Callable[[Person], object] | None = None, refused: str = ""):
    """Decorate a page's `layout(session, person, **path_and_query)`: Dash calls it with the path's
    and query's values only; it gets the unit of work and the signed-in person. When nobody is signed
    in the page shows `signed_out` (e.g. "Sign in to see the themes."); with `allow` (e.g.
    permissions.require_admin), someone it refuses (PermissionDenied) is shown `refused`."""

    def decorate(layout):
        @functools.wraps(layout)
        def page(**kwargs):
            with db() as session:
                person = current_person(session)
                if person is None:
                    return html.P(signed_out)
                if allow is not None:
                    try:
                        allow(person)
                    except PermissionDenied:
                        return refusal(refused)
                return layout(session, person, **kwargs)

        return page

    return decorate


def page_title(default: str, describe: Callable[..., str]) -> Callable[..., str]:
    """A page's title function for dash.register_page: "<describe(session, person, **path)> – CDP
    Delivery Tracker" (e.g. the theme's name), or `default` when signed out or when describing fails
    (a title must never stop the page from showing)."""

    def title(**kwargs) -> str:
        try:
            with db() as session:
                person = current_person(session)
                if person is None:
                    return default
                return f"{describe(session, person, **kwargs)} – CDP Delivery Tracker"
        except Exception:
            return default

    return title


def today() -> date:
    # Tests pin "today" through the app's config, so seeded figures stay stable over time.
    pinned = flask.current_app.config.get("TRACKER_TODAY")
    return pinned or date.today()
