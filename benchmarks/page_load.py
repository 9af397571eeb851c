"""Benchmark: how long the main pages take to appear in headless Chromium, signed in as the chair.

Serves the app on a free local port (the seeded Northamptonshire data in a temporary SQLite file, a
copy of an SQLite file from benchmarks/generate.py, or a PostgreSQL database it filled), signs in once, then loads each page several times and
prints the median time from navigation to the page being fully drawn, plus the slowest. "Fully drawn":
its content is on screen, every chart has drawn its SVG, and Dash has no callback still loading.

    python benchmarks/page_load.py
    python benchmarks/page_load.py --db instance/bench-x10.db --runs 10
    python benchmarks/page_load.py --db postgresql://postgres@127.0.0.1:5432/bench_x10
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.browser_http import serve_on_loopback  # noqa: E402
from tracker.config import Settings  # noqa: E402
from tracker.web.app import create_app  # noqa: E402

RUNS = 5
PAGES = {
    "overview": ("/", "headline-total"),
    "subgroup": ("/subgroup/3", None),
    "action": ("/action/12", None),
    "golden thread": ("/golden-thread", None),
    "maturity": ("/maturity", None),
}


def fully_drawn(locator):
    """The page's content is there, each chart has drawn, and no callback is still running."""
    def check(driver):
        if not driver.find_elements(*locator):
            return False
        graphs = driver.find_elements(By.CSS_SELECTOR, ".js-plotly-plot, .dash-graph")
        drawn = driver.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .main-svg")
        loading = driver.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']")
        return not loading and (not graphs or drawn) and driver.execute_script("return document.readyState") == "complete"
    return check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an SQLite file from benchmarks/generate.py (copied: sign-in writes), or "
                                     "the URL of a database it filled (used as it is)")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        if args.db and "://" in args.db:
            url = args.db
        elif args.db:
            shutil.copy(args.db, f"{tmp}/bench.db")
        app = create_app(Settings(database_url=url, secret_key="bench", env="laptop", seed_on_start=not args.db),
                         today=date(2026, 11, 23))
        server = serve_on_loopback(app)
        options = webdriver.ChromeOptions()
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--window-size=1280,1024"):
            options.add_argument(arg)
        driver = webdriver.Chrome(options=options)
        wait = WebDriverWait(driver, 120, poll_frequency=0.05)
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            driver.get(f"{base}/login")
            driver.find_element(By.ID, "email").send_keys("chair@cdp.example.org")
            driver.find_element(By.ID, "password").send_keys("demo-password-1")
            driver.find_element(By.ID, "login-submit").click()
            WebDriverWait(driver, 120).until(ec.presence_of_element_located((By.ID, "headline-total")))
            print(f"median and slowest of {args.runs} loads (after one to warm up), navigation to fully drawn"
                  + (f", {args.db}" if args.db else ", the seed"))
            for name, (path, element_id) in PAGES.items():
                times = []
                locator = (By.ID, element_id) if element_id else (By.CSS_SELECTOR, "#_pages_content h1")
                for _ in range(args.runs + 1):
                    started = time.perf_counter()
                    driver.get(base + path)
                    wait.until(fully_drawn(locator))
                    times.append(time.perf_counter() - started)
                times = times[1:]  # the first load fills the caches (the browser's and the database's)
                print(f"{name:<14} {statistics.median(times) * 1000:>7.0f} ms  (slowest {max(times) * 1000:.0f} ms)")
        finally:
            driver.quit()
            server.shutdown()


if __name__ == "__main__":
    main()
