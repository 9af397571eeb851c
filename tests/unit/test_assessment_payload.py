"""The maturity assessment page sends only what it shows: in a large plan each improvement's link
offers the subgroup's own actions (and any already linked), not eight copies of the whole plan."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS
from tests.crafted import post_callback, signed_in_client
from tests.generated import grow_plan
from tracker.models import Action, MaturityAssessment, MaturityScore


def _page(client, path: str) -> dict:
    reply = post_callback(client, ".._pages_content.children..._pages_store.data..",
                          [{"id": "_pages_location", "property": "pathname", "value": path},
                           {"id": "_pages_location", "property": "search", "value": ""}],
                          changed_prop_ids=["_pages_location.pathname"])
    assert reply.status == 200
    return reply.json


def _link_selects(node, found: list) -> list:
    """The options of every improvement's "link to an action" select."""
    if isinstance(node, list):
        for item in node:
            _link_selects(item, found)
    elif isinstance(node, dict):
        props = node.get("props") or {}
        if isinstance(props.get("id"), dict) and props["id"].get("type") == "link-action":
            found.append([int(o["value"]) for o in props.get("options", []) if o.get("value") not in ("", None)])
        for value in node.values():
            _link_selects(value, found)
    return found


def _signed_off(session) -> MaturityAssessment:
    return session.exec(select(MaturityAssessment).where(MaturityAssessment.status == "signed_off")
                        .order_by(MaturityAssessment.id)).first()


def test_a_county_plan_offers_every_action(app, db):
    with Session(db) as s:
        assessment, total = _signed_off(s), len(s.exec(select(Action.id).where(Action.status != "cancelled")).all())
    selects = _link_selects(_page(signed_in_client(app, DEMO_EMAILS["chair"]),
                                  f"/maturity/assessment/{assessment.id}"), [])
    assert selects and all(len(options) == total for options in selects)


def test_a_large_plan_offers_the_subgroups_own_actions_and_keeps_a_link_to_another(app, db, monkeypatch):
    with Session(db) as s:
        grow_plan(s, monkeypatch, subgroups_per_theme=2, actions_per_subgroup=40, tag="p")
        assessment = _signed_off(s)
        elsewhere = s.exec(select(Action.id).where(Action.subgroup_id != assessment.subgroup_id,
                                                    Action.status != "cancelled").order_by(Action.id)).first()
        score = s.exec(select(MaturityScore).where(MaturityScore.assessment_id == assessment.id)).first()
        score.improvement_action_id = elsewhere  # linked earlier to another subgroup's action
        s.add(score)
        s.commit()
        own = set(s.exec(select(Action.id).where(Action.subgroup_id == assessment.subgroup_id,
                                                 Action.status != "cancelled")).all())
        assert len(s.exec(select(Action.id)).all()) > 300
        assessment_id = assessment.id
    page = _page(signed_in_client(app, DEMO_EMAILS["chair"]), f"/maturity/assessment/{assessment_id}")
    selects = _link_selects(page, [])
    assert selects and all(set(options) == own | {elsewhere} for options in selects)
    assert len(json.dumps(page)) < 300_000
