"""Database tables. Names are singular snake_case; timestamps end in `_at`."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, MetaData
from sqlmodel import Field, SQLModel

# Constraint names that Alembic can find again on every database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    return datetime.now(UTC)


class ExerciseRecord(SQLModel, table=True):
    """The catalogue as stored: refreshed from the data files each time the app starts."""

    __tablename__ = "exercise"

    slug: str = Field(primary_key=True, max_length=60)
    name: str = Field(max_length=240)
    pattern: str = Field(max_length=30, index=True)
    position: str = Field(max_length=30)
    kind: str = Field(max_length=10)
    level: int
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    catalogue_version: str = Field(max_length=16)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
