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
import random
import statistics
import time
from datetime import date, timedelta

from app.catalogue import load_catalogue
from app.plan import (
    ExerciseResult,
    History,
    MorningCheckIn,
    SessionRecord,
    build_plan,
    recent_history,
)

START = date(2024, 1, 1)  # a Monday


def grow(catalogue, weeks: int, seed: int = 1):
    """The person's history and the plan state after `weeks` weeks, built every training day."""
    rng = random.Random(seed)
    sessions: list[SessionRecord] = []
    checkins: list[MorningCheckIn] = []
    state = None
    for i in range(weeks * 7):
        today = START + timedelta(days=i)
        checkins.append(
            MorningCheckIn(
                day=today, pain=rng.choice((1, 2, 2, 3)), stiffness=2, fatigue_lingered=False
            )
        )
        if today.weekday() in (1, 3, 5):
            history = recent_history(History(sessions=sessions, checkins=checkins), today)
            plan = build_plan(catalogue, history, today, state)
            state = plan.state
            session = plan.sessions[(today.weekday() - 1) // 2 % len(plan.sessions)]
            sessions.append(
                SessionRecord(
                    day=today,
                    exercises=[
                        ExerciseResult(
                            slug=x.slug,
                            sets_done=x.dose.sets,
                            effort=rng.choice((2, 3, 3, 4, 6)),
                            pain=rng.choice((0, 1, 1, 2)),
                            fatigue_region="nowhere",
                            fatigue_onset="did-not",
                        )
                        for x in session.exercises
                    ],
                )
            )
    return History(sessions=sessions, checkins=checkins), state, START + timedelta(days=weeks * 7)


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
