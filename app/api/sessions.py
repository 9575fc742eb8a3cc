"""The signed-in user's session logs: newest first, a page at a time, or one by id."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import and_, or_, select

from app.api.deps import CurrentUser, OwnSessionLog
from app.db import DbDep
from app.models import SessionLog, SessionLogPublic

router = APIRouter(prefix="/api/sessions", tags=["sessions"])


class SessionPage(BaseModel):
    """One page of session logs, newest first."""

    sessions: list[SessionLogPublic]
    next: str | None = Field(description="`before` for the next (older) page; null on the last")


# A cursor is the position after which the next page starts: the start time in microseconds
# since 1970 (14 hex digits) and the id (32), so every string matching CURSOR is one.
CURSOR = r"^[0-9a-f]{46}$"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode_cursor(row: SessionLog) -> str:
    """The cursor naming `row`'s position in the newest-first order."""
    micros = (row.started_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros:014x}{row.id.hex}"


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """The position a cursor names."""
    return EPOCH + timedelta(microseconds=int(cursor[:14], 16)), uuid.UUID(cursor[14:])


class PageQuery(BaseModel):
    """Paging parameters; an unknown one is refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=20, ge=1, le=100)
    before: str | None = Field(default=None, pattern=CURSOR, description="`next` of a page")


@router.get(
    "",
    summary="Your session logs, newest first, a page at a time",
    responses={
        401: {"description": "Not signed in"},
        422: {"description": "A limit out of range, or a malformed cursor"},
    },
)
def list_sessions(user: CurrentUser, db: DbDep, page: Annotated[PageQuery, Query()]) -> SessionPage:
    limit = page.limit
    query = select(SessionLog).where(SessionLog.user_id == user.id)
    if page.before is not None:
        started_at, id = decode_cursor(page.before)
        query = query.where(
            or_(
                SessionLog.started_at < started_at,
                and_(SessionLog.started_at == started_at, SessionLog.id < id),
            )
        )
    rows = db.exec(
        query.order_by(SessionLog.started_at.desc(), SessionLog.id.desc()).limit(limit + 1)
    ).all()
    return SessionPage(
        sessions=[SessionLogPublic.model_validate(row) for row in rows[:limit]],
        next=encode_cursor(rows[limit - 1]) if len(rows) > limit else None,
    )


@router.get(
    "/{id}",
    summary="One of your session logs",
    responses={
        401: {"description": "Not signed in"},
        404: {"description": "No session log with this id in your account"},
    },
)
def get_session(session_log: OwnSessionLog) -> SessionLogPublic:
    return SessionLogPublic.model_validate(session_log)
