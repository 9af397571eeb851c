"""Admin services for the RAG scale: each level's words and colour (with enough contrast), and switching scales."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, func, select

from tests.unit.admin_support import TODAY, audit_count, last_event, who
from tracker.models import Action, Partnership, RagLevel, StatusUpdate
from tracker.rules import contrast
from tracker.services import rag_scale, reference
from tracker.services.errors import Conflict, InvalidInput, NotFound

# --- The RAG scale ----------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "ratio"), [
    ("#000000", "#ffffff", 21.0),
    ("#ffffff", "#ffffff", 1.0),
    ("#767676", "#ffffff", 4.54),
    ("#ffdd00", "#0b0c0c", 14.55),
    ("#00703c", "#ffffff", 6.21),
    ("#FFFFFF", "#000000", 21.0),
])
def test_contrast_ratio_follows_wcag(a, b, ratio):
    assert contrast.contrast_ratio(a, b) == pytest.approx(ratio, abs=0.01)
    assert contrast.contrast_ratio(b, a) == pytest.approx(ratio, abs=0.01)


def test_contrast_ratio_refuses_a_colour_that_is_not_hex():
    with pytest.raises(ValueError):
        contrast.contrast_ratio("red", "#ffffff")


def amber(**changes) -> dict:
    return {"label": "Amber", "definition": "Slipping: the subgroup can recover it within a quarter.",
            "colour": "#ffdd00"} | changes


def test_edit_rag_level_changes_the_words_everyone_sees_and_records_it(s):
    admin_ = who(s, "admin")
    rag_scale.edit_rag_level(s, admin_, "amber", amber())
    scale = reference.rag_by_code(s, admin_.partnership_id)
    assert scale["amber"].definition == "Slipping: the subgroup can recover it within a quarter."
    event = last_event(s)
    assert (event.verb, event.entity_type) == ("update", "RagLevel")
    assert json.loads(event.before) == {"definition": "At risk."}
    assert json.loads(event.after) == {"definition": "Slipping: the subgroup can recover it within a quarter."}


def test_edit_rag_level_accepts_a_colour_with_enough_contrast(s):
    level = rag_scale.edit_rag_level(s, who(s, "admin"), "green", {
        "label": "On track", "definition": "On track to deliver by the due date.", "colour": "005A30"})
    assert (level.colour, level.label) == ("#005a30", "On track")


def test_edit_rag_level_refuses_a_colour_without_enough_contrast(s):
    admin_ = who(s, "admin")
    before = audit_count(s)
    with pytest.raises(InvalidInput) as refused:
        rag_scale.edit_rag_level(s, admin_, "green", {"label": "Green", "definition": "On track to deliver.",
                                                  "colour": "#88ff88"})
    message = refused.value.errors["colour"]
    assert "1.3:1" in message and "4.5:1" in message and "#ffffff" in message and "darker" in message
    assert reference.rag_by_code(s, admin_.partnership_id)["green"].colour == "#00703c"
    assert audit_count(s) == before


def test_edit_rag_level_on_dark_text_asks_for_a_lighter_colour(s):
    with pytest.raises(InvalidInput) as refused:
        rag_scale.edit_rag_level(s, who(s, "admin"), "amber", amber(colour="#505a5f"))
    assert "lighter" in refused.value.errors["colour"]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"colour": "yellow"}, "colour", "hex code"),
    ({"colour": "#ffdd0"}, "colour", "hex code"),
    ({"label": ""}, "label", "required"),
    ({"label": "x" * 41}, "label", "no more than 40"),
    ({"label": "red"}, "label", "already the label"),
    ({"definition": "Short"}, "definition", "at least 10"),
    ({"definition": "x" * 401}, "definition", "no more than 400"),
])
def test_edit_rag_level_refuses_bad_input(s, changes, field, words):
    with pytest.raises(InvalidInput) as refused:
        rag_scale.edit_rag_level(s, who(s, "admin"), "amber", amber(**changes))
    assert words in refused.value.errors[field]
    assert reference.rag_by_code(s, who(s, "admin").partnership_id)["amber"].definition == "At risk."


def test_edit_rag_level_of_a_colour_not_on_the_scale_is_not_found(s):
    with pytest.raises(NotFound):
        rag_scale.edit_rag_level(s, who(s, "admin"), "amber_red", amber(label="Amber/Red"))


def test_edit_rag_level_refuses_when_someone_else_changed_it_since_the_page_loaded(s):
    admin_ = who(s, "admin")
    seen = {"label": "Amber", "definition": "At risk.", "colour": "#ffdd00"}
    rag_scale.edit_rag_level(s, admin_, "amber", amber(definition="Changed by a colleague first."), expected=seen)
    with pytest.raises(Conflict):
        rag_scale.edit_rag_level(s, admin_, "amber", amber(definition="My change from the old page."), expected=seen)
    assert reference.rag_by_code(s, admin_.partnership_id)["amber"].definition == "Changed by a colleague first."


def test_switch_to_the_five_point_scale_replaces_the_colours_and_records_it(s):
    admin_ = who(s, "admin")
    rag_scale.edit_rag_level(s, admin_, "amber", amber())
    partnership = rag_scale.switch_scale(s, admin_, "delivery_confidence")
    assert partnership.rag_scale == "delivery_confidence"
    codes = [r.code for r in reference.rag_scale(s, admin_.partnership_id)]
    assert codes == ["green", "amber_green", "amber", "amber_red", "red", "blue", "grey"]
    # The new scale comes with its own words.
    assert reference.rag_by_code(s, admin_.partnership_id)["amber"].definition.startswith("Successful delivery")
    event = last_event(s)
    assert (event.entity_type, json.loads(event.before)["rag_scale"], json.loads(event.after)["rag_scale"]) == (
        "Partnership", "standard", "delivery_confidence")


def _update_with(s: Session, rag: str, count: int = 1) -> None:
    action = s.exec(select(Action)).first()
    for _ in range(count):
        s.add(StatusUpdate(action_id=action.id, update_date=TODAY, rag=rag, progress=50, narrative="Test."))
    s.flush()


def test_switching_back_is_refused_while_updates_use_colours_the_standard_scale_lacks(s):
    admin_ = who(s, "admin")
    rag_scale.switch_scale(s, admin_, "delivery_confidence")
    _update_with(s, "amber_green", 2)
    _update_with(s, "amber_red", 1)
    before = audit_count(s)
    with pytest.raises(InvalidInput) as refused:
        rag_scale.switch_scale(s, admin_, "standard")
    message = refused.value.errors["scale"]
    assert message.startswith("3 status updates use colours")
    assert "Amber/Green: 2" in message and "Amber/Red: 1" in message
    assert s.get(Partnership, admin_.partnership_id).rag_scale == "delivery_confidence"
    assert len(reference.rag_scale(s, admin_.partnership_id)) == 7
    assert audit_count(s) == before


def test_switching_back_is_allowed_when_no_update_uses_the_missing_colours(s):
    admin_ = who(s, "admin")
    rag_scale.switch_scale(s, admin_, "delivery_confidence")
    rag_scale.switch_scale(s, admin_, "standard")
    assert [r.code for r in reference.rag_scale(s, admin_.partnership_id)] == ["green", "amber", "red", "blue", "grey"]
    assert s.exec(select(func.count(RagLevel.id)).where(RagLevel.partnership_id == admin_.partnership_id)).one() == 5


def test_switch_scale_refuses_an_unknown_scale_or_the_current_one(s):
    admin_ = who(s, "admin")
    with pytest.raises(InvalidInput) as refused:
        rag_scale.switch_scale(s, admin_, "traffic-lights")
    assert "Choose a scale" in refused.value.errors["scale"]
    with pytest.raises(InvalidInput) as refused:
        rag_scale.switch_scale(s, admin_, "standard")
    assert "already uses" in refused.value.errors["scale"]


def test_a_partnership_without_stored_colours_gets_them_when_first_edited(s):
    admin_ = who(s, "admin")
    for level in s.exec(select(RagLevel)).all():
        s.delete(level)
    s.flush()
    rag_scale.edit_rag_level(s, admin_, "amber", amber())
    stored = s.exec(select(RagLevel).where(RagLevel.partnership_id == admin_.partnership_id)).all()
    assert len(stored) == 5
