"""What every response carries, the request body limit, and errors that never leak detail."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import select

from app.config import ConfigError, Settings, load_settings
from app.main import create_app
from app.models import RateLimit
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


# --- The client's address behind a proxy (TRUSTED_PROXIES) ------------------------------------


def _counted_addresses(db) -> set[str]:
    """The addresses the sign-in limit has counted attempts from."""
    keys = db.exec(select(RateLimit.key)).all()
    return {key.split(":")[2] for key in keys if key.startswith("login:from:")}


def _login(client: TestClient, forwarded_for: str) -> None:
    response = client.post(
        "/api/auth/login",
        json={"email": "nobody@example.org", "password": "wrong password here"},
        headers={"X-Forwarded-For": forwarded_for},
    )
    assert response.status_code == 401


@pytest.mark.parametrize("peer", ["127.0.0.1", "192.0.2.2"])
def test_a_forged_forwarded_for_from_an_untrusted_peer_is_not_believed(settings, db, peer):
    """By default no proxy is trusted: not even loopback picks its address through the header."""
    with TestClient(create_app(settings), client=(peer, 50000)) as client:
        _login(client, "203.0.113.9")
    assert _counted_addresses(db) == {peer}


def test_from_a_trusted_proxy_the_rightmost_untrusted_hop_counts(settings, db):
    """The client may send any X-Forwarded-For; each trusted proxy appends the address it saw,
    so the rightmost address that is not a trusted proxy is the client's."""
    trusting = settings.model_copy(update={"trusted_proxies": ["10.0.0.0/8"]})
    with TestClient(create_app(trusting), client=("10.0.0.2", 50000)) as client:
        _login(client, "198.51.100.1, 203.0.113.9, 10.0.0.7")
    assert _counted_addresses(db) == {"203.0.113.9"}


def test_trusted_proxies_are_read_from_the_environment_as_json(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", '["172.17.0.1", "10.0.0.0/8", "::1"]')
    assert Settings().trusted_proxies == ["172.17.0.1", "10.0.0.0/8", "::1"]
    monkeypatch.setenv("TRUSTED_PROXIES", '["proxy.example.org"]')
    with pytest.raises(ConfigError, match=r"TRUSTED_PROXIES lists 'proxy\.example\.org'"):
        load_settings()


# --- HSTS, the host check and /healthz ---------------------------------------------------------


def test_hsts_is_sent_on_every_response_when_set(settings):
    secure = settings.model_copy(update={"hsts_seconds": 31536000})
    with TestClient(create_app(secure)) as client:
        for path in ("/", "/api/exercises", "/healthz", "/no-such-page", "/api/me"):
            assert client.get(path).headers["strict-transport-security"] == "max-age=31536000"


def test_no_hsts_by_default(client):
    assert "strict-transport-security" not in client.get("/").headers


def test_health_checks_by_address_pass_the_host_check_and_nothing_else_does(settings):
    public = settings.model_copy(update={"allowed_hosts": ["spinewise.example.org"]})
    with TestClient(create_app(public), base_url="http://127.0.0.1:8000") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 400
        assert client.get("/api/exercises").status_code == 400
        assert client.get("/", headers={"Host": "spinewise.example.org"}).status_code == 200


# --- HEAD and OPTIONS --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/history",
        "/exercises/glute-bridge",
        "/healthz",
        "/api/exercises",
        "/api/exercises/glute-bridge",
        "/manifest.webmanifest",
        "/sw.js",
        "/static/css/app.css",
    ],
)
def test_head_answers_like_get_without_a_body(client, path):
    get = client.get(path)
    head = client.head(path)
    assert get.status_code == head.status_code == 200
    assert head.content == b""
    for name in ("content-type", "content-length", "etag", "cache-control"):
        assert head.headers.get(name) == get.headers.get(name), name


def test_head_of_a_missing_page_is_a_404_without_a_body(client):
    head = client.head("/no-such-page")
    assert head.status_code == 404
    assert head.content == b""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/me", "GET, HEAD, DELETE, OPTIONS"),
        ("/api/sync", "POST, OPTIONS"),
        ("/api/exercises", "GET, HEAD, OPTIONS"),
        ("/", "GET, HEAD, OPTIONS"),
    ],
)
def test_options_lists_every_method_of_the_path(client, path, allowed):
    response = client.options(path)
    assert response.status_code == 204
    assert response.headers["allow"] == allowed


def test_a_method_the_path_lacks_is_a_405_listing_every_method_it_has(client):
    response = client.put("/api/me")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, DELETE, OPTIONS"


def test_head_of_a_path_without_get_is_a_405_listing_its_methods(client):
    response = client.head("/api/sync")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST, OPTIONS"
    assert response.content == b""


def test_options_of_an_unknown_path_is_a_404(client):
    assert client.options("/api/no-such-thing").status_code == 404
