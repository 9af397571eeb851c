"""Bad input at scale, continued (the property and the strategies are in properties_support.py): accounts
(deactivating, resetting a password, changing one's own), indicator definitions, and embed tokens and
what embedded views show. Any text, number, date or id, from any role: a clear refusal that writes
nothing, or a valid write; never another exception, never a partial write.

Each example is either a careful person (an administrator of the partnership, choosing what its page
offers, so the writes are reached) or a crafted request (any role; each value plausible or anything).

Changing one's own password takes an Engine and commits by itself, so it has a property of its own
(`engine_refuses_or_writes`): the same guarantee, except that a wrong current password is counted
towards the lockout of that person's email address, and nothing else may change.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from tests.conftest import DEMO_PASSWORD, TODAY, copy_engine
from tests.crafted import changed_tables, db_fingerprint, give_password
from tests.unit import properties_support
from tests.unit.properties_support import (
    ANYTHING,
    DATE,
    LONG_TEXT,
    NUMBER,
    PROPS,
    ROLE,
    TEXT,
    any_id,
    form,
    own_partnership_id,
    refuses_or_writes,
)
from tracker.models import (
    AccountLockout,
    Action,
    AuditEvent,
    EmbedToken,
    Indicator,
    Objective,
    Outcome,
    Partnership,
    Person,
)
from tracker.rules.clock import utc_now
from tracker.services import actions, auth, embeds, indicators, people
from tracker.services.errors import InvalidInput, ServiceError
from tracker.services.reference import as_id, is_record_id

template = properties_support.template  # the fixture: both partnerships seeded once per module
# More examples than PROPS' 15: half are crafted and nearly all of those are refused.
PROPS = settings(PROPS, max_examples=20)

DEMO = ("admin", "chair", "lead", "owner", "viewer")
LOCKED = "chair@cdp.example.org"  # locked out (too many wrong passwords) in `prepared`
DEACTIVATED = "viewer@cdp.example.org"  # deactivated in `prepared`, their password kept
# Passwords the policy takes (unrelated words), and ones it does not (73 to 200 characters pass the
# policy's length but were more than zxcvbn takes).
STRONG = st.sampled_from(["violet tractor ocean harbour", "Copper-Meadow-Lantern-47", "quietly brave pelican jam",
                          "the quick pelican juggles seven copper lanterns above a sleepy harbour at dawn"])
WEAK = st.sampled_from(["", " " * 14, "short", "password1234", "aaaaaaaaaaaa", DEMO_PASSWORD, "x" * 201])


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


def _ids(engine, model, own: bool = False) -> list[int]:
    """The ids of every `model` row, or (own) only of the Northamptonshire partnership's, the actors' own."""
    with Session(engine) as s:
        query = select(model.id).order_by(model.id)
        if own:
            query = query.where(model.partnership_id == own_partnership_id(s))
        return list(s.exec(query).all())


def _person(engine, email: str) -> int:
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
        own = st.sampled_from(_ids(engine, model, own=True))
        return self.data.draw(own if self.careful else st.one_of(own, any_id(_ids(engine, model))))

    def role(self):
        return "admin" if self.careful else self.data.draw(ROLE)

    def form(self, required: dict, optional: dict | None = None):
        if self.careful:
            return self.data.draw(st.fixed_dictionaries(required, optional=optional or {}))
        body = form(required, optional)
        return self.data.draw(st.one_of(body, body, body, ANYTHING))  # now and then not a form at all


# --- Accounts ---------------------------------------------------------------------------------------


@PROPS
@given(data=st.data())
def test_deactivate_or_reactivate_a_person(prepared, data):
    draw = Draw(data)
    person_id, active = draw.id(prepared, Person), draw(st.booleans())
    event(refuses_or_writes(prepared, lambda s, who, r: people.set_active(s, who(r), person_id, active),
                            draw.role()))


@PROPS
@given(data=st.data())
def test_reset_a_password(prepared, data):
    draw = Draw(data)
    person_id = draw.id(prepared, Person)
    password = draw(st.one_of(STRONG, STRONG, WEAK), long=True)
    event(refuses_or_writes(prepared, lambda s, who, r: people.reset_password(s, who(r), person_id, password),
                            draw.role()))


# --- Changing one's own password: a service on the Engine ------------------------------------------


_STARTING_STATE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _lockouts(engine) -> dict[str, tuple]:
    with Session(engine) as s:
        return {row.email: (row.failures, row.window_started, row.locked_until, row.last_address)
                for row in s.exec(select(AccountLockout)).all()}


def engine_refuses_or_writes(template, call: Callable, counts_against: str | None = None) -> str:
    """`refuses_or_writes` for a service that takes the Engine and commits (or not) by itself. On a
    refusal nothing may change, except, when it refuses a wrong current password, one more failure
    counted against `counts_against` (that email's lockout row, no other row of any table)."""
    engine = copy_engine(template)
    try:
        if template not in _STARTING_STATE:
            _STARTING_STATE[template] = (db_fingerprint(engine), _lockouts(engine))
        before, lockouts_before = _STARTING_STATE[template]
        try:
            call(engine)
        except ServiceError as exc:
            assert str(exc).strip(), f"{type(exc).__name__} without a message"
            after = db_fingerprint(engine)
            if after == before:
                return "refused"
            changed = changed_tables(before, after)
            wrong_current = (isinstance(exc, InvalidInput) and set(exc.errors) == {"current"}
                             and "not your current password" in exc.errors["current"])
            assert wrong_current and counts_against and changed == [AccountLockout.__tablename__], \
                f"refused ({exc}) but wrote to {changed}"
            lockouts_after = _lockouts(engine)
            differ = {e for e in lockouts_before.keys() | lockouts_after.keys()
                      if lockouts_before.get(e) != lockouts_after.get(e)}
            assert differ == {counts_against}, f"a wrong password counted against {differ}, not {counts_against}"
            failures, _, locked_until, last_address = lockouts_after[counts_against]
            was = lockouts_before.get(counts_against, (0,))[0]
            assert failures in (was + 1, 1) or (failures == 0 and locked_until is not None), (was, failures)
            assert len(last_address) <= 64
            return "refused, counted for the lockout"
        return "written"
    finally:
        engine.dispose()


@PROPS
@given(data=st.data())
def test_change_own_password(prepared, data):
    draw = Draw(data)
    with Session(prepared) as s:
        emails = dict(s.exec(select(Person.id, Person.email)).all())
    demo = sorted(pid for pid, email in emails.items() if email.split("@")[0] in DEMO)
    person_id = draw(st.sampled_from(demo), any_id(list(emails)))
    current = draw(st.sampled_from([DEMO_PASSWORD, DEMO_PASSWORD, "demo-password-2", ""]), long=True)
    new = draw(st.one_of(STRONG, STRONG, WEAK), long=True)
    confirm = draw(st.one_of(st.just(new), st.just(new), STRONG))
    address = draw(st.sampled_from(["", "192.0.2.7", "2001:db8::1", "192.0.2.7\x00"]), st.one_of(TEXT, LONG_TEXT))
    rules = data.draw(st.sampled_from([auth.Lockout(), auth.Lockout(attempts=1)]))
    email = emails.get(person_id) if is_record_id(person_id) else None

    def call(engine):
        epoch = auth.change_own_password(engine, person_id, current, new, confirm, address=address, rules=rules)
        with Session(engine) as s:  # written whole: the new password, the other sessions ended, the record
            person = s.get(Person, person_id)
            assert auth.verify_password(person.password_hash, new) and person.session_epoch == epoch
            assert s.exec(select(AuditEvent).where(AuditEvent.entity_id == person_id,
                                                   AuditEvent.summary.contains("changed their password"))).first()

    event(engine_refuses_or_writes(prepared, call, counts_against=email))


# --- Indicator definitions --------------------------------------------------------------------------


GOOD_CODE, GOOD_NAME = st.sampled_from(["LOC-01", "loc.2", " Loc_3 "]), st.sampled_from(["Adults in treatment",
                                                                                         "Naloxone kits given out"])
CODE = st.sampled_from(["LOC-01", "loc.2", " Loc_3 ", "N-S1-OCU", "", "-x", "a b", "X" * 31])
# "\x00": PostgreSQL cannot store a NUL character in text, and a pasted one reaches a form now and then.
NAME = st.sampled_from(["Adults in treatment", "Deaths (local)", "Naloxone kits given out", "ab", "   ",
                        "Deaths\x00 (pasted)"])
# Baselines and targets as a form gives them: neither, a baseline, both; and a target too early.
TRAJECTORY = st.sampled_from([
    {}, {"baseline_value": "", "baseline_period": "", "target_value": "", "target_date": ""},
    {"baseline_value": "2,380", "baseline_period": "2024/25"},
    {"baseline_value": 41.5, "baseline_period": "2023", "target_value": "45%", "target_date": "2027-03-31"},
    {"baseline_value": "1,204", "baseline_period": "2024-Q2", "target_value": 1000, "target_date": "31/03/2028"},
    {"baseline_value": 10, "baseline_period": "2024/25", "target_value": 5, "target_date": "2024-01-01"},
    {"target_value": 5, "target_date": "2030-01-01"},
])


def _definition(draw: Draw, engine, new: bool) -> dict:
    def own_or_none(model):
        return st.one_of(st.none(), st.just(""), st.sampled_from(_ids(engine, model, own=True)))

    code, name = st.one_of(GOOD_CODE, CODE), st.one_of(GOOD_NAME, NAME)  # mostly what a person would enter
    named = {"code": draw.data.draw(code), "name": draw(name, long=True)} if new or draw.data.draw(st.booleans()) \
        else {}
    trajectory = draw.data.draw(TRAJECTORY)
    careful = {
        "outcome_id": own_or_none(Outcome), "objective_id": own_or_none(Objective),
        "is_national": st.booleans(), "unit": st.sampled_from(["people", "%", "per 100,000", ""]),
        "direction": st.sampled_from(["higher", "lower"]), "source": st.sampled_from(["OHID", "NDTMS", ""]),
        "notes": st.sampled_from(["", "Local data, quarterly."]), "illustrative": st.booleans(),
    }
    if draw.careful:
        return named | trajectory | draw.data.draw(st.fixed_dictionaries({}, optional=careful))
    crafted = {
        **{name: st.one_of(good, good, ANYTHING) for name, good in careful.items()},
        "outcome_id": any_id(_ids(engine, Outcome)), "objective_id": any_id(_ids(engine, Objective)),
        "source": st.one_of(TEXT, LONG_TEXT), "notes": st.one_of(TEXT, LONG_TEXT),
        "baseline_value": st.one_of(NUMBER, TEXT), "baseline_period": st.one_of(TEXT, DATE),
        "target_value": NUMBER, "target_date": DATE,
    }
    if draw.data.draw(st.booleans()):  # every field plausible or anything, the code and name too
        names = {"code": st.one_of(CODE, CODE, ANYTHING), "name": st.one_of(NAME, NAME, ANYTHING, LONG_TEXT)}
        return draw.form(names, crafted) if new else draw.form({}, names | crafted)
    # a plausible definition, but for an odd value or two and an unexpected field
    return draw.form({k: st.just(v) for k, v in (named | trajectory).items()},
                     {k: v for k, v in crafted.items() if k not in trajectory})


@PROPS
@given(data=st.data())
def test_create_indicator(prepared, data):
    draw = Draw(data)
    body = _definition(draw, prepared, new=True)
    event(refuses_or_writes(prepared, lambda s, who, r: indicators.create_indicator(s, who(r), body), draw.role()))


def _opened(s: Session, indicator_id):
    """The indicator a page would have open for that id (none for an id no INTEGER column holds)."""
    record_id = as_id(indicator_id)
    return s.get(Indicator, record_id) if is_record_id(record_id) else None


@PROPS
@given(data=st.data())
def test_update_indicator(prepared, data):
    draw = Draw(data)
    indicator_id = draw.id(prepared, Indicator)
    body = _definition(draw, prepared, new=False)
    # What the editor loaded, as the page sends it back: as loaded, with a field since changed by someone
    # else, or (crafted) anything.
    seen = draw(st.one_of(st.just("loaded"), st.just("loaded"), st.tuples(st.sampled_from(indicators.INDICATOR_FIELDS),
                                                                          st.sampled_from([None, "", 1, "2027-03-31"]))),
                st.one_of(st.none(), ANYTHING, st.tuples(st.sampled_from(indicators.INDICATOR_FIELDS), ANYTHING),
                          st.dictionaries(st.sampled_from(indicators.INDICATOR_FIELDS), ANYTHING, max_size=3)))

    def call(s, who, r):
        expected = seen
        if seen == "loaded" or isinstance(seen, tuple):
            record = _opened(s, indicator_id)
            expected = indicators.editable_snapshot(record) if record is not None else None
            if isinstance(seen, tuple) and expected is not None:
                expected = {**expected, seen[0]: seen[1]}
        return indicators.update_indicator(s, who(r), indicator_id, body, expected)

    event(refuses_or_writes(prepared, call, draw.role()))


# --- Embed tokens and what embedded views show ------------------------------------------------------


@PROPS
@given(data=st.data())
def test_revoke_embed_token(prepared, data):
    draw = Draw(data)
    token_id = draw.id(prepared, EmbedToken)
    event(refuses_or_writes(prepared, lambda s, who, r: embeds.revoke_embed_token(s, who(r), token_id), draw.role()))


@PROPS
@given(data=st.data())
def test_set_show_members(prepared, data):
    draw = Draw(data)
    show = draw(st.booleans())
    partnership = data.draw(st.sampled_from(["cdp", "lancashire"]))

    def call(s, who, r):
        actor = who(r, partnership)
        result = embeds.set_show_members(s, actor, show)
        assert result.id == actor.partnership_id and s.get(Partnership, actor.partnership_id).embed_show_members is show
        return result

    event(refuses_or_writes(prepared, call, draw.role()))


# --- Regressions the properties found -------------------------------------------------------------


def test_a_password_longer_than_zxcvbn_takes_is_judged_not_a_500(prepared):
    # zxcvbn 4.5 raises ValueError beyond 72 characters; the policy allows 200.
    long_phrase = "the quick pelican juggles seven copper lanterns above a sleepy harbour at dawn"
    assert auth.password_problem(long_phrase) is None
    assert "too easy" in auth.password_problem("a" * 150)
    lead_id = _person(prepared, "lead@cdp.example.org")
    assert refuses_or_writes(prepared, lambda s, who, r: people.reset_password(s, who(r), lead_id, long_phrase),
                             "admin") == "written"
    assert refuses_or_writes(prepared, lambda s, who, r: people.reset_password(s, who(r), lead_id, "é" * 150),
                             "admin") == "refused"


def test_an_id_that_is_no_person_cannot_change_a_password(prepared):
    admin_id = _person(prepared, "admin@cdp.example.org")
    for person_id in (None, "abc", str(admin_id), 2**40, -(2**63), 1.0, True, [admin_id]):
        result = engine_refuses_or_writes(prepared, lambda engine, p=person_id: auth.change_own_password(
            engine, p, DEMO_PASSWORD, "violet tractor ocean harbour", "violet tractor ocean harbour"))
        assert result == "refused", person_id


def test_revoking_an_embed_token_id_beyond_integer_is_no_token(prepared):
    for token_id in (2**31, 2**62, -(2**63), "1", None):
        assert refuses_or_writes(prepared, lambda s, who, r, t=token_id: embeds.revoke_embed_token(s, who(r), t),
                                 "admin") == "refused"


def test_an_indicator_edit_that_is_no_form_or_saw_no_definition_is_refused(prepared):
    indicator_id = _ids(prepared, Indicator, own=True)[0]
    for data, expected in ((20, None), ([("name", "x")], None), ({"name": "Adults in treatment"}, 0.0),
                           ({"name": "Adults in treatment"}, ["name"]),
                           ({"name": "Adults in treatment"}, {"target_date": "31/03/2027"}),
                           ({"name": "Adults in treatment"}, {"baseline_value": "abc", "is_national": "no"}),
                           ({"name": "Adults in treatment"}, {"is_national": 0})):
        result = refuses_or_writes(prepared, lambda s, who, r, d=data, e=expected: indicators.update_indicator(
            s, who(r), indicator_id, d, e), "admin")
        assert result == "refused", (data, expected)
    # As loaded (the dates as ISO text, as the page keeps them), the same edit is written.
    assert refuses_or_writes(prepared, lambda s, who, r: indicators.update_indicator(
        s, who(r), indicator_id, {"name": "Adults in treatment"},
        indicators.editable_snapshot(s.get(Indicator, indicator_id))), "admin") == "written"


def test_deactivating_takes_yes_or_no_only(prepared):
    owner_id = _person(prepared, "owner@cdp.example.org")
    for active in ("false", "no", 0, 1, None, [False]):
        assert refuses_or_writes(prepared, lambda s, who, r, a=active: people.set_active(s, who(r), owner_id, a),
                                 "admin") == "refused", active


def test_a_nul_character_is_refused_or_dropped_not_a_500(prepared):
    # PostgreSQL refuses NUL in text (psycopg's DataError): refused in what a person typed ...
    for name in ("name", "unit", "source", "notes"):
        body = {"code": "LOC-9", "name": "Adults in treatment", name: "Adults\x00 in treatment"}
        assert refuses_or_writes(prepared, lambda s, who, r, b=body: indicators.create_indicator(s, who(r), b),
                                 "admin") == "refused", name
    assert refuses_or_writes(prepared, lambda s, who, r: embeds.create_embed_token(s, who(r), "overview", "Intra\x00net"),
                             "admin") == "refused"
    # Every input model (tracker.schemas.Input) refuses it: a person's name, a status update's narrative.
    person = {"name": "Sam\x00 Jones", "email": "sam.jones@cdp.example.org", "role": "viewer"}
    assert refuses_or_writes(prepared, lambda s, who, r: people.create_person(s, who(r), person), "admin") == "refused"
    action_id = _ids(prepared, Action, own=True)[0]
    update = {"update_date": "2026-11-20", "rag": "amber", "progress": 40, "narrative": "Delayed\x00 by the provider."}
    assert refuses_or_writes(prepared, lambda s, who, r: actions.record_status_update(s, who(r), action_id, update, TODAY),
                             "admin") == "refused"
    # ... and left out of the client address kept with a wrong password.
    lead_id = _person(prepared, "lead@cdp.example.org")
    assert engine_refuses_or_writes(prepared, lambda engine: auth.change_own_password(
        engine, lead_id, "not-the-password", "violet tractor ocean harbour", "violet tractor ocean harbour",
        address="192.0.2.7\x00"), counts_against="lead@cdp.example.org") == "refused, counted for the lockout"


def test_signing_in_with_a_nul_character_is_a_wrong_password_not_a_500(prepared):
    engine = copy_engine(prepared)
    try:
        assert not auth.sign_in(engine, "admin\x00@cdp.example.org", DEMO_PASSWORD).ok
        assert not auth.sign_in(engine, "admin@cdp.example.org", "wrong-password-1", address="192.0.2.7\x00").ok
        with Session(engine) as s:
            assert s.exec(select(AccountLockout).where(AccountLockout.email == "admin@cdp.example.org")).one() \
                .last_address == "192.0.2.7"
        assert auth.sign_in(engine, "admin@cdp.example.org", DEMO_PASSWORD, address="\x00").ok
    finally:
        engine.dispose()
