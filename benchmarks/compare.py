"""Two checkouts of the tracker timed against each other, request by request, on one database.

    git worktree add /tmp/before f892375
    python benchmarks/compare.py --before /tmp/before --db instance/bench-x10.db --view / --view /theme/1
    python benchmarks/compare.py --before /tmp/before --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_x10 \\
        --view "/golden-thread?theme=all" --pairs 60

Each checkout serves the app from its own process on a loopback port (`--after` is this checkout unless
given). The client signs in to both as the chair and loads each view (the page router's callback and
every callback the page fires on load, as pages.py does) from one and then the other, swapping which
goes first at every pair, so that a busy spell on a shared machine falls on both sides of each pair.
It prints each side's median and p95 and the median of the ratios pair by pair (before ÷ after), with
their interquartile range. On these machines the same code measures 1.5-2× apart from one minute to
the next, so two separate runs compare nothing; a ratio taken pair by pair holds. It only reads.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.browser_http import Client, pct, view_requests  # noqa: E402
from benchmarks.pages import CHAIR  # noqa: E402

HERE = Path(__file__).resolve().parent.parent

# Run inside each checkout, with that checkout's own code: serve the app, print the port, serve until
# the comparing process closes standard input.
_SERVE = """
import logging
import sys
sys.path.insert(0, ".")
logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
from benchmarks.browser_http import serve_on_loopback
from benchmarks.pages import TODAY
from tracker.config import Settings
from tracker.db import make_engine
from tracker.web.app import create_app
url = sys.argv[1]
settings = Settings(database_url=url, secret_key="benchmark-secret-key-0123456789abcdef", seed_on_start=False,
                    env="laptop")
server = serve_on_loopback(create_app(settings, engine=make_engine(url), today=TODAY))
print(server.server_port, flush=True)
sys.stdin.read()
"""


def serve(checkout: Path, url: str) -> tuple[subprocess.Popen, Client]:
    process = subprocess.Popen([sys.executable, "-c", _SERVE, url], cwd=checkout, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    port = process.stdout.readline().strip()
    if not port.isdigit():
        process.kill()
        raise SystemExit(f"{checkout}: the app did not start")
    client = Client(f"http://127.0.0.1:{port}/")
    client.sign_in(*CHAIR)
    return process, client


def compare(sides: list[tuple[Client, list[dict]]], path: str, search: str, pairs: int) -> dict:
    for client, deps in sides:  # warm both: first loads fill caches and compile statements
        for _ in range(5):
            view_requests(client, deps, path, search)
    before, after = [], []
    for n in range(pairs):
        order = (0, 1) if n % 2 == 0 else (1, 0)
        took = {}
        for side in order:
            client, deps = sides[side]
            took[side] = view_requests(client, deps, path, search)[0] * 1000
        before.append(took[0])
        after.append(took[1])
    ratios = sorted(b / a for b, a in zip(before, after, strict=True))
    return {"before": before, "after": after, "ratio": statistics.median(ratios),
            "iqr": (pct(ratios, 0.25), pct(ratios, 0.75))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout (a git worktree)")
    parser.add_argument("--after", type=Path, default=HERE)
    parser.add_argument("--db", default="instance/bench-x10.db")
    parser.add_argument("--view", action="append", help="a path, with its query string if any (repeatable)")
    parser.add_argument("--pairs", type=int, default=100)
    args = parser.parse_args()
    url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).resolve()}"
    started = [serve(args.before.resolve(), url), serve(args.after.resolve(), url)]
    try:
        sides = [(client, json.loads(client.request("_dash-dependencies")[1])) for _, client in started]
        print(f"{'view':<28} {'before median / p95':>20} {'after median / p95':>20} {'before ÷ after':>14}  IQR")
        for view in args.view or ["/"]:
            path, _, query = view.partition("?")
            r = compare(sides, path, f"?{query}" if query else "", args.pairs)
            print(f"{view:<28} {statistics.median(r['before']):>9.1f} / {pct(r['before'], 0.95):>6.1f} ms"
                  f" {statistics.median(r['after']):>9.1f} / {pct(r['after'], 0.95):>6.1f} ms"
                  f" {r['ratio']:>13.3f}x  {r['iqr'][0]:.3f}-{r['iqr'][1]:.3f}")
    finally:
        for process, _ in started:
            process.stdin.close()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
