"""Profile one view's page callback in-process (Flask test client, signed in as the chair).

    python benchmarks/profile_view.py --db instance/bench-x10.db --path / [--search ?theme=1] [--top 30]

Prints the view's wall time over --runs; then the SQL it runs (each statement of one more run, replayed on
its own connection and fetched in full, best of --runs): how much of the view's time its SQL needs; then
cProfile's cumulative top functions for one more run (--top 0 for none).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.browser_http import router_payload  # noqa: E402
from benchmarks.pages import CHAIR, TODAY  # noqa: E402
from benchmarks.view_sql import replayed_ms, statements_of  # noqa: E402
from tracker.config import Settings  # noqa: E402
from tracker.db import make_engine  # noqa: E402
from tracker.web.app import create_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="instance/bench-x10.db")
    parser.add_argument("--path", default="/")
    parser.add_argument("--search", default="")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).resolve()}"
    settings = Settings(database_url=url, secret_key="benchmark-secret-key-0123456789abcdef", seed_on_start=False,
                        env="laptop")
    engine = make_engine(url)
    app = create_app(settings, engine=engine, today=TODAY)
    client = app.server.test_client()
    body = client.get("/login").get_data()
    marker = b'name="csrf_token" value="'
    form = {"email": CHAIR[0], "password": CHAIR[1]}
    if marker in body:
        form["csrf_token"] = body.split(marker, 1)[1].split(b'"', 1)[0].decode()
    client.post("/login", data=form)
    token = client.get_cookie("_csrf_token")
    headers = {"X-CSRFToken": token.value if token else ""}
    payload = json.dumps(router_payload(args.path, args.search))

    def once() -> tuple[float, int]:
        began = time.perf_counter()
        reply = client.post("/_dash-update-component", data=payload, content_type="application/json",
                            headers=headers)
        if reply.status_code != 200:
            raise SystemExit(f"{args.path}: {reply.status_code} {reply.get_data()[:300]!r}")
        return (time.perf_counter() - began) * 1000, len(reply.get_data())

    once()
    times = [once()[0] for _ in range(args.runs)]
    print(f"{args.path}{args.search}: median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, "
          f"{once()[1] / 1024:.0f} KB")
    statements = statements_of(engine, once)
    sql = replayed_ms(engine, statements, args.runs)
    # The verdict compares the view's median with the SQL's best replay; noise raises a median more
    # than a best, so the best against the best is printed beside it.
    print(f"its SQL: {len(statements)} statements, {sql:.1f} ms replayed "
          f"(the view takes {statistics.median(times) / sql:.1f}x its SQL; at best {min(times) / sql:.1f}x)")
    if not args.top:
        return
    profile = cProfile.Profile()
    profile.enable()
    once()
    profile.disable()
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
