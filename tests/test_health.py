"""Health check and the database settings it relies on."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.config import Settings
from app.db import make_engine
from app.main import create_app


def test_healthz_reports_the_database_and_catalogue(client, catalogue):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "exercises": len(catalogue),
        "catalogue_version": catalogue.version,
    }


def test_healthz_is_503_when_the_database_is_gone(client):
    client.app.state.engine.dispose()
    client.app.state.engine = make_engine(
        "postgresql://nobody:x@127.0.0.1:9/none?connect_timeout=2"
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_production_refuses_to_answer_every_host_name():
    with pytest.raises(ValueError, match="ALLOWED_HOSTS"):
        Settings(environment="production")
    hosts = ["spinewise.example.org"]
    assert Settings(environment="production", allowed_hosts=hosts).allowed_hosts == hosts


def test_a_secret_key_left_from_an_older_deploy_is_ignored(monkeypatch):
    """Nothing is signed (tokens are random, stored as digests): SECRET_KEY is no setting, and
    a deployment that still sets it starts as before."""
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    settings = Settings(environment="production", allowed_hosts=["spinewise.example.org"])
    assert not hasattr(settings, "secret_key")


def test_default_database_is_a_sqlite_file_in_the_data_folder(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url="")
    assert settings.db_url == f"sqlite:///{tmp_path / 'spinewise.db'}"


def test_start_up_without_migrations_fails_clearly(tmp_path):
    """The app never creates tables itself: an unmigrated database stops start-up."""
    settings = Settings(environment="test", database_url=f"sqlite:///{tmp_path / 'raw.db'}")
    with pytest.raises(Exception, match="spinewise migrate"), TestClient(create_app(settings)):
        pass
