"""What the Excel tests share: the export as an openpyxl workbook, finding and changing its rows by
ref and heading, a Plan sheet built from rows, and what an import refused or left unchanged.

Workbooks are built here with openpyxl, from the export itself or from scratch: no binary fixtures.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from tests.conftest import TODAY
from tracker.models import Action, AuditEvent, Person, StatusUpdate
from tracker.services import excel


def exported(session: Session, actor: Person, plan_filter=None) -> Workbook:
    return load_workbook(io.BytesIO(excel.export_plan(session, actor, TODAY, plan_filter).content))


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def column(heading: str) -> int:
    return excel.HEADINGS.index(heading) + 1


def row_of(ws, ref: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == ref:
            return r
    raise AssertionError(f"no row for {ref}")


def values_of(ws, ref: str) -> dict:
    r = row_of(ws, ref)
    return {h: ws.cell(row=r, column=i).value for i, h in enumerate(excel.HEADINGS, start=1)}


def set_cell(ws, ref: str, heading: str, value) -> int:
    r = row_of(ws, ref)
    ws.cell(row=r, column=column(heading)).value = value
    return r


def add_row(ws, **by_heading) -> int:
    r = ws.max_row + 1
    for heading, value in by_heading.items():
        ws.cell(row=r, column=column(heading.replace("_", " ")), value=value)
    return r


def sheet_of(rows: list[dict], headings=tuple(excel.HEADINGS)) -> bytes:
    """A workbook from scratch: a Plan sheet with these headings and rows (by heading)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(list(headings))
    for row in rows:
        ws.append([row.get(h) for h in headings])
    return to_bytes(wb)


def rejected(session: Session, actor: Person, content: bytes) -> list[str]:
    """Preview the file expecting it to be refused; every problem as "Row n, Column: message"."""
    with pytest.raises(excel.PlanImportRejected) as caught:
        excel.preview_import(session, actor, content, TODAY, "plan.xlsx")
    return [str(e) for e in caught.value.errors]


def snapshot(engine: Engine) -> dict:
    """Everything an import may touch: every action's columns, every update, the audit trail's size."""
    with Session(engine) as s:
        return {
            "actions": {a.ref: a.model_dump(exclude={"updated_at"}) for a in s.exec(select(Action))},
            "updates": sorted((u.action_id, u.update_date, u.rag, u.progress, u.narrative)
                              for u in s.exec(select(StatusUpdate))),
            "audit": s.exec(select(func.count()).select_from(AuditEvent)).one(),
        }


def by_ref(session: Session, ref: str) -> Action:
    return session.exec(select(Action).where(Action.ref == ref)).one()
