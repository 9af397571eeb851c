"""Benchmark: what the Content-Security-Policy costs per response.

The security headers ask Dash's public `app.csp_hashes()` for the inline-script hashes on every
response (Dash adds the pages' title script on the first request, so a policy fixed at start would
miss it) and cache the policy text per set of hashes. Prints the median time of
  - app.csp_hashes() alone (hashing Dash's inline scripts),
  - the whole policy (hashes + cached text), as each response pays it,
  - a signed-out GET /login through the Flask test client, for scale.

    python benchmarks/csp.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.pool import StaticPool  # noqa: E402
from sqlmodel import create_engine  # noqa: E402

from tracker.config import Settings  # noqa: E402
from tracker.web.app import create_app  # noqa: E402

ROUNDS = 2000


def median_us(fn, rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    app = create_app(Settings(database_url="sqlite://", secret_key="bench"), engine=engine)
    server = app.server
    client = server.test_client()
    client.get("/login")  # the first request: Dash registers the pages' title script
    headers = server.after_request_funcs[None]
    security_headers = next(f for f in headers if type(f).__name__ == "SecurityHeaders")

    print(f"inline scripts hashed: {len(app.csp_hashes())}")
    print(f"app.csp_hashes():           {median_us(app.csp_hashes):8.1f} µs")
    print(f"policy per response:        {median_us(security_headers.policy):8.1f} µs")
    print(f"GET /login (whole request): {median_us(lambda: client.get('/login'), 200):8.1f} µs")


if __name__ == "__main__":
    main()
