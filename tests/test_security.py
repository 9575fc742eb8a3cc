"""What every response carries, the request body limit, and errors that never leak detail."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.main import create_app
from app.security import CONTENT_SECURITY_POLICY

from records import session_log

EXPECTED_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def test_the_policy_allows_no_inline_script_and_no_framing():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),  # a page
        ("GET", "/history", 200),
        ("GET", "/api/exercises", 200),
        ("GET", "/healthz", 200),
        ("GET", "/api/me", 401),
        ("POST", "/api/auth/login", 422),
        ("GET", "/api/nothing-here", 404),
        ("GET", "/no-such-page", 404),
    ],
)
def test_every_response_carries_the_security_headers(client, method, path, status):
    response = client.request(method, path)
    assert response.status_code == status
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value, name


def test_account_answers_are_never_cached_and_the_catalogue_keeps_its_policy(client, alice):
    assert client.get("/api/me", headers=alice).headers["cache-control"] == "no-store"
    assert client.post("/api/sync", headers=alice, json={}).headers["cache-control"] == "no-store"
    assert client.get("/api/exercises").headers["cache-control"] == "no-cache"


@pytest.fixture
def small_client(settings):
    """The app with a 4 KiB body limit."""
    with TestClient(create_app(settings.model_copy(update={"max_body_bytes": 4096}))) as client:
        yield client


def test_a_body_declared_over_the_limit_is_a_413(small_client):
    body = {"sessions": [session_log(notes="x" * 1000) for _ in range(5)]}
    response = small_client.post("/api/sync", json=body)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is larger than 4096 bytes: send less at once"
    }
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_chunked_body_over_the_limit_is_a_413_too(small_client):
    def chunks():
        for _ in range(10):
            yield b" " * 1000

    response = small_client.post(
        "/api/auth/login", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_a_chunked_body_under_the_limit_goes_through(small_client):
    sign_up_body = b'{"email": "alice@example.org", "password": "correct horse battery"}'

    def chunks():
        yield sign_up_body[:20]
        yield sign_up_body[20:]

    response = small_client.post(
        "/api/auth/register", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201


def test_a_content_length_that_is_not_a_number_is_a_400(small_client):
    response = small_client.post(
        "/api/auth/login", content=b"{}", headers={"Content-Length": "lots"}
    )
    assert response.status_code == 400


@pytest.fixture
def failing_client(settings):
    """The app with routes that fail the ways a database and a bug can."""
    app = create_app(settings)
    sql = "INSERT INTO user (email, password_hash) VALUES (?, ?)"

    def integrity() -> None:
        raise IntegrityError(sql, ("a@example.org", "$argon2id$..."), Exception("UNIQUE failed"))

    def locked() -> None:
        raise OperationalError(sql, (), Exception("database is locked"))

    def busy() -> None:
        raise PoolTimeout("QueuePool limit of size 5 overflow 10 reached")

    def bug() -> None:
        raise RuntimeError("SELECT secret FROM user")

    for name, route in (
        ("integrity", integrity),
        ("locked", locked),
        ("busy", busy),
        ("bug", bug),
    ):
        app.add_api_route(f"/api/fail/{name}", route)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    ("name", "status", "detail"),
    [
        ("integrity", 409, "That conflicts with data stored a moment ago: try again"),
        ("locked", 503, "The database is not answering: try again shortly"),
        ("busy", 503, "The database is not answering: try again shortly"),
        ("bug", 500, "Internal server error"),
    ],
)
def test_failures_answer_plainly_without_sql_or_trace(failing_client, name, status, detail):
    response = failing_client.get(f"/api/fail/{name}")
    assert response.status_code == status
    assert response.json() == {"detail": detail}
    for leak in ("INSERT", "SELECT", "Traceback", "argon2", "locked", "UNIQUE", "QueuePool"):
        assert leak not in response.text
