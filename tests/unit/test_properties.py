"""Bad input at scale, the write services of the plan: actions and status updates, subgroups, members
and terms of reference, people and the RAG scale, indicators and their CSV files, maturity, risks,
funding, comparators and embeds, and the regressions the properties found. The property and the
strategies: tests/unit/properties_support.py.
"""

from __future__ import annotations

import string
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import TODAY
from tests.unit import properties_support
from tests.unit.properties_support import (
    ANYTHING,
    DATE,
    NUMBER,
    PROPS,
    ROLE,
    ROLES,
    SCALAR,
    TEXT,
    _ids,
    any_id,
    field,
    form,
    refuses_or_writes,
)
from tracker.models import (
    Action,
    Indicator,
    IndicatorValue,
    MaturityAssessment,
    MaturityDimension,
    Person,
    Risk,
    Subgroup,
    SubgroupMember,
    Theme,
)
from tracker.services import (
    actions,
    embeds,
    funding,
    indicators,
    maturity,
    people,
    rag_scale,
    risks,
    subgroups,
)
from tracker.services import benchmarks as comparators

template = properties_support.template  # the fixture: both partnerships seeded once per module


# --- Actions and status updates -------------------------------------------------------------------


@PROPS
@given(data=st.data())
def test_status_update(template, data):
    action_ids = _ids(template, Action)
    action_id = data.draw(any_id(action_ids))
    body = data.draw(form({
        "update_date": field(st.sampled_from(["2026-11-01", "2026-11-23", "2026-11-24", "31/10/2026"]), DATE),
        "rag": field(st.sampled_from(["green", "amber", "red", "blue", "grey", "amber_green"])),
        "progress": field(st.integers(-5, 105), NUMBER),
        "narrative": field(TEXT, long=True),
    }, {"next_steps": field(TEXT, long=True), "blockers": field(TEXT), "illustrative": ANYTHING}))
    refuses_or_writes(template, lambda s, who, r: actions.record_status_update(s, who(r), action_id, body, TODAY),
                      data.draw(ROLE))


def _action_form(template):
    return form({
        "subgroup_id": any_id(_ids(template, Subgroup)),
        "title": field(TEXT, long=True),
    }, {"description": field(TEXT, long=True), "owner_id": any_id(_ids(template, Person)),
        "objective_id": any_id([1, 2, 3]), "lead_organisation": field(TEXT), "start_date": field(DATE),
        "due_date": field(DATE), "status": field(st.sampled_from(["not_started", "in_progress", "complete", "x"])),
        "outcome_ids": field(st.lists(st.integers(-1, 20), max_size=3)),
        "indicator_ids": field(st.lists(st.integers(-1, 400), max_size=3))})


@PROPS
@given(data=st.data())
def test_create_action(template, data):
    body = data.draw(_action_form(template))
    refuses_or_writes(template, lambda s, who, r: actions.create_action(s, who(r), body), data.draw(ROLE))


@PROPS
@given(data=st.data())
def test_edit_action(template, data):
    action_id = data.draw(any_id(_ids(template, Action)))
    version = data.draw(field(st.integers(0, 3)))
    body = data.draw(_action_form(template))
    refuses_or_writes(template, lambda s, who, r: actions.edit_action(s, who(r), action_id, version, body),
                      data.draw(ROLE))


# --- Subgroups, members, terms of reference -------------------------------------------------------


def _subgroup_form(template, new: bool):
    required = {"name": field(TEXT, long=True)}
    if new:
        required["code"] = field(st.text(string.ascii_letters, min_size=1, max_size=8))
    return form(required, {"description": field(TEXT, long=True),
                           "status": field(st.sampled_from(["active", "paused", "closed", "x"])),
                           "lead_id": any_id(_ids(template, Person)),
                           "theme_ids": field(st.lists(st.sampled_from(_ids(template, Theme)), max_size=3))})


@PROPS
@given(data=st.data())
def test_create_subgroup(template, data):
    body = data.draw(_subgroup_form(template, new=True))
    refuses_or_writes(template, lambda s, who, r: subgroups.create_subgroup(s, who(r), body), data.draw(ROLE))


