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
