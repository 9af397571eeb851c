"""What the browser's title bar, the embedded views and the subgroup page show, through the page
router as dash-renderer calls it: every page's title is its own and names its subject; a compact
embed leaves out the member list; the subgroup page leads with its plan."""

from __future__ import annotations

import logging

import dash
import pytest
from sqlmodel import select

from tests.conftest import DEMO_EMAILS
from tests.unit.test_embeds import new_token
from tests.web_client import csrf_cookie, links, make_app, router_call, sign_in
from tracker.models import Action, BoardMeeting, Indicator, MaturityAssessment, Partnership, Subgroup, Theme

SUFFIX = " – CDP Delivery Tracker"


@pytest.fixture
def app(engine):
    """The app on `engine`, the database the `session` and `admin` fixtures read and write."""
    return make_app(engine)


def render(client, path: str, search: str = "") -> dict:
    response = client.post("/_dash-update-component", json=router_call(path, search),
                           headers={"X-CSRFToken": csrf_cookie(client)})
    assert response.status_code == 200, path
    return response.get_json()["response"]


def title_of(client, path: str) -> str:
    return render(client, path)["_pages_store"]["data"]["title"]


@pytest.fixture
def admin_client(app):
    client = app.server.test_client()
    sign_in(client, email=DEMO_EMAILS["admin"])
    return client


def _first_records(session) -> dict:
    return {"subgroup_id": session.exec(select(Subgroup).order_by(Subgroup.id)).first(),
             "theme_id": session.exec(select(Theme).order_by(Theme.id)).first(),
             "action_id": session.exec(select(Action).order_by(Action.id)).first(),
             "indicator_id": session.exec(select(Indicator).order_by(Indicator.id)).first(),
             "assessment_id": session.exec(select(MaturityAssessment).order_by(MaturityAssessment.id)).first(),
             "meeting_id": session.exec(select(BoardMeeting).order_by(BoardMeeting.id)).first()}


def _every_path(first: dict) -> list[str]:
    """Each registered page's address, its <id> the first record of that kind."""
    paths = []
    for page in dash.page_registry.values():
        path = page["path"]
        for name, record in first.items():
            if f"<{name}>" in (page.get("path_template") or ""):
                assert record is not None, f"the seed has no record for {page['path_template']}"
                path = page["path_template"].replace(f"<{name}>", str(record.id))
        paths.append(path)
    return paths


def test_every_registered_page_has_its_own_title_naming_its_subject(app, admin_client, session):
    first = _first_records(session)
    titles = {path: title_of(admin_client, path) for path in _every_path(first)}
    assert all(title.endswith(SUFFIX) for title in titles.values()), titles
    repeated = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    assert repeated == set(), {p: t for p, t in titles.items() if t in repeated}
    subgroup = first["subgroup_id"]
    assert titles[f"/subgroup/{subgroup.id}"] == f"{subgroup.name}{SUFFIX}"
    assert titles[f"/embed/subgroup/{subgroup.id}"] == f"Embedded subgroup: {subgroup.name}{SUFFIX}"
    assert first["theme_id"].name in titles[f"/embed/theme/{first['theme_id'].id}"]


# Names the pages read from the address (paging, filters, lists), each given twice or as junk: Dash hands
# a layout a name given twice as a list.
JUNK_SEARCH = ("?page=2&page=x&list=mine&list=x&theme=1&theme=all&outcome=x&outcome=y&owner=-1&rag=%00"
               "&subgroup=1e9&status=&q=%27&view=99999999999999999999")


def test_every_page_answers_an_address_of_repeated_and_junk_values(app, admin_client, session, caplog):
    caplog.set_level(logging.ERROR)
    for path in _every_path(_first_records(session)):
        for search in (JUNK_SEARCH, "?page=-1"):
            render(admin_client, path, search)  # a 200 ...
            # ... showing the page, not "something went wrong" (a layout that raised is logged and said)
            assert not [r for r in caplog.records if r.levelno >= logging.ERROR], (path, search, caplog.text[-600:])


def test_an_embed_read_with_a_token_has_a_title_that_does_not_depend_on_the_token(app, session, admin):
    subgroup = session.exec(select(Subgroup).order_by(Subgroup.id)).first()
    plain = new_token(session, admin, f"subgroup:{subgroup.id}")
    client = app.server.test_client()
    client.get(f"/embed/subgroup/{subgroup.id}?token={plain}")
    response = client.post("/_dash-update-component",
                           json=router_call(f"/embed/subgroup/{subgroup.id}", f"?token={plain}"),
                           headers={"X-CSRFToken": csrf_cookie(client)})
    assert response.get_json()["response"]["_pages_store"]["data"]["title"] == f"Embedded subgroup{SUFFIX}"


def _embed_body(app, session, admin, path: str, scope: str, search: str = "") -> tuple[str, dict]:
    plain = new_token(session, admin, scope)
    client = app.server.test_client()
    client.get(f"{path}?token={plain}")
    response = client.post("/_dash-update-component", json=router_call(path, f"?token={plain}{search}"),
                           headers={"X-CSRFToken": csrf_cookie(client)})
    assert response.status_code == 200
    return response.get_data(as_text=True), response.get_json()


def test_a_compact_subgroup_embed_is_the_plan_without_the_member_list(app, session, admin):
    subgroup = session.exec(select(Subgroup).order_by(Subgroup.id)).first()
    path = f"/embed/subgroup/{subgroup.id}"
    partnership = session.get(Partnership, subgroup.partnership_id)
    partnership.embed_show_members = True  # opted in, so the full embed lists members and compact still not
    session.add(partnership)
    session.commit()
    full, _ = _embed_body(app, session, admin, path, f"subgroup:{subgroup.id}")
    compact, tree = _embed_body(app, session, admin, path, f"subgroup:{subgroup.id}", "&compact=1")
    assert "Members (" in full and "Terms of reference" in full and "What the RAG colours mean" in full
    assert "Delivery plan" in compact and "Actions by RAG" in compact
    for left_out in ("Members (", "members-table", "Terms of reference", "What the RAG colours mean"):
        assert left_out not in compact, left_out
    assert links(tree) == [f"/subgroup/{subgroup.id}"]  # "Open in the tracker"


def test_a_compact_overview_embed_has_the_figures_without_charts(app, session, admin):
    full, _ = _embed_body(app, session, admin, "/embed/overview", "overview")
    compact, _ = _embed_body(app, session, admin, "/embed/overview", "overview", "&compact=1")
    assert '"type":"Graph"' in full and '"type":"Graph"' not in compact
    assert "headline-total" in compact and "table-by-theme" in compact


def test_the_subgroup_page_leads_with_its_plan(app, admin_client, session):
    subgroup = session.exec(select(Subgroup).order_by(Subgroup.id)).first()
    body = str(render(admin_client, f"/subgroup/{subgroup.id}"))
    plan, tor, members = body.index("Delivery plan ("), body.index("Terms of reference"), body.index("Members (")
    assert plan < tor < members


def test_the_rag_key_is_a_closed_disclosure_with_every_colour_in_words(app, admin_client, session):
    tree = render(admin_client, "/")["_pages_content"]["children"]
    body = str(tree)
    assert "'type': 'Details'" in body and "What the RAG colours mean" in body
    for word in ("Green", "Amber", "Red", "Complete"):
        assert word in body
