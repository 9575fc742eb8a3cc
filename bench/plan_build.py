"""How long one plan build takes against the length of the person's history.

A made-up person trains three times a week (the plan's own sessions, easy answers, now and
then a hard one) and checks in every morning, with mornings wobbling between 1 and 3. The
plan is built the way the server keeps it: from the stored state of the last build, so the
state carries its changes forward. At each history length the build of the next morning is timed
(the median of several interleaved runs, CPU time of this process), once given the last 12
weeks as the server loads them (`app.planning.load_history(since=...)`) and once given the
whole history (the build keeps to the same 12 weeks itself, so this column shows what the
cutting costs). The last column is the whole rebuild as the server runs it after a sync
(`app.planning.rebuild`: read the account's plan, changes and 12 weeks of records from a SQLite
database holding the whole history, build, store the plan and its changes), CPU time too.
The morning check-ins are read afresh for every build, as on a server, where each build's are
new (`read_mornings` keeps a cache that repeated builds of one history would otherwise hit).

    .venv/bin/python bench/plan_build.py [--weeks 1,4,17,35,52,104,156] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from sqlmodel import Session

from app import planning
from app.catalogue import load_catalogue
from app.db import make_engine, migrate
from app.models import CheckIn, SessionLog, StoredPlan, User
from app.plan import build_plan, recent_history
from app.plan.evidence import read_mornings
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


def stored_account(db: Session, catalogue, history, state) -> int:
    """An account holding `history`, the changes of `state` and its plan, as a server would."""
    user = User(email=f"{uuid.uuid4().hex}@example.org", password_hash="-")
    db.add(user)
    db.flush()
    seq = 0
    for s in history.sessions:
        seq += 1
        start = datetime.combine(s.day, clock(18), tzinfo=UTC)
        exercises = [r.model_dump(mode="json") for r in s.exercises]
        db.add(
            SessionLog(
                id=uuid.uuid4(), user_id=user.id, seq=seq, kind="plan", day=s.day,
                started_at=start, ended_at=start + timedelta(minutes=30), updated_at=start,
                exercises=exercises,
            )
        )  # fmt: skip
    for c in history.checkins:
        seq += 1
        moment = datetime.combine(c.day, clock(7), tzinfo=UTC)
        db.add(
            CheckIn(id=uuid.uuid4(), user_id=user.id, seq=seq, updated_at=moment, **c.model_dump())
        )
    db.add_all(planning._change_row(user.id, change) for change in state.changes)
    db.add(
        StoredPlan(
            user_id=user.id, built_on=state.built_on, built_from=seq,
            catalogue_version=catalogue.version, plan={},
            state=state.model_dump(mode="json", exclude={"changes"}),
        )
    )  # fmt: skip
    user.last_seq = seq
    db.commit()
    return user.id


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
    head = ("history", "sessions", "check-ins", "12 weeks ms", "all given ms", "rebuild ms")
    widths = (10, 9, 10, 12, 13, 11)
    print(" ".join(f"{h:>{w}}" for h, w in zip(head, widths, strict=True)))
    folder = tempfile.TemporaryDirectory()
    url = f"sqlite:///{folder.name}/bench.db"
    migrate(url)
    engine = make_engine(url)
    for weeks in (int(w) for w in args.weeks.split(",")):
        history, state, today = grow(catalogue, weeks)
        window = recent_history(history, today)
        with Session(engine) as db:
            account = stored_account(db, catalogue, history, state)

        def windowed(window=window, state=state, today=today):
            read_mornings.cache_clear()
            build_plan(catalogue, window, today, state)

        def whole(history=history, state=state, today=today):
            read_mornings.cache_clear()
            build_plan(catalogue, history, today, state)

        def rebuild(account=account, today=today):
            read_mornings.cache_clear()
            with Session(engine) as db:
                stored = db.get(StoredPlan, account)
                planning.rebuild(db, catalogue, account, today, stored, stored.built_from)

        a, b, c = [], [], []
        for _ in range(args.runs):  # interleaved, so a busy moment hits all alike
            a.append(cpu_ms(windowed, 1))
            b.append(cpu_ms(whole, 1))
            c.append(cpu_ms(rebuild, 1))
        print(
            f"{weeks:>6} wks {len(history.sessions):>9} {len(history.checkins):>10} "
            f"{statistics.median(a):>12.2f} {statistics.median(b):>13.2f} "
            f"{statistics.median(c):>11.2f}"
        )
    engine.dispose()
    folder.cleanup()


if __name__ == "__main__":
    main()
