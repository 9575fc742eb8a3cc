"""Lighthouse's accessibility score for every screen and state, light and dark, at 390x844
and 360x640.

Not part of the test suite (a Lighthouse run takes seconds a screen); the suite runs axe-core
on the same screens (tests/test_browser_a11y.py). Lighthouse comes from npm (`npm ci`).
Playwright starts the Chromium at SPINEWISE_CHROMIUM (default /usr/bin/chromium) with a
debugging port, a phone's screen (390x844, then 360x640) and the colour scheme; it clears the
red-flag screen (so that Today, Breathe and the session show, not the red flags in front of
them), opens each address, and brings the page with its fake clock to the states no address
opens: the red flags' "see a doctor", the pacer in a movement, its "More" controls, the leave
dialog, a rest, the questions, the summary, a breath practice and its end, Today once done,
History with sessions. Lighthouse audits each where it stands, in snapshot mode
(bench/lighthouse_snapshot.mjs), so the page keeps the size and scheme Playwright gave it.
Every failed audit is printed with the elements it names.

    .venv/bin/python bench/lighthouse_a11y.py [--screens / /history ...] [--no-states]
        [--schemes light dark]
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_support import SKIP_RED_FLAGS, T0, to_first_movement  # noqa: E402
from conftest import CHROMIUM_FLAGS, PHONE, chromium_path, playwright_session  # noqa: E402
from playwright.sync_api import Page, expect  # noqa: E402

from app.db import migrate  # noqa: E402
from bench._servers import free_port, uvicorn_process  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
SNAPSHOT = ROOT / "bench" / "lighthouse_snapshot.mjs"
FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
SIZES = [(390, 844), (360, 640)]
SCREENS = [
    "/safety",
    "/",
    "/breathe",
    "/exercises",
    "/exercises/glute-bridge",
    "/history",
    "/checkin",
    "/account",
    "/account?forgot",
    "/reset#token=bench",
    "/session?exercise=glute-bridge",
    "/session?practice=paced&rhythm=4-6&minutes=3",
]  # not the 404 page: Lighthouse refuses a page answered 404 (axe covers it in the tests)
ASK_RED_FLAGS = (
    "localStorage.removeItem('spinewise.screening'); localStorage.removeItem('spinewise.gate')"
)


def failures(report: dict) -> tuple[int, list[str]]:
    """The accessibility score (0-100), and per failed audit its id and the elements it names."""
    category = report["categories"]["accessibility"]
    failed = []
    for ref in category["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if not ref["weight"] or audit["score"] in (None, 1):
            continue
        failed.append(ref["id"])
        for item in (audit.get("details") or {}).get("items", []):
            node = item.get("node") or {}
            why = (node.get("explanation") or "").replace("\n", " ")
            snippet = node.get("snippet", "")[:100]
            failed.append(f"    {node.get('selector', '?')}: {snippet} {why[:300]}")
    return round(category["score"] * 100), failed


def audit_here(page: Page, port: int, clocked: bool) -> tuple[int, list[str]]:
    """Lighthouse on the tab as it stands; a fake clock runs meanwhile (axe waits on timers)."""
    if clocked:
        page.clock.resume()
    try:
        out = subprocess.run(
            ["node", str(SNAPSHOT), str(port), page.url],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
    finally:
        if clocked:
            paused(page)
    return failures(json.loads(out))


def goto_paused(page: Page, path: str) -> None:
    """Open `path` with the fake clock running, then stop it."""
    page.clock.resume()
    page.goto(path)
    paused(page)


def paused(page: Page) -> None:
    """Stop the fake clock where it is: from here it moves only on run_for."""
    page.clock.pause_at(page.evaluate("() => Date.now()") / 1000 + 1)


def run_until(page: Page, check: str, step_ms: int = 1000, limit_ms: int = 300_000) -> None:
    for _ in range(limit_ms // step_ms):
        if page.evaluate(check):
            return
        page.clock.run_for(step_ms)
    raise AssertionError(f"not within {limit_ms} ms: {check}")


def walk(page: Page, at: Callable[[str], None]) -> None:
    """Bring `page` to every state no address opens, and call `at` with the name of each."""
    page.evaluate(ASK_RED_FLAGS)
    goto_paused(page, "/safety")
    page.get_by_label(re.compile("between the shoulder blades")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".safety-outcome")).to_be_visible()
    at("red flags: see a doctor")
    page.evaluate(SKIP_RED_FLAGS)

    goto_paused(page, "/session?exercise=glute-bridge")
    page.get_by_role("button", name="Start", exact=True).click()
    to_first_movement(page)
    page.clock.run_for(1000)
    at("pacer: a movement")
    page.get_by_role("button", name="More").click()
    at("pacer: More open")
    page.get_by_role("button", name="More").click()
    page.locator("header a").first.click()  # the logo, mid-session
    expect(page.locator("dialog.leave-dialog")).to_be_visible()
    at("pacer: leave the session?")
    page.get_by_role("button", name="Keep going").click()
    run_until(page, "document.querySelector('.pacer')?.dataset.type === 'rest'")
    page.clock.run_for(2000)
    at("pacer: a rest")
    page.get_by_role("button", name="End").click()
    expect(page.get_by_role("heading", name="How was Glute bridge?")).to_be_visible()
    at("questions")
    page.locator("fieldset.pain .choice[data-value='7']").click()
    expect(page.locator(".pain-offer")).to_be_visible()
    at("questions: pain above 5")
    page.locator("fieldset.pain .choice[data-value='2']").click()
    page.locator("fieldset.effort .choice[data-value='4']").click()
    page.locator("fieldset.where .choice[data-value='legs']").click()
    page.locator("fieldset.when .choice[data-value='set-1']").click()
    at("questions: answered")
    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    at("summary")

    goto_paused(page, "/session?practice=paced&rhythm=4-6&minutes=1")
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(9000)
    at("paced breathing")
    run_until(page, "document.querySelector('h1')?.textContent === 'How do you feel?'")
    at("breath practice: how do you feel")
    page.locator("fieldset.feeling .choice").first.click()
    page.locator("fieldset.pain .choice[data-value='0']").click()
    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    at("breath practice: summary")

    page.clock.resume()
    page.goto("/")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    page.wait_for_load_state("networkidle")
    paused(page)
    at("Today, done for the day")

    page.clock.resume()
    page.goto("/history")
    expect(page.locator(".card.session").nth(1)).to_be_visible()  # two or more
    paused(page)
    at("History with sessions")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", nargs="*", default=SCREENS, help="addresses to audit")
    parser.add_argument("--no-states", action="store_true", help="addresses only")
    parser.add_argument("--schemes", nargs="*", default=["light", "dark"])
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: run `npm ci`", file=sys.stderr)
        return 2

    rows = []

    def report(name: str, scheme: str, size: str, score: int, failed: list[str]) -> None:
        rows.append((name, scheme, size, score))
        print(f"{name:44} {scheme:5} {size:7} {score:>4}", *failed, sep="\n" if failed else " ")
        sys.stdout.flush()

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate(url)
        env = {"DATABASE_URL": url, "ENVIRONMENT": "test"}
        with (
            uvicorn_process("app.main:create_app", env=env, factory=True) as base,
            playwright_session() as playwright,
        ):
            for scheme in args.schemes:
                port = free_port()
                context = playwright.chromium.launch_persistent_context(
                    f"{tmp}/profile-{scheme}",
                    executable_path=chromium_path(),
                    args=[*CHROMIUM_FLAGS, f"--remote-debugging-port={port}"],
                    base_url=base,
                    color_scheme=scheme,
                    **PHONE,
                )
                try:
                    page = context.new_page()
                    page.goto("/exercises")
                    page.evaluate(SKIP_RED_FLAGS)
                    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
                    assert dark == (scheme == "dark"), f"{scheme} mode did not take"
                    for width, height in SIZES:
                        size = f"{width}x{height}"
                        page.set_viewport_size({"width": width, "height": height})
                        for path in args.screens:
                            if path == "/safety":  # the red flags, as a first visit sees them
                                page.evaluate(ASK_RED_FLAGS)
                            page.goto(path)
                            page.wait_for_load_state("networkidle")
                            page.evaluate(FRAMES)
                            report(path, scheme, size, *audit_here(page, port, clocked=False))
                            if path == "/safety":
                                page.evaluate(SKIP_RED_FLAGS)
                    if args.no_states:
                        continue
                    page.clock.install(time=T0)
                    for width, height in SIZES:
                        size = f"{width}x{height}"
                        page.set_viewport_size({"width": width, "height": height})
                        walk(
                            page,
                            lambda name, s=scheme, z=size, p=page, n=port: report(
                                name, s, z, *audit_here(p, n, clocked=True)
                            ),
                        )
                finally:
                    context.close()
    worst = min(r[3] for r in rows)
    print(
        f"Lighthouse accessibility: lowest {worst} over {len(rows)} audits (goal: 100 everywhere)"
    )
    return 0 if worst == 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
