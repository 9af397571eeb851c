"""The column choices of a council's sheet, remembered per partnership: after an import with the
officer's own layout, the layout is kept under a fingerprint of the sheet's headings, and the next upload
of a sheet with the same headings starts from it (still shown, still editable) instead of the guesses."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.models import ImportMapping, Person
from tracker.models.base import utcnow
from tracker.services.excel.mapping import Layout, SheetView, normalise
from tracker.services.excel.reader import PlanImportRejected

REMEMBERED_NOTE = "Using the column choices from your last import of this layout"


def fingerprint(headings: list[str]) -> str:
    """The same headings in the same columns give the same fingerprint, whatever their case, spacing or
    punctuation; any heading added, removed or moved gives another."""
    return hashlib.sha256(json.dumps([normalise(h) for h in headings]).encode("utf-8")).hexdigest()


def _saved(session: Session, partnership_id: int, headings: list[str]) -> ImportMapping | None:
    return session.exec(select(ImportMapping).where(ImportMapping.partnership_id == partnership_id,
                                                    ImportMapping.fingerprint == fingerprint(headings))).first()


def apply_remembered(session: Session, actor: Person, view: SheetView) -> SheetView:
    """The view with the column choices of the partnership's last import of this layout, if there was one."""
    if view.template or not view.headings:
        return view
    saved = _saved(session, actor.partnership_id, view.headings)
    if saved is None:
        return view
    try:
        layout = Layout.from_data(json.loads(saved.layout))
    except (PlanImportRejected, ValueError):
        return view  # a record that no longer reads: the guesses, as for a new layout
    columns = {i: k for i, k in layout.columns.items() if i < len(view.headings) and view.headings[i]}
    view.suggested, view.words_as_blank, view.remembered = columns, layout.words_as_blank, True
    return view


def remember(session: Session, actor: Person, layout: Layout, headings: list[str]) -> None:
    """Keep the layout an import has just used, for the next upload of the same headings. Part of the
    import's unit of work; two imports of the layout at the same moment leave one of the two."""
    if not headings:
        return
    data = json.dumps(layout.to_data())
    saved = _saved(session, actor.partnership_id, headings)
    if saved is not None:
        saved.layout, saved.updated_at, saved.updated_by_id = data, utcnow(), actor.id
        session.add(saved)
        session.flush()
        return
    try:
        with session.begin_nested():
            session.add(ImportMapping(partnership_id=actor.partnership_id, fingerprint=fingerprint(headings),
                                      headings=json.dumps(headings), layout=data, updated_by_id=actor.id))
    except IntegrityError:
        pass  # saved by the other import an instant ago: either layout will do
