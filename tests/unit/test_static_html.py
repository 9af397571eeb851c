"""Table rows written as their JSON (tracker.web.components.static_html) are what Dash itself sends for
the same html components: the browser draws the same table. A property the element lacks still fails."""

from __future__ import annotations

import dataclasses
import json

import pytest
from dash import html
from plotly.io.json import to_json_plotly

from tracker.services.reference import Rag
from tracker.web.components.rag import frozen_badge, rag_badge
from tracker.web.components.static_html import element, frozen

RED = Rag("red", "Red", "Off track.", "#d4351c", "#ffffff", "▲", 3)


def wire(node) -> object:
    return json.loads(to_json_plotly(node))


def test_a_row_written_as_json_is_the_row_dash_sends():
    badge = rag_badge(RED, small=True)
    as_dash = html.Tr([
        html.Th(html.A("Treatment & recovery <b>", href="/subgroup/3"), scope="row"),
        html.Td("12"), html.Td(badge), html.Td(), html.Td("—", className="small", **{"aria-label": "none"}),
    ], id={"type": "exception-row", "ref": "TR-01"})
    as_json = element("Tr", [
        element("Th", element("A", "Treatment & recovery <b>", href="/subgroup/3"), scope="row"),
        element("Td", "12"), element("Td", frozen(badge)), element("Td"),
        element("Td", "—", className="small", **{"aria-label": "none"}),
    ], id={"type": "exception-row", "ref": "TR-01"})
    assert wire(as_json) == wire(as_dash)


@pytest.mark.parametrize("tag, prop", [("Td", "scope"), ("A", "hrefs"), ("Tr", "colspan")])
def test_a_property_the_element_does_not_have_is_refused_as_dash_refuses_it(tag, prop):
    with pytest.raises(TypeError):
        getattr(html, tag)(**{prop: "x"})
    with pytest.raises(TypeError, match=prop):
        element(tag, **{prop: "x"})


def test_a_badge_kept_for_the_process_is_the_badge_and_follows_a_reworded_colour():
    """frozen_badge keeps each RAG's badge JSON across pages; a partnership that rewords red (or recolours
    it) sees the new badge at once, not the one kept."""
    assert wire(frozen_badge(RED)) == wire(rag_badge(RED, small=True))
    assert wire(frozen_badge(RED, small=False)) == wire(rag_badge(RED))
    reworded = dataclasses.replace(RED, definition="Will miss its due date without help.", colour="#b00020")
    shown = wire(frozen_badge(reworded))
    assert shown["props"]["title"] == "Will miss its due date without help."
    assert shown["props"]["style"]["backgroundColor"] == "#b00020"
    assert wire(frozen_badge(RED))["props"]["title"] == "Off track."
    assert wire(frozen_badge(None)) == wire(rag_badge(None))
