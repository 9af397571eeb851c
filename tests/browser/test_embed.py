"""Embedding in an intranet page, in a real browser: a host page on another origin (another localhost
port, served from this test) frames the embed view. With that origin in TRACKER_FRAME_ANCESTORS the
view loads in the iframe, with no navigation and no sign-in; without it, the browser blocks the frame.
The app runs under the /cdp/ prefix, as it would on the intranet, and everything runs under the CSP
(a CSP violation is a SEVERE browser log, which these tests refuse)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import flask
import pytest
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait
from sqlmodel import Session, select
from werkzeug.serving import make_server

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import (
    browser_errors,
    current_path,
    open_page,
    wait_until_settled,
)
from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD
from tracker.config import PROJECT_ROOT, Settings
from tracker.models import Action, Indicator, Person, Subgroup, Theme
from tracker.services import embeds
from tracker.web.app import create_app

PREFIX = "/cdp/"


class HostPage:
    """Another origin: a tiny Flask app on its own port whose page frames `iframe_src`."""

    def __init__(self):
        self.iframe_src = "about:blank"
        self.script = ""  # e.g. docs/embedding.md's snippet
        host = flask.Flask("intranet")

        @host.route("/")
        def index():
            return (
                '<!doctype html><html lang="en-GB"><head><title>Intranet</title></head><body>'
                '<h1 id="intranet-heading">Council intranet</h1>'
                f'<iframe id="cdp-embed" title="CDP delivery overview" src="{self.iframe_src}" '
                'width="1000" height="800"></iframe>'
                f'{self.script}</body></html>'
            )

        @host.route("/favicon.ico")
        def favicon():
            return "", 204

        self.server = make_server("localhost", 0, host, threaded=True)
        self.origin = f"http://localhost:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def host_page() -> Iterator[HostPage]:
    page = HostPage()
    yield page
    page.close()


def embed_token(engine, scope: str = "overview") -> str:
    with Session(engine) as session:
        admin = session.exec(select(Person).where(Person.email == DEMO_EMAILS["admin"])).one()
        _, plain = embeds.create_embed_token(session, admin, scope, "Intranet: CDP page")
        session.commit()
    return plain


def serve(dash_duo, engine, today, **settings) -> str:
    app = create_app(Settings(database_url="sqlite://", seed_on_start=False, secret_key="test", url_prefix=PREFIX,
                              **settings), engine=engine, today=today)
    dash_duo.start_server(app, navigate=False)
    return dash_duo.server.url.rstrip("/") + PREFIX


def app_elements(driver) -> int:
    return len(driver.find_elements("css selector", "#react-entry-point, #embed-overview, #headline-total"))


def test_allowed_origin_shows_the_embed_in_its_iframe(dash_duo, engine, today, host_page):
    token = embed_token(engine)
    base = serve(dash_duo, engine, today, frame_ancestors=[host_page.origin])
    host_page.iframe_src = f"{base}embed/overview?token={token}"

    dash_duo.driver.get(host_page.origin + "/")
    dash_duo.wait_for_element("#intranet-heading")
    dash_duo.driver.switch_to.frame(dash_duo.find_element("#cdp-embed"))
    try:
        total = dash_duo.wait_for_element("#embed-overview #headline-total .figure", timeout=15)
        wait_until_settled(dash_duo)
        assert int(total.text) > 0
        assert "delivery overview" in dash_duo.find_element("#embed-heading").text
        # Read only: no navigation, no sign-in, no links, no forms.
        driver = dash_duo.driver
        assert driver.find_elements("css selector", "nav, #signed-in-as, form, input, select, textarea, button") == []
        assert driver.find_elements("css selector", "#embed-overview a[href]") == []
        # The charts drew (plotly under the CSP) and Bootstrap came from the app under its prefix.
        dash_duo.wait_for_element("#chart-by-theme .main-svg")
        assert driver.execute_script(
            "return [...document.styleSheets].some(s => (s.href || '').endsWith('/cdp/vendor/bootstrap.min.css'))")
    finally:
        dash_duo.driver.switch_to.default_content()
    assert browser_errors(dash_duo) == []


def _snippet(tracker_origin: str) -> str:
    """The host page's script from docs/embedding.md, as an intranet page would paste it."""
    doc = (PROJECT_ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    script = doc[doc.index("<script>"):doc.index("</script>") + len("</script>")]
    return script.replace("https://tracker.example.org", tracker_origin)


def test_a_compact_subgroup_embed_sizes_its_iframe_and_links_to_the_tracker(dash_duo, engine, today, host_page):
    with Session(engine) as session:
        subgroup = session.exec(select(Subgroup).order_by(Subgroup.id)).first()
    token = embed_token(engine, f"subgroup:{subgroup.id}")
    base = serve(dash_duo, engine, today, frame_ancestors=[host_page.origin])
    host_page.iframe_src = f"{base}embed/subgroup/{subgroup.id}?token={token}&compact=1"
    host_page.script = _snippet(dash_duo.server.url.rstrip("/"))
    driver = dash_duo.driver
    driver.get(host_page.origin + "/")
    frame = dash_duo.wait_for_element("#cdp-embed")
    driver.switch_to.frame(frame)
    try:
        dash_duo.wait_for_element("#embed-subgroup #subgroup-plan-grid .ag-row", timeout=15)
        wait_until_settled(dash_duo)
        # Compact: the plan, no member list, no terms of reference, no RAG key.
        assert driver.find_elements("css selector", "#members-table, #tor-display, .rag-key") == []
        link = dash_duo.find_element("#embed-open-link")
        assert link.get_attribute("href") == f"{base}subgroup/{subgroup.id}"
        assert link.get_attribute("target") == "_blank"
        assert_no_serious_axe_violations(dash_duo, "compact subgroup embed")
        content = driver.execute_script("return Math.ceil(document.body.getBoundingClientRect().height)")
    finally:
        driver.switch_to.default_content()
    # The host's snippet sized the frame to the content the embed reported: no scrolling inside it.
    WebDriverWait(driver, 10).until(lambda d: frame.size["height"] != 800, "the iframe kept its fixed height")
    inside = driver.execute_script("return arguments[0].clientHeight", frame)  # without the frame's border
    assert abs(inside - content) <= 1
    assert browser_errors(dash_duo) == []


def test_other_origins_cannot_frame_the_app(dash_duo, engine, today, host_page):
    token = embed_token(engine)
    base = serve(dash_duo, engine, today)  # frame_ancestors: 'self' only
    host_page.iframe_src = f"{base}embed/overview?token={token}"

    dash_duo.driver.get(host_page.origin + "/")
    dash_duo.wait_for_element("#intranet-heading")
    dash_duo.driver.switch_to.frame(dash_duo.find_element("#cdp-embed"))
    try:
        with pytest.raises(TimeoutException):
            WebDriverWait(dash_duo.driver, 4, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: app_elements(d) > 0)
        assert app_elements(dash_duo.driver) == 0
    finally:
        dash_duo.driver.switch_to.default_content()
    logs = " ".join(entry.get("message", "") for entry in browser_errors(dash_duo))
    assert "frame-ancestors" in logs


def test_the_app_itself_may_still_frame_its_embeds(dash_duo, engine, today):
    # frame-ancestors 'self': the app's own origin is always allowed (e.g. a preview in an admin page).
    token = embed_token(engine)
    base = serve(dash_duo, engine, today)
    dash_duo.driver.get(f"{base}embed/overview?token={token}")
    dash_duo.wait_for_element("#embed-overview #headline-total")
    dash_duo.driver.execute_script(
        "const f = document.createElement('iframe'); f.id = 'self-frame'; f.src = arguments[0];"
        "document.body.appendChild(f);", f"{base}embed/overview?token={token}")
    dash_duo.driver.switch_to.frame(dash_duo.find_element("#self-frame"))
    try:
        dash_duo.wait_for_element("#embed-overview #headline-total", timeout=15)
    finally:
        dash_duo.driver.switch_to.default_content()
    assert browser_errors(dash_duo) == []


def test_a_theme_embed_with_a_revoked_token_shows_nothing(dash_duo, engine, today, host_page):
    with Session(engine) as session:
        theme_id = session.exec(select(Theme.id).order_by(Theme.number)).first()
    token = embed_token(engine, f"theme:{theme_id}")
    with Session(engine) as session:
        admin = session.exec(select(Person).where(Person.email == DEMO_EMAILS["admin"])).one()
        row = embeds.embed_tokens(session, admin)[0]
        embeds.revoke_embed_token(session, admin, row.id)
        session.commit()
    base = serve(dash_duo, engine, today, frame_ancestors=[host_page.origin])
    host_page.iframe_src = f"{base}embed/theme/{theme_id}?token={token}"
    dash_duo.driver.get(host_page.origin + "/")
    dash_duo.driver.switch_to.frame(dash_duo.wait_for_element("#cdp-embed"))
    try:
        assert "cannot be shown" in dash_duo.wait_for_element("#embed-refused").text
        assert app_elements(dash_duo.driver) == 0
    finally:
        dash_duo.driver.switch_to.default_content()


def test_the_app_works_under_a_prefix_and_the_csp(dash_duo, engine, today):
    base = serve(dash_duo, engine, today)
    # Signed out, any page leads to the sign-in page under the prefix, and back after signing in.
    dash_duo.driver.get(f"{base}themes")
    dash_duo.wait_for_element("#login-submit")
    assert current_path(dash_duo) == f"{PREFIX}login"
    dash_duo.find_element("#email").send_keys(DEMO_EMAILS["chair"])
    dash_duo.find_element("#password").send_keys(DEMO_PASSWORD)
    dash_duo.find_element("#login-submit").click()
    WebDriverWait(dash_duo.driver, 15, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: current_path(dash_duo) == f"{PREFIX}themes")
    wait_until_settled(dash_duo)
    # The overview renders through its callbacks, filters included (a POST with the CSRF header).
    dash_duo.driver.get(base)
    dash_duo.wait_for_element("#headline-total")
    wait_until_settled(dash_duo)
    before = dash_duo.find_element("#headline-total .figure").text
    theme_filter = Select(dash_duo.find_element("#filter-theme"))
    theme_filter.select_by_value(next(o.get_attribute("value") for o in theme_filter.options if o.get_attribute("value")))
    WebDriverWait(dash_duo.driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element("css selector", "#headline-total .figure").text != before,
        "the filter callback did not change the figures")
    wait_until_settled(dash_duo)
    # Navigation links stay under the prefix.
    hrefs = dash_duo.driver.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    assert all(h.startswith(PREFIX) or h.startswith("#") for h in hrefs), hrefs
    # Signing out is a POST form under the prefix.
    dash_duo.find_element("#sign-out").click()
    dash_duo.wait_for_element("#login-submit")
    assert current_path(dash_duo) == f"{PREFIX}login"
    open_page(dash_duo, PREFIX)
    dash_duo.wait_for_element("#login-submit")
    assert browser_errors(dash_duo) == []


def test_every_page_works_under_the_prefix_and_the_csp(dash_duo, engine, today):
    """Each page of the app, signed in as the administrator (who sees every form), under /cdp/: it
    renders, the browser logs no CSP violation or other error, and every link stays under the prefix."""
    with Session(engine) as session:
        theme_id = session.exec(select(Theme.id).order_by(Theme.number)).first()
        subgroup_id = session.exec(select(Subgroup.id).order_by(Subgroup.id)).first()
        action_id = session.exec(select(Action.id).order_by(Action.id)).first()
        indicator_id = session.exec(select(Indicator.id).order_by(Indicator.id)).first()
    pages = ["", "themes", f"theme/{theme_id}", "subgroups", f"subgroup/{subgroup_id}", f"action/{action_id}",
             "indicators", f"indicator/{indicator_id}", "golden-thread", "maturity", "maturity/framework",
             "maturity/rounds", f"maturity/subgroup/{subgroup_id}", "admin", "admin/people", "admin/rag", "admin/subgroups", "audit",
             f"embed/theme/{theme_id}", f"embed/subgroup/{subgroup_id}"]
    base = serve(dash_duo, engine, today)
    dash_duo.driver.get(f"{base}login")
    dash_duo.wait_for_element("#email").send_keys(DEMO_EMAILS["admin"])
    dash_duo.find_element("#password").send_keys(DEMO_PASSWORD)
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_element("#headline-total", timeout=15)
    for page in pages:
        dash_duo.driver.get(base + page)
        dash_duo.wait_for_element("#_pages_content h1", timeout=15)
        wait_until_settled(dash_duo)
        heading = dash_duo.find_element("#_pages_content h1").text
        assert "not found" not in heading.lower(), f"/{page}: {heading}"
        hrefs = dash_duo.driver.execute_script(
            "return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
        outside = [h for h in hrefs if not (h.startswith(PREFIX) or h.startswith("#"))]
        assert outside == [], f"/{page} links outside {PREFIX}: {outside}"
        assert browser_errors(dash_duo) == [], f"/{page}"
