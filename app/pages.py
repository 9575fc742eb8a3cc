"""The app's pages, rendered with Jinja2, and the static files they load.

Every screen is the same small shell; `web/static/js/app.js` draws the screen for the path,
loading its module on demand. Unknown paths outside `/api/` get a friendly HTML 404; the API
keeps its JSON errors.
"""

import hashlib
import os
import re
from functools import cache, lru_cache
from pathlib import Path

import rcssmin
import rjsmin
from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from app.config import Settings

router = APIRouter(include_in_schema=False)

# Path → page title; the shell is the same, app.js draws the screen.
SCREENS = {
    "/": "Today",
    "/session": "Session",
    "/breathe": "Breathe",
    "/exercises": "Exercises",
    "/history": "History",
    "/safety": "Before you start",
    "/checkin": "Morning check-in",
    "/account": "Account",
    "/reset": "Choose a new password",
}


# Path → the screen's module (as app.js's ROUTES); its static imports load with it.
SCREEN_MODULES = {
    "/": "screens/home.js",
    "/session": "screens/run.js",
    "/breathe": "screens/breathe.js",
    "/exercises": "screens/catalogue.js",
    "/exercises/{slug}": "screens/catalogue.js",
    "/history": "screens/history.js",
    "/safety": "screens/safety.js",
    "/checkin": "screens/checkin.js",
    "/account": "screens/account.js",
    "/reset": "screens/account.js",
}
_STATIC_IMPORT = re.compile(r"^import\s[^;]*?from\s+'(\.[^']+)';", flags=re.M | re.S)
_DYNAMIC_IMPORT = re.compile(r"\bimport\('(\.[^']+)'\)")


def _static_graph(entries: list[Path]) -> list[Path]:
    """`entries` and every module they import statically, transitively, in breadth order."""
    seen: dict[Path, None] = {}
    todo = list(entries)
    while todo:
        module = todo.pop(0).resolve()
        if module in seen or not module.is_file():
            continue
        seen[module] = None
        text = module.read_text(encoding="utf-8")
        todo += [module.parent / rel for rel in _STATIC_IMPORT.findall(text)]
    return list(seen)


def _urls(js_dir: Path, modules: list[Path]) -> tuple[str, ...]:
    root = js_dir.resolve()
    return tuple(f"/static/js/{m.relative_to(root).as_posix()}" for m in modules)


# The first screens (Today, and the red-flag questions in front of it on first use) keep a
# first visit within 14 KB (docs/budgets.md): what their module loads with import() is not
# preloaded on the page but named for app.js to ask for once installed (`later`).
FIRST_SCREENS = frozenset({"screens/home.js", "screens/safety.js"})


def _dynamic(module: Path) -> list[Path]:
    """The modules `module` loads with import()."""
    module = module.resolve()
    return [module.parent / rel for rel in _DYNAMIC_IMPORT.findall(module.read_text("utf-8"))]


@cache
def _modules(js_dir: Path, screen: str) -> tuple[list[Path], list[Path]]:
    """The screen's modules: app.js, the screen's module and what they import statically; and
    the rest of what the screen's module loads with import(), with what that imports."""
    first = _static_graph([js_dir / "app.js", js_dir / screen])
    rest = [m for m in _static_graph(_dynamic(js_dir / screen)) if m not in first]
    return first, rest


@cache
def preloads(js_dir: Path, screen: str) -> tuple[str, ...]:
    """The URLs of app.js and the screen's module with everything they import statically, for
    `<link rel="modulepreload">`: the browser fetches them all at once instead of finding
    each import only after the module before it has loaded (from the service worker too).

    Other than on the first screens, also what the screen's module loads with import() (the
    exercise screens' figure, drawn just after the words), with what that imports: fetched
    with the rest, while the page waits for its modules anyway, and run only when asked for."""
    first, rest = _modules(js_dir, screen)
    return _urls(js_dir, first if screen in FIRST_SCREENS else first + rest)


