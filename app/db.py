"""The database engine, the per-request handle `db`, and applying migrations."""

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError as AlembicCommandError
from anyio import CancelScope
from fastapi import Depends, Request
from sqlalchemy import Engine, bindparam, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlmodel import Session, col, create_engine, delete, select, update
from starlette.concurrency import run_in_threadpool

from app.catalogue import Catalogue
from app.config import resource
from app.models import ExerciseRecord, User


def normalise_url(url: str) -> str:
    """Use psycopg 3 for a plain `postgresql://` URL (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def make_engine(url: str, pool_size: int = 10, max_overflow: int = 20) -> Engine:
    """An engine for `url`, keeping up to `pool_size` connections open and opening up to
    `max_overflow` more at busy moments (`DB_POOL_SIZE`, `DB_MAX_OVERFLOW`); SQLite gets WAL,
    foreign keys and a busy timeout on every connection."""
    url = normalise_url(url)
    pool = {"pool_size": pool_size, "max_overflow": max_overflow}
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **pool)
    path = url.removeprefix("sqlite:///")
    memory = not path or path == url or path.startswith(":memory:")
    if not memory:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        **({} if memory else pool),  # an in-memory database has one connection, not a pool
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


# SQLite has one write lock per database file. A thread that finds it taken polls for it,
# sleeping up to 100 ms between tries (its busy handler), so under load the sleeps, not the
# work, set the latency. Writers of this process queue on this lock instead, which hands over
# at once; writers in other processes still meet the 30 s busy timeout.
_sqlite_writer = threading.Lock()


@contextmanager
def one_writer(db: Session, timeout: float = 30) -> Iterator[None]:
    """On SQLite, write one thread at a time in this process; elsewhere, no effect."""
    if db.get_bind().dialect.name != "sqlite":
        yield
        return
    if not _sqlite_writer.acquire(timeout=timeout):
        raise SQLAlchemyTimeoutError(f"waited {timeout} s for this process's turn to write")
    try:
        yield
    except BaseException:
        db.rollback()  # give up SQLite's write lock along with this one
        raise
    finally:
        _sqlite_writer.release()


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One database session per request, from the app's engine.

    Made and closed on the event loop, not in a thread of the pool as a plain generator
    dependency is (a hop there and a hop back, about a fifth of a sync's CPU): making a
    session does no I/O, and neither does closing one that holds no transaction (the routes
    hand their connection back themselves, see app.api.deps). One that does is closed in a
    thread, as giving back its connection rolls it back."""
    db = Session(request.app.state.engine)
    try:
        yield db
    finally:
        if db.in_transaction():
            # Even when the request was cancelled (its client gave up): a connection left
            # checked out would be lost to the pool.
            with CancelScope(shield=True):
                await run_in_threadpool(db.close)
        else:
            db.close()


DbDep = Annotated[Session, Depends(get_db)]


def alembic_config(url: str) -> Config:
    # No alembic.ini: the app needs only the scripts' place (the file is for the alembic CLI).
    config = Config()
    config.set_main_option("script_location", str(resource("migrations")))
    config.attributes["database_url"] = normalise_url(url)
    return config


def migrate(url: str, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision` (Alembic's history, never `create_all`).

    A database at a revision this code does not know (newer code ran on it) is refused with a
    DatabaseTooNewError before Alembic is asked, so that it says what to do about it.
    """
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            _refuse_unknown_revisions(_current_revisions(conn), _scripts())
    finally:
        engine.dispose()
    command.upgrade(alembic_config(url), revision)


class NotMigratedError(RuntimeError):
    """The database is behind the code's migrations."""


class DatabaseTooNewError(NotMigratedError):
    """The database was migrated by newer code than this."""


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(str(resource("migrations")))


def _current_revisions(conn) -> set[str]:
    return set(MigrationContext.configure(conn).get_current_heads())


def _names(revisions: set[str]) -> str:
    return ", ".join(sorted(revisions)) or "none"


def _refuse_unknown_revisions(current: set[str], scripts: ScriptDirectory) -> None:
    unknown = set()
    for revision in current:
        try:
            known = scripts.get_revision(revision) is not None
        except (RevisionError, AlembicCommandError):
            known = False
        if not known:
            unknown.add(revision)
    if unknown:
        raise DatabaseTooNewError(
            f"the database is at revision {_names(unknown)}, newer than this code "
            f"({_names(set(scripts.get_heads()))}): deploy the newer code or restore a "
            "matching backup"
        )


def check_migrated(engine: Engine) -> None:
    """Refuse to start on a database that is not at the newest migration."""
    scripts = _scripts()
    heads = set(scripts.get_heads())
    with engine.connect() as conn:
        current = _current_revisions(conn)
    _refuse_unknown_revisions(current, scripts)
    if current != heads:
        raise NotMigratedError(
            f"the database is at revision {_names(current)}, the code needs {_names(heads)}: "
            "run `spinewise migrate` first"
        )


def store_catalogue(db: Session, catalogue: Catalogue) -> bool:
    """Make the `exercise` table hold exactly this catalogue; False when it already did."""
    stored = set(db.exec(select(ExerciseRecord.catalogue_version)).all())
    if stored == {catalogue.version}:
        return False
    db.exec(delete(ExerciseRecord))
    for e in catalogue.exercises:
        db.add(
            ExerciseRecord(
                slug=e.slug,
                name=e.name,
                pattern=e.pattern,
                position=e.position,
                kind=e.kind,
                level=e.level,
                data=e.model_dump(mode="json"),
                catalogue_version=catalogue.version,
            )
        )
    try:
        db.commit()
    except IntegrityError:
        # Another process of this deploy stored the same catalogue at the same moment.
        db.rollback()
        return False
    return True


def lock_account(db: Session, user_id: int) -> int | None:
    """Hold the account's row until the transaction ends (on SQLite, the database's write
    lock); its newest change number, or None when the account no longer exists.

    Everything that writes an account's records takes this first (a sync, a plan build,
    deleting the account), so they run one after another and never deadlock over each other.
    """
    return db.connection().execute(_LOCK_ACCOUNT, {"user_id": user_id}).scalar_one_or_none()


# Built once: a statement made afresh for each request costs more than the database does
# (the same goes for the sync's statements, app.api.sync). Run on the session's connection,
# as Core: nothing in the session needs to follow an update that changes no value.
_LOCK_ACCOUNT = (
    update(User)
    .where(col(User.id) == bindparam("user_id"))
    .values(last_seq=User.last_seq)
    .returning(User.last_seq)
)