@PROPS
@given(data=st.data())
def test_edit_subgroup(template, data):
    subgroup_id = data.draw(any_id(_ids(template, Subgroup)))
    version = data.draw(field(st.integers(0, 3)))
    body = data.draw(_subgroup_form(template, new=False))
    refuses_or_writes(template, lambda s, who, r: subgroups.edit_subgroup(s, who(r), subgroup_id, version, body),
                      data.draw(ROLE))


@PROPS
@given(data=st.data())
def test_add_and_remove_member(template, data):
    subgroup_id = data.draw(any_id(_ids(template, Subgroup)))
    person_id = data.draw(any_id(_ids(template, Person)))
    member_id = data.draw(any_id(_ids(template, SubgroupMember)))
    role = data.draw(field(st.sampled_from(["member", "lead", "deputy", "chair"])))
    remove = data.draw(st.booleans())

    def call(s, who, r):
        if remove:
            return subgroups.remove_member(s, who(r), subgroup_id, member_id)
        return subgroups.add_member(s, who(r), subgroup_id, person_id, role)

    refuses_or_writes(template, call, data.draw(ROLE))


@PROPS
@given(data=st.data())
def test_terms_of_reference(template, data):
    subgroup_id = data.draw(any_id(_ids(template, Subgroup)))
    based_on = data.draw(field(st.integers(0, 3)))
    body = data.draw(form({"purpose": field(TEXT, long=True)}, {
        "scope": field(TEXT, long=True), "quorum": field(TEXT), "meeting_frequency": field(TEXT),
        "reports_to": field(TEXT), "approved_on": field(DATE), "review_due": field(DATE),
        "change_note": field(TEXT, long=True),
        "interdependencies": field(st.lists(st.tuples(st.integers(-1, 60), TEXT), max_size=3)),
    }))
    refuses_or_writes(template, lambda s, who, r: subgroups.record_tor_version(s, who(r), subgroup_id, based_on, body),
                      data.draw(ROLE))


# --- People and the RAG scale ---------------------------------------------------------------------


@PROPS
@given(data=st.data())
def test_create_person(template, data):
    # No password that passes the policy: argon2 would make each example take a second.
    body = data.draw(form({"name": field(TEXT, long=True), "email": field(
        st.sampled_from(["new@cdp.example.org", "ADMIN@cdp.example.org", "no-at-sign", "a@b"]), long=True)},
        {"organisation": field(TEXT), "job_title": field(TEXT), "sector": field(TEXT),
         "role": field(st.sampled_from(ROLES + ("member", "owner_x"))),
         "password": st.one_of(st.none(), st.just(""), st.just("short"), NUMBER)}))
    refuses_or_writes(template, lambda s, who, r: people.create_person(s, who(r), body), data.draw(ROLE))


@PROPS
@given(data=st.data())
def test_change_role(template, data):
    person_id = data.draw(any_id(_ids(template, Person)))
    role = data.draw(field(st.sampled_from(ROLES + ("member",))))
    refuses_or_writes(template, lambda s, who, r: people.change_role(s, who(r), person_id, role), data.draw(ROLE))


@PROPS
@given(data=st.data())
def test_edit_rag_level(template, data):
    code = data.draw(field(st.sampled_from(["green", "amber", "red", "blue", "grey", "amber_green"])))
    body = data.draw(form({"label": field(TEXT), "definition": field(TEXT, long=True),
                           "colour": field(st.sampled_from(["#00703c", "ffdd00", "#fff", "#zzzzzz"]))}))
    expected = data.draw(st.one_of(st.none(), st.dictionaries(TEXT, SCALAR, max_size=2)))
    refuses_or_writes(template, lambda s, who, r: rag_scale.edit_rag_level(s, who(r), code, body, expected),
                      data.draw(ROLE))


# --- Indicators -----------------------------------------------------------------------------------


