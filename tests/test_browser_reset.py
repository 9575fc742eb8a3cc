"""A forgotten password in headless Chromium: ask for the link on the Account screen, open it
from the email a real SMTP server received, choose a new password and be signed in with it;
and, on a server with no email settings, the form says it cannot send email."""

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser_support import cleared, installed, watch
from conftest import PHONE, Inbox, free_port, served
from playwright.sync_api import expect

from app.config import Settings

from records import PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a brand new passphrase"
SMALL_PHONE = {**PHONE, "viewport": {"width": 360, "height": 640}}
SHOTS = Path("/tmp/shots-reset")


@pytest.fixture
def mailing_server(database_url: str, tmp_path: Path, smtp_server: Inbox) -> Iterator[str]:
    """The app served with email through `smtp_server`; its links lead back to it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(environment="test", database_url=database_url, data_dir=tmp_path)
    with served(smtp_server.settings(settings, public_url=base), port) as url:
        yield url


def register(base: str, email: str) -> str:
    answer = httpx.post(f"{base}/api/auth/register", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return answer.json()["access_token"]


def login(base: str, email: str, password: str) -> int:
    answer = httpx.post(f"{base}/api/auth/login", json={"email": email, "password": password})
    return answer.status_code


def ask_for_a_link(page, email: str, shot: str = "") -> None:
    page.goto("/account")
    if shot:
        expect(page.get_by_role("link", name="Forgot your password?")).to_be_visible()
        shoot(page, shot)
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"If an account uses {email}, an email with a link to choose a new password is on its way"
    )


def emailed_link(inbox: Inbox, n: int = 1) -> str:
    found = re.search(r"(http://\S+/reset#token=[\w-]+)", inbox.wait(n)[n - 1].get_content())
    assert found
    return found.group(1)


def shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("phone", [PHONE, SMALL_PHONE], ids=["390x844", "360x640"])
def test_a_forgotten_password_is_reset_from_the_emailed_link_and_signs_in(
    browser, mailing_server, smtp_server, phone
):
    size = f"{phone['viewport']['width']}x{phone['viewport']['height']}"
    old_token = register(mailing_server, "alice@example.org")
    context = browser.new_context(base_url=mailing_server, **phone)
    page = context.new_page()
    problems = watch(page)
    cleared(page)
    installed(page, "/account")  # the service worker handles the link's navigation

    ask_for_a_link(page, "alice@example.org", f"sign-in-{size}")
    shoot(page, f"forgot-{size}")
    link = emailed_link(smtp_server)
    assert link.startswith(f"{mailing_server}/reset#token=")

    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password", level=1)).to_be_visible()
    expect(page.get_by_text("8 to 256 characters")).to_be_visible()
    page.get_by_label("New password").fill(NEW_PASSWORD)
    shoot(page, f"reset-{size}")
    page.get_by_role("button", name="Set the new password").click()

    # Two Argon2 hashes (the new password set, then signed in with) on a busy machine.
    expect(page).to_have_url(f"{mailing_server}/account", timeout=30_000)  # token gone
    expect(page.locator(".signed-in-as")).to_contain_text("alice@example.org")
    expect(page.get_by_role("alert")).to_contain_text(
        "Your new password is set, and you are signed in as alice@example.org"
    )
    expect(page.locator(".last-synced")).to_contain_text("Last synced")
    shoot(page, f"signed-in-{size}")
    assert login(mailing_server, "alice@example.org", PASSWORD) == 401
    me = httpx.get(f"{mailing_server}/api/me", headers={"Authorization": f"Bearer {old_token}"})
    assert me.status_code == 401

    # Signed out, the new password signs in through the form like any other.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email").fill("alice@example.org")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".signed-in-as")).to_contain_text("alice@example.org", timeout=20_000)
    assert problems == []

    # The link worked once: opened again, it says so and offers a new one.
    page.goto(link)
    page.get_by_label("New password").fill("yet another passphrase")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("alert")).to_have_text(
        "This reset link has been used already: ask for a new one if you need it"
    )
    expect(page.get_by_role("link", name="Ask for a new link")).to_be_visible()
    context.close()


def test_a_short_new_password_is_refused_with_the_rule_and_the_link_still_works(
    browser, mailing_server, smtp_server
):
    register(mailing_server, "alice@example.org")
    context = browser.new_context(base_url=mailing_server, **PHONE)
    page = context.new_page()
    cleared(page)
    ask_for_a_link(page, "alice@example.org")
    page.goto(emailed_link(smtp_server))
    field = page.get_by_label("New password")
    field.fill("short")
    page.get_by_role("button", name="Set the new password").click()
    assert field.evaluate("(input) => input.validity.tooShort")  # the browser holds it back
    field.evaluate("(input) => input.removeAttribute('minlength')")  # the server, too
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("alert")).to_have_text("The password needs 8 to 256 characters.")
    field.fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.locator(".signed-in-as")).to_contain_text("alice@example.org", timeout=30_000)
    context.close()


def test_an_email_without_an_account_gets_the_same_words_and_no_email(
    browser, mailing_server, smtp_server
):
    register(mailing_server, "alice@example.org")
    context = browser.new_context(base_url=mailing_server, **PHONE)
    page = context.new_page()
    cleared(page)
    ask_for_a_link(page, "nobody@example.org")
    ask_for_a_link(page, "alice@example.org")
    assert [m["To"] for m in smtp_server.wait(1)] == ["alice@example.org"]
    assert len(smtp_server.messages) == 1
    context.close()


def test_a_reset_address_without_its_token_says_where_links_come_from(page):
    cleared(page)
    page.goto("/reset")
    expect(page.get_by_role("heading", name="Choose a new password", level=1)).to_be_visible()
    expect(page.get_by_text("opens from the link in a password reset email")).to_be_visible()
    page.get_by_role("link", name="Ask for a new link").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()


@pytest.mark.parametrize("phone", [PHONE, SMALL_PHONE], ids=["390x844", "360x640"])
def test_without_email_settings_the_form_says_this_server_cannot_send_email(
    browser, live_server, phone
):
    context = browser.new_context(base_url=live_server, **phone)
    page = context.new_page()
    cleared(page)
    page.goto("/account")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.locator(".cannot-email")).to_have_text(
        "This server cannot send email, so it cannot send you a link to choose a new password."
        " Whoever runs it can set up email for it."
    )
    expect(page.get_by_role("button", name="Email me a link")).to_have_count(0)
    expect(page.get_by_text("Spinewise sends a link")).to_have_count(0)
    size = f"{phone['viewport']['width']}x{phone['viewport']['height']}"
    shoot(page, f"no-email-{size}")
    page.get_by_role("link", name="Back to sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    context.close()
