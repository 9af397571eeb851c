"""Browser tests: the real app in a dash_duo server thread, driven by headless Chromium.

- `dash_duo`: dash's own fixture object, but each pytest process keeps one Chromium and hands it,
  cleaned, to each test in turn (starting Chromium costs seconds); the window is 1280x1024 and
  prefers reduced motion (see _prepare). TRACKER_TEST_FRESH_BROWSER=1 gives every test a new one.
- `tracker_app`: the app on this test's own seeded in-memory database, with "today" pinned.
- `tracker_duo`: dash_duo with `tracker_app` already serving (not yet signed in).
- `sign_in(dash_duo, email)`: sign in through the real form and wait for the overview.
- `assert_no_serious_axe_violations(dash_duo, page_name)` (tests/browser/axe.py): axe-core's WCAG 2.x
  A/AA rules on the page as it is now; fails listing every serious or critical violation.

Every worker of pytest-xdist runs its own servers; dash's ThreadedRunner numbers ports from 58050 in
each process, so two workers would collide. `dash_thread_server` is overridden here (_ServerRunner)
to start each server on a port the operating system has handed out as free, the same one test after
test within a process (so the shared browser's cache of dash's scripts stays valid; see _bind).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from datetime import date
from urllib.parse import urlparse

import dash
import pytest
from dash.testing import wait as dash_wait
from dash.testing.application_runners import ThreadedRunner
from dash.testing.composite import DashComposite
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy.engine import Engine
from werkzeug.serving import make_server

from tests.conftest import DEMO_PASSWORD
from tracker.config import Settings
from tracker.web.app import create_app


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _ServerRunner(ThreadedRunner):
    """dash's ThreadedRunner, serving on a free port and stopping at once.

    dash's runner calls app.run in a thread and stops it by raising SystemExit in every thread
    started since (up to a second per test, and it would also kill threads a test started). This one
    serves the app's Flask server with werkzeug's threaded server, as app.run does, polls for
    shutdown every 50 ms, and stops with server.shutdown().
    """

    def start(self, app, start_timeout=10, port=None, **kwargs):
        self._app = app
        app.scripts.config.serve_locally = True
        app.css.config.serve_locally = True
        kwargs.setdefault("dev_tools_disable_version_check", True)
        app.enable_dev_tools(**{"debug": False, **kwargs})
        self._server = _bind(app.server, port)
        self.port = self._server.port
        self.thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        self.started = True
        dash_wait.until(lambda: self.accessible(self.url), timeout=start_timeout)

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self.thread.join(timeout=self.stop_timeout)
        self._app = None
        self.started = False


_process_port: int | None = None  # the port this process's test servers listen on, one after another


def _bind(wsgi_app, port: int | None):
    """A server for this test on the port the process's earlier tests used, when it is free.

    The same origin test after test lets the shared browser keep dash's scripts (plotly.js is 3.5 MB)
    in its cache and compiled, instead of fetching and parsing them again for each test's new port.
    A second server in the same test (the port is taken) gets a port of its own."""
    global _process_port
    if port is None and _process_port is not None:
        try:
            return make_server("127.0.0.1", _process_port, wsgi_app, threaded=True)
        except OSError:
            return make_server("127.0.0.1", free_port(), wsgi_app, threaded=True)
    server = make_server("127.0.0.1", port or free_port(), wsgi_app, threaded=True)
    if port is None:
        _process_port = server.port
    return server


@pytest.fixture
def dash_thread_server() -> Iterator[ThreadedRunner]:
    with _ServerRunner() as runner:
        yield runner


WINDOW_SIZE = (1280, 1024)  # a council laptop's browser window
IMPLICIT_WAIT = 2  # seconds find_element waits for an element to appear (dash_duo's own default)


def _without_implicit_wait(find_elements):
    """find_elements that answers at once. With an implicit wait, every look that finds nothing (an
    absence asserted, a poll inside WebDriverWait) waits the full 2 s first: most of the suite's time.
    Tests wait for what they expect to appear (wait_for_element, wait_until_settled) before looking."""

    def find_now(self, *args, **kwargs):
        driver = self.parent if isinstance(self, WebElement) else self
        driver.implicitly_wait(0)
        try:
            return find_elements(self, *args, **kwargs)
        finally:
            driver.implicitly_wait(IMPLICIT_WAIT)

    return find_now


WebDriver.find_elements = _without_implicit_wait(WebDriver.find_elements)
WebElement.find_elements = _without_implicit_wait(WebElement.find_elements)


def _new_duo(config, download_path: str) -> DashComposite:
    """A DashComposite (what dash_duo is) with its own Chromium, set up as dash's plugin does."""
    return DashComposite(
        server=None,
        browser=config.getoption("webdriver"),
        remote=config.getoption("remote"),
        remote_url=config.getoption("remote_url"),
        headless=config.getoption("headless"),
        options=config.hook.pytest_setup_options(),
        download_path=download_path,
        percy_assets_root=config.getoption("percy_assets"),
        percy_finalize=config.getoption("nopercyfinalize"),
        pause=config.getoption("pause"),
    )


