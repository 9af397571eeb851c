"""Read-only embed tokens: the service, and what a visitor with a token (and no account) can reach."""

from __future__ import annotations

import hashlib

import pytest
from sqlmodel import select

from tests.conftest import DEMO_EMAILS
from tests.web_client import csrf_cookie, links, make_app, router_call, sign_in
from tracker.models import AuditEvent, EmbedToken, Partnership, Person, Subgroup, Theme
from tracker.services import embeds
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied


@pytest.fixture
def theme(session, partnership) -> Theme:
    return session.exec(select(Theme).where(Theme.partnership_id == partnership.id).order_by(Theme.number)).first()


@pytest.fixture
def subgroup(session, partnership) -> Subgroup:
    return session.exec(select(Subgroup).where(Subgroup.partnership_id == partnership.id).order_by(Subgroup.id)).first()


def new_token(session, actor, scope="overview", label="Intranet home page") -> str:
    _, plain = embeds.create_embed_token(session, actor, scope, label)
    session.commit()
    return plain


# --- The service ------------------------------------------------------------------------------------


def test_admin_creates_a_token_shown_once_and_stored_as_a_hash(session, admin, partnership):
    row, plain = embeds.create_embed_token(session, admin, "overview", "Intranet: CDP page")
    session.commit()
    assert len(plain) >= 40
    assert row.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert plain not in (row.token_hash, row.label, row.scope)
    assert row.partnership_id == partnership.id and row.created_by_id == admin.id and not row.revoked
    event = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "EmbedToken")).one()
    assert event.actor_id == admin.id and plain not in (event.after or "") and row.token_hash not in (event.after or "")
    assert embeds.resolve(session, plain, "overview") == partnership.id


