"""Benchmark: the downloads that read the whole plan, called as the services the pages call.

    python benchmarks/generate.py --scale 1  --out /tmp/bench/x1.db
    python benchmarks/generate.py --scale 10 --out /tmp/bench/x10.db
    python benchmarks/exports.py --db x1=/tmp/bench/x1.db --db x10=/tmp/bench/x10.db [--runs 3]
    python benchmarks/exports.py --db x10=/tmp/bench/x10.db --only "Excel" --profile   # cProfile, one run

For each database it opens a read-only unit of work (as the download callbacks do), signs nobody in
but picks the chair, and times, `--runs` times after a warm-up:
  - the Excel export of the whole plan (excel.export_plan), and of one theme (the overview's filter);
  - the board report's Word and PDF files for the next meeting (packs.meeting_file), which build the
    report and render it;
  - build_report alone, so the rendering's share shows.
It prints the median and the slowest seconds, the file size, and x10 ÷ x1. It writes nothing. The
machine is shared and noisy: read the ratios of one run, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pages import CHAIR, TODAY  # noqa: E402
from tracker.db import make_engine, session_scope  # noqa: E402
from tracker.models import BoardMeeting, Person, Theme  # noqa: E402
from tracker.services import excel, plan  # noqa: E402
from tracker.services.board import packs  # noqa: E402
from tracker.services.board.report import build_report  # noqa: E402


def jobs(session) -> dict:
    chair = session.exec(select(Person).where(Person.email == CHAIR[0])).one()
    pid = chair.partnership_id
    meeting = session.exec(select(BoardMeeting.id).where(BoardMeeting.partnership_id == pid,
                                                         BoardMeeting.meeting_date >= TODAY)
                           .order_by(BoardMeeting.meeting_date)).first()
    theme = session.exec(select(Theme.id).where(Theme.partnership_id == pid).order_by(Theme.number)).first()
    return {
        "Excel export (whole plan)": lambda: excel.export_plan(session, chair, TODAY).content,
        "Excel export (one theme)": lambda: excel.export_plan(session, chair, TODAY,
                                                              plan.PlanFilter(theme_id=theme)).content,
        "board report (build only)": lambda: build_report(session, pid, meeting, TODAY) and b"",
        "board report Word": lambda: packs.meeting_file(session, chair, meeting, "docx", TODAY).content,
        "board report PDF": lambda: packs.meeting_file(session, chair, meeting, "pdf", TODAY).content,
    }


def measure(db: str, runs: int, only: list[str], profile: bool, top: int) -> dict[str, dict]:
    url = db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    engine = make_engine(url)
    results = {}
    with session_scope(engine, write=False) as session:
        for name, job in jobs(session).items():
            if only and not any(name.startswith(o) for o in only):
                continue
            if profile:
                profiler = cProfile.Profile()
                began = time.perf_counter()
                profiler.runcall(job)
                print(f"--- {name}: {time.perf_counter() - began:.2f} s under cProfile")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
                continue
            size, times = len(job()), []  # a warm-up first
            for _ in range(runs):
                began = time.perf_counter()
                job()
                times.append(time.perf_counter() - began)
                session.expunge_all()  # each run reads the database afresh, as a new request does
            results[name] = {"median": statistics.median(times), "max": max(times), "bytes": size}
    engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", default=[], help="label=path of an SQLite file or a database URL")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", action="append", default=[], help="only the jobs whose name starts with this")
    parser.add_argument("--profile", action="store_true", help="print cProfile's cumulative top instead of timing")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    dbs = dict(item.split("=", 1) for item in args.db)
    if not dbs:
        raise SystemExit("give --db x1=PATH --db x10=PATH (benchmarks/generate.py makes them)")
    table = {label: measure(path, args.runs, args.only, args.profile, args.top) for label, path in dbs.items()}
    if args.profile:
        return
    labels = list(table)
    head = f"{'download':<28}" + "".join(f"{label + ' median/max s':>22}{'KB':>8}" for label in labels)
    if len(labels) > 1:
        head += f"{labels[-1] + '÷' + labels[0]:>10}"
    print(head)
    for name in dict.fromkeys(n for res in table.values() for n in res):
        row = f"{name:<28}"
        for label in labels:
            r = table[label].get(name)
            row += f"{r['median']:>14.2f}/{r['max']:<7.2f}{r['bytes'] / 1024:>8.0f}" if r else f"{'—':>22}{'':>8}"
        first, last = table[labels[0]].get(name), table[labels[-1]].get(name)
        if len(labels) > 1 and first and last:
            row += f"{last['median'] / max(first['median'], 1e-6):>10.1f}"
        print(row)


if __name__ == "__main__":
    main()
