"""Shared fixtures: one migrated database per run, emptied before each test, and a client.

The suite runs on SQLite by default; with DATABASE_URL pointing at a PostgreSQL server it
creates a throwaway database there, migrates it, and drops it at the end.
"""

import asyncio
import email.policy
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from app import accounts
from app.catalogue import Catalogue, load_catalogue
from app.config import Settings
from app.db import make_engine, migrate, normalise_url
from app.main import create_app

from records import sign_up

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashes() -> Iterator[None]:
    """Argon2id at its lowest cost for the tests' accounts. The app's own parameters (RFC 9106's
    low-memory profile, app/accounts.py) take about 0.1 s of CPU a hash or check, and the suite
    signs up and in hundreds of accounts; what the tests check of passwords (Argon2id, salted,
    never stored as typed, a wrong one refused) does not depend on the cost."""
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with (
        mock.patch.object(accounts, "_hasher", hasher),
        mock.patch.object(accounts, "_DECOY_HASH", hasher.hash("decoy")),
    ):
        yield


def _postgres_database(server_url: str) -> Iterator[str]:
    server = make_url(normalise_url(server_url))
    name = f"spinewise_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head for this test run."""
    server_url = os.environ.get("DATABASE_URL", "")
    if server_url.startswith(("postgresql", "postgres")):
        for url in _postgres_database(server_url):
            migrate(url)
            yield url
        return
    path: Path = tmp_path_factory.mktemp("db") / "spinewise.db"
    url = f"sqlite:///{path}"
    migrate(url)
    yield url


@pytest.fixture(scope="session")
def engine(database_url: str):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> None:
    """Every test that touches the database starts from empty tables."""
    if "database_url" not in request.fixturenames:
        return
    engine = request.getfixturevalue("engine")
    with Session(engine) as db:
        for table in reversed(SQLModel.metadata.sorted_tables):
            db.execute(table.delete())
        db.commit()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # Plans rebuild as soon as a sync stored something (tests wait with rebuilds.wait_idle()).
    return Settings(
        environment="test", database_url=database_url, data_dir=tmp_path, plan_rebuild_delay=0
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def db(engine) -> Iterator[Session]:
    with Session(engine) as db:
        yield db


# --- Accounts ---------------------------------------------------------------------------------


@pytest.fixture
def alice(client: TestClient) -> dict[str, str]:
    return sign_up(client, "alice@example.org")


@pytest.fixture
def bob(client: TestClient) -> dict[str, str]:
    return sign_up(client, "bob@example.org")


# --- Browser tests: a real Uvicorn server and headless Chromium through Playwright ---------

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def chromium_path() -> str | None:
    """The browser to drive: SPINEWISE_CHROMIUM, else Debian's on Linux, else Playwright's."""
    path = os.environ.get("SPINEWISE_CHROMIUM")
    if path:
        return path
    return "/usr/bin/chromium" if sys.platform.startswith("linux") else None


@contextmanager
def playwright_session() -> Iterator["Playwright"]:
    """Playwright whose driver and browsers keep their temporary files in a folder of their own,
    removed at the end.

    Chromium makes an `org.chromium.Chromium.*` folder (its SingletonSocket and SingletonCookie)
    in the temporary directory for every profile, and does not always remove it when it is
    closed; with TMPDIR pointing here, nothing is left in the machine's temporary directory.
    """
    from playwright.sync_api import sync_playwright

    folder = tempfile.mkdtemp(prefix="spinewise-chromium-")
    try:
        # The driver starts with this environment, and the browsers it launches inherit it.
        with mock.patch.dict(os.environ, {"TMPDIR": folder}):
            manager = sync_playwright()
            playwright = manager.__enter__()
        try:
            yield playwright
        finally:
            manager.__exit__(None, None, None)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(settings: Settings, port: int | None = None) -> Iterator[str]:
    """The app built with `settings`, served by Uvicorn on `port` (a free one if not given) of
    the loopback address, in a thread of this process; its base URL."""
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "live server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by Uvicorn on a free loopback port, in a thread of this process."""
    settings = Settings(
        environment="test", database_url=database_url, data_dir=tmp_path_factory.mktemp("live")
    )
    with served(settings) as url:
        yield url


# --- Email: a real SMTP server on a free loopback port ----------------------------------------


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts. `reply` set, it refuses each
    message with that reply instead; `delay` holds each answer that many seconds."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[EmailMessage] = []
        self.reply: str | None = None
        self.delay = 0.0
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.reply:
            return self.reply
        message = message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)  # type: ignore[arg-type]
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait(self, count: int = 1, timeout: float = 15) -> list[EmailMessage]:
        """The first `count` messages, once they have arrived."""
        with self._arrived:
            arrived = self._arrived.wait_for(lambda: len(self.messages) >= count, timeout)
        assert arrived, f"{len(self.messages)} of {count} emails arrived"
        return self.messages[:count]

    def settings(self, settings: Settings, **more) -> Settings:
        """`settings` with email sent through this server (no TLS)."""
        return settings.model_copy(
            update={
                "smtp_host": "127.0.0.1",
                "smtp_port": self.port,
                "smtp_tls": "none",
                "smtp_from": "Spinewise <spinewise@example.org>",
                "public_url": "http://spinewise.test",
                **more,
            }
        )


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on a free loopback port, keeping what it receives."""
    from aiosmtpd.controller import Controller

    inbox = Inbox(free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    with playwright_session() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server: str) -> Iterator["Page"]:
    """A fresh phone-sized browser context (empty storage) on the live server."""
    context = browser.new_context(base_url=live_server, **PHONE)
    page = context.new_page()
    yield page
    context.close()


# The two phones every layout is checked at: a large one and a small one.
SIZES = {"390x844": (390, 844), "360x640": (360, 640)}


@pytest.fixture(params=list(SIZES))
def sized(request, browser, live_server: str) -> Iterator["Page"]:
    """A fresh phone context at each of the two sizes (`page.size` names it), the red-flag
    screen already answered."""
    from browser_support import cleared

    width, height = SIZES[request.param]
    context = browser.new_context(
        base_url=live_server, **{**PHONE, "viewport": {"width": width, "height": height}}
    )
    page = context.new_page()
    page.size = request.param
    cleared(page)
    yield page
    context.close()
