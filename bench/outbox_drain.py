"""Time for 1,000 queued sessions to reach the server, through the app's own outbox.

Budget (docs/budgets.md): 1,000 queued sessions reach the server in a few seconds, in
batches, none lost, none doubled.

In headless Chromium the app's modules do the work: an account is registered, `--sessions`
finished sessions (three exercises each, as the runner saves them) go into IndexedDB and the
outbox while the server cannot be reached, then the server comes back and one `flush()` of
outbox.js sends them, as the `online` event would. Timed: from the flush's start until the
outbox is empty. Then the database is read: every id once, no other.

    .venv/bin/python bench/outbox_drain.py [--sessions 1000] [--runs 3]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import CHROMIUM_FLAGS, PHONE, chromium_path, playwright_session  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from app.db import migrate  # noqa: E402
from bench._servers import uvicorn_process  # noqa: E402

QUEUE = """async (n) => {
  const store = await import('/static/js/store.js');
  const exercise = (slug) => ({
    slug, sets_done: 2, reps_done: 16, effort: 4, pain: 2, fatigue_region: 'hips-glutes',
    fatigue_onset: { set: 2, rep: 6 }, helpful_cues: [], notes: '',
  });
  const ids = [];
  const day = Date.now() - 3 * 86400e3;
  await store.transact(['sessions', 'outbox'], 'readwrite', (sessions, outbox) => {
    for (let i = 0; i < n; i += 1) {
      const started = new Date(day + i * 60e3).toISOString();
      const ended = new Date(day + i * 60e3 + 50e3).toISOString();
      const record = {
        id: crypto.randomUUID(), kind: 'plan', title: 'Today\u2019s session', started_at: started,
        ended_at: ended, updated_at: ended,
        exercises: ['cat-camel', 'glute-bridge', 'dead-bug'].map(exercise),
      };
      ids.push(record.id);
      sessions.put(record);
      outbox.put(store.entry('sessions', record));
    }
  });
  return ids;
}"""

FLUSH = """async () => {
  const outbox = await import('/static/js/outbox.js');
  const began = performance.now();
  const result = await outbox.flush();
  const seconds = (performance.now() - began) / 1000;
  const left = (await outbox.entries()).length;
  return { seconds, left, result };
}"""

REGISTER = """async (email) => {
  const account = await import('/static/js/account.js');
  await account.register(email, 'bench password, not secret');
}"""


def run_once(browser, base: str, engine, n: int, run: int) -> dict:
    context = browser.new_context(base_url=base, **PHONE)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r) if r.url.endswith("/api/sync") else None)
    try:
        page.goto("/account")
        email = f"drain-{run}@example.org"
        page.evaluate(REGISTER, email)
        context.set_offline(True)  # queued while the server cannot be reached
        ids = page.evaluate(QUEUE, n)
        context.set_offline(False)
        requests.clear()
        outcome = page.evaluate(FLUSH)
    finally:
        context.close()
    with engine.connect() as db:
        rows = db.execute(
            text(
                'SELECT s.id FROM session_log s JOIN "user" u ON u.id = s.user_id'
                " WHERE u.email = :e"
            ),
            {"e": email},
        ).all()
    stored = [str(r[0]).replace("-", "") for r in rows]
    return {
        "seconds": outcome["seconds"],
        "left": outcome["left"],
        "requests": len(requests),
        "stored": len(stored),
        "distinct": len(set(stored)),
        "all_there": set(stored) == {i.replace("-", "") for i in ids},
        "delivered": outcome["result"].get("delivered"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate(url)
        engine = create_engine(url)
        env = {"DATABASE_URL": url, "ENVIRONMENT": "test"}
        with (
            uvicorn_process("app.main:create_app", env=env, factory=True) as base,
            playwright_session() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_FLAGS
            )
            try:
                results = []
                for run in range(args.runs):
                    began = time.perf_counter()
                    results.append(run_once(browser, base, engine, args.sessions, run))
                    results[-1]["wall"] = time.perf_counter() - began
            finally:
                browser.close()
        engine.dispose()

    print(
        f"outbox drain: {args.sessions} queued sessions (3 exercises each) through outbox.js "
        "in headless Chromium to a Uvicorn process on SQLite"
    )
    print(
        f"{'run':>4} {'seconds':>8} {'sessions/s':>11} {'requests':>9} {'stored':>7}"
        f" {'distinct':>9} {'left':>5}"
    )
    ok = True
    for i, r in enumerate(results, 1):
        print(
            f"{i:>4} {r['seconds']:>8.2f} {args.sessions / r['seconds']:>11.0f} {r['requests']:>9}"
            f" {r['stored']:>7} {r['distinct']:>9} {r['left']:>5}"
        )
        ok &= r["all_there"] and r["stored"] == r["distinct"] == args.sessions and r["left"] == 0
    median = statistics.median(r["seconds"] for r in results)
    print(f"median {median:.2f} s; none lost, none doubled: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
