"""Compressed bytes of the app: what the first screen needs, and the whole app.

Budgets (docs/budgets.md): the first screen (HTML + CSS + the JS it needs) at most 14 KB
compressed, so it arrives in one round trip; the whole app well under 100 KB.

    .venv/bin/python bench/app_size.py

Each response is gzipped at level 9 on its own, as the server's GZipMiddleware sends it. The
first screen is the shell, the stylesheet and the static import graph of `app.js` plus the
screen's module (home, or the red-flag screen on first use); what `import()` loads later (the
service worker registration, the outbox, other screens) is not part of it. "Whole app" is every
response the service worker precaches, by kind, read from a running app's `/sw.js`.
"""

import gzip
import re
import sys
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import Settings  # noqa: E402
from app.db import migrate  # noqa: E402
from app.main import create_app  # noqa: E402

JS = ROOT / "web" / "static" / "js"
FIRST_SCREEN_BUDGET = 14 * 1024
WHOLE_APP_BUDGET = 100 * 1024


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def module_graph(entry: Path) -> set[Path]:
    """`entry` and every module it imports statically, transitively."""
    seen: set[Path] = set()
    todo = [entry]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        text = module.read_text(encoding="utf-8")
        found = re.findall(r"^import\s[^;]*?from\s+'(\.[^']+)';", text, flags=re.M | re.S)
        todo += [(module.parent / rel).resolve() for rel in found]
    return seen


def kind_of(url: str) -> str:
    if url.startswith("/static/icons/"):
        return "icons"
    if url.endswith(".js"):
        return "JavaScript"
    if url.endswith(".css"):
        return "CSS"
    if url.startswith("/api/"):
        return "catalogue (data)"
    if url.endswith(".webmanifest"):
        return "manifest"
    return "HTML shells"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/size.db"
        migrate(url)
        settings = Settings(environment="test", database_url=url, data_dir=Path(tmp))
        with TestClient(create_app(settings)) as client:
            html = client.get("/").content
            css = client.get("/static/css/app.css").content
            print("First screen (gzip -9 per response)")
            for label, screen in (("home", "home.js"), ("red-flag screen", "safety.js")):
                modules = module_graph(JS / "app.js") | module_graph(JS / "screens" / screen)
                parts = {"HTML shell": gz(html), "app.css": gz(css)}
                for m in sorted(modules):
                    rel = m.relative_to(JS).as_posix()
                    parts[rel] = gz(client.get(f"/static/js/{rel}").content)  # as served
                total = sum(parts.values())
                detail = ", ".join(f"{k} {v}" for k, v in parts.items())
                verdict = "met" if total <= FIRST_SCREEN_BUDGET else "OVER"
                print(f"  {label:16} {total:6} B of {FIRST_SCREEN_BUDGET} ({verdict})")
                print(f"    {detail}")

            worker = client.get("/sw.js").content
            precache = re.search(rb'"precache":(\[[^\]]*\])', worker)
            assert precache, "the served worker names its precache list"
            urls = [u.decode() for u in re.findall(rb'"([^"]+)"', precache.group(1))]
            by_kind: dict[str, int] = {"service worker": gz(worker)}
            for u in urls:
                by_kind[kind_of(u)] = by_kind.get(kind_of(u), 0) + gz(client.get(u).content)
            code = sum(v for k, v in by_kind.items() if k not in ("icons", "catalogue (data)"))
            print(f"\nWhole app: everything the service worker precaches ({len(urls)} URLs)")
            for k, v in sorted(by_kind.items(), key=lambda kv: -kv[1]):
                print(f"  {k:18} {v:6} B")
            verdict = "met" if code <= WHOLE_APP_BUDGET else "OVER"
            print(f"  {'code (no icons, no data)':26} {code:6} B of {WHOLE_APP_BUDGET} ({verdict})")
            print(f"  {'with the icons':26} {code + by_kind.get('icons', 0):6} B")
            print(f"  {'with icons and catalogue':26} {sum(by_kind.values()):6} B")


if __name__ == "__main__":
    main()
