"""Bad input at scale: every write service, given any text, number, date or id (another partnership's,
huge, negative, None, the wrong type), either refuses with a clear message (a ServiceError whose text
says what to fix) or makes a valid write; never another exception, never a partial write.

Each example runs on its own copy of a database seeded with both partnerships (Northamptonshire and
Lancashire, so other partnerships' ids are real ids). A refused call is committed anyway, as a
careless caller would, and the whole database must hash the same as before; a write must commit.

The property (refuses_or_writes), the strategies for what a crafted request can put in a field, and the
seeded template fixture, shared by tests/unit/test_properties*.py.
"""

from __future__ import annotations

import string
import weakref
from collections.abc import Callable
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from tests.conftest import SEED_DIR, copy_engine, seeded_engine
from tests.crafted import changed_tables, db_fingerprint
from tracker.config import PROJECT_ROOT
from tracker.models import (
    Person,
)
from tracker.services.errors import ServiceError

ROLES = ("admin", "chair", "lead", "owner", "viewer")
# No shrinking: a failing example is printed as found (shrinking a database-backed example takes minutes).
PROPS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
                 phases=[Phase.explicit, Phase.reuse, Phase.generate])
# Ids up to 64 bits reach the services (SQLite keys are 64-bit); PostgreSQL's INTEGER columns hold 32,
# so every one beyond 2**31 - 1 must be refused as no id, not overflow into a 500.
MAX_ID = 2**63 - 1


@pytest.fixture(scope="module")
def template():
    engine = seeded_engine(SEED_DIR)
    from tracker.seed import seed_database

    seed_database(engine, PROJECT_ROOT / "seeds" / "lancashire")
    yield engine
    engine.dispose()


def own_partnership_id(session: Session) -> int:
    """Northamptonshire's id, the actors' own, found through its admin (on PostgreSQL a copied database's
    sequences may have moved on, so it need not be 1)."""
    return session.exec(select(Person.partnership_id).where(Person.email == "admin@cdp.example.org")).one()


def _ids(template, model) -> list[int]:
    with Session(template) as s:
        return list(s.exec(select(model.id)).all())


# --- What a crafted request can put in a field ---------------------------------------------------

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
LONG_TEXT = st.builds(lambda c, n: c * n, st.sampled_from(["x", "é", " ", "\x00", "<"]), st.integers(0, 12_000))
NUMBER = st.one_of(st.integers(), st.integers(-2**70, 2**70), st.floats(allow_nan=True, allow_infinity=True))
DATE = st.one_of(st.dates(), st.dates().map(date.isoformat), st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
                 st.datetimes().map(datetime.isoformat))
SCALAR = st.one_of(st.none(), st.booleans(), TEXT, NUMBER, DATE)
ANYTHING = st.one_of(SCALAR, st.lists(SCALAR, max_size=3), st.dictionaries(TEXT, SCALAR, max_size=2))


def any_id(real: list[int]):
    """A real id (of either partnership), a number that is no id, or something that is not a number."""
    return st.one_of(st.sampled_from(real), st.integers(-5, 10**6), st.integers(2**62, MAX_ID), st.just(-MAX_ID),
                     st.none(), TEXT, st.floats(), st.booleans(), st.sampled_from(real).map(str))


def field(good, bad=ANYTHING, long=False):
    options = [good, bad] + ([LONG_TEXT] if long else [])
    return st.one_of(*options)


def weighted(*options):
    """One of the (weight, strategy) options, by weight. Not st.one_of: it flattens a strategy that is
    itself a one_of (ANYTHING is of a dozen), which would make "anything" far likelier than meant."""
    choices = [strategy for weight, strategy in options for _ in range(weight)]
    return st.integers(0, len(choices) - 1).flatmap(choices.__getitem__)


def mostly(good, bad=ANYTHING, long=False):
    """Mostly a plausible value (so the writes are reached), else anything, or very long text."""
    return weighted((3, good), (1, bad), *([(1, LONG_TEXT)] if long else []))


NAME = st.text(alphabet=string.ascii_letters + " -'", min_size=3, max_size=30).filter(str.strip)  # as a person types


def form(required: dict, optional: dict | None = None):
    """A form's data: the fields, each plausible or anything; sometimes an unexpected extra field."""
    extra = st.dictionaries(st.sampled_from(["id", "partnership_id", "version", "zzz"]), ANYTHING, max_size=1)
    return st.builds(lambda a, b: {**a, **b}, st.fixed_dictionaries(required, optional=optional or {}), extra)


# --- The property ---------------------------------------------------------------------------------


# Every copy of a template starts as the template: its fingerprint is taken from the first copy and kept
# (hashing the whole database before each example was a fifth of an example's time on PostgreSQL).
_STARTING_PRINTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def refuses_or_writes(template, call: Callable[[Session, Callable[[str], Person]], object], role: str) -> str:
    engine = copy_engine(template)
    try:
        if template not in _STARTING_PRINTS:
            _STARTING_PRINTS[template] = db_fingerprint(engine)
        before = _STARTING_PRINTS[template]
        with Session(engine, expire_on_commit=False) as s:
            def who(r: str, partnership: str = "cdp") -> Person:
                return s.exec(select(Person).where(Person.email == f"{r}@{partnership}.example.org")).one()

            try:
                call(s, who, role)
            except ServiceError as exc:
                assert str(exc).strip(), f"{type(exc).__name__} without a message"
                s.commit()  # even committed, a refusal must leave nothing behind
                after = db_fingerprint(engine)
                assert after == before, f"refused ({exc}) but wrote to {changed_tables(before, after)}"
                return "refused"
            s.commit()
            return "written"
    finally:
        engine.dispose()


ROLE = st.sampled_from(ROLES)
