"""The app shell over HTTP: every screen's route, the friendly 404, and the size budgets."""

import gzip
import re
from pathlib import Path

import pytest

from app.pages import SCREENS

WEB = Path(__file__).resolve().parent.parent / "web"
FIRST_SCREEN_BUDGET = 14 * 1024  # docs/budgets.md: HTML + CSS + JS of the first screen
WHOLE_APP_BUDGET = 100 * 1024


@pytest.mark.parametrize("path", sorted(SCREENS))
def test_every_screen_is_the_shell_with_its_title(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert f"<title>{SCREENS[path]} · Spinewise</title>" in response.text
    assert '<script type="module" src="/static/js/app.js"' in response.text
    assert "Spinewise does not replace a clinician." in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_the_shell_has_no_inline_script_or_style(client):
    html = client.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert " style=" not in html


def test_an_exercise_page_is_named_after_the_exercise(client, catalogue):
    exercise = catalogue.by_slug["glute-bridge"]
    response = client.get("/exercises/glute-bridge")
    assert response.status_code == 200
    assert f"<title>{exercise.name} · Spinewise</title>" in response.text


@pytest.mark.parametrize("path", ["/nowhere", "/exercises/no-such-exercise", "/session/extra"])
def test_unknown_pages_get_a_friendly_html_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Page not found" in response.text
    assert 'href="/"' in response.text


@pytest.mark.parametrize("path", ["/api/nowhere", "/api/exercises/no-such-exercise"])
def test_the_api_keeps_json_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert "detail" in response.json()


def test_static_modules_are_served_as_javascript(client):
    for name in ("app.js", "pacer.js", "pacer-view.js", "cues.js", "store.js", "screens/run.js"):
        response = client.get(f"/static/js/{name}")
        assert response.status_code == 200, name
        assert "javascript" in response.headers["content-type"], name


def _imports(path: Path) -> list[Path]:
    """The static imports of an ES module (dynamic import() calls are loaded on demand)."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"^import\s[^;]*?from\s+'(\.[^']+)';", text, flags=re.M | re.S)
    return [(path.parent / rel).resolve() for rel in found]


def _module_graph(entry: Path) -> set[Path]:
    seen: set[Path] = set()
    todo = [entry]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(_imports(module))
    return seen


def _served(client, path: Path) -> bytes:
    """A static file as the app serves it (scripts and the stylesheet minified)."""
    response = client.get(f"/static/{path.relative_to(WEB / 'static').as_posix()}")
    assert response.status_code == 200, path
    return response.content


@pytest.mark.parametrize("screen", ["home.js", "safety.js"])
def test_first_screen_fits_in_14_kb_compressed(client, screen):
    """HTML + CSS + the JS of the first screen, as served: home, or the red-flag screen on
    first use."""
    js = WEB / "static" / "js"
    modules = _module_graph(js / "app.js") | _module_graph(js / "screens" / screen)
    parts = [client.get("/").content, _served(client, WEB / "static" / "css" / "app.css")]
    parts += [_served(client, m) for m in modules]
    size = sum(len(gzip.compress(p, compresslevel=9)) for p in parts)
    assert size <= FIRST_SCREEN_BUDGET, f"first screen is {size} bytes compressed"


def test_whole_app_is_within_100_kb_compressed(client):
    """Everything the service worker precaches, as served, less the icons (fetched for
    installing, held to their own allowance) and the catalogue's data (docs/budgets.md)."""
    worker = client.get("/sw.js").content
    precache = re.search(rb'"precache":(\[[^\]]*\])', worker)
    assert precache, "the served worker names its precache list"
    urls = [u.decode() for u in re.findall(rb'"([^"]+)"', precache.group(1))]
    assert "/static/css/app.css" in urls and "/" in urls

    def size(url: str) -> int:
        return len(gzip.compress(client.get(url).content, compresslevel=9))

    icons = [u for u in urls if u.startswith("/static/icons/")]
    code = [u for u in urls if u not in icons and not u.startswith("/api/")]
    total = len(gzip.compress(worker, compresslevel=9)) + sum(size(u) for u in code)
    assert total <= WHOLE_APP_BUDGET, f"the app is {total} bytes compressed"
    assert sum(size(u) for u in icons) <= 32 * 1024, "the icons are over 32 KB compressed"


def test_scripts_and_the_stylesheet_are_served_minified_and_revalidated(client):
    """Comments and spare whitespace never reach the phone; an unchanged file answers 304."""
    source = (WEB / "static" / "js" / "pacer.js").read_text(encoding="utf-8")
    served = client.get("/static/js/pacer.js")
    assert served.headers["content-type"].startswith("text/javascript")
    assert served.headers["cache-control"] == "no-cache"
    assert "/**" in source and "/**" not in served.text
    assert len(served.content) < 0.7 * len(source.encode())
    again = client.get("/static/js/pacer.js", headers={"If-None-Match": served.headers["etag"]})
    assert again.status_code == 304 and not again.content
    css = client.get("/static/css/app.css")
    assert css.headers["content-type"].startswith("text/css") and "/*" not in css.text


def test_no_script_nests_a_template_literal_inside_another(client):
    """The minifier (rJSmin) keeps a template literal's text exactly only when none is nested
    inside another's `${...}`: write `a + (b ? `...` : '')` instead."""
    nested = re.compile(r"\$\{[^}`]*`")
    for path in sorted((WEB / "static" / "js").rglob("*.js")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert not nested.search(line), f"{path.name}:{n} nests a template literal"


def test_every_module_reached_lazily_exists(client):
    js = WEB / "static" / "js"
    lazy = re.findall(r"import\('(\./[^']+)'\)", (js / "app.js").read_text(encoding="utf-8"))
    assert lazy, "app.js loads its screens on demand"
    for rel in lazy:
        for module in _module_graph((js / rel).resolve()):
            assert (
                client.get("/static/" + str(module.relative_to(WEB / "static"))).status_code == 200
            )


@pytest.mark.parametrize(
    ("path", "screen"),
    [("/", "home.js"), ("/session", "run.js"), ("/exercises/bird-dog", "catalogue.js")],
)
def test_each_shell_preloads_its_screens_modules_at_once(client, path, screen):
    """The browser is told every module the screen imports statically up front, so it fetches
    them in parallel rather than one import after another (from the service worker as well);
    other than on the first screens (Today), also what the screen loads with import() (the
    exercise screens' figure, drawn just after their words)."""
    html = client.get(path).text
    hrefs = re.findall(r'<link rel="modulepreload" href="([^"]+)">', html)
    js = WEB / "static" / "js"
    module = js / "screens" / screen
    expected = _module_graph(js / "app.js") | _module_graph(module)
    if screen != "home.js":
        lazy = re.findall(r"import\('(\.\.?/[^']+)'\)", module.read_text(encoding="utf-8"))
        expected |= set().union(*(_module_graph((module.parent / rel).resolve()) for rel in lazy))
    if screen == "catalogue.js":
        assert (js / "figure.js").resolve() in expected - _module_graph(module)
    assert {(WEB / h.removeprefix("/")).resolve() for h in hrefs} == expected
    assert hrefs[0] == "/static/js/app.js" and len(hrefs) == len(set(hrefs))
    for href in hrefs:
        assert client.get(href).status_code == 200, href


def test_todays_shell_names_the_modules_its_screen_loads_later(client):
    """Today's data and plan modules (loaded with import() once the screen is drawn), with all
    they import, are named on the shell for app.js to ask for at once when installed; none of
    them is preloaded on the page itself (the first screen's bytes stay as they are)."""
    html = client.get("/").text
    later = re.search(r'<script type="module" src="/static/js/app\.js" data-later="([^"]+)">', html)
    assert later, "Today's shell names its later modules"
    js = WEB / "static" / "js"
    home = js / "screens" / "home.js"
    lazy = re.findall(r"import\('(\.\./[^']+)'\)", home.read_text(encoding="utf-8"))
    expected = set().union(*(_module_graph((home.parent / rel).resolve()) for rel in lazy))
    expected -= _module_graph(js / "app.js") | _module_graph(home)
    named = later.group(1).split(" ")
    assert {(WEB / h.removeprefix("/")).resolve() for h in named} == expected
    assert (js / "account.js").resolve() in expected and (js / "outbox.js").resolve() in expected
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', html)
    assert not set(named) & set(preloaded)
    assert "data-later" not in client.get("/history").text  # its modules are all static
