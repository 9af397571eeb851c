"""Table rows written as their JSON (tracker.web.components.static_html) are what Dash itself sends for
the same html components: the browser draws the same table. A property the element lacks still fails."""

from __future__ import annotations

import json

import pytest
from dash import html
from plotly.io.json import to_json_plotly

from tracker.services.reference import Rag
from tracker.web.components.rag import rag_badge
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
