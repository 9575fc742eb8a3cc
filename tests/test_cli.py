"""The `spinewise` command: check the catalogue, migrate, and serve a real process."""

import os
import socket
import subprocess
import sys
import time

import httpx

from app.cli import main


def test_check_catalogue_summarises_by_pattern(capsys, catalogue):
    assert main(["check-catalogue"]) == 0
    out = capsys.readouterr().out
    assert f"{len(catalogue)} exercises" in out
    assert catalogue.version in out


def test_migrate_creates_the_database(tmp_path, monkeypatch, capsys):
    from app.config import get_settings

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    try:
        assert main(["migrate"]) == 0
    finally:
        get_settings.cache_clear()
    assert (tmp_path / "cli.db").exists()
    assert "database at head" in capsys.readouterr().out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_migrates_then_serves_the_catalogue(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/exercises?pattern=breath")
                break
            except httpx.ConnectError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json()["count"] >= 2
        assert (tmp_path / "spinewise.db").exists()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert f"open http://127.0.0.1:{port}/" in out