def _alive(duo: DashComposite) -> bool:
    try:
        duo.driver.current_url  # noqa: B018  (a round trip to the browser)
        return True
    except WebDriverException:
        return False


class _Browsers:
    """One Chromium per pytest process, reused by every browser test it runs.

    Starting and stopping Chromium costs seconds per test; a test instead gets the browser
    cleaned (cookies, storage, extra windows, logs) and pointed at its own server. Set
    TRACKER_TEST_FRESH_BROWSER=1 to give every test a new browser, as dash's own dash_duo does.
    """

    def __init__(self, config, download_path: str):
        self.config = config
        self.download_path = download_path
        self.fresh = os.environ.get("TRACKER_TEST_FRESH_BROWSER", "") not in ("", "0")
        self.duo: DashComposite | None = None

    def take(self) -> DashComposite:
        if self.duo is not None and (self.fresh or not _alive(self.duo)):
            self.close()
        if self.duo is None:
            self.duo = _new_duo(self.config, self.download_path)
            self.duo._tracker_attributes = set(vars(self.duo)) | {"_tracker_attributes"}
        return self.duo

    def give_back(self, duo: DashComposite, server_url: str | None) -> None:
        if self.fresh:
            self.close()
            return
        try:
            _clean(duo, server_url)
        except WebDriverException:
            self.close()  # a browser that cannot be cleaned is not reused

    def close(self) -> None:
        if self.duo is not None:
            self.duo.__exit__(None, None, None)
            self.duo = None


def _prepare(duo: DashComposite) -> None:
    """A window of a laptop's size, reduced motion, dash_duo's own defaults, an empty log.

    Headless Chromium's default window is 780x580. Bootstrap scrolls smoothly (`scroll-behavior:
    smooth`) and animates collapses and fades unless the user prefers reduced motion; Selenium clicks
    while the smooth scroll is still moving, and the click lands on whatever is under the pointer
    ("element click intercepted"). Emulating prefers-reduced-motion, a real user setting that the
    app must support anyway, makes scrolling instant and transitions immediate.
    """
    driver = duo.driver
    driver.set_window_size(*WINDOW_SIZE)
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]},
    )
    driver.implicitly_wait(IMPLICIT_WAIT)
    duo.wait_timeout = 10
    duo._url = ""  # noqa: SLF001  (dash's Browser keeps the server URL here)
    duo.reset_log_timestamp()  # what an earlier test's pages logged is not this test's


def _clean(duo: DashComposite, server_url: str | None) -> None:
    """Leave the browser as a new one: one blank window, no cookies, no storage for the test's origin."""
    driver = duo.driver
    try:
        driver.switch_to.alert.dismiss()
    except WebDriverException:
        pass
    handles = driver.window_handles
    for handle in handles[1:]:
        driver.switch_to.window(handle)
        driver.close()
    driver.switch_to.window(handles[0])
    duo._window_idx = 0  # noqa: SLF001
    # Leave the test's page first: a request it still had in flight (a sign-in's redirect, say)
    # could otherwise set its cookie after the clearing, and the next test would start signed in.
    driver.get("about:blank")
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    if server_url:
        driver.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": server_url.rstrip("/"), "storageTypes": "all"})
    for attribute in set(vars(duo)) - duo._tracker_attributes:  # noqa: SLF001
        delattr(duo, attribute)  # whatever a test hung on dash_duo (e.g. an engine) goes too


@pytest.fixture(scope="session")
def _browsers(request, tmp_path_factory) -> Iterator[_Browsers]:
    browsers = _Browsers(request.config, str(tmp_path_factory.mktemp("download")))
    yield browsers
    browsers.close()


