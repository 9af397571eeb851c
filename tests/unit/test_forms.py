"""The shared form pieces (tracker.web.components.forms) and the shared words of the domain."""

from __future__ import annotations

import json

import dash_bootstrap_components as dbc
import pytest
from dash import html

from tracker.domain import CORE_SECTORS, SECTORS, sector_label
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied
from tracker.web.components import forms


def props(component) -> dict:
    return component.to_plotly_json()["props"]


def test_dom_id_writes_a_pattern_matching_id_as_dash_does():
    assert forms.dom_id("update-rag") == "update-rag"
    assert forms.dom_id({"type": "rate-score", "dim": 3}) == '{"dim":3,"type":"rate-score"}'
    assert forms.suffixed({"type": "rag-colour", "code": "amber"}, "feedback") == {
        "type": "rag-colour-feedback", "code": "amber"}
    assert forms.suffixed("person-new-email", "feedback") == "person-new-email-feedback"


def test_a_field_ties_its_label_hint_and_error_to_its_control():
    div = forms.field("Narrative", dbc.Textarea(id="update-narrative"), "Say why.", error_suffix="error")
    label, hint, control, error = div.children
    assert label.html_for == "update-narrative" and label.children == "Narrative"
    assert hint.id == "update-narrative-hint" and hint.children == "Say why."
    assert control.id == "update-narrative"
    assert isinstance(error, dbc.FormFeedback) and error.id == "update-narrative-error"
    # What assets/forms.js reads to set aria-describedby (the error only while the control is invalid).
    assert props(div)["data-field-control"] == "update-narrative"
    assert props(div)["data-field-hint"] == "update-narrative-hint"
    assert props(div)["data-field-error"] == "update-narrative-error"


def test_a_field_of_a_pattern_matching_control():
    control_id = {"type": "rag-colour", "code": "amber"}
    div = forms.field("Colour", dbc.Input(id=control_id))
    assert div.children[0].html_for == forms.dom_id(control_id)
    assert div.children[3].id == {"type": "rag-colour-feedback", "code": "amber"}
    assert json.loads(props(div)["data-field-error"]) == {"type": "rag-colour-feedback", "code": "amber"}


def test_a_field_whose_problems_are_listed_elsewhere_has_no_slot_of_its_own():
    block = {"type": "rate-error", "dim": 7}
    div = forms.field("Your score", dbc.Select(id={"type": "rate-score", "dim": 7}), error_id=block)
    assert not any(isinstance(child, dbc.FormFeedback) for child in div.children)
    assert props(div)["data-field-error"] == forms.dom_id(block)
    bare = forms.field("Title", dbc.Input(id="open-round-title"), error_suffix=None)
    assert "data-field-error" not in props(bare) and "data-field-hint" not in props(bare)


def test_a_select_shows_its_empty_choice_not_a_blank_box():
    select = forms.select("filter-theme", forms.select_options([(1, "1. Supply")], blank="All themes"))
    # dbc.Select shows its placeholder while the value is "".
    assert select.value == "" and select.placeholder == "All themes"
    assert forms.select("x", forms.select_options([(1, "One")]), 1).value == "1"
    assert getattr(forms.select("x", forms.select_options([(1, "One")]), 1), "placeholder", None) is None


def test_the_error_summary_links_each_problem_to_its_field():
    summary = forms.error_summary({"narrative": "Say why", "": "Try again later"},
                                  {"narrative": "update-narrative"}, {"narrative": "Narrative"},
                                  "update-error-summary")
    assert summary.id == "update-error-summary" and summary.color == "danger"
    heading, items = summary.children
    assert heading.children.startswith("Nothing was saved")
    linked, plain = items.children
    assert isinstance(linked.children, html.A) and linked.children.href == "#update-narrative"
    assert linked.children.children == "Narrative: Say why"
    assert plain.children == "Try again later"


