"""The partnership's names that an imported row may use, read once per import."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from tracker.models import Action, Person
from tracker.services import plan, reference
from tracker.services.excel.columns import STATUS_CHOICES, STATUS_WORDS
from tracker.services.excel.export import latest_updates
from tracker.services.excel.reader import letters

# --- Import: the partnership's names ---------------------------------------------------------


class Lookups:
    """Everything a row may name, read once: actions by ref, subgroups, objectives, people, the scale."""

    def __init__(self, session: Session, actor: Person, today: date):
        pid = actor.partnership_id
        self.actions = {a.ref.upper(): a for a in session.exec(select(Action).where(Action.partnership_id == pid))}
        self.rows = {r.id: r for r in plan.plan_rows(session, pid, today)}
        self.latest = latest_updates(session, pid)
        self.subgroups = reference.subgroups(session, pid)
        self.subgroup_names = {s.id: s.name for s in self.subgroups}
        self.objectives = reference.objectives(session, pid)
        self.objective_names = {o.id: f"{o.code} {o.title}" for o in self.objectives}
        self.people = reference.people(session, pid, active_only=False)
        self.people_names = {p.id: p.name for p in self.people}
        self.scale = reference.rag_scale(session, pid)
        self.rag_labels = {r.code: r.label for r in self.scale}
        self.rag_words = {}
        for r in self.scale:
            self.rag_words[letters(r.label)] = r.code
            self.rag_words.setdefault(letters(r.code), r.code)

    def subgroup(self, text: str) -> int:
        wanted = text.casefold()
        for s in self.subgroups:
            if wanted in (s.code.casefold(), s.name.casefold()):
                return s.id
        raise ValueError(f"there is no subgroup {text!r} in this partnership: write its name or code (e.g. "
                         f"{self.subgroups[0].code if self.subgroups else 'TR'}), as the Lists sheet of the "
                         "template gives them")

    def objective(self, text: str) -> int | None:
        if not text:
            return None
        wanted = text.casefold()
        first = wanted.split()[0]
        for o in self.objectives:
            if wanted in (o.code.casefold(), o.title.casefold(), f"{o.code} {o.title}".casefold()):
                return o.id
        for o in self.objectives:
            if first == o.code.casefold():
                return o.id
        raise ValueError(f"there is no objective {text!r}: write the objective's code (e.g. T2.1), as the Lists "
                         "sheet of the template gives them, or leave the cell blank")

    def owner(self, text: str, current_owner_id: int | None) -> int | None:
        if not text:
            return None
        wanted = text.casefold()
        if "@" in text:
            for p in self.people:
                if p.email.casefold() == wanted:
                    return p.id
            raise ValueError(f"no one in this partnership has the email address {text!r}: check it against the "
                             "Lists sheet of the template")
        named = [p for p in self.people if p.name.casefold() == wanted]
        if len(named) > 1:
            current = [p for p in named if p.id == current_owner_id]
            if current:
                return current[0].id
            raise ValueError(f"{len(named)} people are called {text!r}: write the owner's email address instead")
        if not named:
            raise ValueError(f"no one in this partnership is called {text!r}: write the owner's email address, "
                             "as the Lists sheet of the template gives it")
        return named[0].id

    def rag(self, text: str) -> str:
        code = self.rag_words.get(letters(text))
        if code is None:
            raise ValueError(f"{text!r} is not on the partnership's RAG scale: write one of "
                             f"{', '.join(r.label for r in self.scale)}")
        return code


def status_code(text: str) -> str:
    status = STATUS_WORDS.get(letters(text))
    if status is None:
        raise ValueError(f"{text!r} is not a status: write one of {STATUS_CHOICES}")
    return status