@PROPS
@given(data=st.data())
def test_add_and_delete_indicator_value(template, data):
    indicator_id = data.draw(any_id(_ids(template, Indicator)))
    value_id = data.draw(any_id(_ids(template, IndicatorValue)))
    body = data.draw(form({"period": field(st.sampled_from(["2025/26", "2024/25", "Q1 2025/26", "2026", "2099/00"])),
                           "value": field(st.sampled_from(["2,380", "12.5%", "-1", "£1,234"]), NUMBER)},
                          {"note": field(TEXT, long=True), "illustrative": ANYTHING}))
    delete = data.draw(st.booleans())

    def call(s, who, r):
        if delete:
            return indicators.delete_value(s, who(r), value_id, indicator_id if data.draw(st.booleans()) else None)
        return indicators.add_value(s, who(r), indicator_id, body, TODAY)

    refuses_or_writes(template, call, data.draw(ROLE))


CSV_CELL = st.one_of(TEXT.map(lambda t: t.replace("\n", " ")), st.sampled_from(["NIT-01", "2025/26", "2,380", ""]),
                     NUMBER.map(str))


def _csv(header: list[str]):
    rows = st.lists(st.lists(CSV_CELL, min_size=len(header), max_size=len(header)), max_size=4)
    text = rows.map(lambda rs: "\n".join([",".join(header)] + [",".join(r) for r in rs]))
    return st.one_of(text, text.map(str.encode), st.binary(max_size=200), st.text(max_size=200))


@PROPS
@given(data=st.data())
def test_indicator_csv_import(template, data):
    content = data.draw(_csv(["indicator_code", "period", "value", "note"]))
    refuses_or_writes(template, lambda s, who, r: indicators.import_values_csv(s, who(r), content, TODAY),
                      data.draw(ROLE))


@PROPS
@given(data=st.data())
def test_comparator_csv_import(template, data):
    header = ["Indicator ID", "Indicator Name", "Area Code", "Area Name", "Area Type", "Time period", "Value",
              "Count", "Recent Trend", "Compared to England value or percentiles"]
    content = data.draw(_csv(header))
    refuses_or_writes(template, lambda s, who, r: comparators.import_csv(s, who(r), content, "x.csv"),
                      data.draw(ROLE))


# --- Maturity -------------------------------------------------------------------------------------


def _scores(template, score_field: str):
    dims = _ids(template, MaturityDimension)
    entry = st.fixed_dictionaries({score_field: field(st.integers(0, 6), NUMBER)},
                                  optional={"evidence": field(TEXT, long=True), "improvement": field(TEXT),
                                            "comment": field(TEXT)})
    keys = st.one_of(st.sampled_from(dims), st.sampled_from(dims).map(str), any_id(dims))
    return st.one_of(st.dictionaries(keys, st.one_of(entry, ANYTHING), max_size=4), ANYTHING)


@PROPS
@given(data=st.data())
def test_open_assessment(template, data):
    subgroup_id = data.draw(any_id(_ids(template, Subgroup)))
    body = data.draw(form({"title": field(TEXT, long=True)},
                          {"rater_ids": field(st.lists(st.sampled_from(_ids(template, Person)), max_size=3))}))
    refuses_or_writes(template, lambda s, who, r: maturity.open_assessment(s, who(r), subgroup_id, body, TODAY),
                      data.draw(ROLE))


@PROPS
@given(data=st.data())
def test_rate_agree_moderate_sign_off(template, data):
    assessment_id = data.draw(any_id(_ids(template, MaturityAssessment)))
    step = data.draw(st.sampled_from(["rate", "agree", "moderate", "sign off"]))
    scores = data.draw(_scores(template, {"rate": "score", "agree": "agreed_score"}.get(step, "moderated_score")))
    comment = data.draw(field(TEXT, long=True))
    submit = data.draw(st.booleans())

    def call(s, who, r):
        actor = who(r)
        if step == "rate":
            return maturity.save_ratings(s, actor, assessment_id, scores, submit=submit)
        if step == "agree":
            return maturity.record_agreed_scores(s, actor, assessment_id, scores, TODAY)
        if step == "moderate":
            return maturity.moderate(s, actor, assessment_id, scores)
        return maturity.sign_off(s, actor, assessment_id, comment, TODAY)

    refuses_or_writes(template, call, data.draw(ROLE))


# --- Embed tokens, risks, funding -----------------------------------------------------------------


