"""A normal (not editable) install works on its own: the wheel carries the migrations and the web
files, and the installed app finds them inside its package, with no checkout beside it.

The wheel is built with no network (`--no-build-isolation`, from this environment's
setuptools) from a copy of what the Dockerfile copies, and installed without its
dependencies into a fresh virtual environment that borrows this one's site-packages.
"""

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=120, **kwargs
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the wheel installed; returns its bin/ folder."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for name in ("app", "web", "migrations"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    _run(*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", root / "dist", source)
    (wheel,) = (root / "dist").glob("spinewise-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "app/web/sw.js" in names
    assert "app/migrations/env.py" in names
    assert not [n for n in names if "__pycache__" in n]

    venv = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    # The dependencies come from this environment (no network); the app only from the wheel.
    (site,) = (venv / "lib").glob("python*/site-packages")
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(*pip, "--python", venv / "bin" / "python", "install", "--no-deps", "--no-index", wheel)
    return venv / "bin"


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DATABASE_URL")}
    return {**env, "DATA_DIR": str(data_dir)}


def test_the_installed_app_is_the_wheel_not_the_checkout(installed: Path, tmp_path: Path):
    where = _run(
        installed / "python", "-c", "import app.config as c; print(c.resource('web'))", cwd=tmp_path
    ).stdout.strip()
    assert where.startswith(str(installed.parent)), where
    assert where.endswith("site-packages/app/web")


def test_the_installed_app_migrates_and_serves_its_pages(installed: Path, tmp_path: Path):
    env = _env(tmp_path / "data")
    out = _run(installed / "spinewise", "migrate", env=env, cwd=tmp_path).stdout
    assert "database at head" in out
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [installed / "spinewise", "serve", "--no-migrate", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/healthz")
                break
            except httpx.ConnectError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the installed server did not start"
                time.sleep(0.2)
        page = httpx.get(f"{base}/")
        assert page.status_code == 200
        assert "<title>" in page.text
        worker = httpx.get(f"{base}/sw.js")
        assert worker.status_code == 200
        assert "const BUILD = {" in worker.text
        assert httpx.get(f"{base}/static/css/app.css").status_code == 200
        assert httpx.get(f"{base}/docs/init.js").status_code == 200
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_the_wheel_lists_every_package_of_the_app():
    """pyproject.toml names the packages one by one (web/ and migrations/ are mapped into
    app/): a new folder of code under app/ must be named there too, or installs lack it."""
    import tomllib

    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(path.parent.relative_to(REPO).parts)
        for path in (REPO / "app").rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
