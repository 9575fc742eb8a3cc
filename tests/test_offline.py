"""Installing and working offline, over HTTP: the manifest and its icons, the iOS tags, and the
service worker's script, precache list and content-hash version."""

import json
import shutil
import struct
from pathlib import Path

import pytest

from app.offline import build_service_worker
from app.pages import SCREENS

WEB = Path(__file__).resolve().parent.parent / "web"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_has_every_field_and_its_content_type(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"].startswith("Spinewise")
    assert manifest["short_name"] == "Spinewise"
    assert manifest["description"]
    assert (manifest["id"], manifest["start_url"], manifest["scope"]) == ("/", "/", "/")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    assert manifest["background_color"].startswith("#")
    pngs = {(i["sizes"], i["purpose"]) for i in manifest["icons"] if i["type"] == "image/png"}
    assert pngs == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    shortcuts = {s["name"]: s["url"] for s in manifest["shortcuts"]}
    assert shortcuts == {"Today\u2019s session": "/session?today=1", "Breathe": "/breathe"}


def test_every_icon_is_served_with_its_type_and_size(client):
    manifest = client.get("/manifest.webmanifest").json()
    icons = manifest["icons"] + [i for s in manifest["shortcuts"] for i in s["icons"]]
    for icon in icons:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response.headers["content-type"] == icon["type"], icon["src"]
        if icon["type"] == "image/png":
            width, height = png_size(response.content)
            assert f"{width}x{height}" == icon["sizes"], icon["src"]
    touch = client.get("/static/icons/apple-touch-icon.png")
    assert touch.headers["content-type"] == "image/png"
    assert png_size(touch.content) == (180, 180)


def test_the_shell_links_the_manifest_and_carries_the_ios_tags(client):
    html = client.get("/").text
    for tag in (
        '<link rel="manifest" href="/manifest.webmanifest">',
        '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">',
        '<meta name="apple-mobile-web-app-capable" content="yes">',
        '<meta name="apple-mobile-web-app-title" content="Spinewise">',
        '<meta name="theme-color"',
    ):
        assert tag in html


def test_the_service_worker_is_served_at_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["service-worker-allowed"] == "/"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "const BUILD = { version: 'dev'" not in response.text


def _build(text: str) -> dict:
    line = next(line for line in text.splitlines() if line.startswith("const BUILD = "))
    return json.loads(line.removeprefix("const BUILD = ").removesuffix(";"))


def test_the_worker_precaches_every_screen_module_icon_the_manifest_and_the_catalogue(client):
    build = _build(client.get("/sw.js").text)
    precache = build["precache"]
    assert len(build["version"]) == 16
    assert len(precache) == len(set(precache))
    static = {
        "/static/" + p.relative_to(WEB / "static").as_posix()
        for p in (WEB / "static").rglob("*")
        if p.is_file()
    }
    assert set(precache) == set(SCREENS) | static | {"/manifest.webmanifest", "/api/exercises"}
    for url in precache:
        assert client.get(url).status_code == 200, url


def test_static_files_are_revalidated_not_kept_on_age_alone(client):
    response = client.get("/static/js/app.js")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers.get("etag")


@pytest.fixture
def web_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "web"
    shutil.copytree(WEB, copy)
    return copy


def test_the_version_is_a_hash_of_the_precached_content(web_copy):
    etag = '"abc"'
    first = build_service_worker(web_copy, SCREENS, etag)
    assert build_service_worker(web_copy, SCREENS, etag) == first  # same content, same version

    css = web_copy / "static" / "css" / "app.css"
    css.write_text(css.read_text() + "\n/* a new deploy */\n")
    after_css = build_service_worker(web_copy, SCREENS, etag)
    assert after_css.version != first.version

    template = web_copy / "templates" / "base.html"
    template.write_text(template.read_text().replace("Skip to content", "Skip to the content"))
    after_shell = build_service_worker(web_copy, SCREENS, etag)
    assert after_shell.version not in (first.version, after_css.version)

    new_catalogue = build_service_worker(web_copy, SCREENS, '"def"')
    assert new_catalogue.version != after_shell.version
    assert after_shell.version.encode() in after_shell.script


def test_a_worker_source_without_its_build_line_is_refused(web_copy):
    (web_copy / "sw.js").write_text("self.addEventListener('fetch', () => {});\n")
    with pytest.raises(RuntimeError, match="const BUILD"):
        build_service_worker(web_copy, SCREENS, '"abc"')


def test_the_catalogue_etag_in_the_version_is_the_one_served(client):
    """A catalogue change makes a new worker: its version covers the listing's ETag."""
    etag = client.get("/api/exercises", headers={"Accept-Encoding": "identity"}).headers["etag"]
    expected = build_service_worker(WEB, SCREENS, etag)
    assert _build(client.get("/sw.js").text)["version"] == expected.version
