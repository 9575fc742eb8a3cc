"""Installing and working offline: the web app manifest, and the service worker served with
the list of what it precaches and a version made from the content of everything on that list.

A deploy that changes any precached byte (a template, a module, the stylesheet, an icon, the
manifest, the catalogue or the worker itself) changes the version, so browsers install the
new worker, which fills a new cache and deletes the old one when it takes over.
"""

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request, Response

router = APIRouter(include_in_schema=False)

CATALOGUE_URL = "/api/exercises"
MANIFEST_URL = "/manifest.webmanifest"
# The worker's source declares its build as a placeholder; the served copy carries the real one.
BUILD_LINE = re.compile(r"^const BUILD = \{.*\};$", re.MULTILINE)


@dataclass(frozen=True)
class ServiceWorker:
    """The worker as served: its version, the URLs it precaches, and the script itself."""

    version: str
    precache: tuple[str, ...]
    script: bytes


def build_service_worker(
    web_dir: Path, screens: Mapping[str, str], catalogue_etag: str
) -> ServiceWorker:
    """The worker for this deploy: every screen's shell (path → title), every static file, the
    manifest and the catalogue, versioned by a hash of their content."""
    digest = hashlib.sha256()

    def add(name: str, content: bytes) -> None:
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())

    # A shell is a template rendered with its title: the templates and titles are its content.
    for path in sorted(p for p in (web_dir / "templates").rglob("*") if p.is_file()):
        add(f"template:{path.relative_to(web_dir).as_posix()}", path.read_bytes())
    urls = list(screens)
    for url in urls:
        add(url, screens[url].encode())
    static = web_dir / "static"
    for path in sorted(p for p in static.rglob("*") if p.is_file() and not p.name.startswith(".")):
        url = f"/static/{path.relative_to(static).as_posix()}"
        add(url, path.read_bytes())
        urls.append(url)
    add(MANIFEST_URL, (web_dir / "manifest.webmanifest").read_bytes())
    add(CATALOGUE_URL, catalogue_etag.encode())
    urls += [MANIFEST_URL, CATALOGUE_URL]
    source = (web_dir / "sw.js").read_text(encoding="utf-8")
    add("/sw.js", source.encode())

    version = digest.hexdigest()[:16]
    build = json.dumps({"version": version, "precache": urls}, separators=(",", ":"))
    script, found = BUILD_LINE.subn(lambda _: f"const BUILD = {build};", source, count=1)
    if found != 1:
        raise RuntimeError("web/sw.js must declare `const BUILD = {...};` on a line of its own")
    return ServiceWorker(version, tuple(urls), script.encode())


@router.get("/sw.js")
def service_worker(request: Request) -> Response:
    worker: ServiceWorker = request.app.state.service_worker
    return Response(
        worker.script,
        media_type="text/javascript; charset=utf-8",
        headers={
            # Browsers look for a new worker on every navigation; never from a stale copy.
            "Cache-Control": "no-cache",
            "Service-Worker-Allowed": "/",
        },
    )


@router.get(MANIFEST_URL)
def manifest(request: Request) -> Response:
    path = request.app.state.settings.web_dir / "manifest.webmanifest"
    return Response(
        path.read_bytes(),
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )
