"""Bad input at scale, continued (the property and the strategies are in properties_support.py): the maturity
framework's new version, inviting raters to a round, and a risk's contracts and grants. Any text,
number, date or id, from any role: a clear refusal that writes nothing, or a valid write; never
another exception, never a partial write."""

from __future__ import annotations

import string

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from tests.conftest import TODAY, copy_engine
from tests.unit import properties_support
from tests.unit.properties_support import (
    ANYTHING,
    LONG_TEXT,
    NAME,
    PROPS,
    TEXT,
    _ids,
    any_id,
    mostly,
    own_partnership_id,
    refuses_or_writes,
    weighted,
)
from tracker.models import (
    Funding,
    MaturityAssessment,
    MaturityDimension,
    MaturityFramework,
    MaturityRater,
    Person,
    Risk,
    RiskFunding,
    Subgroup,
)
from tracker.services import maturity, risks

template = properties_support.template  # the fixture: both partnerships seeded once per module
# More examples than PROPS' 15: most draws are refused, and the writes must be reached too.
PROPS = settings(PROPS, max_examples=40)

WORDS = st.text(alphabet=string.ascii_letters + " ,.", min_size=10, max_size=80).filter(lambda t: len(t.strip()) >= 10)
MOSTLY_ADMIN = st.sampled_from(["admin"] * 5 + ["chair", "lead", "viewer"])
MOSTLY_LEAD = st.sampled_from(["lead", "lead", "admin", "chair", "owner", "viewer"])


# --- The maturity framework --------------------------------------------------------------------------


def _dimension_keys(template) -> list[str]:
    with Session(template) as s:
        return sorted(set(s.exec(select(MaturityDimension.key)).all()))


LEVEL = weighted((3, st.integers(1, 5)), (2, st.integers(1, 5).map(str)), (1, st.sampled_from([0, 6, -1, "x", " 3 ", 2.0, None])))


def _levels(text):
    return mostly(st.dictionaries(LEVEL, text, max_size=3))


def _framework_changes(template):
    dimension = st.fixed_dictionaries({}, optional={
        "name": mostly(NAME, long=True), "description": mostly(WORDS, long=True),
        "descriptors": _levels(mostly(WORDS, long=True))})
    keys = st.one_of(st.sampled_from(_dimension_keys(template)), TEXT)
    # The page sends the version it opened (1: every seeded framework is at its first) and its name.
    changes = st.fixed_dictionaries({
        "based_on_version": weighted((4, st.just(1)), (1, st.sampled_from(["1", None, 2, 0])), (1, ANYTHING)),
        "name": weighted((3, NAME), (1, st.none()), (1, ANYTHING), (1, LONG_TEXT)),
    }, optional={
        "levels": _levels(mostly(NAME)),
        "dimensions": mostly(st.dictionaries(keys, mostly(dimension), max_size=2)),
    })
    extra = st.dictionaries(st.sampled_from(["id", "version", "zzz"]), ANYTHING, max_size=1)
    return mostly(st.builds(lambda a, b: {**a, **b}, changes, weighted((3, st.just({})), (1, extra))))


def _check_framework_written(s: Session, actor: Person, written) -> None:
    """A valid write: the new version is the one current version, with every dimension and level."""
    assert isinstance(written, MaturityFramework) and written.is_current
    current = s.exec(select(MaturityFramework).where(MaturityFramework.partnership_id == actor.partnership_id,
                                                     MaturityFramework.is_current)).all()
    assert [f.id for f in current] == [written.id]
    view = maturity.framework_view(s, written.id)
    assert sorted(d.key for d in view.dimensions) == _dimension_keys(s.get_bind())
    assert set(view.levels) == {1, 2, 3, 4, 5}
    for text in [view.name, *view.levels.values(), *(d.name for d in view.dimensions),
                 *(t for d in view.dimensions for t in d.descriptors.values())]:
        assert isinstance(text, str) and text.strip() == text and text


@PROPS
@given(data=st.data())
def test_update_framework(template, data):
    changes = data.draw(_framework_changes(template))

    def call(s, who, r):
        actor = who(r)
        written = maturity.update_framework(s, actor, changes)
        _check_framework_written(s, actor, written)

    event(refuses_or_writes(template, call, data.draw(MOSTLY_ADMIN)))


# --- Inviting raters to an open round ----------------------------------------------------------------


@pytest.fixture(scope="module")
def open_round(template):
    """The two partnerships with a round of Treatment and Recovery open (every seeded round is signed
    off, so none could take a rater), its lead invited."""
    engine = copy_engine(template)
    with Session(engine) as s:
        lead = s.exec(select(Person).where(Person.email == "lead@cdp.example.org")).one()
        tr = s.exec(select(Subgroup).where(Subgroup.code == "TR", Subgroup.partnership_id == lead.partnership_id)).one()
        maturity.open_assessment(s, lead, tr.id, {"title": "Spring round", "rater_ids": [lead.id]}, TODAY)
        s.commit()
    yield engine
    engine.dispose()