@pytest.fixture
def dash_duo(_browsers: _Browsers, dash_thread_server):
    """dash's dash_duo (same object, same methods), on a shared, cleaned browser; see _Browsers."""
    duo = _browsers.take()
    duo.server = dash_thread_server
    _prepare(duo)
    yield duo
    server_url = dash_thread_server.url if dash_thread_server.started else None
    _browsers.give_back(duo, server_url)


@pytest.fixture
def tracker_settings() -> Settings:
    return Settings(database_url="sqlite://", seed_on_start=False, secret_key="test")


@pytest.fixture
def tracker_app(engine: Engine, today: date, tracker_settings: Settings) -> dash.Dash:
    return create_app(tracker_settings, engine=engine, today=today)


@pytest.fixture
def tracker_duo(dash_duo, tracker_app):
    """dash_duo with the tracker serving; the browser is on the sign-in page."""
    start_tracker(dash_duo, tracker_app)
    return dash_duo


def start_tracker(dash_duo, app: dash.Dash) -> None:
    """Serve `app` and open the sign-in page.

    dash_duo.start_server would wait for Dash's entry point at "/", but a signed-out visit there is
    redirected to the plain sign-in page, which has none; so navigate ourselves.
    """
    dash_duo.start_server(app, navigate=False)
    open_page(dash_duo, "/login")
    dash_duo.wait_for_element("#login-submit")


def url_for(dash_duo, path: str) -> str:
    return dash_duo.server.url.rstrip("/") + "/" + path.lstrip("/")


def open_page(dash_duo, path: str) -> None:
    dash_duo.driver.get(url_for(dash_duo, path))


def current_path(dash_duo) -> str:
    return urlparse(dash_duo.driver.current_url).path


def submit_sign_in(dash_duo, email: str, password: str) -> None:
    """Open the sign-in page, fill in the form and submit it."""
    open_page(dash_duo, "/login")
    email_box = dash_duo.wait_for_element("#email")
    email_box.clear()
    email_box.send_keys(email)
    password_box = dash_duo.find_element("#password")
    password_box.clear()
    password_box.send_keys(password)
    dash_duo.find_element("#login-submit").click()


def sign_in(dash_duo, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form and wait until the overview has rendered (a member lands on
    /my-actions: the overview is opened after it)."""
    submit_sign_in(dash_duo, email, password)
    WebDriverWait(dash_duo.driver, 15).until(lambda d: current_path(dash_duo) != "/login"
                                             or d.find_elements("css selector", "#login-error"))
    if current_path(dash_duo) == "/my-actions":
        open_page(dash_duo, "/")
    wait_for_overview(dash_duo)


def wait_for_overview(dash_duo, timeout: float = 15) -> None:
    try:
        dash_duo.wait_for_element("#headline-total", timeout=timeout)
    except TimeoutException:
        pass
    else:
        wait_until_settled(dash_duo)
        return
    # Say why, rather than just "timed out".
    errors = dash_duo.driver.find_elements("css selector", "#login-error")
    why = f"the sign-in page says {errors[0].text!r}" if errors else f"the browser is on {current_path(dash_duo)}"
    pytest.fail(f"the overview did not appear within {timeout}s: {why}; browser log: {dash_duo.get_logs()}")


def wait_until_settled(dash_duo, timeout: float = 10) -> None:
    """Wait until no Dash callback is in flight, so what the test reads is the final page."""
    WebDriverWait(dash_duo.driver, timeout).until(
        lambda driver: driver.execute_script(
            "return document.readyState === 'complete'"
            " && !document.querySelector('[data-dash-is-loading=\"true\"]')"
            " && !document.querySelector('._dash-loading')"
        ),
        "the page is still loading",
    )


def browser_errors(dash_duo) -> list[dict]:
    """What the browser logged as SEVERE since the last call: failed requests, script errors."""
    return [entry for entry in dash_duo.get_logs() or [] if entry.get("level") == "SEVERE"]


def css_id(component_id: str | dict) -> str:
    """A CSS selector for the element with this Dash id (a pattern-matching id as Dash writes it in
    the page: compact JSON, keys sorted)."""
    from tracker.web.components.forms import dom_id

    return f"[id='{dom_id(component_id)}']" if isinstance(component_id, dict) else f"#{component_id}"


def form_css(form: str, field: str, part: str | None = None) -> str:
    """The selector of a form's control (tracker.web.components.forms.form_field), or with `part`
    ("error", "hint", "feedback") of its companion."""
    return css_id({"form": f"{form}-{part}" if part else form, "field": field})
