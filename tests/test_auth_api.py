"""Accounts as a client sees them: register, sign in, sign out, expiry and rate limits."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select, update

from app.accounts import token_digest
from app.config import Settings
from app.main import create_app
from app.models import AuthToken, User, utcnow

from records import PASSWORD, sign_up


def test_registering_signs_in_at_once(client):
    response = client.post(
        "/api/auth/register", json={"email": "Alice@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_at"}
    assert body["token_type"] == "bearer"
    me = client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "alice@example.org"  # lower-cased


def test_an_email_registers_once_whatever_its_case(client, alice):
    response = client.post(
        "/api/auth/register", json={"email": "ALICE@example.org", "password": PASSWORD}
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "An account with this email already exists: sign in instead"
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "alice@example.org", "password": "short"}, "password"),
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": " alice@example.org", "password": PASSWORD}, "email"),
        ({"email": "alice@example.org"}, "password"),
    ],
)
def test_registration_refuses_bad_input_naming_the_field(client, body, field):
    response = client.post("/api/auth/register", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_a_refusal_never_repeats_the_password_sent(client):
    response = client.post(
        "/api/auth/register", json={"email": "alice@example.org", "password": "secret7"}
    )
    assert response.status_code == 422
    assert "secret7" not in response.text


@pytest.mark.parametrize(
    "body",
    [
        b'{"email": "alice@example.org", "password": "\\ud800 lone surrogate"}',
        b'{"email": "al\\udfffce@example.org", "password": "correct horse"}',
    ],
)
def test_text_that_utf_8_cannot_carry_is_a_422_not_a_500(client, body):
    response = client.post(
        "/api/auth/register", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422


def test_login_gives_a_bearer_token_that_lasts_the_configured_days(client, alice):
    response = client.post(
        "/api/auth/login", json={"email": "alice@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    expires_in = datetime.fromisoformat(body["expires_at"]) - utcnow()
    assert timedelta(days=29, hours=23) < expires_in <= timedelta(days=30)
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get("/api/me", headers=headers).status_code == 200
    assert client.get("/api/me", headers=alice).status_code == 200  # the first one still works


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "alice@example.org", "password": "wrong password"},
        {"email": "nobody@example.org", "password": PASSWORD},
    ],
)
def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, alice, credentials):
    response = client.post("/api/auth/login", json=credentials)
    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong email or password"}


def test_passwords_are_stored_as_argon2id_and_tokens_only_as_digests(client, db):
    headers = sign_up(client, "alice@example.org")
    token = headers["Authorization"].removeprefix("Bearer ")
    user = db.exec(select(User)).one()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    stored = db.exec(select(AuthToken)).one()
    assert stored.token_hash == token_digest(token) != token


def test_logout_revokes_only_the_token_it_carries(client, alice):
    second = client.post(
        "/api/auth/login", json={"email": "alice@example.org", "password": PASSWORD}
    ).json()["access_token"]
    assert client.post("/api/auth/logout", headers=alice).status_code == 204
    refused = client.get("/api/me", headers=alice)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert client.post("/api/auth/logout", headers=alice).status_code == 401
    assert client.get("/api/me", headers={"Authorization": f"Bearer {second}"}).status_code == 200


def test_an_expired_token_is_refused(client, alice, db):
    db.exec(update(AuthToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    response = client.get("/api/me", headers=alice)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Not signed in, or the sign-in has expired or was revoked: sign in again"
    }


def test_signing_in_clears_the_accounts_expired_tokens(client, alice, db):
    db.exec(update(AuthToken).values(expires_at=utcnow() - timedelta(days=1)))
    db.commit()
    client.post("/api/auth/login", json={"email": "alice@example.org", "password": PASSWORD})
    assert len(db.exec(select(AuthToken)).all()) == 1


@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer nonsense", "Basic YWxpY2U6cHc=", "bearer  "]
)
def test_a_missing_or_malformed_authorization_is_refused(client, alice, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/api/me", headers=headers)
    assert response.status_code == 401


# --- Rate limits ------------------------------------------------------------------------------


@contextmanager
def app_client(settings: Settings, **limits: int) -> Iterator[TestClient]:
    """A client of a separate app process-alike, built with `limits` on its settings."""
    with TestClient(create_app(settings.model_copy(update=limits))) as client:
        yield client


def _login(client: TestClient, email: str, password: str = "wrong password"):
    return client.post("/api/auth/login", json={"email": email, "password": password})


def test_login_is_limited_per_account_with_retry_after(settings):
    with app_client(settings, auth_attempts_per_account=3) as client:
        sign_up(client, "alice@example.org")
        assert [_login(client, "alice@example.org").status_code for _ in range(3)] == [401] * 3
        limited = _login(client, "alice@example.org", PASSWORD)  # even the right password
        assert limited.status_code == 429
        wait = int(limited.headers["retry-after"])
        assert 1 <= wait <= settings.auth_window_seconds
        assert limited.json() == {"detail": f"Too many attempts: try again in {wait} seconds"}
        sign_up(client, "bob@example.org")
        assert _login(client, "bob@example.org", PASSWORD).status_code == 200


def test_login_is_limited_per_address_across_accounts(settings):
    with app_client(settings, auth_attempts_per_address=4) as client:
        statuses = [_login(client, f"user{i}@example.org").status_code for i in range(5)]
        assert statuses == [401, 401, 401, 401, 429]


def test_registration_is_limited_per_address(settings):
    with app_client(settings, auth_attempts_per_address=2) as client:
        sign_up(client, "one@example.org")
        sign_up(client, "two@example.org")
        response = client.post(
            "/api/auth/register", json={"email": "three@example.org", "password": PASSWORD}
        )
        assert response.status_code == 429
        assert int(response.headers["retry-after"]) >= 1


def test_a_successful_sign_in_starts_the_accounts_count_afresh(settings):
    with app_client(settings, auth_attempts_per_account=3) as client:
        sign_up(client, "alice@example.org")
        assert _login(client, "alice@example.org").status_code == 401
        assert _login(client, "alice@example.org").status_code == 401
        assert _login(client, "alice@example.org", PASSWORD).status_code == 200
        statuses = [_login(client, "alice@example.org").status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429]


def test_limits_hold_across_app_processes_sharing_the_database(settings):
    """Two apps (as two Uvicorn workers would be) count into the same table."""
    limits = {"auth_attempts_per_account": 4}
    with app_client(settings, **limits) as first, app_client(settings, **limits) as second:
        sign_up(first, "alice@example.org")
        statuses = [
            _login(client, "alice@example.org").status_code
            for client in (first, second, first, second, first, second)
        ]
        assert statuses == [401, 401, 401, 401, 429, 429]
        assert int(_login(second, "alice@example.org").headers["retry-after"]) >= 1