def test_a_refusal_is_the_summary_or_the_message():
    assert forms.refused(InvalidInput({"title": "Too short"}), "s").children[0].children.startswith("Nothing was")
    refusal = forms.refused(PermissionDenied("Only an administrator can do this."), "s")
    assert refusal.children == "Only an administrator can do this." and refusal.id == "s"


def test_field_outputs_and_values_line_up():
    outputs = forms.field_outputs(["a", "b"], "error")
    assert [(o.component_id, o.component_property) for o in outputs] == [
        ("a", "invalid"), ("b", "invalid"), ("a-error", "children"), ("b-error", "children")]
    assert forms.field_values({"x": "a", "y": "b"}, {"y": "Wrong"}) == [False, True, "", "Wrong"]


def test_numbers_from_the_browser():
    assert forms.to_int("12") == 12 and forms.to_int("") is None and forms.to_int(None) is None
    assert forms.to_int("all") is None and forms.to_int({"x": 1}) is None
    assert forms.record_id("3", "theme") == 3
    with pytest.raises(NotFound, match="There is no theme x"):
        forms.record_id("x", "theme")


def test_one_list_of_sectors():
    assert set(CORE_SECTORS) < set(SECTORS)
    assert len(CORE_SECTORS) == 13 and "education" not in CORE_SECTORS and "other" not in CORE_SECTORS
    assert sector_label("nhs_icb") == "NHS / integrated care board"
    assert sector_label("") == "" and sector_label("unknown") == "unknown"


# --- Forms on pattern-matching ids, and what counts as "the database is unavailable" ----------------


def test_a_form_fields_companions_keep_its_field_so_all_matches_them():
    from tracker.web.components.forms import form_field, read_form, suffixed

    control = form_field("update", "narrative")
    assert control == {"form": "update", "field": "narrative"}
    assert suffixed(control, "error") == {"form": "update-error", "field": "narrative"}
    ids = [form_field("update", "rag"), form_field("update", "narrative"), "not-a-field", {"form": "update"}]
    assert read_form(ids, ["amber", "Late", "x", "y"]) == {"rag": "amber", "narrative": "Late"}
    assert read_form(ids, ["amber", "Late"], names={"rag"}) == {"rag": "amber"}


def test_a_lost_or_refused_database_connection_counts_as_unavailable_and_a_bad_row_does_not():
    from sqlalchemy import exc

    from tracker.web.errors import database_unavailable

    assert database_unavailable(exc.OperationalError("SELECT 1", {}, ConnectionRefusedError()))
    assert database_unavailable(exc.TimeoutError("QueuePool limit reached"))
    assert database_unavailable(exc.DBAPIError("SELECT 1", {}, OSError(), connection_invalidated=True))
    assert not database_unavailable(exc.IntegrityError("INSERT", {}, ValueError("UNIQUE")))
    assert not database_unavailable(ValueError("a bug"))
    try:
        try:
            raise exc.OperationalError("SELECT 1", {}, ConnectionResetError())
        except exc.OperationalError as inner:
            raise RuntimeError("while rendering") from inner
    except RuntimeError as outer:
        assert database_unavailable(outer)


def test_only_plainly_ticked_boxes_with_a_record_id_count():
    """The browser sends every checkbox's id and value: a crafted one names no record."""
    ids = [{"type": "x", "index": 3}, {"type": "x", "index": "4"}, {"type": "x", "index": -1},
           {"type": "x", "index": 2**31}, "not an id", {"type": "x", "index": 5}, {"type": "x", "index": 6},
           {"type": "x", "index": True}]
    values = [True, True, True, True, True, "yes", False, True]
    assert forms.ticked_ids(ids, values) == [3]
    assert forms.ticked_ids([{"person": 9}], [True], "person") == [9]
    assert forms.ticked_ids(None, None) == [] and forms.ticked_ids(ids, [True]) == [3]


@pytest.mark.parametrize(("count", "after"), [(None, 1), (0, 1), (4, 5), ("4", 5), ("x", 1), ([1], 1), (2**40, 1)])
def test_a_refresh_count_from_the_browser_is_bumped_whatever_it_held(count, after):
    assert forms.bumped(count) == after
