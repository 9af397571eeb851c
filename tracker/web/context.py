"""What a request needs from the server: the database engine and the signed-in person.

The engine lives on the Flask app's config (one per worker process); no other state is kept in
the process, so any worker can serve any request. The signed-in person is read once per request
(by the sign-in guard, else tracker.services.auth.signed_in_person) and kept on flask.g: a later
unit of work in the same request (the navigation bar, the page title, the page, a callback)
attaches that copy to its own session without reading it again.
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
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session

from tracker.db import session_scope
from tracker.models import Person
from tracker.rules.clock import uk_today
from tracker.services.auth import signed_in_person
from tracker.services.errors import PermissionDenied, ServiceError
from tracker.services.permissions import require_admin
from tracker.web import errors
from tracker.web.components.notices import refusal

SIGNED_OUT = "Your session has ended: sign in again."
T = TypeVar("T")


def engine() -> Engine:
    return flask.current_app.config["TRACKER_ENGINE"]


@contextmanager
def db(write: bool = True) -> Iterator[Session]:
    """A unit of work on the app's database; `write=False` for one that only reads (pages, titles,
    the navigation bar), which on SQLite takes no write lock, so readers never queue."""
    with session_scope(engine(), write=write) as session:
        yield session


_CACHE = "tracker_signed_in_person"  # on flask.g: the person's column values, or False (nobody)


def _signed_in_id() -> int | None:
    if not current_user or not current_user.is_authenticated:
        return None
    try:
        return int(current_user.get_id())
    except (TypeError, ValueError):
        return None


def current_person(session: Session) -> Person | None:
    """The signed-in person, attached to this session (None when signed out or deactivated). Read
    from the database once per request; later calls attach the request's copy without a query."""
    person_id = _signed_in_id()
    if person_id is None:
        return None
    cached = flask.g.get(_CACHE)
    if cached is None or (cached and cached["id"] != person_id):
        person = signed_in_person(session, person_id)
        setattr(flask.g, _CACHE, _columns(person) if person else False)
        return person
    if cached is False:
        return None
    copy = Person(**cached)
    make_transient_to_detached(copy)
    return session.merge(copy, load=False)


def remember_signed_in(person: Person) -> None:
    """The sign-in guard has just read the signed-in person (active, session not ended): the
    request's units of work attach that copy instead of reading the person again."""
    setattr(flask.g, _CACHE, _columns(person))


def _columns(person: Person) -> dict:
    return {attr.key: getattr(person, attr.key) for attr in sa_inspect(Person).mapper.column_attrs}


def signed_in_person_or_none() -> tuple[Person | None, str | None]:
    """For the navigation bar: (the signed-in person, None), or (None, the message to show) when the
    database cannot be reached; the shell still renders, so the page can say so."""
    try:
        with db(write=False) as session:
            person = current_person(session)
            if person is not None:
                session.expunge(person)  # read only its columns, after the session has closed
            return person, None
    except Exception as exc:
        if not errors.database_unavailable(exc):
            raise
        errors.log_error(exc, "the navigation bar")
        return None, errors.PAGE_UNAVAILABLE


@contextmanager
def signed_in(write: bool = True) -> Iterator[tuple[Session, Person]]:
    """A unit of work for the signed-in person: `with signed_in() as (session, person)`; `write=False`
    for one that only reads (a download), which on SQLite takes no write lock however long it runs.

    Signed out, it raises PermissionDenied (SIGNED_OUT) and nothing is written; a callback shows that
    like any other refusal. (The sign-in guard answers a signed-out callback with 401 before it gets
    here; this is for a session that ends in between, or a person deactivated meanwhile.)
    """
    with db(write=write) as session:
        person = current_person(session)
        if person is None:
            raise PermissionDenied(SIGNED_OUT)
        yield session, person


def run_service(action: Callable[[Session, Person], T],
                write: bool = True) -> tuple[T | None, ServiceError | None]:
    """Call `action(session, person)` as one unit of work: (result, None), or (None, the ServiceError).
    `write=False` for an action that only reads (see signed_in).

    The error is caught outside the unit of work, so a refused write is rolled back whole.
    """
    try:
        with signed_in(write=write) as (session, person):
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
            try:
                with db(write=False) as session:
                    person = current_person(session)
                    if person is None:
                        return html.P(signed_out)
                    if allow is not None:
                        try:
                            allow(person)
                        except PermissionDenied:
                            return refusal(refused)
                    return layout(session, person, **kwargs)
            except Exception as exc:
                if not errors.database_unavailable(exc):
                    raise  # the app's callback error handler logs it and says so in the page
                return errors.page_error(exc, errors.log_error(exc, f"the page {layout.__module__}"))

        return page

    return decorate


ADMIN_SIGNED_OUT = "Sign in to use the administration pages."
ADMIN_REFUSED = "Only an administrator can use the administration pages."


def admin_page(signed_out: str = ADMIN_SIGNED_OUT, refused: str = ADMIN_REFUSED):
    """signed_in_page for an administration page: shown to administrators only."""
    return signed_in_page(signed_out, allow=require_admin, refused=refused)


def page_title(default: str, describe: Callable[..., str]) -> Callable[..., str]:
    """A page's title function for dash.register_page: "<describe(session, person, **path)> – CDP
    Delivery Tracker" (e.g. the theme's name), or `default` when signed out or when describing fails
    (a title must never stop the page from showing)."""

    def title(**kwargs) -> str:
        try:
            with db(write=False) as session:
                person = current_person(session)
                if person is None:
                    return default
                return f"{describe(session, person, **kwargs)} – CDP Delivery Tracker"
        except Exception as exc:  # noqa: BLE001 - logged; a title must never stop the page
            errors.log_error(exc, f"the title of {describe.__module__}")
            return default

    return title


def today() -> date:
    # Today in the UK, not on the server's clock. Tests pin it through the app's config, so seeded
    # figures stay stable over time (or set the clock itself with tracker.rules.clock.frozen_at).
    pinned = flask.current_app.config.get("TRACKER_TODAY")
    return pinned or uk_today()
