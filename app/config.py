"""Settings from the environment (and an optional `.env` file)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
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
    token_ttl_days: int = Field(default=30, ge=1)
    # Sign-in and registration attempts allowed per window, from one address and for one email.
    auth_window_seconds: int = Field(default=900, ge=1)
    auth_attempts_per_address: int = Field(default=30, ge=1)
    auth_attempts_per_account: int = Field(default=10, ge=1)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # Seconds an account's syncs must pause before its plan is rebuilt (one rebuild a burst).
    plan_rebuild_delay: float = Field(default=2.0, ge=0, le=3600)

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
