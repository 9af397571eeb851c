"""Benchmark: how long the main pages take to appear in headless Chromium, signed in as the chair.

Serves the app (seeded Northamptonshire data, a temporary SQLite file) on a free local port, signs in
once, then loads each page several times and prints the median time from navigation to the page's
content being on screen (its main heading rendered by Dash), plus the slowest.

    python benchmarks/page_load.py
"""

from __future__ import annotations

import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(database_url=f"sqlite:///{tmp}/bench.db", secret_key="bench", env="laptop"),
                         today=date(2026, 11, 23))
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = make_server("127.0.0.1", port, app.server, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        options = webdriver.ChromeOptions()
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--window-size=1280,1024"):
            options.add_argument(arg)
        driver = webdriver.Chrome(options=options)
        wait = WebDriverWait(driver, 30)
        base = f"http://127.0.0.1:{port}"
        try:
            driver.get(f"{base}/login")
            driver.find_element(By.ID, "email").send_keys("chair@cdp.example.org")
            driver.find_element(By.ID, "password").send_keys("demo-password-1")
            driver.find_element(By.ID, "login-submit").click()
            wait.until(ec.presence_of_element_located((By.ID, "headline-total")))
            print(f"median and slowest of {RUNS} loads, navigation to content on screen")
            for name, (path, element_id) in PAGES.items():
                times = []
                for _ in range(RUNS):
                    started = time.perf_counter()
                    driver.get(base + path)
                    locator = (By.ID, element_id) if element_id else (By.CSS_SELECTOR, "#_pages_content h1")
                    wait.until(ec.presence_of_element_located(locator))
                    times.append(time.perf_counter() - started)
                print(f"{name:<14} {statistics.median(times) * 1000:>7.0f} ms  (slowest {max(times) * 1000:.0f} ms)")
        finally:
            driver.quit()
            server.shutdown()


if __name__ == "__main__":
    main()