@cache
def later(js_dir: Path, screen: str) -> tuple[str, ...]:
    """On the first screens, the modules the screen's module loads with `import()` (Today: its
    data and plan, once the screen is drawn), with their static imports, less what `preloads`
    already lists.

    They stay out of the first screen's bytes; once the app is installed they are on the
    device, and app.js asks for them all as it starts (a shell served by the worker), so a
    screen awaits no chain of imports, one found only after the other has loaded."""
    return _urls(js_dir, _modules(js_dir, screen)[1]) if screen in FIRST_SCREENS else ()


# Scripts and the stylesheet are served without their comments and spare whitespace: the
# sources stay readable, the phone downloads what it runs (docs/budgets.md). rJSmin keeps
# template literals intact only when none is nested inside another's `${...}`;
# tests/test_pages.py keeps the scripts free of nesting.
MINIFIERS = {
    ".js": (rjsmin.jsmin, "text/javascript; charset=utf-8"),
    ".css": (rcssmin.cssmin, "text/css; charset=utf-8"),
}


@lru_cache(maxsize=256)
def minified(path: str, mtime_ns: int, size: int) -> tuple[bytes, str]:
    """A script's or stylesheet's bytes as served, and their ETag (cached per file version)."""
    minify, _ = MINIFIERS[Path(path).suffix]
    body = minify(Path(path).read_text(encoding="utf-8")).encode()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class RevalidatedStaticFiles(StaticFiles):
    """Static files that a browser keeps but asks about before each use.

    Their URLs carry no content hash, so a copy the HTTP cache judged fresh by its age alone
    could outlive a deploy; the service worker keeps the offline copies, versioned. Scripts
    and the stylesheet are served minified (`MINIFIERS`).
    """

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        kind = MINIFIERS.get(Path(full_path).suffix)
        if kind is None:
            response = super().file_response(full_path, stat_result, scope, status_code)
            response.headers.setdefault("Cache-Control", "no-cache")
            return response
        body, etag = minified(str(full_path), stat_result.st_mtime_ns, stat_result.st_size)
        headers = {"Cache-Control": "no-cache", "ETag": etag}
        asked = Headers(scope=scope).get("if-none-match", "")
        if etag in (tag.strip() for tag in asked.split(",")):
            return Response(status_code=304, headers=headers)
        return Response(body, status_code=status_code, media_type=kind[1], headers=headers)


def mount_static(app: FastAPI, settings: Settings) -> None:
    """Serve `web/static` at `/static`, and the shell's templates from the same `web_dir`."""
    app.state.templates = Jinja2Templates(directory=settings.web_dir / "templates")
    app.mount(
        "/static", RevalidatedStaticFiles(directory=settings.web_dir / "static"), name="static"
    )


def install_not_found(app: FastAPI) -> None:
    """A 404 outside the API and static files is a page a person can find their way from."""

    @app.exception_handler(StarletteHTTPException)
    async def not_found_page(request: Request, exc: StarletteHTTPException) -> Response:
        path = request.url.path
        if exc.status_code != 404 or path.startswith(("/api/", "/static/")) or path == "/api":
            return await http_exception_handler(request, exc)
        return request.app.state.templates.TemplateResponse(
            request, "404.html", {"title": "Page not found"}, status_code=404
        )


def _shell(request: Request, title: str, route: str) -> HTMLResponse:
    js_dir = request.app.state.settings.web_dir / "static" / "js"
    screen = SCREEN_MODULES[route]
    context = {
        "title": title,
        "preloads": preloads(js_dir, screen),
        "later": " ".join(later(js_dir, screen)),
    }
    return request.app.state.templates.TemplateResponse(request, "index.html", context)


def _screen(title: str, route: str):
    def page(request: Request) -> HTMLResponse:
        return _shell(request, title, route)

    return page


for _path, _title in SCREENS.items():
    router.add_api_route(
        _path, _screen(_title, _path), methods=["GET"], response_class=HTMLResponse
    )


@router.get("/exercises/{slug}", response_class=HTMLResponse)
def exercise_page(request: Request, slug: str) -> HTMLResponse:
    exercise = request.app.state.catalogue.by_slug.get(slug)
    if exercise is None:
        raise StarletteHTTPException(404)
    return _shell(request, exercise.name, "/exercises/{slug}")
