"""Search across the partnership's actions, subgroups, people, indicators and risks: one query box."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, select

from tracker.models import Action, Indicator, Person, Risk, Subgroup

MIN_LENGTH = 2
MAX_LENGTH = 100
PER_KIND = 20


@dataclass(frozen=True)
class Hit:
    kind: str  # "action", "subgroup", "person", "indicator", "risk"
    label: str  # what the result list shows
    detail: str
    path: str  # where it opens, e.g. "/action/12" ("" when it has no page)


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[Hit]
    message: str  # what to tell the user when there is nothing to show

    def of(self, kind: str) -> list[Hit]:
        return [h for h in self.hits if h.kind == kind]


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(session: Session, partnership_id: int, query: str | None) -> SearchResult:
    """Case-insensitive matches on refs, codes, titles and names, within this partnership only."""
    text = " ".join(str(query or "").split())[:MAX_LENGTH]
    if len(text) < MIN_LENGTH:
        return SearchResult(text, [], f"Type at least {MIN_LENGTH} characters to search.")
    pattern = _like(text)

    def where(*columns):
        return or_(*[c.ilike(pattern, escape="\\") for c in columns])

    hits: list[Hit] = []
    subgroups = dict(session.exec(select(Subgroup.id, Subgroup.name).where(Subgroup.partnership_id == partnership_id)).all())
    for a in session.exec(select(Action).where(Action.partnership_id == partnership_id,
                                               where(Action.ref, Action.title, Action.description))
                          .order_by(Action.ref).limit(PER_KIND)).all():
        hits.append(Hit("action", f"{a.ref}: {a.title}", subgroups.get(a.subgroup_id, ""), f"/action/{a.id}"))
    for s in session.exec(select(Subgroup).where(Subgroup.partnership_id == partnership_id,
                                                 where(Subgroup.code, Subgroup.name, Subgroup.description))
                          .order_by(Subgroup.name).limit(PER_KIND)).all():
        hits.append(Hit("subgroup", s.name, s.code, f"/subgroup/{s.id}"))
    for p in session.exec(select(Person).where(Person.partnership_id == partnership_id, Person.is_active,
                                               where(Person.name, Person.organisation, Person.job_title))
                          .order_by(Person.name).limit(PER_KIND)).all():
        hits.append(Hit("person", p.name, ", ".join(x for x in (p.job_title, p.organisation) if x),
                        ""))  # no page of its own: the result names the person and their organisation
    for i in session.exec(select(Indicator).where(Indicator.partnership_id == partnership_id,
                                                  where(Indicator.code, Indicator.name))
                          .order_by(Indicator.code).limit(PER_KIND)).all():
        hits.append(Hit("indicator", f"{i.code}: {i.name}", i.source, f"/indicator/{i.id}"))
    for r in session.exec(select(Risk).where(Risk.partnership_id == partnership_id,
                                             where(Risk.ref, Risk.title, Risk.cause, Risk.mitigation))
                          .order_by(Risk.ref).limit(PER_KIND)).all():
        hits.append(Hit("risk", f"{r.ref}: {r.title}", r.status.capitalize(), "/risks"))
    message = "" if hits else f"Nothing matches “{text}”."
    return SearchResult(text, hits, message)
