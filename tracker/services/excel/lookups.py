"""The partnership's names that an imported row may use, read once per import."""

from __future__ import annotations

import re
from datetime import date
from difflib import get_close_matches

from sqlmodel import Session, select

from tracker.formatting import status_label
from tracker.models import Action, Person
from tracker.services import plan, reference
from tracker.services.excel.columns import STATUS_CHOICES, STATUS_WORDS
from tracker.services.excel.export import latest_updates
from tracker.services.excel.reader import letters

# --- Import: the partnership's names ---------------------------------------------------------

# What councils write for a RAG, besides the scale's own words: initials, and "complete" for Blue.
RAG_ALIASES = {
    "g": "green", "a": "amber", "r": "red", "b": "blue", "c": "blue", "complete": "blue", "completed": "blue",
    "done": "blue", "gray": "grey", "notstarted": "grey", "ag": "amber_green", "ambergreen": "amber_green",
    "greenamber": "amber_green", "ar": "amber_red", "amberred": "amber_red", "redamber": "amber_red",
}
# On a scale without the in-between colours, read one as the worse of its two: a board is never told
# more is on track than the file says.
RAG_FALLBACK = {"amber_green": "amber", "amber_red": "red"}
_GROUP_WORDS = re.compile(r"\b(the|sub ?-?group|group|board|partnership)\b")


def _plain(name: str) -> str:
    """A subgroup's name without the words councils add or leave out: "Supply & Enforcement" and
    "Supply and Enforcement Subgroup" read the same."""
    text = name.casefold().replace("&", " and ")
    return letters(_GROUP_WORDS.sub(" ", text))


class Lookups:
    """Everything a row may name, read once: actions by ref, subgroups, objectives, people, the scale."""

    def __init__(self, session: Session, actor: Person, today: date):
        pid = actor.partnership_id
        self.actions = {a.ref.upper(): a for a in session.exec(select(Action).where(Action.partnership_id == pid))}
        # The council's own references (Action.external_ref) of this partnership's actions only.
        self.by_their_ref = {a.external_ref.casefold(): a for a in self.actions.values() if a.external_ref}
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
        codes = set(self.rag_labels)
        for word, code in RAG_ALIASES.items():
            code = code if code in codes else RAG_FALLBACK.get(code, code)
            if code in codes:
                self.rag_words.setdefault(word, code)
        # How each distinct value in the file was read, by column heading: shown with the preview.
        self.readings: dict[str, dict[str, str]] = {}

    def _read(self, heading: str, text: str, shown: str) -> None:
        self.readings.setdefault(heading, {}).setdefault(text, shown)

    def subgroup(self, text: str) -> int:
        wanted = text.casefold()
        for s in self.subgroups:
            if wanted in (s.code.casefold(), s.name.casefold()):
                self._read("Subgroup", text, s.name)
                return s.id
        same = [s for s in self.subgroups if _plain(s.name) and _plain(s.name) == _plain(text)]
        if len(same) == 1:
            self._read("Subgroup", text, same[0].name)
            return same[0].id
        near = get_close_matches(_plain(text), {_plain(s.name): s.name for s in self.subgroups}, n=1, cutoff=0.6)
        names = {_plain(s.name): s.name for s in self.subgroups}
        hint = (f"did you mean {names[near[0]]}? Write its name or code" if near else
                f"write its name or code (e.g. {self.subgroups[0].code if self.subgroups else 'TR'})")
        self._read("Subgroup", text, "not recognised")
        raise ValueError(f"there is no subgroup {text!r} in this partnership: {hint}, as the Lists sheet of the "
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
            near = get_close_matches(text, [p.name for p in self.people], n=1, cutoff=0.75)
            hint = f"did you mean {near[0]}? Write the name as the tracker has it, or" if near else "write"
            raise ValueError(f"no one in this partnership is called {text!r}: {hint} the owner's email address, "
                             "as the Lists sheet of the template gives it")
        return named[0].id

    def rag(self, text: str) -> str:
        code = self.rag_words.get(letters(text))
        self._read("RAG", text, self.rag_labels[code] if code else "not recognised")
        if code is None:
            raise ValueError(f"{text!r} is not on the partnership's RAG scale: write one of "
                             f"{', '.join(r.label for r in self.scale)}")
        return code


    def status(self, text: str) -> str:
        try:
            code = status_code(text)
        except ValueError:
            self._read("Status", text, "not recognised")
            raise
        self._read("Status", text, status_label(code))
        return code


def status_code(text: str) -> str:
    status = STATUS_WORDS.get(letters(text))
    if status is None:
        raise ValueError(f"{text!r} is not a status: write one of {STATUS_CHOICES}")
    return status
