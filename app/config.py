"""Settings from the environment (and an optional `.env` file)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.catalogue import EXERCISES_DIR

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-insecure-secret"


class Settings(BaseSettings):
    """Every knob of the server; each maps to the upper-case environment variable."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = ROOT / "data"
    database_url: str = ""  # empty: a SQLite file `spinewise.db` under data_dir
    secret_key: str = DEV_SECRET
    allowed_hosts: list[str] = ["*"]
    cors_origins: list[str] = []
    web_dir: Path = ROOT / "web"
    catalogue_dir: Path = EXERCISES_DIR

    @model_validator(mode="after")
    def _production_needs_a_secret(self) -> "Settings":
        if self.environment == "production" and (
            self.secret_key == DEV_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "SECRET_KEY must be set to a random value of 32+ characters in production"
            )
        return self

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'spinewise.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
