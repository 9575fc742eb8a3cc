"""Merging a device's records into the server's: checked one by one, the last writer wins.

Pure: no database and no HTTP. The router reads what the server holds under the incoming ids
(and the account's check-ins on the incoming days), `parse_batch` checks each raw item on its
own (one bad item never sinks the batch), `merge` says what to do with each valid one, and
the router saves the outcome.

Two rules beyond last-writer-wins:
- One record, one id: an id names one record of one account, session log or check-in.
- One check-in per account per day: two devices that each saved today's check-in (each with
  its own id) end with one, the newer edit; the other device gets it back and keeps it.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import ValidationError

from app.models import ONE_DAY, CheckInCreate, SessionLogCreate

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


SESSION, CHECKIN = "session", "checkin"


def kind_of(record: Record) -> str:
    return CHECKIN if isinstance(record, CheckInCreate) else SESSION


@dataclass(frozen=True)
class Held:
    """What the server holds under an id: whose it is, which kind of record, and (for the
    owner) its content."""

    user_id: int
    kind: str
    content: dict[str, Any]


@dataclass(frozen=True)
class Rejection:
    """An item that cannot be stored: its id as sent (when it had one) and why."""

    id: str | None
    reason: str


@dataclass(frozen=True)
class Decision:
    """What to do with one valid item. An insert or update of a check-in may replace the
    account's other check-in of that day (`replaces`); an ignored item is answered with the
    server's copy (`server_copy`: its own id, or that of the day's check-in that stays)."""

    outcome: Outcome
    record: Record
    reason: str = ""
    replaces: uuid.UUID | None = None
    server_copy: uuid.UUID | None = None


def parse_batch(
    items: list[Any], model: type[R], now: datetime, known_slugs: frozenset[str] | None = None
) -> tuple[list[R], list[Rejection]]:
    """Validate each raw item on its own: the valid records, and a rejection for each other.
    With `known_slugs`, a session naming an exercise the catalogue never had is rejected."""
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
        ahead = ahead_of_the_clock(record, now)
        if ahead:
            reason = f"{ahead} is more than a day ahead of the server's clock: check the device's"
            rejected.append(Rejection(shown_id, reason))
            continue
        if known_slugs is not None and isinstance(record, SessionLogCreate):
            unknown = [
                f"exercises.{i}.slug: no exercise {e.slug!r} in the catalogue"
                for i, e in enumerate(record.exercises)
                if e.slug not in known_slugs
            ]
            if unknown:
                rejected.append(Rejection(shown_id, "; ".join(unknown[:3])))
                continue
        valid.append(record)
    return valid, rejected


def ahead_of_the_clock(record: Record, now: datetime) -> str | None:
    """The field of `record` dated further ahead of `now` than a wrong clock explains, if any.
    (A person's own date may run up to 14 hours ahead of UTC's, hence the day's extra.)"""
    if record.updated_at > now + CLOCK_SKEW:
        return "updated_at"
    if isinstance(record, SessionLogCreate):
        if record.started_at > now + CLOCK_SKEW:
            return "started_at"
        if record.day is not None and record.day > (now + CLOCK_SKEW).date() + ONE_DAY:
            return "day"
    elif record.day > (now + CLOCK_SKEW).date() + ONE_DAY:
        return "day"
    return None


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


TAKEN = "this id is taken by another record: give the record a new UUID"
DAY_TAKEN = (
    "the account holds a check-in for this day edited as late or later; it is in this answer"
)


def merge(
    user_id: int,
    records: list[Record],
    held: dict[uuid.UUID, Held],
    days: dict[date, Held] | None = None,
) -> list[Decision]:
    """Decide, in order, what each record does to what the server holds (last writer wins).

    `held` is what the server holds under the records' ids, any account's and either kind;
    `days` is the account's own check-ins on the days of the incoming check-ins.
    """
    held = dict(held)  # a record sent twice in one batch meets its own first copy
    days = dict(days or {})
    decisions = []
    for record in records:
        kind = kind_of(record)
        current = held.get(record.id)
        content = record.model_dump()
        same_day = days.get(record.day) if isinstance(record, CheckInCreate) else None
        if current is not None and (current.user_id != user_id or current.kind != kind):
            decision = Decision(Outcome.REJECTED, record, TAKEN)
        elif same_day is not None and same_day.content["id"] != record.id:
            # Another check-in of this account holds the day: the later edit keeps it. On a
            # tie the stored one stays, so that every device ends with the same.
            if record.updated_at > same_day.content["updated_at"]:
                outcome = Outcome.INSERT if current is None else Outcome.UPDATE
                decision = Decision(outcome, record, replaces=same_day.content["id"])
            else:
                server_copy = same_day.content["id"]
                decision = Decision(Outcome.IGNORED, record, DAY_TAKEN, server_copy=server_copy)
        elif current is None:
            decision = Decision(Outcome.INSERT, record)
        elif record.updated_at > current.content["updated_at"]:
            decision = Decision(Outcome.UPDATE, record)
        elif record.updated_at == current.content["updated_at"] and content == current.content:
            decision = Decision(Outcome.UNCHANGED, record)
        else:
            reason = "the server holds a newer version; it is in this answer"
            decision = Decision(Outcome.IGNORED, record, reason, server_copy=record.id)
        if decision.outcome in (Outcome.INSERT, Outcome.UPDATE):
            stored = Held(user_id, kind, content)
            if decision.replaces is not None:
                held.pop(decision.replaces, None)
            if isinstance(record, CheckInCreate):
                if current is not None and days.get(current.content["day"]) == current:
                    del days[current.content["day"]]  # the check-in moved to another day
                days[record.day] = stored
            held[record.id] = stored
        decisions.append(decision)
    return decisions