def _eligible(engine) -> list[int]:
    with Session(engine) as s:
        pid = own_partnership_id(s)
        tr = s.exec(select(Subgroup).where(Subgroup.code == "TR", Subgroup.partnership_id == pid)).one()
        return [p.id for p in maturity.eligible_raters(s, pid, tr.id)]


def _open_round_id(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(MaturityAssessment.id).where(MaturityAssessment.status == "open")).one()


@PROPS
@given(data=st.data())
def test_invite_raters(open_round, data):
    eligible, everyone = _eligible(open_round), _ids(open_round, Person)
    round_id = _open_round_id(open_round)
    assessment_id = data.draw(mostly(st.just(round_id), any_id(_ids(open_round, MaturityAssessment))))
    person_ids = data.draw(weighted(
        (4, st.lists(st.sampled_from(eligible), min_size=1, max_size=3)),
        (2, st.lists(any_id(everyone), max_size=3)),
        (1, st.lists(st.sampled_from(eligible), max_size=3).map(tuple)),
        (1, st.sampled_from(eligible).map(lambda i: [float(i)])),
        (2, ANYTHING)))

    def call(s, who, r):
        raters = maturity.invite_raters(s, who(r), assessment_id, person_ids)
        assert raters, "nothing invited, yet not refused"
        for rater in raters:  # a valid write: a whole-number id of someone who may rate, invited once
            assert type(rater.person_id) is int and rater.person_id in eligible
        invited = s.exec(select(MaturityRater.person_id).where(MaturityRater.assessment_id == round_id)).all()
        assert len(invited) == len(set(invited))

    event(refuses_or_writes(open_round, call, data.draw(MOSTLY_LEAD)))


# --- A risk's contracts and grants -------------------------------------------------------------------


@PROPS
@given(data=st.data())
def test_link_funding(template, data):
    risk_id = data.draw(mostly(st.sampled_from(_ids(template, Risk)), any_id(_ids(template, Risk))))
    funding = _ids(template, Funding)
    funding_ids = data.draw(weighted(
        (4, st.lists(st.sampled_from(funding), max_size=4)),
        (2, st.lists(any_id(funding), max_size=3)),
        (1, ANYTHING)))

    def call(s, who, r):
        risk = risks.link_funding(s, who(r), risk_id, funding_ids)
        linked = s.exec(select(RiskFunding.funding_id).where(RiskFunding.risk_id == risk.id)).all()
        assert sorted(linked) == sorted(set(funding_ids))  # exactly what was asked, each once
        for fid in linked:
            assert s.get(Funding, fid).partnership_id == risk.partnership_id

    event(refuses_or_writes(template, call, data.draw(st.sampled_from(["admin", "admin", "chair", "owner", "lead",
                                                                        "viewer"]))))


# --- The same calls with what a person would enter are written (so the properties reach the writes) --


def test_what_a_person_would_enter_is_written(template, open_round):
    keys = _dimension_keys(template)
    assert refuses_or_writes(template, lambda s, who, r: maturity.update_framework(s, who(r), {
        "based_on_version": 1, "name": "Our maturity framework", "levels": {3: "Working well"},
        "dimensions": {keys[0]: {"descriptors": {"2": "Terms of reference are drafted."}}}}), "admin") == "written"
    someone = next(i for i in _eligible(open_round) if i != 3)
    assert refuses_or_writes(open_round, lambda s, who, r: maturity.invite_raters(
        s, who(r), _open_round_id(open_round), [someone]), "lead") == "written"
    assert refuses_or_writes(template, lambda s, who, r: risks.link_funding(s, who(r), 1, [1, 2]), "admin") == "written"


# --- Regressions the properties found ----------------------------------------------------------------


def _refused(engine, call, role="admin") -> None:
    assert refuses_or_writes(engine, call, role) == "refused"


@pytest.mark.parametrize("changes", [None, 5, "name", ["name"], {"based_on_version": "x"},
                                     {"based_on_version": float("inf")}, {"based_on_version": [1]},
                                     {"levels": ["Developing"]}, {"levels": "x"}, {"dimensions": ["governance"]},
                                     {"dimensions": {"governance": "Governance"}},
                                     {"dimensions": {"governance": {"descriptors": [1, 2]}}},
                                     {"dimensions": {("x",): {}}}, {"name": ["A", "list"]},
                                     {"levels": {1: {"a": 1}}}])
def test_a_framework_change_that_is_not_one_is_refused_not_a_500(template, changes):
    _refused(template, lambda s, who, r: maturity.update_framework(s, who(r), changes))


@pytest.mark.parametrize("person_ids", [None, 4, "4", [[4]], [{"a": 1}], [4.0], [True], {4: 4}, [2**70]])
def test_raters_that_are_not_a_list_of_ids_are_refused_not_a_500(open_round, person_ids):
    _refused(open_round, lambda s, who, r: maturity.invite_raters(s, who(r), _open_round_id(open_round), person_ids),
             "lead")


@pytest.mark.parametrize("funding_ids", [[2**31], [2**63 - 1], [-(2**63)], [2**70]])
def test_funding_ids_too_big_for_a_key_are_refused_not_a_500(template, funding_ids):
    _refused(template, lambda s, who, r: risks.link_funding(s, who(r), 1, funding_ids))
