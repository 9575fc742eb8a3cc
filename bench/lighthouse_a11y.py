"""Lighthouse's accessibility score for every screen, light and dark, at 390x844 and 360x640.

Not part of the test suite (a Lighthouse run takes seconds a screen); the suite runs axe-core
on the same screens (tests/test_browser_a11y.py). Lighthouse comes from npm (`npm ci`), and
drives the Chromium at SPINEWISE_CHROMIUM (default /usr/bin/chromium): Playwright starts it
with a debugging port and a profile of its own, clears the red-flag screen in that profile
(so that Today, Breathe and the session show, not the red flags in front of them) and
Lighthouse then audits each address in it, storage kept. Dark mode is Blink's
`preferredColorScheme=0` setting.

    .venv/bin/python bench/lighthouse_a11y.py [--screens / /history ...]
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import CHROMIUM_FLAGS, chromium_path, playwright_session  # noqa: E402

from app.db import migrate  # noqa: E402
from bench._servers import free_port, uvicorn_process  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
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
    "/session?exercise=glute-bridge",
    "/session?practice=paced&rhythm=4-6&minutes=3",
]  # not the 404 page: Lighthouse refuses a page answered 404 (axe covers it in the tests)
CLEARED = "localStorage.setItem('spinewise.safety', JSON.stringify({status: 'clear', at: 'bench'}))"


def audit(url: str, port: int, width: int, height: int) -> tuple[int, list[str]]:
    """The accessibility score (0-100) and the ids of the audits that failed."""
    out = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--port={port}",
            "--only-categories=accessibility",
            "--disable-storage-reset",
            "--form-factor=mobile",
            f"--screenEmulation.width={width}",
            f"--screenEmulation.height={height}",
            "--screenEmulation.deviceScaleFactor=2",
            "--screenEmulation.mobile",
            "--output=json",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    report = json.loads(out)
    category = report["categories"]["accessibility"]
    failed = [
        ref["id"]
        for ref in category["auditRefs"]
        if ref["weight"] and report["audits"][ref["id"]]["score"] not in (None, 1)
    ]
    return round(category["score"] * 100), failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", nargs="*", default=SCREENS, help="addresses to audit")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: run `npm ci`", file=sys.stderr)
        return 2

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate(url)
        env = {"DATABASE_URL": url, "ENVIRONMENT": "test"}
        with (
            uvicorn_process("app.main:create_app", env=env, factory=True) as base,
            playwright_session() as playwright,
        ):
            for scheme in ("light", "dark"):
                port = free_port()
                flags = [*CHROMIUM_FLAGS, f"--remote-debugging-port={port}"]
                if scheme == "dark":
                    flags.append("--blink-settings=preferredColorScheme=0")
                context = playwright.chromium.launch_persistent_context(
                    f"{tmp}/profile-{scheme}", executable_path=chromium_path(), args=flags
                )
                try:
                    page = context.new_page()
                    page.goto(base + "/exercises")
                    page.evaluate(CLEARED)
                    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
                    assert dark == (scheme == "dark"), f"{scheme} mode did not take"
                    for path in args.screens:
                        for width, height in SIZES:
                            if path == "/safety":  # the red flags, as a first visit sees them
                                page.evaluate("localStorage.removeItem('spinewise.safety')")
                            score, failed = audit(base + path, port, width, height)
                            if path == "/safety":
                                page.evaluate(CLEARED)
                            rows.append((path, scheme, f"{width}x{height}", score, failed))
                            size = f"{width}x{height}"
                            print(f"{path:44} {scheme:5} {size} {score:>4} {' '.join(failed)}")
                            sys.stdout.flush()
                finally:
                    context.close()
    worst = min(r[3] for r in rows)
    print(
        f"Lighthouse accessibility: lowest {worst} over {len(rows)} audits (goal: 100 everywhere)"
    )
    return 0 if worst == 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