@PROPS
@given(data=st.data())
def test_create_embed_token(template, data):
    scope = data.draw(field(st.sampled_from(["overview", "theme:1", "subgroup:2", "theme:999999", "subgroup:x",
                                             "theme:-1", "theme:" + str(2**70), "golden-thread"])))
    label = data.draw(field(TEXT, long=True))
    refuses_or_writes(template, lambda s, who, r: embeds.create_embed_token(s, who(r), scope, label), data.draw(ROLE))


def _risk_scores():
    return {f: field(st.integers(0, 6)) for f in risks.changes.SCORE_FIELDS} if hasattr(risks, "changes") else {
        f: field(st.integers(0, 6)) for f in ("inherent_likelihood", "inherent_impact", "residual_likelihood",
                                              "residual_impact")}


@PROPS
@given(data=st.data())
def test_add_risk(template, data):
    body = data.draw(form({"ref": field(st.sampled_from(["R-01", "R-99", "", "x" * 30])), "title": field(TEXT, long=True),
                           **_risk_scores()},
                          {"owner_id": any_id(_ids(template, Person)), "theme_id": any_id(_ids(template, Theme)),
                           "action_ids": field(st.lists(st.sampled_from(_ids(template, Action)), max_size=3)),
                           "status": field(st.sampled_from(["open", "closed", "x"])), "review_date": field(DATE)}))
    refuses_or_writes(template, lambda s, who, r: risks.add_risk(s, who(r), body, TODAY), data.draw(ROLE))


@PROPS
@given(data=st.data())
def test_rerate_risk(template, data):
    risk_id = data.draw(any_id(_ids(template, Risk)))
    version = data.draw(field(st.integers(0, 3)))
    body = data.draw(form({**_risk_scores(), "reason": field(TEXT, long=True)}, {"review_date": field(DATE)}))
    refuses_or_writes(template, lambda s, who, r: risks.rerate_risk(s, who(r), risk_id, version, body, TODAY),
                      data.draw(ROLE))


@PROPS
@given(data=st.data())
def test_add_funding(template, data):
    partnership_id = data.draw(any_id([1, 2]))
    body = data.draw(form({"kind": field(st.sampled_from(["grant", "contract", "loan"])), "name": field(TEXT, long=True)},
                          {"financial_year": field(st.sampled_from(["2024/25", "2024-25", "2024/26", ""])),
                           "value_gbp": field(NUMBER), "start_date": field(DATE), "end_date": field(DATE),
                           "shares": field(st.dictionaries(st.sampled_from(["North", "West"]), NUMBER, max_size=2)),
                           "actions": field(st.lists(st.sampled_from(["TR-01", "SUP-01", "NOPE"]), max_size=2))}))
    refuses_or_writes(template, lambda s, who, r: funding.add_funding(s, who(r), partnership_id, body),
                      data.draw(ROLE))


# --- Regressions the properties found -------------------------------------------------------------


def test_an_embed_token_with_a_scope_or_label_that_is_not_text_is_refused_not_a_500(template):
    for scope, label in ([["overview"], "Intranet"], ["overview", ["Intranet"]], [{"a": 1}, 5]):
        result = refuses_or_writes(template, lambda s, who, r, sc=scope, lb=label:
                                   embeds.create_embed_token(s, who(r), sc, lb), "admin")
        assert result == "refused"


def test_a_callback_id_too_big_for_a_database_key_is_no_id():
    from tracker.web.components.forms import to_int

    assert to_int(str(2**31 - 1)) == 2**31 - 1 and to_int(-(2**31)) == -(2**31)
    assert to_int(2**31) is None and to_int(str(2**63 - 1)) is None and to_int(-(2**31) - 1) is None
    assert to_int(str(2**70)) is None
    assert to_int(float("inf")) is None


def test_editing_a_subgroup_with_a_version_that_is_not_a_number_is_a_conflict_not_a_500(template):
    tr_id = _ids(template, Subgroup)[0]
    for version in (date(2026, 1, 1), "1x", None, 2**70, 1.5):
        result = refuses_or_writes(template, lambda s, who, r, v=version:
                                   subgroups.edit_subgroup(s, who(r), tr_id, v, {"name": "Treatment and recovery"}),
                                   "admin")
        assert result == "refused"
