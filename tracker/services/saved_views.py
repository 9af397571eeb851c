"""Saved views: a signed-in person keeps a filtered page under a name, opens it again, deletes it.
Each view is its owner's alone; only an address inside the tracker is kept, never another site's."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlmodel import Session, or_, select

from tracker.models import Person, SavedView
from tracker.services import audit
from tracker.services.errors import InvalidInput, NotFound, flush_unique
from tracker.services.reference import is_record_id

NAME_MAX = 80
PATH_MAX = 1000


def _in_app_path(path) -> str | None:
    """The path and query string when `path` is an address inside the tracker, else None: no scheme,
    no host, no "//" or backslash that a browser would read as another site."""
    text = str(path or "").strip()
    if not text.startswith("/") or text.startswith("//") or "\\" in text or len(text) > PATH_MAX:
        return None
    if any(ord(ch) < 32 for ch in text):
        return None
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def page_of(path) -> str | None:
    """The page a view is of: its in-app path without the query string ("/subgroup/3"), else None."""
    kept = _in_app_path(path)
    return kept.partition("?")[0] if kept else None


def list_views(session: Session, person: Person, page: str | None = None) -> list[SavedView]:
    """`person`'s own views, by name; with `page` ("/", "/audit", "/subgroup/3"), only that page's."""
    query = select(SavedView).where(SavedView.person_id == person.id,
                                    SavedView.partnership_id == person.partnership_id)
    if page is not None:
        page = page_of(page)
        if page is None:
            return []
        query = query.where(or_(SavedView.path == page, SavedView.path.startswith(f"{page}?", autoescape=True)))
    return list(session.exec(query.order_by(SavedView.name)))


def save_view(session: Session, person: Person, name, path) -> SavedView:
    """Keep `path` (the page and its filters) under `name` for `person`. InvalidInput, with nothing
    written, for a missing or long name, a name already used, or an address outside the tracker."""
    errors = {}
    name = " ".join(name.split()) if isinstance(name, str) else ""
    if not name:
        errors["name"] = "Give the view a name."
    elif any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        errors["name"] = "Use letters, numbers, spaces and punctuation in the name."
    elif len(name) > NAME_MAX:
        errors["name"] = f"Keep the name to {NAME_MAX} characters or fewer."
    elif any(v.name.casefold() == name.casefold() for v in list_views(session, person)):
        errors["name"] = "You already have a view with that name: choose another."
    kept = _in_app_path(path) if isinstance(path, str) else None
    if kept is None:
        errors["path"] = "Only a page of the tracker can be saved as a view."
    if errors:
        raise InvalidInput(errors)
    view = SavedView(person_id=person.id, partnership_id=person.partnership_id, name=name, path=kept)
    session.add(view)
    flush_unique(session, {"name": "You already have a view with that name: choose another."})
    audit.record(session, person, "create", view, summary=f"Saved view '{name}'")
    session.commit()
    return view


def delete_view(session: Session, person: Person, view_id) -> None:
    """Delete one of `person`'s own views; NotFound for anyone else's (or none)."""
    view = session.get(SavedView, view_id) if is_record_id(view_id) else None
    if view is None or view.person_id != person.id or view.partnership_id != person.partnership_id:
        raise NotFound("That saved view does not exist.")
    before = audit.snapshot(view)
    audit.record(session, person, "delete", view, before=before, summary=f"Deleted saved view '{view.name}'")
    session.delete(view)
    session.commit()
