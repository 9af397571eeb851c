"""Two partnerships in one database never see each other: Lancashire's people ask, through the real
HTTP endpoints, for Northamptonshire's pages by id, and search, export and embed; nothing of
Northamptonshire comes back, and a write aimed at its records changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from tests.crafted import db_fingerprint, post_callback, signed_in_client
from tracker.config import PROJECT_ROOT
from tracker.models import (
    Action,
    Indicator,
    MaturityAssessment,
    Partnership,
    Person,
    Risk,
    Subgroup,
    Theme,
)
from tracker.services import actions, risks
from tracker.services.errors import NotFound, PermissionDenied

LANCASHIRE = PROJECT_ROOT / "seeds" / "lancashire"


def _northants(engine) -> dict:
    with Session(engine) as s:
        pid = s.exec(select(Partnership.id).where(Partnership.slug == "northamptonshire")).one()
        first = lambda model: s.exec(select(model).where(model.partnership_id == pid).order_by(model.id)).first()  # noqa: E731
        action, subgroup, indicator, theme, risk = (first(Action), first(Subgroup), first(Indicator), first(Theme),
                                                    first(Risk))
        assessment = s.exec(select(MaturityAssessment).where(MaturityAssessment.subgroup_id == subgroup.id)).first() \
            or s.exec(select(MaturityAssessment).join(Subgroup).where(Subgroup.partnership_id == pid)).first()
        return {"action": action, "subgroup": subgroup, "indicator": indicator, "theme": theme, "risk": risk,
                "assessment": assessment, "pid": pid}


def _page(client, path: str) -> str:
    reply = post_callback(client, ".._pages_content.children..._pages_store.data..",
                          [{"id": "_pages_location", "property": "pathname", "value": path},
                           {"id": "_pages_location", "property": "search", "value": ""}],
                          changed_prop_ids=["_pages_location.pathname"])
    assert reply.status == 200, f"{path}: {reply.status}"
    return json.dumps(reply.json, ensure_ascii=False)


def test_pages_of_the_other_partnership_by_id_show_nothing_of_it(both):
    engine, app = both
    n = _northants(engine)
    client = signed_in_client(app, "admin@lancashire.example.org")
    secrets = {
        f"/action/{n['action'].id}": n["action"].title,
        f"/subgroup/{n['subgroup'].id}": n["subgroup"].name,
        f"/indicator/{n['indicator'].id}": n["indicator"].name,
        f"/theme/{n['theme'].id}": n["theme"].name,
        f"/maturity/subgroup/{n['subgroup'].id}": n["subgroup"].name,
        f"/maturity/assessment/{n['assessment'].id}": n["assessment"].title,
    }
    own = signed_in_client(app, "admin@cdp.example.org")
    for path, secret in secrets.items():
        assert secret in _page(own, path), f"{path} should show {secret!r} to Northamptonshire (the test's control)"
        body = _page(client, path)
        assert secret not in body, f"{path} shows Northamptonshire's {secret!r} to Lancashire"


def test_lists_search_and_registers_show_only_the_own_partnership(both):
    engine, app = both
    n = _northants(engine)
    client = signed_in_client(app, "chair@lancashire.example.org")
    overview = _page(client, "/")
    assert "PREV-01" in overview or "Prevention" in overview
    for path in ("/", "/themes", "/subgroups", "/indicators", "/golden-thread", "/maturity", "/risks", "/funding",
                 "/indicators/benchmarks", "/search?q=treatment"):
        body = _page(client, path.split("?")[0]) if "?" not in path else None
        if body is None:
            reply = post_callback(client, ".._pages_content.children..._pages_store.data..",
                                  [{"id": "_pages_location", "property": "pathname", "value": "/search"},
                                   {"id": "_pages_location", "property": "search", "value": "?q=treatment"}],
                                  changed_prop_ids=["_pages_location.pathname"])
            body = json.dumps(reply.json, ensure_ascii=False)
        for secret in ("Northamptonshire", n["action"].title, n["risk"].title, "Change Grow Live (CGL)"):
            assert secret not in body, f"{path} shows {secret!r} to Lancashire"


def test_an_update_for_the_other_partnerships_action_is_refused_and_writes_nothing(both, today):
    engine, _app = both
    n = _northants(engine)
    before = db_fingerprint(engine)
    with Session(engine) as s:
        lancs_admin = s.exec(select(Person).where(Person.email == "admin@lancashire.example.org")).one()
        with pytest.raises((NotFound, PermissionDenied)):
            actions.record_status_update(s, lancs_admin, n["action"].id,
                                         {"update_date": "2026-11-20", "rag": "green", "progress": 50,
                                          "narrative": "crossing"}, today)
        with pytest.raises((NotFound, PermissionDenied)):
            risks.rerate_risk(s, lancs_admin, n["risk"].id, 1, {"inherent_likelihood": 1, "inherent_impact": 1,
                              "residual_likelihood": 1, "residual_impact": 1, "reason": "crossing over"}, today)
        s.rollback()
    assert db_fingerprint(engine) == before
