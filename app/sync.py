"""Merging a device's records into the server's: checked one by one, the last writer wins.

Pure: no database and no HTTP. The router reads what the server holds under the incoming ids,
`parse_batch` checks each raw item on its own (one bad item never sinks the batch), `merge`
says what to do with each valid one, and the router saves the outcome.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import ValidationError

from app.models import CheckInCreate, SessionLogCreate

MAX_BATCH = 200  # records per request, sessions and check-ins together
PULL_LIMIT = 500  # records returned per answer; `more` says when there are others
# A record dated further ahead than this comes from a device whose clock is wrong, and would
# win every later edit under last-writer-wins.
CLOCK_SKEW = timedelta(days=1)

Record = SessionLogCreate | CheckInCreate
R = TypeVar("R", SessionLogCreate, CheckInCreate)


class Outcome(StrEnum):
    INSERT = "insert"  # new: store it
    UPDATE = "update"  # newer than the server's copy: replace it
    UNCHANGED = "unchanged"  # the server already holds exactly this (a replay)
    IGNORED = "ignored"  # the server's copy is newer, or as new and different: keep it
    REJECTED = "rejected"  # cannot be stored, with a reason


@dataclass(frozen=True)
class Held:
    """What the server holds under an id: whose it is, and (for the owner) its content."""

    user_id: int
    content: dict[str, Any]


@dataclass(frozen=True)
class Rejection:
    """An item that cannot be stored: its id as sent (when it had one) and why."""

    id: str | None
    reason: str


@dataclass(frozen=True)
class Decision:
    """What to do with one valid item."""

    outcome: Outcome
    record: Record
    reason: str = ""


def parse_batch(items: list[Any], model: type[R], now: datetime) -> tuple[list[R], list[Rejection]]:
    """Validate each raw item on its own: the valid records, and a rejection for each other."""
    valid: list[R] = []
    rejected: list[Rejection] = []
    for item in items:
        raw_id = item.get("id") if isinstance(item, dict) else None
        shown_id = printable(str(raw_id)[:64]) if raw_id is not None else None
        if not isinstance(item, dict):
            rejected.append(Rejection(None, "not a JSON object"))
            continue
        try:
            record = model.model_validate(item)
        except ValidationError as exc:
            rejected.append(Rejection(shown_id, describe(exc)))
            continue
        if record.updated_at > now + CLOCK_SKEW:
            reason = "updated_at is more than a day ahead of the server's clock: check the device's"
            rejected.append(Rejection(shown_id, reason))
            continue
        valid.append(record)
    return valid, rejected


def describe(exc: ValidationError, most: int = 3) -> str:
    """A validation error in one line: `field.path: message` for its first few faults."""
    parts = []
    for error in exc.errors()[:most]:
        where = ".".join(str(p) for p in error["loc"]) or "record"
        parts.append(f"{where}: {error['msg'].removeprefix('Value error, ')}")
    return printable("; ".join(parts))


def printable(text: str) -> str:
    """`text` with whatever UTF-8 cannot carry (lone surrogates from a JSON escape) as `?`."""
    return text.encode("utf-8", "replace").decode()


def merge(user_id: int, records: list[Record], held: dict[uuid.UUID, Held]) -> list[Decision]:
    """Decide, in order, what each record does to what the server holds (last writer wins)."""
    held = dict(held)  # a record sent twice in one batch meets its own first copy
    decisions = []
    for record in records:
        current = held.get(record.id)
        content = record.model_dump()
        if current is None:
            decision = Decision(Outcome.INSERT, record)
        elif current.user_id != user_id:
            reason = "this id is taken by another record: give the record a new UUID"
            decision = Decision(Outcome.REJECTED, record, reason)
        elif record.updated_at > current.content["updated_at"]:
            decision = Decision(Outcome.UPDATE, record)
        elif record.updated_at == current.content["updated_at"] and content == current.content:
            decision = Decision(Outcome.UNCHANGED, record)
        else:
            reason = "the server holds a newer version; it is in this answer"
            decision = Decision(Outcome.IGNORED, record, reason)
        if decision.outcome in (Outcome.INSERT, Outcome.UPDATE):
            held[record.id] = Held(user_id, content)
        decisions.append(decision)
    return decisions
