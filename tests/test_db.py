"""The SQLite writer queue: one writer of a process at a time, a bounded wait, no lock left."""

import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import anyio
import pytest
from anyio import to_thread
from fastapi.testclient import TestClient
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, select, text

from app.db import get_db, make_engine, migrate, one_writer
from app.main import create_app
from app.models import User


@pytest.fixture
def sqlite_engine(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    migrate(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_a_second_writer_waits_its_turn_and_gives_up_after_the_timeout(sqlite_engine):
    entered, release = threading.Event(), threading.Event()

    def hold() -> None:
        with Session(sqlite_engine) as db, one_writer(db):
            entered.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    entered.wait(5)
    with Session(sqlite_engine) as db, pytest.raises(PoolTimeout), one_writer(db, timeout=0.1):
        pass
    release.set()
    holder.join()
    with Session(sqlite_engine) as db, one_writer(db, timeout=1):
        pass  # free again


def test_a_failed_write_is_rolled_back_before_the_next_writer_goes(sqlite_engine):
    with Session(sqlite_engine) as db:
        with pytest.raises(RuntimeError), one_writer(db):
            db.add(User(email="a@example.org", password_hash="x"))
            db.flush()
            raise RuntimeError("boom")
        assert db.exec(select(User)).all() == []
    with Session(sqlite_engine) as other, one_writer(other, timeout=1):
        other.exec(text("UPDATE user SET last_seq = 0"))  # SQLite's write lock is free
        other.commit()


def test_the_pool_and_thread_settings_size_each_process(settings):
    """DB_POOL_SIZE and DB_MAX_OVERFLOW bound a process's connections: the one past them waits
    and gives up; WORKER_THREADS bounds the requests that run at once."""
    settings = settings.model_copy(
        update={"db_pool_size": 2, "db_max_overflow": 1, "worker_threads": 7}
    )
    with TestClient(create_app(settings)) as client:
        engine = client.app.state.engine
        engine.pool._timeout = 0.2  # not the 30 s a request would wait
        held = [engine.connect() for _ in range(3)]
        try:
            with pytest.raises(PoolTimeout):
                engine.connect()
        finally:
            for conn in held:
                conn.close()
        assert (
            client.portal.call(lambda: to_thread.current_default_thread_limiter().total_tokens) == 7
        )


def test_a_request_cancelled_holding_a_transaction_gives_its_connection_back(sqlite_engine):
    """A client that gives up cancels its request: the session's teardown still hands the
    connection back to the pool (else a few such requests would leave none for the others)."""
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(engine=sqlite_engine)))

    async def request_given_up() -> None:
        cancelled = anyio.get_cancelled_exc_class()
        session = get_db(request)
        db = await anext(session)
        db.exec(select(User)).all()  # a transaction, and a connection, held
        assert sqlite_engine.pool.checkedout() == 1
        with anyio.CancelScope() as scope:
            scope.cancel()
            with pytest.raises(cancelled):
                await session.athrow(cancelled())

    # On a thread of its own: the browser tests' Playwright may run a loop on this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(anyio.run, request_given_up).result()
    assert sqlite_engine.pool.checkedout() == 0
