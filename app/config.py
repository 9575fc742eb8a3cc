"""Settings from the environment (and an optional `.env` file), and where the app's files are."""

import ipaddress
import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app.catalogue import EXERCISES_DIR

PACKAGE = Path(__file__).resolve().parent
# In a checkout (and an editable install) web/ and migrations/ sit beside app/;
# a wheel ships them inside the package (see pyproject.toml), so look there first.
CHECKOUT = PACKAGE.parent if (PACKAGE.parent / "pyproject.toml").is_file() else None


def resource(name: str) -> Path:
    """The path of `web` or `migrations`, in a normal install or in a checkout."""
    shipped = PACKAGE / name
    if shipped.exists() or CHECKOUT is None:
        return shipped
    return CHECKOUT / name


# The database drivers the app is built and tested for.
SUPPORTED_DRIVERS = ("sqlite", "postgresql", "postgres")


class ConfigError(ValueError):
    """A setting that stops start-up; the message names the setting and fits on one line."""


class Settings(BaseSettings):
    """Every knob of the server; each maps to the upper-case environment variable.

    Variables the app does not know are ignored: SECRET_KEY, which older versions required in
    production, is among them (nothing is signed: bearer tokens are random and stored as
    digests), so a deployment that still sets it keeps working.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = (CHECKOUT or Path.cwd()) / "data"
    database_url: str = ""  # empty: a SQLite file `spinewise.db` under data_dir
    allowed_hosts: list[str] = ["*"]
    cors_origins: list[str] = []
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: addresses or networks.
    trusted_proxies: list[str] = []
    # Strict-Transport-Security max-age on every response; 0 sends none.
    hsts_seconds: int = Field(default=0, ge=0)
    # Seconds a client may take to send a request's headers, and its whole body.
    header_timeout_seconds: float = Field(default=20.0, gt=0, le=3600)
    body_timeout_seconds: float = Field(default=60.0, gt=0, le=3600)
    web_dir: Path = resource("web")
    catalogue_dir: Path = EXERCISES_DIR
    token_ttl_days: int = Field(default=30, ge=1)
    # Sign-in and registration attempts allowed per window, from one address and for one email.
    auth_window_seconds: int = Field(default=900, ge=1)
    auth_attempts_per_address: int = Field(default=30, ge=1)
    auth_attempts_per_account: int = Field(default=10, ge=1)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # Seconds an account's syncs must pause before its plan is rebuilt (one rebuild a burst).
    plan_rebuild_delay: float = Field(default=2.0, ge=0, le=3600)

    @field_validator("database_url")
    @classmethod
    def _a_url_we_can_use(cls, value: str) -> str:
        if not value:
            return value
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                "does not parse as a database URL: use sqlite:///path/to/file.db or "
                "postgresql://user:password@host:5432/name"
            ) from None
        backend = url.drivername.split("+")[0]
        if backend not in SUPPORTED_DRIVERS:
            raise ValueError(
                f"names the database {backend!r}, which Spinewise does not support: "
                "use postgresql://… or sqlite:///…"
            )
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses_or_networks(cls, value: list[str]) -> list[str]:
        for item in value:
            if item == "*":
                continue
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"lists {item!r}, which is not an IP address or network") from None
        return value

    @model_validator(mode="after")
    def _production_names_its_hosts(self) -> "Settings":
        if self.environment == "production" and "*" in self.allowed_hosts:
            raise ValueError(
                "ALLOWED_HOSTS must name the site's host names in production, "
                'e.g. ["spinewise.example.org"], not "*"'
            )
        return self

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'spinewise.db'}"


def load_settings() -> Settings:
    """The settings, or a ConfigError whose one line names the variable at fault."""
    try:
        return Settings()
    except SettingsError as exc:
        # pydantic-settings could not decode a complex value (a list) from its JSON.
        field = str(exc).split('"')[1] if '"' in str(exc) else "a setting"
        raise ConfigError(
            f"{field.upper()} must be a JSON list, e.g. {json.dumps(_example(field))}"
        ) from None
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]).upper() if error["loc"] else ""
        message = error["msg"].removeprefix("Value error, ")
        if not field:  # a rule across settings; its message names them
            raise ConfigError(message) from None
        # Our own rules' messages go on from the name; pydantic's are sentences of their own.
        raise ConfigError(
            f"{field} {message}" if message[0].islower() else f"{field}: {message}"
        ) from None


def _example(field: str) -> list[str]:
    return {
        "allowed_hosts": ["spinewise.example.org"],
        "cors_origins": ["https://spinewise.example.org"],
        "trusted_proxies": ["172.17.0.1"],
    }.get(field, ["…"])


@lru_cache
def get_settings() -> Settings:
    return load_settings()
