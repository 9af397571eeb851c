"""What test_properties_people.py and test_properties_indicators.py share: the `prepared` database (the
seeded template with embed tokens, quick demo passwords, a locked-out account and a deactivated one) and
`Draw`, one example's draws as a careful administrator or a crafted request would make them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import strategies as st
from sqlmodel import Session, select

from tests.conftest import copy_engine
from tests.crafted import give_password
from tests.unit.properties_support import ANYTHING, LONG_TEXT, ROLE, any_id, form, own_partnership_id
from tracker.models import AccountLockout, Person
from tracker.rules.clock import utc_now
from tracker.services import embeds

DEMO = ("admin", "chair", "lead", "owner", "viewer")
LOCKED = "chair@cdp.example.org"  # locked out (too many wrong passwords) in `prepared`
DEACTIVATED = "viewer@cdp.example.org"  # deactivated in `prepared`, their password kept


@pytest.fixture(scope="module")
def prepared(template):
    """The template with what these services need to reach their writes: embed tokens of both
    partnerships (one of each revoked), the demo accounts' password quick to check, a locked-out
    account and a deactivated one."""
    engine = copy_engine(template)
    give_password(engine, *(f"{r}@{p}.example.org" for r in DEMO for p in ("cdp", "lancashire")))
    with Session(engine) as s:
        for slug in ("cdp", "lancashire"):
            admin = s.exec(select(Person).where(Person.email == f"admin@{slug}.example.org")).one()
            embeds.create_embed_token(s, admin, "overview", f"Intranet ({slug})")
            revoked, _ = embeds.create_embed_token(s, admin, "overview", f"Old intranet ({slug})")
            embeds.revoke_embed_token(s, admin, revoked.id)
        s.add(AccountLockout(email=LOCKED, failures=0, window_started=utc_now(),
                             locked_until=utc_now() + timedelta(days=3650)))
        viewer = s.exec(select(Person).where(Person.email == DEACTIVATED)).one()
        viewer.is_active = False
        s.add(viewer)
        s.commit()
    yield engine
    engine.dispose()


def record_ids(engine, model, own: bool = False) -> list[int]:
    """The ids of every `model` row, or (own) only of the Northamptonshire partnership's, the actors' own."""
    with Session(engine) as s:
        query = select(model.id).order_by(model.id)
        if own:
            query = query.where(model.partnership_id == own_partnership_id(s))
        return list(s.exec(query).all())


def person_id_of(engine, email: str) -> int:
    with Session(engine) as s:
        return s.exec(select(Person.id).where(Person.email == email)).one()


class Draw:
    """Draws for one example: a careful person's (only `good`) or a crafted request's (mostly `good`,
    else anything, or very long text)."""

    def __init__(self, data):
        self.data = data
        self.careful = data.draw(st.booleans(), label="careful")

    def __call__(self, good, bad=ANYTHING, long=False):
        if self.careful:
            return self.data.draw(good)
        return self.data.draw(st.one_of(good, good, bad, *([LONG_TEXT] if long else [])))

    def id(self, engine, model):
        """One of the partnership's own ids, or (crafted) another partnership's, or no id at all."""
        own = st.sampled_from(record_ids(engine, model, own=True))
        return self.data.draw(own if self.careful else st.one_of(own, any_id(record_ids(engine, model))))

    def role(self):
        return "admin" if self.careful else self.data.draw(ROLE)

    def form(self, required: dict, optional: dict | None = None):
        if self.careful:
            return self.data.draw(st.fixed_dictionaries(required, optional=optional or {}))
        body = form(required, optional)
        return self.data.draw(st.one_of(body, body, body, ANYTHING))  # now and then not a form at all
