"""Fixed-window attempt counters kept in the database, so every app process shares them."""

import math
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from app.models import RateLimit, utcnow


def hit(db: Session, key: str, limit: int, window_seconds: int, now: datetime | None = None) -> int:
    """Count one attempt under `key`; 0 when it is allowed, else the seconds until it is.

    The window is part of the stored key, so one upsert both counts and starts a new window,
    atomically, however many processes count at once. The caller commits.
    """
    now = now or utcnow()
    window = int(now.timestamp()) // window_seconds
    ends_at = datetime.fromtimestamp((window + 1) * window_seconds, now.tzinfo)
    insert = postgresql_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(RateLimit)
        .values(key=f"{key}:{window}", count=1, expires_at=ends_at)
        .on_conflict_do_update(index_elements=["key"], set_={"count": RateLimit.count + 1})
        .returning(RateLimit.count)
    )
    count = db.exec(statement).scalar_one()
    if count <= limit:
        return 0
    return max(1, math.ceil((ends_at - now).total_seconds()))


def forget(db: Session, key: str, window_seconds: int, now: datetime | None = None) -> None:
    """Clear the current window's count under `key` (a successful sign-in clears its account's)."""
    now = now or utcnow()
    window = int(now.timestamp()) // window_seconds
    db.exec(delete(RateLimit).where(RateLimit.key == f"{key}:{window}"))


def prune(db: Session, now: datetime | None = None) -> None:
    """Delete counters whose window has ended."""
    db.exec(delete(RateLimit).where(RateLimit.expires_at <= (now or utcnow())))
