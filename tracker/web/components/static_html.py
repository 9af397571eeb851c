"""Long, static tables sent as the JSON Dash itself sends for its html components.

Dash builds each component in Python (checking its arguments) and, to answer a callback, lists every
one of its twenty-odd properties: about 10 µs a component. The overview's subgroup table at county
×10 is 40 rows of nine components, and built that way its cells cost more than the SQL behind the
whole page (docs/performance.md, round 15). For cells no callback reads or writes, `element` writes
the JSON directly; the browser receives the same JSON and draws the same table (test_static_html.py
holds the two equal). Each property is checked against the component's own list, so a typo, or a
property the element does not have (`scope` on a td), fails as loudly as it would in Dash.
"""

from __future__ import annotations

import functools
import json

from dash import html
from plotly.io.json import to_json_plotly  # what Dash encodes every callback answer with

_WILDCARDS = ("aria-", "data-")


@functools.cache
def _kind(tag: str) -> tuple[dict, frozenset[str]]:
    """The JSON head ("type", "namespace") of html.<tag>, and the properties it takes, read off Dash."""
    sample = getattr(html, tag)()
    wire = sample.to_plotly_json()
    return {"type": wire["type"], "namespace": wire["namespace"]}, frozenset(sample.available_properties)


def element(tag: str, children=None, **props) -> dict:
    """html.<tag>(children, **props) as its JSON: for a table cell, row or link that stays as sent."""
    head, allowed = _kind(tag)
    for name in props:
        if name not in allowed and not name.startswith(_WILDCARDS):
            raise TypeError(f"html.{tag} has no property {name!r}")
    return {"props": {"children": children, **props}, **head}


def is_element(node) -> bool:
    """Whether `node` is an html element written as its JSON (by `element` or `frozen`)."""
    return isinstance(node, dict) and "props" in node and node.get("namespace") == _kind("Span")[0]["namespace"]


def frozen(component) -> dict:
    """A component tree as its JSON, encoded once: for a piece placed in many rows (a RAG badge),
    which as a component would be encoded again in every row."""
    return json.loads(to_json_plotly(component))
