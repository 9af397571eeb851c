"""Callback answers are encoded by the standard library's JSON encoder. Plotly's helper, which Dash
uses, picks orjson when it is installed, and a tree of components then goes through a pure-Python walk
first: the same JSON, 10-30% slower a page (docs/performance.md, round 10)."""

from __future__ import annotations

import json

import plotly.io._json as plotly_json
import plotly.io.json

from tests.web_client import csrf_cookie, make_app, router_call, sign_in


def test_a_page_is_encoded_by_the_standard_library_not_walked_in_python_first(engine, monkeypatch):
    monkeypatch.setattr(plotly.io.json.config, "default_engine", "auto")  # what a new process starts with
    walked = []
    real_walk = plotly_json.clean_to_json_compatible
    monkeypatch.setattr(plotly_json, "clean_to_json_compatible",
                        lambda *args, **kwargs: walked.append(1) or real_walk(*args, **kwargs))
    client = make_app(engine).server.test_client()
    sign_in(client)
    response = client.post("/_dash-update-component", json=router_call("/", ""),
                           headers={"X-CSRFToken": csrf_cookie(client)})
    assert response.status_code == 200
    answer = response.get_json()["response"]
    assert answer["_pages_store"]["data"]["title"] == "Overview – CDP Delivery Tracker"
    assert "RAG by subgroup" in json.dumps(answer)  # the page itself, charts and all
    assert plotly.io.json.config.default_engine == "json"
    assert walked == []
