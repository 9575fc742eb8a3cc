"""The Alembic history: it builds the schema from nothing, upgrades from every earlier head,
downgrades cleanly, and agrees with the models."""

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

from app.db import alembic_config, make_engine, migrate


@pytest.fixture
def empty_url(tmp_path):
    return f"sqlite:///{tmp_path / 'empty.db'}"


def _revisions(url):
    script = ScriptDirectory.from_config(alembic_config(url))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _tables(url):
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_an_empty_database_to_head_creates_every_table(empty_url):
    migrate(empty_url)
    assert _tables(empty_url) == set(SQLModel.metadata.tables)


def test_models_and_migrations_agree(empty_url):
    migrate(empty_url)
    command.check(alembic_config(empty_url))  # raises if autogenerate would find a change


def test_every_revision_upgrades_to_head(tmp_path):
    revisions = _revisions(f"sqlite:///{tmp_path / 'x.db'}")
    assert revisions, "the history is empty"
    for i, revision in enumerate(revisions):
        url = f"sqlite:///{tmp_path / f'from-{i}.db'}"
        migrate(url, revision)
        migrate(url)
        assert _tables(url) == set(SQLModel.metadata.tables)


def test_downgrade_to_base_and_back(empty_url):
    migrate(empty_url)
    command.downgrade(alembic_config(empty_url), "base")
    assert _tables(empty_url) == set()
    migrate(empty_url)
    assert _tables(empty_url) == set(SQLModel.metadata.tables)


def test_the_configured_database_is_at_head(database_url):
    """The run's database (SQLite or PostgreSQL) went through the same migrations."""
    command.check(alembic_config(database_url))


def test_two_check_ins_of_one_day_become_the_later_one(database_url, tmp_path):
    """Before 0004 two devices could each store a check-in for the same day."""
    from sqlalchemy import text

    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'days.db'}"
    else:
        pytest.skip("the SQL is shared; SQLite's copy of the schema is enough to run it")
    migrate(url, "0003")
    engine = make_engine(url)
    row = (
        "INSERT INTO checkin (id, user_id, day, pain, stiffness, compared_with_yesterday,"
        " fatigue_lingered, symptoms_spread, notes, updated_at, seq) VALUES"
        " (:id, 1, :day, :pain, 2, 'same', 0, 0, '', :updated_at, :seq)"
    )
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO user (id, email, password_hash, last_seq, created_at)"
                " VALUES (1, 'a@x.org', 'x', 4, '2025-11-20 00:00:00')"
            )
        )
        for id, day, pain, updated_at, seq in [
            ("a" * 32, "2025-11-21", 2, "2025-11-21 07:00:00", 1),
            ("b" * 32, "2025-11-21", 7, "2025-11-21 07:10:00", 2),
            ("c" * 32, "2025-11-22", 3, "2025-11-22 07:00:00", 3),
            ("d" * 32, "2025-11-22", 4, "2025-11-22 07:00:00", 4),
        ]:
            conn.execute(text(row), dict(id=id, day=day, pain=pain, updated_at=updated_at, seq=seq))
    engine.dispose()
    migrate(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT day, pain FROM checkin ORDER BY day")).all()
    engine.dispose()
    # The later edit of the 21st; of the 22nd's tie, the one stored later.
    assert [tuple(r) for r in kept] == [("2025-11-21", 7), ("2025-11-22", 4)]
