"""Time from navigation to a usable screen, offline, served by the service worker.

Budget (docs/budgets.md): an offline start from the service worker to a usable screen in
under 300 ms on a laptop browser.

A phone-sized context in headless Chromium opens the app once online (the worker installs and
precaches), then goes offline and loads each screen `--runs` times. "Usable" is the mark
app.js sets once the first screen is drawn with its data (`spinewise:screen`: for Today, the
catalogue read from the worker's cache and today's list built from it); it is measured from
the navigation's start (the page's time origin). Also shown: when the worker's answer began
to arrive (`responseStart`). Each load is a fresh document, as when the app is opened again.
The bench waits for the mark with one promise sent as the document commits, so that its own
polling does not run on the page's main thread while the screen is being drawn.

With `--against DIR` (another checkout of the app, such as `git worktree add /tmp/base main`)
both are served at once, each from its own directory, and measured in turns: every round
loads each screen `--runs` times from one, then from the other (which goes first alternates),
so that whatever else the machine is doing weighs on both alike. It prints each screen's
median for both and the median over rounds of this checkout's median divided by the other's.

    .venv/bin/python bench/offline_start.py [--runs 20] [--throttle 1]
    .venv/bin/python bench/offline_start.py --against /tmp/base [--rounds 6] [--runs 5]
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
USABLE = """() => new Promise((resolve, reject) => {
  const usable = () => performance.getEntriesByName('spinewise:screen').length > 0;
  if (usable()) return resolve(true);
  new PerformanceObserver((_, observer) => {
    if (usable()) { observer.disconnect(); resolve(true); }
  }).observe({ type: 'mark' });
  setTimeout(() => reject(new Error(`${location.pathname} was not usable after 10 s`)), 10000);
})"""
TIMES = """() => {
  const [nav] = performance.getEntriesByType('navigation');
  const [mark] = performance.getEntriesByName('spinewise:screen');
  return { usable: mark.startTime, response: nav.responseStart, worker: nav.workerStart > 0 };
}"""


def installed_offline(browser, base: str, throttle: float):
    """A phone-sized page of the app at `base`, its worker installed, the network off."""
    context = browser.new_context(base_url=base, **PHONE)
    page = context.new_page()
    page.add_init_script(CLEARED)
    page.goto("/")
    if not page.evaluate(READY):
        page.reload()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    context.set_offline(True)
    return page


def load(page, path: str) -> dict:
    """One offline start of `path`: its timings (`TIMES`)."""
    page.goto(path, wait_until="commit")
    page.evaluate(USABLE)
    return page.evaluate(TIMES)


def measure(browser, base: str, runs: int, throttle: float) -> dict[str, list[dict]]:
    page = installed_offline(browser, base, throttle)
    try:
        return {path: [load(page, path) for _ in range(runs)] for path in SCREENS}
    finally:
        page.context.close()


def compare(browser, bases: dict[str, str], rounds: int, runs: int, throttle: float) -> None:
    """Both checkouts in turns (`--against`); prints the medians and their ratio."""
    pages = {name: installed_offline(browser, base, throttle) for name, base in bases.items()}
    usable: dict[tuple[str, str, int], list[float]] = {}
    try:
        for n in range(rounds):
            order = list(pages) if n % 2 == 0 else list(pages)[::-1]
            for path in SCREENS:
                for name in order:
                    for _ in range(runs):
                        timing = load(pages[name], path)
                        usable.setdefault((name, path, n), []).append(timing["usable"])
    finally:
        for page in pages.values():
            page.context.close()
    this, other = list(bases)
    print(
        f"offline start, in turns: {rounds} rounds of {runs} loads per screen and checkout, "
        f"CPU {throttle:g}x; usable, median ms"
    )
    print(f"{'screen':22} {this:>10} {other:>10} {'ratio (median of rounds)':>26}")
    for path in SCREENS:
        mine = [u for n in range(rounds) for u in usable[(this, path, n)]]
        theirs = [u for n in range(rounds) for u in usable[(other, path, n)]]
        ratios = [
            statistics.median(usable[(this, path, n)]) / statistics.median(usable[(other, path, n)])
            for n in range(rounds)
        ]
        print(
            f"{path:22} {statistics.median(mine):>10.0f} {statistics.median(theirs):>10.0f}"
            f" {statistics.median(ratios):>26.2f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="loads per screen (default 20)")
    parser.add_argument("--throttle", type=float, default=1, help="CPU slowdown (default 1)")
    parser.add_argument("--against", type=Path, help="another checkout, measured in turns")
    parser.add_argument("--rounds", type=int, default=6, help="turns with --against (default 6)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate(url)
        env = {"DATABASE_URL": url, "ENVIRONMENT": "test"}
        if args.against:
            with (
                uvicorn_process("app.main:create_app", env=env, factory=True) as this,
                uvicorn_process(
                    "app.main:create_app", env=env, factory=True, cwd=args.against.resolve()
                ) as other,
                playwright_session() as playwright,
            ):
                browser = playwright.chromium.launch(
                    executable_path=chromium_path(), args=CHROMIUM_FLAGS
                )
                try:
                    bases = {"this": this, args.against.name: other}
                    compare(browser, bases, args.rounds, args.runs, args.throttle)
                finally:
                    browser.close()
            return 0
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
