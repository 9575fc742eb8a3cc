"""Fixed-window counters in the database: counting, the wait they give, and windows ending."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app import ratelimit
from app.models import RateLimit

START = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)  # on a 900-second boundary


def test_attempts_up_to_the_limit_pass_and_the_next_waits_for_the_window_to_end(db):
    now = START + timedelta(seconds=100)
    waits = [ratelimit.hit(db, "login:for:x", 3, 900, now) for _ in range(4)]
    assert waits == [0, 0, 0, 800]


def test_a_new_window_counts_from_zero_and_ended_windows_are_pruned(db):
    for _ in range(3):
        ratelimit.hit(db, "login:for:x", 2, 900, START)
    assert ratelimit.hit(db, "login:for:x", 2, 900, START + timedelta(seconds=900)) == 0
    db.commit()
    ratelimit.prune(db, START + timedelta(seconds=900))
    db.commit()
    assert [r.count for r in db.exec(select(RateLimit))] == [1]


def test_keys_count_separately_and_forget_clears_one(db):
    ratelimit.hit(db, "login:for:x", 1, 900, START)
    assert ratelimit.hit(db, "login:for:y", 1, 900, START) == 0
    ratelimit.forget(db, "login:for:x", 900, START)
    assert ratelimit.hit(db, "login:for:x", 1, 900, START) == 0
