"""Plans rebuilt after syncs (app.rebuilds): once per burst of syncs, off the request path."""

import threading
import time

from app.rebuilds import Rebuilds


def test_a_burst_of_asks_for_one_account_rebuilds_it_once_after_the_pause():
    done: list[int] = []
    rebuilds = Rebuilds(done.append, delay=0.2)
    try:
        for _ in range(3):  # a backlog sent in three batches
            rebuilds.ask(7)
            time.sleep(0.05)
        rebuilds.ask(8)
        assert done == []  # nobody has paused long enough yet
        assert rebuilds.wait_idle()
        assert sorted(done) == [7, 8]
    finally:
        rebuilds.stop()


def test_an_ask_during_a_rebuild_rebuilds_again_afterwards():
    started, release = threading.Event(), threading.Event()
    done: list[int] = []

    def slow(account: int) -> None:
        started.set()
        release.wait(5)
        done.append(account)

    rebuilds = Rebuilds(slow, delay=0)
    try:
        rebuilds.ask(1)
        assert started.wait(5)
        rebuilds.ask(1)  # records arrived after the running build read the history
        release.set()
        assert rebuilds.wait_idle()
        assert done == [1, 1]
    finally:
        rebuilds.stop()


def test_a_failing_rebuild_is_logged_and_the_next_still_runs(caplog):
    done: list[int] = []

    def flaky(account: int) -> None:
        if account == 1:
            raise RuntimeError("database away")
        done.append(account)

    rebuilds = Rebuilds(flaky, delay=0)
    try:
        rebuilds.ask(1)
        assert rebuilds.wait_idle()
        rebuilds.ask(2)
        assert rebuilds.wait_idle()
        assert done == [2]
        assert "rebuilding the plan of account 1 failed" in caplog.text
    finally:
        rebuilds.stop()


def test_stopping_leaves_what_is_due_to_the_next_read():
    done: list[int] = []
    rebuilds = Rebuilds(done.append, delay=60)
    rebuilds.ask(3)
    rebuilds.stop()
    assert done == []
