"""The `spinewise` command: check the catalogue, migrate, and serve a real process; start-up
errors as one line; and a live server's limits on slow clients and forged addresses."""

import os
import re
import shlex
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from alembic.script import ScriptDirectory

from app.cli import main
from app.config import resource

REPO = Path(__file__).resolve().parent.parent
HEAD = ", ".join(sorted(ScriptDirectory(str(resource("migrations"))).get_heads()))


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


@contextmanager
def serving(env: dict[str, str]) -> Iterator[SimpleNamespace]:
    """`spinewise serve` in a process of its own on a free port (`.port`), once it answers;
    stopped at the end, when what it printed is in `.output`."""
    server = SimpleNamespace(port=_free_port(), output="")
    port = server.port
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
                httpx.get(f"http://127.0.0.1:{port}/healthz")
                break
            except httpx.ConnectError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        yield server
    finally:
        proc.terminate()
        server.output = proc.communicate(timeout=10)[0]


def test_serve_migrates_then_serves_the_catalogue(tmp_path):
    env = {**os.environ, "DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    with serving(env) as server:
        response = httpx.get(f"http://127.0.0.1:{server.port}/api/exercises?pattern=breath")
        assert response.status_code == 200
        assert response.json()["count"] >= 2
        assert (tmp_path / "spinewise.db").exists()
    out = server.output
    assert out.count(f"Spinewise is running: open http://127.0.0.1:{server.port}/") == 1
    # Said once the server answers, so after Uvicorn's own start-up lines.
    assert out.index("Application startup complete") < out.index("Spinewise is running")


def test_serve_help_explains_every_option():
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--help"], capture_output=True, text=True
    ).stdout
    for option, words in (
        ("--host", "address to listen on"),
        ("--port", "port to listen on"),
        ("--workers", "number of server processes"),
        ("--no-migrate", "do not apply migrations"),
    ):
        assert re.search(rf"{option}.*\n?.*{words}", out), option


# --- Start-up errors: one line on stderr that names the setting, no traceback -----------------


def _spinewise(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ENVIRONMENT")}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("spinewise: ")
    assert "Spinewise is running" not in result.stdout
    return lines[0]


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL does not parse as a database URL"),
        ({"DATABASE_URL": "mysql://u:pw@db/x"}, "DATABASE_URL names the database 'mysql'"),
        (
            {"DATABASE_URL": "postgresql://u:hunter22@127.0.0.1:1/x"},
            "the database named by DATABASE_URL (127.0.0.1:1/x) does not answer",
        ),
        ({"ALLOWED_HOSTS": "spinewise.example.org"}, "ALLOWED_HOSTS must be a JSON list"),
        ({"CORS_ORIGINS": "https://a.example.org"}, "CORS_ORIGINS must be a JSON list"),
        ({"TRUSTED_PROXIES": "10.0.0.1"}, "TRUSTED_PROXIES must be a JSON list"),
        ({"ENVIRONMENT": "production"}, "ALLOWED_HOSTS must name the site's host names"),
        ({"ENVIRONMENT": "staging"}, "ENVIRONMENT: Input should be"),
        ({"BODY_TIMEOUT_SECONDS": "0"}, "BODY_TIMEOUT_SECONDS: Input should be greater than 0"),
        ({"SMTP_HOST": "mail.example.org"}, "SMTP_FROM must be set when SMTP_HOST is"),
        (
            {"SMTP_HOST": "mail.example.org", "SMTP_FROM": "spinewise@example.org"},
            "PUBLIC_URL must be set when SMTP_HOST is",
        ),
        ({"SMTP_FROM": "spinewise"}, "SMTP_FROM must be an email address"),
        ({"SMTP_TLS": "tls"}, "SMTP_TLS: Input should be 'starttls', 'ssl' or 'none'"),
        ({"SMTP_PORT": "70000"}, "SMTP_PORT: Input should be less than or equal to 65535"),
        ({"PUBLIC_URL": "spinewise.example.org"}, "PUBLIC_URL must be the address people open"),
        (
            {
                "SMTP_HOST": "mail.example.org",
                "SMTP_FROM": "spinewise@example.org",
                "PUBLIC_URL": "https://spinewise.example.org",
                "SMTP_PASSWORD": "hunter22",
            },
            "SMTP_USER and SMTP_PASSWORD go together",
        ),
    ],
)
@pytest.mark.parametrize("command", ["migrate", "serve"])
def test_a_bad_setting_stops_start_up_with_one_line_naming_it(tmp_path, command, env, says):
    line = _one_line_error(_spinewise(command, env={"DATA_DIR": str(tmp_path), **env}))
    assert says in line
    assert "hunter22" not in line


