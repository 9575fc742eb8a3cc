"""A forgotten password, as a client and a mailbox see it: the link arrives through a real SMTP
server, sets a new password once, ends every sign-in, expires, and the server answers alike
whether the email has an account or not."""

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.accounts import token_digest
from app.api.deps import clock
from app.config import Settings
from app.main import create_app
from app.models import PasswordReset, utcnow

from records import PASSWORD, sign_up

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"(http://spinewise\.test/reset#token=([A-Za-z0-9_-]+))\s")


class Clock:
    """The time the reset routes read, moved by the test."""

    def __init__(self) -> None:
        self.now: datetime = utcnow()

    def move(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def now() -> Clock:
    return Clock()


@contextmanager
def app_client(settings: Settings, now: Clock | None = None) -> Iterator[TestClient]:
    app = create_app(settings)
    if now is not None:
        app.dependency_overrides[clock] = lambda: now.now
    with TestClient(app) as client:
        yield client


@pytest.fixture
def mailing(settings, smtp_server, now) -> Iterator[TestClient]:
    """A client of an app that sends email through `smtp_server`, on a clock the test moves."""
    with app_client(smtp_server.settings(settings), now) as client:
        yield client


def ask(client: TestClient, email: str):
    return client.post("/api/password-reset", json={"email": email})


def confirm(client: TestClient, token: str, password: str = NEW_PASSWORD):
    return client.post("/api/password-reset/confirm", json={"token": token, "password": password})


def login(client: TestClient, email: str, password: str) -> int:
    answer = client.post("/api/auth/login", json={"email": email, "password": password})
    return answer.status_code


def link_in(message) -> tuple[str, str]:
    """The reset link in an email, and its token."""
    found = LINK.search(message.get_content())
    assert found, message.get_content()
    return found.group(1), found.group(2)


def emailed_token(client: TestClient, inbox, email: str, nth: int = 1) -> str:
    assert ask(client, email).status_code == 202
    return link_in(inbox.wait(nth)[nth - 1])[1]


def test_the_emailed_link_sets_a_new_password_and_ends_every_sign_in(mailing, smtp_server, db):
    first = sign_up(mailing, "alice@example.org")
    second = mailing.post(
        "/api/auth/login", json={"email": "alice@example.org", "password": PASSWORD}
    ).json()["access_token"]

    answer = ask(mailing, "Alice@Example.org")
    assert answer.status_code == 202
    [message] = smtp_server.wait(1)
    assert message["To"] == "alice@example.org"
    assert message["From"] == "Spinewise <spinewise@example.org>"
    assert message["Subject"] == "Choose a new Spinewise password"
    assert "works once, for 30 minutes" in message.get_content()
    _, token = link_in(message)
    stored = db.exec(select(PasswordReset)).one()
    assert stored.token_hash == token_digest(token)  # the token itself is stored nowhere

    done = confirm(mailing, token)
    assert done.status_code == 200
    assert done.json() == {"email": "alice@example.org"}
    assert login(mailing, "alice@example.org", PASSWORD) == 401
    assert login(mailing, "alice@example.org", NEW_PASSWORD) == 200
    for token_before in (first["Authorization"].removeprefix("Bearer "), second):
        me = mailing.get("/api/me", headers={"Authorization": f"Bearer {token_before}"})
        assert me.status_code == 401


def test_a_link_works_once(mailing, smtp_server):
    sign_up(mailing, "alice@example.org")
    token = emailed_token(mailing, smtp_server, "alice@example.org")
    assert confirm(mailing, token).status_code == 200
    again = confirm(mailing, token, "yet another passphrase")
    assert again.status_code == 400
    assert again.json() == {
        "detail": "This reset link has been used already: ask for a new one if you need it"
    }
    assert login(mailing, "alice@example.org", "yet another passphrase") == 401
    assert login(mailing, "alice@example.org", NEW_PASSWORD) == 200


def test_using_one_link_ends_the_other_links_sent_before_it(mailing, smtp_server):
    sign_up(mailing, "alice@example.org")
    earlier = emailed_token(mailing, smtp_server, "alice@example.org", 1)
    later = emailed_token(mailing, smtp_server, "alice@example.org", 2)
    assert earlier != later
    assert confirm(mailing, later).status_code == 200
    assert confirm(mailing, earlier, "yet another passphrase").status_code == 400
    assert login(mailing, "alice@example.org", NEW_PASSWORD) == 200


def test_a_link_expires_after_thirty_minutes_and_then_changes_nothing(mailing, smtp_server, now):
    headers = sign_up(mailing, "alice@example.org")
    token = emailed_token(mailing, smtp_server, "alice@example.org", 1)
    now.move(minutes=30)
    expired = confirm(mailing, token)
    assert expired.status_code == 400
    assert expired.json() == {"detail": "This reset link has expired: ask for a new one"}
    assert login(mailing, "alice@example.org", PASSWORD) == 200
    assert mailing.get("/api/me", headers=headers).status_code == 200

    fresh = emailed_token(mailing, smtp_server, "alice@example.org", 2)
    now.move(minutes=29, seconds=59)
    assert confirm(mailing, fresh).status_code == 200


@pytest.mark.parametrize("token", ["not-a-token", "x" * 43, "x" * 200])
def test_an_unknown_token_is_refused_and_changes_nothing(mailing, token):
    headers = sign_up(mailing, "alice@example.org")
    refused = confirm(mailing, token)
    assert refused.status_code == 400
    assert refused.json() == {"detail": "This reset link is not valid: ask for a new one"}
    assert login(mailing, "alice@example.org", PASSWORD) == 200
    assert mailing.get("/api/me", headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": NEW_PASSWORD}, "token"),
        ({"token": "", "password": NEW_PASSWORD}, "token"),
        ({"token": "x" * 201, "password": NEW_PASSWORD}, "token"),
        ({"token": "T"}, "password"),
        ({"token": "T", "password": "short"}, "password"),
        ({"token": "T", "password": "x" * 257}, "password"),
    ],
)
def test_a_new_password_follows_the_rules_of_registration(mailing, smtp_server, body, field):
    """A refused body is a 422 naming the field; the link still works afterwards."""
    sign_up(mailing, "alice@example.org")
    token = emailed_token(mailing, smtp_server, "alice@example.org")
    body = {k: token if v == "T" else v for k, v in body.items()}
    refused = mailing.post("/api/password-reset/confirm", json=body)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", field]
    assert login(mailing, "alice@example.org", PASSWORD) == 200
    assert confirm(mailing, token).status_code == 200


