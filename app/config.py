"""Settings from the environment (and an optional `.env` file), and where the app's files are."""

import ipaddress
import json
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
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
    # Each process's database connections: kept open, and opened beyond those when busy.
    db_pool_size: int = Field(default=10, ge=1, le=1000)
    db_max_overflow: int = Field(default=20, ge=0, le=1000)
    # Threads of each process that run the routes' database work (at most this many at once):
    # with the rebuild thread, no more than the connections, so none waits for one. A few
    # are enough to overlap one process's waits on the database; more only contend for the
    # interpreter's lock and the database's (29 cost a sync a third more CPU than 4 on
    # SQLite, and PostgreSQL's own CPU per sync nearly tripled: bench/sync_load.py).
    worker_threads: int = Field(default=8, ge=1, le=1000)
    # Email, for password reset links; no SMTP_HOST, no email (the reset answers 503).
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = ""
    smtp_tls: Literal["starttls", "ssl", "none"] = "starttls"
    # Where people open the app: the reset link in an email starts with it (never the Host
    # header of the request that asked, which anyone can set).
    public_url: str = ""
    reset_link_minutes: int = Field(default=30, ge=5, le=24 * 60)
    # Reset emails asked for per window (AUTH_WINDOW_SECONDS), from one address and for one email.
    reset_requests_per_address: int = Field(default=10, ge=1)
    reset_requests_per_account: int = Field(default=3, ge=1)

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

    @field_validator("smtp_from")
    @classmethod
    def _an_email_address(cls, value: str) -> str:
        if value and ("@" not in parseaddr(value)[1] or "\n" in value or "\r" in value):
            raise ValueError(
                "must be an email address, e.g. spinewise@example.org or "
                '"Spinewise <spinewise@example.org>"'
            )
        return value

    @field_validator("public_url")
    @classmethod
    def _a_site_address(cls, value: str) -> str:
        if not value:
            return value
        try:
            url = _site_address(value)
        except ValueError:
            raise ValueError(
                "must be the address people open the app at: http:// or https://, the host and "
                "an optional port, nothing after them, e.g. https://spinewise.example.org"
            ) from None
        return url

    @model_validator(mode="after")
    def _email_settings_go_together(self) -> "Settings":
        if not self.smtp_host:
            return self
        if not self.smtp_from:
            raise ValueError(
                "SMTP_FROM must be set when SMTP_HOST is: the address reset emails come from, "
                "e.g. spinewise@example.org"
            )
        if not self.public_url:
            raise ValueError(
                "PUBLIC_URL must be set when SMTP_HOST is: the address people open the app at, "
                "e.g. https://spinewise.example.org (reset links start with it)"
            )
        if bool(self.smtp_user) != bool(self.smtp_password.get_secret_value()):
            raise ValueError("SMTP_USER and SMTP_PASSWORD go together: set both or neither")
        return self

    @property
    def email_configured(self) -> bool:
        """Whether the server can send email (password reset links)."""
        return bool(self.smtp_host)

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


def _site_address(value: str) -> str:
    """`value` as a site's address (scheme, host, optional port; no trailing slash);
    ValueError when it is not one."""
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
        or any(c.isspace() for c in value)
    ):
        raise ValueError(value)
    _ = parts.port  # ValueError for a port that is not a number, or out of range
    return value.rstrip("/")


def _example(field: str) -> list[str]:
    return {
        "allowed_hosts": ["spinewise.example.org"],
        "cors_origins": ["https://spinewise.example.org"],
        "trusted_proxies": ["172.17.0.1"],
    }.get(field, ["…"])


@lru_cache
def get_settings() -> Settings:
    return load_settings()