def _stamped(tmp_path: Path, revision: str) -> dict[str, str]:
    """A migrated SQLite database whose recorded revision is then set to `revision`."""
    env = {"DATA_DIR": str(tmp_path)}
    assert _spinewise("migrate", env=env).returncode == 0
    with sqlite3.connect(tmp_path / "spinewise.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    return env


@pytest.mark.parametrize("command", [["migrate"], ["serve"], ["serve", "--no-migrate"]])
def test_a_database_newer_than_the_code_is_refused_with_what_to_do(tmp_path, command):
    env = _stamped(tmp_path, "9999")
    port = ["--port", str(_free_port())] if command[0] == "serve" else []
    line = _one_line_error(_spinewise(*command, *port, env=env))
    assert f"the database is at revision 9999, newer than this code ({HEAD})" in line
    assert "deploy the newer code or restore a matching backup" in line


def test_serving_an_unmigrated_database_without_migrating_says_to_migrate(tmp_path):
    result = _spinewise(
        "serve", "--no-migrate", "--port", str(_free_port()), env={"DATA_DIR": str(tmp_path)}
    )
    line = _one_line_error(result)
    assert f"the database is at revision none, the code needs {HEAD}" in line
    assert "run `spinewise migrate` first" in line


def test_a_port_in_use_is_one_line_naming_the_option(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _spinewise("serve", "--port", str(port), env={"DATA_DIR": str(tmp_path)})
    line = _one_line_error(result)
    assert f"port {port} on 127.0.0.1 is already in use (--port)" in line


# --- A live server with short limits: slow clients, forged addresses, the health check -------

PUBLIC = "spinewise.example.org"


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """`spinewise serve` answering only to PUBLIC, with one-second limits on slow requests and
    two sign-in attempts per address; yields (host, port)."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRUSTED_PROXIES")},
        "DATA_DIR": str(tmp_path_factory.mktemp("strict")),
        "ALLOWED_HOSTS": f'["{PUBLIC}"]',
        "HEADER_TIMEOUT_SECONDS": "1",
        "BODY_TIMEOUT_SECONDS": "1",
        "AUTH_ATTEMPTS_PER_ADDRESS": "2",
    }
    with serving(env) as server:
        yield "127.0.0.1", server.port


def test_the_docker_health_check_passes_when_only_the_public_host_is_allowed(strict_server):
    """The Dockerfile's own HEALTHCHECK command, pointed at this server's port."""
    line = next(
        line
        for line in (REPO / "Dockerfile").read_text().splitlines()
        if line.startswith("HEALTHCHECK")
    )
    command = shlex.split(line.split(" CMD ", 1)[1].replace("8000", str(strict_server[1])))
    command[0] = sys.executable if command[0] == "python" else command[0]
    assert subprocess.run(command, capture_output=True, timeout=10).returncode == 0
    assert httpx.get(f"http://127.0.0.1:{strict_server[1]}/").status_code == 400


def test_a_loopback_client_cannot_pick_its_address_with_x_forwarded_for(strict_server):
    """No proxy is trusted by default, so forged headers all count as the one real address."""
    statuses = [
        httpx.post(
            f"http://127.0.0.1:{strict_server[1]}/api/auth/login",
            json={"email": f"u{i}@example.org", "password": "wrong password here"},
            headers={"Host": PUBLIC, "X-Forwarded-For": f"203.0.113.{i}"},
        ).status_code
        for i in range(3)
    ]
    assert statuses == [401, 401, 429]


def _read_until_closed(conn: socket.socket, limit: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes, and the seconds that took."""
    start = time.monotonic()
    conn.settimeout(limit)
    received = b""
    try:
        while chunk := conn.recv(4096):
            received += chunk
    except ConnectionResetError:
        pass  # closed while our own data was still arriving: closed all the same
    except TimeoutError:
        pytest.fail(f"the connection was still open after {limit} s: {received!r}")
    return received, time.monotonic() - start


def test_a_body_shorter_than_its_content_length_gets_a_408_in_time(strict_server):
    with socket.create_connection(strict_server) as conn:
        conn.sendall(
            b"POST /api/auth/login HTTP/1.1\r\nHost: " + PUBLIC.encode() + b"\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":'
        )
        received, seconds = _read_until_closed(conn, 5)
    assert received.startswith(b"HTTP/1.1 408 "), received
    assert b"did not arrive within 1 seconds" in received
    assert 0.9 < seconds < 3


def test_headers_sent_slowly_are_cut_off(strict_server):
    with socket.create_connection(strict_server) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\n")
        start = time.monotonic()
        try:
            for i in range(20):  # one header line every 0.25 s: 5 s if never cut off
                conn.sendall(f"X-Slow-{i}: yes\r\n".encode())
                time.sleep(0.25)
        except (BrokenPipeError, ConnectionResetError):
            pass
        received, _ = _read_until_closed(conn, 5)
        seconds = time.monotonic() - start
    assert received.startswith(b"HTTP/1.1 408 ") or received == b"", received
    assert seconds < 3


def test_a_connection_that_sends_nothing_is_closed(strict_server):
    with socket.create_connection(strict_server) as conn:
        received, seconds = _read_until_closed(conn, 5)
    assert received.startswith(b"HTTP/1.1 408 "), received
    assert seconds < 3


def test_a_prompt_request_on_a_kept_alive_connection_is_answered(strict_server):
    """The header deadline starts at each request's first byte, so a connection that is reused
    after a pause (under uvicorn's keep-alive timeout) still works."""
    with httpx.Client(base_url=f"http://127.0.0.1:{strict_server[1]}") as client:
        assert client.get("/healthz").status_code == 200
        time.sleep(1.5)
        assert client.get("/", headers={"Host": PUBLIC}).status_code == 200
