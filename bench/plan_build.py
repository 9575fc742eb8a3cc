"""How long one plan build takes against the length of the person's history.

A made-up person trains three times a week (the plan's own sessions, easy answers, now and
then a hard one) and checks in every morning, with mornings wobbling between 1 and 3. The
plan is built the way the server keeps it: from the stored state of the last build, so the
state carries its changes forward. At each history length the build of the next morning is timed
(the median of several interleaved runs, CPU time of this process), once given the last 12
weeks as the server loads them (`app.planning.load_history(since=...)`) and once given the
whole history (the build keeps to the same 12 weeks itself, so this column shows what the
cutting costs).

    .venv/bin/python bench/plan_build.py [--weeks 1,4,17,35,52,104,156] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta

from app.catalogue import load_catalogue
from app.plan import build_plan, recent_history
from app.plan.simulate import Answers, Mornings, Override, Scenario, replay


def grow(catalogue, weeks: int):
    """The person's history, the plan state after `weeks` weeks (replayed day by day as the
    server builds, `app.plan.simulate.replay`), and the next morning."""
    person = Scenario(
        start=date(2024, 1, 1),
        weeks=weeks,
        mornings=Mornings(pain=[1, 2, 2, 3], stiffness=2, seed=1),
        answers=Answers(effort=3, pain=1),
        overrides=[Override(days=["thu"], effort=6)],  # now and then a harder one
    )
    _, state, history = replay(catalogue, person)
    return history, state, state.built_on + timedelta(days=1)


def cpu_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append((time.process_time() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weeks", default="1,4,17,35,52,104,156")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    catalogue = load_catalogue()
    head = ("history", "sessions", "check-ins", "12 weeks ms", "all given ms")
    print(" ".join(f"{h:>{w}}" for h, w in zip(head, (10, 9, 10, 12, 13), strict=True)))
    for weeks in (int(w) for w in args.weeks.split(",")):
        history, state, today = grow(catalogue, weeks)
        window = recent_history(history, today)

        def windowed(window=window, state=state, today=today):
            build_plan(catalogue, window, today, state)

        def whole(history=history, state=state, today=today):
            build_plan(catalogue, history, today, state)

        a, b = [], []
        for _ in range(args.runs):  # interleaved, so a busy moment hits both alike
            a.append(cpu_ms(windowed, 1))
            b.append(cpu_ms(whole, 1))
        print(
            f"{weeks:>6} wks {len(history.sessions):>9} {len(history.checkins):>10} "
            f"{statistics.median(a):>12.2f} {statistics.median(b):>13.2f}"
        )


if __name__ == "__main__":
    main()
