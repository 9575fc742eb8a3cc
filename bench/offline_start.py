"""Time from navigation to a usable screen, offline, served by the service worker.

Budget (docs/budgets.md): an offline start from the service worker to a usable screen in
under 300 ms on a laptop browser.

A phone-sized context in headless Chromium opens the app once online (the worker installs and
precaches), then goes offline and loads each screen `--runs` times. "Usable" is the mark
app.js sets once the first screen is drawn with its data (`spinewise:screen`: for Today, the
catalogue read from the worker's cache and today's list built from it); it is measured from
the navigation's start (the page's time origin). Also shown: when the worker's answer began
to arrive (`responseStart`). Each load is a fresh document, as when the app is opened again.

    .venv/bin/python bench/offline_start.py [--runs 20] [--throttle 1]
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import CHROMIUM_FLAGS, PHONE, chromium_path, playwright_session  # noqa: E402

from app.db import migrate  # noqa: E402
from bench._servers import uvicorn_process  # noqa: E402

BUDGET_MS = 300
SCREENS = ["/", "/exercises", "/exercises/bird-dog", "/history", "/breathe"]
# The red-flag questions answered (nothing ticked) and the gate open: prefs.js.
CLEARED = (
    "localStorage.setItem('spinewise.screening', JSON.stringify({signs: [],"
    " answered_at: '2100-01-01T00:00:00Z', cycle: null, cleared_on: null, cleared_signs: [],"
    " updated_at: '2100-01-01T00:00:00Z'}));"
    "localStorage.setItem('spinewise.gate', JSON.stringify('open'))"
)
READY = """async () => {
  const { active } = await navigator.serviceWorker.ready;
  while (active.state !== 'activated') {
    await new Promise((r) => active.addEventListener('statechange', r, { once: true }));
  }
  return navigator.serviceWorker.controller !== null;
}"""
USABLE = "() => performance.getEntriesByName('spinewise:screen').length > 0"
TIMES = """() => {
  const [nav] = performance.getEntriesByType('navigation');
  const [mark] = performance.getEntriesByName('spinewise:screen');
  return { usable: mark.startTime, response: nav.responseStart, worker: nav.workerStart > 0 };
}"""


def measure(browser, base: str, runs: int, throttle: float) -> dict[str, list[dict]]:
    context = browser.new_context(base_url=base, **PHONE)
    page = context.new_page()
    page.add_init_script(CLEARED)
    try:
        page.goto("/")
        if not page.evaluate(READY):
            page.reload()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        context.set_offline(True)
        results: dict[str, list[dict]] = {}
        for path in SCREENS:
            for _ in range(runs):
                page.goto(path)
                page.wait_for_function(USABLE)
                results.setdefault(path, []).append(page.evaluate(TIMES))
        return results
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="loads per screen (default 20)")
    parser.add_argument("--throttle", type=float, default=1, help="CPU slowdown (default 1)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate(url)
        env = {"DATABASE_URL": url, "ENVIRONMENT": "test"}
        with (
            uvicorn_process("app.main:create_app", env=env, factory=True) as base,
            playwright_session() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_FLAGS
            )
            try:
                results = measure(browser, base, args.runs, args.throttle)
            finally:
                browser.close()

    print(
        f"offline start: headless Chromium, {args.runs} loads per screen, CPU {args.throttle:g}x, "
        "network off, everything from the service worker"
    )
    print(f"{'screen':22} {'usable median':>14} {'p90':>7} {'max':>7} {'first byte':>11}")
    worst = 0.0
    for path, runs in results.items():
        usable = sorted(r["usable"] for r in runs)
        assert all(r["worker"] for r in runs), "a load did not go through the worker"
        p90 = usable[int(0.9 * (len(usable) - 1))]
        first_byte = statistics.median(r["response"] for r in runs)
        print(
            f"{path:22} {statistics.median(usable):>11.0f} ms {p90:>4.0f} ms {usable[-1]:>4.0f} ms"
            f" {first_byte:>8.0f} ms"
        )
        worst = max(worst, p90)
    ok = worst < BUDGET_MS
    verdict = "met" if ok else "NOT met"
    print(f"budget: usable in under {BUDGET_MS} ms (p90 of every screen): {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
