"""Bad input at scale, continued: creating and editing an indicator's definition (the property and the
strategies are in properties_support.py, the prepared database and the draws in prepared_support.py).
Any code, name, baseline, target or id, from any role: a clear refusal that writes nothing, or a valid
write; never another exception, never a partial write.
"""

from __future__ import annotations

from hypothesis import event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from tests.unit import prepared_support, properties_support
from tests.unit.prepared_support import Draw, record_ids
from tests.unit.properties_support import (
    ANYTHING,
    DATE,
    LONG_TEXT,
    NUMBER,
    PROPS,
    TEXT,
    any_id,
    refuses_or_writes,
)
from tracker.models import Indicator, Objective, Outcome
from tracker.services import indicators
from tracker.services.reference import as_id, is_record_id

template = properties_support.template  # the fixtures: both partnerships seeded once per module,
prepared = prepared_support.prepared  # and made ready as for the account tests
# More examples than PROPS' 15: half are crafted and nearly all of those are refused.
PROPS = settings(PROPS, max_examples=20)


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
        return st.one_of(st.none(), st.just(""), st.sampled_from(record_ids(engine, model, own=True)))

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
        "outcome_id": any_id(record_ids(engine, Outcome)), "objective_id": any_id(record_ids(engine, Objective)),
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


def test_an_indicator_edit_that_is_no_form_or_saw_no_definition_is_refused(prepared):
    indicator_id = record_ids(prepared, Indicator, own=True)[0]
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
