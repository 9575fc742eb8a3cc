"""Rebuilding plans after syncs, off the request path, one account's burst of syncs at a time.

A sync that stores new records asks for its account's plan to be rebuilt. The rebuild waits
until the account has been quiet for `delay` seconds (a device sending a backlog in batches
causes one rebuild, not one per batch) and then runs on this process's one rebuild thread,
so a sync's answer never waits for a plan and rebuilds never crowd out syncs. Nothing is
lost if the process stops first: `GET /api/plan` rebuilds any plan older than its records.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Rebuilds:
    """Calls `rebuild(account_id)` for each account asked for, `delay` seconds after its last
    ask, on one thread of its own."""

    def __init__(self, rebuild: Callable[[int], object], delay: float) -> None:
        self._rebuild = rebuild
        self._delay = delay
        self._due: dict[int, float] = {}  # account → when its rebuild may run (monotonic)
        self._busy = 0  # rebuilds running now (0 or 1)
        self._changed = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="plan-rebuilds", daemon=True)
        self._thread.start()

    def ask(self, account_id: int) -> None:
        """The account has new records: rebuild its plan once it has been quiet a while."""
        with self._changed:
            self._due[account_id] = time.monotonic() + self._delay
            self._changed.notify()

    def wait_idle(self, timeout: float = 10) -> bool:
        """Wait until nothing is due or running (tests); False on timeout."""
        end = time.monotonic() + timeout
        with self._changed:
            while self._due or self._busy:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.05))
        return True

    def stop(self) -> None:
        """Stop after the rebuild running now, if any; what is still due is left to reads."""
        with self._changed:
            self._stopping = True
            self._changed.notify()
        self._thread.join(timeout=30)

    def _next(self) -> int | None:
        with self._changed:
            while not self._stopping:
                now = time.monotonic()
                ready = [a for a, due in self._due.items() if due <= now]
                if ready:
                    account = min(ready, key=self._due.__getitem__)
                    del self._due[account]
                    self._busy = 1
                    return account
                soonest = min(self._due.values(), default=None)
                self._changed.wait(None if soonest is None else soonest - now)
            return None

    def _run(self) -> None:
        while (account := self._next()) is not None:
            try:
                self._rebuild(account)
            except Exception:
                log.exception("rebuilding the plan of account %s failed", account)
            finally:
                with self._changed:
                    self._busy = 0
                    self._changed.notify_all()