def test_an_email_without_an_account_gets_the_same_answer_and_no_email(mailing, smtp_server):
    sign_up(mailing, "alice@example.org")
    nobody = ask(mailing, "nobody@example.org")
    somebody = ask(mailing, "alice@example.org")
    assert nobody.status_code == somebody.status_code == 202
    assert nobody.json() == somebody.json()
    assert nobody.json()["link_minutes"] == 30
    # One thread sends, in order: had the first request sent anything, it came first.
    assert [m["To"] for m in smtp_server.wait(1)] == ["alice@example.org"]
    assert len(smtp_server.messages) == 1


def test_the_answer_never_waits_for_the_mail_server(mailing, smtp_server):
    """A mail server slow to answer does not slow the answer: sending happens afterwards."""
    sign_up(mailing, "alice@example.org")
    smtp_server.delay = 3
    started = time.monotonic()
    assert ask(mailing, "alice@example.org").status_code == 202
    assert time.monotonic() - started < 1.5
    assert len(smtp_server.messages) == 0
    smtp_server.wait(1)


def test_the_link_is_made_from_public_url_never_from_the_requests_host(mailing, smtp_server):
    sign_up(mailing, "alice@example.org")
    answer = mailing.post(
        "/api/password-reset",
        json={"email": "alice@example.org"},
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    assert answer.status_code == 202
    link, _ = link_in(smtp_server.wait(1)[0])
    assert link.startswith("http://spinewise.test/reset#token=")


def test_requests_are_limited_per_email_whether_it_has_an_account_or_not(mailing):
    sign_up(mailing, "alice@example.org")
    for email in ("alice@example.org", "nobody@example.org"):
        statuses = [ask(mailing, email).status_code for _ in range(4)]
        assert statuses == [202, 202, 202, 429]
    limited = ask(mailing, "ALICE@example.org")
    assert limited.status_code == 429
    wait = int(limited.headers["retry-after"])
    assert 1 <= wait <= 900
    assert limited.json() == {"detail": f"Too many attempts: try again in {wait} seconds"}


def test_requests_are_limited_per_client_address(settings, smtp_server):
    with app_client(smtp_server.settings(settings, reset_requests_per_address=4)) as client:
        statuses = [ask(client, f"user{i}@example.org").status_code for i in range(5)]
        assert statuses == [202, 202, 202, 202, 429]
        assert int(ask(client, "other@example.org").headers["retry-after"]) >= 1


def test_the_limit_counts_on_the_same_clock_and_a_new_window_starts_afresh(mailing, now):
    assert [ask(mailing, "a@example.org").status_code for _ in range(4)][-1] == 429
    now.move(seconds=900)
    assert ask(mailing, "a@example.org").status_code == 202


def test_a_reset_lets_an_owner_locked_out_by_wrong_passwords_sign_in(mailing, smtp_server):
    sign_up(mailing, "alice@example.org")
    for _ in range(10):
        login(mailing, "alice@example.org", "a wrong guess")
    assert login(mailing, "alice@example.org", PASSWORD) == 429
    token = emailed_token(mailing, smtp_server, "alice@example.org")
    assert confirm(mailing, token).status_code == 200
    assert login(mailing, "alice@example.org", NEW_PASSWORD) == 200


@pytest.mark.parametrize(
    ("broken", "logged"),
    [
        ({"smtp_port": 1}, "Connection refused"),
        ({"smtp_tls": "starttls"}, "STARTTLS extension not supported"),
        ({"smtp_tls": "ssl"}, "SSL"),
        ({"reply": "554 5.7.1 Relaying denied"}, "Relaying denied"),
    ],
)
def test_a_failing_mail_server_is_logged_never_a_500(settings, smtp_server, caplog, broken, logged):
    smtp_server.reply = broken.pop("reply", None)
    caplog.set_level(logging.ERROR, logger="spinewise.mail")
    with app_client(smtp_server.settings(settings, **broken)) as client:
        sign_up(client, "alice@example.org")
        answer = ask(client, "alice@example.org")
        assert answer.status_code == 202
        assert answer.json() == ask(client, "nobody@example.org").json()
    # Leaving the client stopped the app, which waits for the mail thread.
    [record] = [r for r in caplog.records if r.name == "spinewise.mail"]
    assert "not sent through 127.0.0.1" in record.getMessage()
    assert logged in record.getMessage()
    assert "alice@example.org" not in record.getMessage()
    assert smtp_server.messages == []


def test_without_email_settings_the_server_says_it_cannot_send_email(client, alice):
    assert client.get("/api/password-reset").json() == {"available": False, "link_minutes": 30}
    answer = ask(client, "alice@example.org")
    assert answer.status_code == 503
    assert answer.json()["detail"].startswith("This server cannot send email")
    assert "retry-after" not in answer.headers


def test_with_email_settings_the_server_says_it_can(mailing):
    assert mailing.get("/api/password-reset").json() == {"available": True, "link_minutes": 30}


def test_an_invalid_email_is_a_422_without_the_value(mailing, smtp_server):
    answer = ask(mailing, "not-an-email<script>")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "email"]
    assert "<script>" not in answer.text


def test_deleting_the_account_deletes_its_links(mailing, smtp_server, db):
    headers = sign_up(mailing, "alice@example.org")
    token = emailed_token(mailing, smtp_server, "alice@example.org")
    assert mailing.delete("/api/me", headers=headers).status_code == 204
    assert db.exec(select(PasswordReset)).all() == []
    assert confirm(mailing, token).status_code == 400


def test_public_url_may_end_in_a_slash_and_the_link_has_one_slash(settings, smtp_server):
    configured = smtp_server.settings(settings, public_url="http://spinewise.test/")
    reloaded = Settings.model_validate(configured.model_dump())
    assert reloaded.public_url == "http://spinewise.test"