@pytest.mark.parametrize("who", ["chair", "lead", "owner", "viewer"])
def test_only_an_admin_creates_tokens(request, session, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        embeds.create_embed_token(session, actor, "overview", "Intranet")
    assert session.exec(select(EmbedToken)).all() == []


def test_scope_and_label_are_validated(session, admin, theme, subgroup):
    for scope in ("", "everything", "theme", "theme:0", "theme:abc", "subgroup:-1", "overview;drop"):
        with pytest.raises(InvalidInput) as err:
            embeds.create_embed_token(session, admin, scope, "Intranet")
        assert "scope" in err.value.errors
    with pytest.raises(InvalidInput) as err:
        embeds.create_embed_token(session, admin, "theme:999999", "Intranet")
    assert "no theme 999999" in err.value.errors["scope"]
    with pytest.raises(InvalidInput) as err:
        embeds.create_embed_token(session, admin, "overview", "   ")
    assert "label" in err.value.errors
    with pytest.raises(InvalidInput):
        embeds.create_embed_token(session, admin, "overview", "x" * 201)
    assert embeds.create_embed_token(session, admin, f"theme:{theme.id}", "Theme page")[0].scope == f"theme:{theme.id}"
    assert embeds.create_embed_token(session, admin, f"subgroup:{subgroup.id}", "Sub")[0].scope == f"subgroup:{subgroup.id}"


def test_a_token_opens_only_its_own_scope(session, admin, theme, subgroup, partnership):
    plain = new_token(session, admin, f"theme:{theme.id}")
    assert embeds.resolve(session, plain, f"theme:{theme.id}") == partnership.id
    assert embeds.resolve(session, plain, "overview") is None
    assert embeds.resolve(session, plain, f"subgroup:{subgroup.id}") is None
    other = session.exec(select(Theme).where(Theme.partnership_id == partnership.id, Theme.id != theme.id)).first()
    assert embeds.resolve(session, plain, f"theme:{other.id}") is None
    assert embeds.resolve(session, "not-a-token", f"theme:{theme.id}") is None
    assert embeds.resolve(session, "", "overview") is None
    assert embeds.resolve(session, None, "overview") is None
    assert embeds.resolve(session, plain + "x", f"theme:{theme.id}") is None


def test_a_revoked_token_opens_nothing(session, admin, partnership):
    row, plain = embeds.create_embed_token(session, admin, "overview", "Old page")
    session.commit()
    embeds.revoke_embed_token(session, admin, row.id)
    session.commit()
    assert embeds.resolve(session, plain, "overview") is None
    assert [t.revoked for t in embeds.embed_tokens(session, admin)] == [True]
    assert embeds.revoke_embed_token(session, admin, row.id).revoked  # revoking twice is harmless


def test_revoking_is_for_an_admin_of_the_same_partnership(session, admin, chair):
    row, _ = embeds.create_embed_token(session, admin, "overview", "Page")
    with pytest.raises(PermissionDenied):
        embeds.revoke_embed_token(session, chair, row.id)
    with pytest.raises(NotFound):
        embeds.revoke_embed_token(session, admin, 987654)
    other = Partnership(slug="elsewhere", name="Elsewhere CDP", area="Elsewhere")
    session.add(other)
    session.flush()
    outsider = Person(partnership_id=other.id, name="Other Admin", email="other@elsewhere.example", role="admin")
    session.add(outsider)
    session.flush()
    with pytest.raises(PermissionDenied):
        embeds.revoke_embed_token(session, outsider, row.id)
    with pytest.raises(InvalidInput):  # nor can they embed this partnership's theme
        embeds.create_embed_token(session, outsider, f"theme:{session.exec(select(Theme)).first().id}", "x")


def test_scope_helpers():
    assert embeds.scope_for("overview") == "overview"
    assert embeds.scope_for("theme", "3") == "theme:3"
    assert str(embeds.parse_scope("subgroup:12")) == "subgroup:12"
    assert embeds.parse_scope("theme:3x") is None


# --- Through the app: a visitor with a token, no account -------------------------------------------


@pytest.fixture
def app(engine):
    return make_app(engine)


def test_embed_with_a_valid_token_renders_read_only_without_navigation(app, session, admin, partnership):
    plain = new_token(session, admin)
    client = app.server.test_client()
    page = client.get(f"/embed/overview?token={plain}")
    assert page.status_code == 200
    assert page.headers["Content-Security-Policy"].count("frame-ancestors 'self'") == 1
    shell = client.get("/_dash-layout", headers={"Referer": f"http://localhost/embed/overview?token={plain}"})
    assert shell.status_code == 200
    assert "signed-in-as" not in shell.get_data(as_text=True) and "Navbar" not in shell.get_data(as_text=True)
    response = client.post("/_dash-update-component", json=router_call("/embed/overview", f"?token={plain}"),
                           headers={"X-CSRFToken": csrf_cookie(client)})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "embed-overview" in body and "headline-total" in body and partnership.name in body
    # No links (every one would lead to a sign-in page) but the one to the tracker's own page; no form.
    assert links(response.get_json()) == ["/"]
    assert '"type":"Form"' not in body and '"type":"Button"' not in body


def test_theme_and_subgroup_embeds(app, session, admin, theme, subgroup):
    for kind, record, marker in (("theme", theme, "embed-theme"), ("subgroup", subgroup, "embed-subgroup")):
        plain = new_token(session, admin, f"{kind}:{record.id}")
        client = app.server.test_client()
        assert client.get(f"/embed/{kind}/{record.id}?token={plain}").status_code == 200
        response = client.post("/_dash-update-component",
                               json=router_call(f"/embed/{kind}/{record.id}", f"?token={plain}"),
                               headers={"X-CSRFToken": csrf_cookie(client)})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert marker in body and record.name in body
        assert links(response.get_json()) == [f"/{kind}/{record.id}"]  # "Open in the tracker" alone


def test_theme_and_subgroup_embeds_show_their_pages_read_only(app, session, admin, theme, subgroup):
    """The embeds render the pages' own content (tracker.web.pages.theme/subgroup render), without the
    pages' navigation or forms, and without links (not even the subgroup grid's Markdown ones)."""
    for kind, record, sections in (
        ("theme", theme, ("Objectives", "RAG by subgroup in this theme", "Actions by RAG")),
        # (its member list only where the partnership opts in: tests/unit/test_embed_members.py)
        ("subgroup", subgroup, ("Terms of reference", "Delivery plan", "Latest updates")),
    ):
        plain = new_token(session, admin, f"{kind}:{record.id}")
        client = app.server.test_client()
        client.get(f"/embed/{kind}/{record.id}?token={plain}")
        response = client.post("/_dash-update-component",
                               json=router_call(f"/embed/{kind}/{record.id}", f"?token={plain}"),
                               headers={"X-CSRFToken": csrf_cookie(client)})
        body = response.get_data(as_text=True)
        for heading in sections:
            assert heading in body, (kind, heading)
        assert "All themes" not in body and "All subgroups" not in body  # the pages' back links
        assert "tor-form" not in body and "ref_link" not in body and "](" not in body


def test_embed_without_a_token_asks_to_sign_in(app):
    response = app.server.test_client().get("/embed/overview")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_embed_with_a_bad_or_revoked_or_other_scope_token_is_refused(app, session, admin, theme):
    row, revoked = embeds.create_embed_token(session, admin, "overview", "Old")
    embeds.revoke_embed_token(session, admin, row.id)
    theme_token = new_token(session, admin, f"theme:{theme.id}")
    client = app.server.test_client()
    for url in ("/embed/overview?token=wrong", f"/embed/overview?token={revoked}",
                f"/embed/overview?token={theme_token}", f"/embed/subgroup/{theme.id}?token={theme_token}"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "cannot be shown" in response.get_data(as_text=True)
    assert client.get_cookie("_csrf_token") is None


def test_a_token_opens_nothing_but_its_embed(app, session, admin, theme):
    plain = new_token(session, admin, f"theme:{theme.id}")
    client = app.server.test_client()
    assert client.get(f"/embed/theme/{theme.id}?token={plain}").status_code == 200
    headers = {"X-CSRFToken": csrf_cookie(client)}
    # Not the app's pages...
    for path in ("/", f"/theme/{theme.id}", "/subgroups", f"/embed/theme/{theme.id}"):
        assert client.get(path).status_code == 302, path
    # ...not the router for them...
    for pathname in ("/", f"/theme/{theme.id}", "/action/1", "/admin"):
        response = client.post("/_dash-update-component", json=router_call(pathname), headers=headers)
        assert response.status_code == 401, pathname
    # ...not any other callback...
    other = {"output": "overview-content.children", "outputs": {"id": "overview-content", "property": "children"},
             "inputs": [{"id": "filter-theme", "property": "value", "value": ""}], "changedPropIds": [], "state": []}
    assert client.post("/_dash-update-component", json=other, headers=headers).status_code == 401
    # ...and another embed without its own token renders only the refusal.
    response = client.post("/_dash-update-component", json=router_call("/embed/overview"), headers=headers)
    assert response.status_code == 200
    assert "embed-refused" in response.get_data(as_text=True) and "headline-total" not in response.get_data(as_text=True)
    response = client.post("/_dash-update-component",
                           json=router_call("/embed/overview", f"?token={plain}"), headers=headers)
    assert "embed-refused" in response.get_data(as_text=True)


def test_embed_callbacks_need_the_csrf_header_too(app, session, admin):
    plain = new_token(session, admin)
    client = app.server.test_client()
    client.get(f"/embed/overview?token={plain}")
    response = client.post("/_dash-update-component", json=router_call("/embed/overview", f"?token={plain}"))
    assert response.status_code == 400


def test_a_revoked_token_stops_rendering_at_once(app, session, admin):
    row, plain = embeds.create_embed_token(session, admin, "overview", "Page")
    session.commit()
    client = app.server.test_client()
    client.get(f"/embed/overview?token={plain}")
    embeds.revoke_embed_token(session, admin, row.id)
    session.commit()
    response = client.post("/_dash-update-component", json=router_call("/embed/overview", f"?token={plain}"),
                           headers={"X-CSRFToken": csrf_cookie(client)})
    assert "embed-refused" in response.get_data(as_text=True)
    assert client.get(f"/embed/overview?token={plain}").status_code == 403


def test_a_signed_in_person_sees_embeds_of_their_partnership_without_a_token(app, theme):
    client = app.server.test_client()
    sign_in(client, email=DEMO_EMAILS["viewer"])
    assert client.get(f"/embed/theme/{theme.id}").status_code == 200
    shell = client.get("/_dash-layout", headers={"Referer": f"http://localhost/embed/theme/{theme.id}"})
    assert "signed-in-as" not in shell.get_data(as_text=True)
    response = client.post("/_dash-update-component", json=router_call(f"/embed/theme/{theme.id}"),
                           headers={"X-CSRFToken": csrf_cookie(client)})
    assert "embed-theme" in response.get_data(as_text=True)
    # The normal pages keep their navigation.
    assert "signed-in-as" in client.get("/_dash-layout", headers={"Referer": "http://localhost/"}).get_data(as_text=True)


def test_embeds_work_under_a_prefix(engine, session, admin):
    plain = new_token(session, admin)
    client = make_app(engine, url_prefix="/cdp/").server.test_client()
    assert client.get(f"/cdp/embed/overview?token={plain}").status_code == 200
    response = client.post("/cdp/_dash-update-component", json=router_call("/cdp/embed/overview", f"?token={plain}"),
                           headers={"X-CSRFToken": csrf_cookie(client, path="/cdp/")})
    assert response.status_code == 200 and "embed-overview" in response.get_data(as_text=True)
