"""`POST /api/sync`: store a device's session logs and check-ins, and send back what changed."""

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field, SkipValidation
from sqlalchemy import and_, bindparam, literal, or_, union_all
from sqlmodel import Session, col, delete, select, update

from app.api.deps import BODY_ERRORS, Bearer, not_signed_in, signed_in_account
from app.db import DbDep, one_writer
from app.models import (
    CheckIn,
    CheckInCreate,
    CheckInPublic,
    Count,
    SessionLog,
    SessionLogCreate,
    SessionLogPublic,
    User,
    utcnow,
)
from app.sync import (
    CHECKIN,
    MAX_BATCH,
    PULL_LIMIT,
    SESSION,
    Decision,
    Held,
    Outcome,
    Record,
    merge,
    parse_batch,
)

router = APIRouter(prefix="/api/sync", tags=["sync"], responses=BODY_ERRORS)

Table = type[SessionLog] | type[CheckIn]
Public = SessionLogPublic | CheckInPublic
CHANGES = (Outcome.INSERT, Outcome.UPDATE)
# Each kind of record's table, and how the API shows its rows.
PUBLIC: dict[Table, type[SessionLogPublic] | type[CheckInPublic]] = {
    SessionLog: SessionLogPublic,
    CheckIn: CheckInPublic,
}
CREATE: dict[Table, type[SessionLogCreate] | type[CheckInCreate]] = {
    SessionLog: SessionLogCreate,
    CheckIn: CheckInCreate,
}
KIND: dict[Table, str] = {SessionLog: SESSION, CheckIn: CHECKIN}


class SyncRequest(BaseModel):
    """A batch from a device. Each record is checked on its own, so the items are read as sent
    and one bad record is rejected without the others."""

    cursor: Count = Field(
        default=0, ge=0, description="`cursor` from this device's last answer; 0 for everything"
    )
    sessions: list[SkipValidation[SessionLogCreate]] = Field(
        default_factory=list, description=f"at most {MAX_BATCH} records with `checkins`"
    )
    checkins: list[SkipValidation[CheckInCreate]] = Field(default_factory=list)


class Rejected(BaseModel):
    """A record that was not stored, and why: fix it before sending it again."""

    id: str | None
    reason: str


class SyncResponse(BaseModel):
    """What became of each record sent, and the account's records changed since `cursor`."""

    stored: list[uuid.UUID] = Field(description="held by the server now: take out of the outbox")
    ignored: list[uuid.UUID] = Field(
        description="the server holds a newer version, included below: take it instead"
    )
    rejected: list[Rejected]
    cursor: int = Field(description="send it with the next sync")
    more: bool = Field(description="more changes wait: sync again with the new cursor")
    sessions: list[SessionLogPublic]
    checkins: list[CheckInPublic]


@router.post(
    "",
    summary="Push session logs and check-ins; pull what changed since the cursor",
    responses={
        401: {"description": "Not signed in"},
        413: {"description": f"More than {MAX_BATCH} records, or a body over the size limit"},
        422: {"description": "Not a sync batch (each record's own faults are in `rejected`)"},
    },
)
def sync(
    body: SyncRequest,
    credentials: Bearer,
    db: DbDep,
    request: Request,
) -> SyncResponse:
    account = signed_in_account(db, credentials)
    sent = len(body.sessions) + len(body.checkins)
    if sent > MAX_BATCH:
        raise HTTPException(
            413, f"A sync holds at most {MAX_BATCH} records, this one has {sent}: send fewer"
        )
    now = utcnow()
    known = request.app.state.catalogue.known_slugs
    sessions, rejected = parse_batch(body.sessions, SessionLogCreate, now, known)
    checkins, rejected_checkins = parse_batch(body.checkins, CheckInCreate, now)
    answer = SyncResponse(
        stored=[],
        ignored=[],
        rejected=[Rejected(id=r.id, reason=r.reason) for r in rejected + rejected_checkins],
        cursor=body.cursor,
        more=False,
        sessions=[],
        checkins=[],
    )
    newer: list[Public] = []
    if not (sessions or checkins):
        _pull(db, account.id, body.cursor, answer, newer, account.last_seq)
        db.close()
        return answer

    records: list[Record] = [*sessions, *checkins]
    with one_writer(db):
        before = _lock_account(db, account.id, len(records))
        rows, held, days = _held(db, account.id, records, checkins)
        decisions = merge(account.id, records, held, days)
        changes = sum(d.outcome in CHANGES for d in decisions)
        last = before + changes
        if changes < len(records):  # numbers taken for records that change nothing: back
            db.connection().execute(_SET_LAST_SEQ, {"user_id": account.id, "last_seq": last})
        seqs = iter(range(before + 1, last + 1))
        for table in PUBLIC:
            mine = [d for d in decisions if isinstance(d.record, CREATE[table])]
            newer += _apply(db, account.id, table, rows, mine, seqs, answer)
        db.commit()
    if changes:  # new logs or check-ins: the plan takes them in once the syncs pause
        request.app.state.rebuilds.ask(account.id)
    # A device that had seen every change before this sync has missed nothing but what it
    # just sent: no need to look.
    _pull(db, account.id, last if body.cursor == before else body.cursor, answer, newer, last)
    # The connection back to the pool now, in this thread, rather than at the dependency's
    # teardown after the answer is sent (which would need a trip to a thread of its own).
    db.close()
    return answer


def _lock_account(db: Session, user_id: int, records: int) -> int:
    """Hold the account's row until commit, taking the next `records` change numbers; the
    account's newest change number before them.

    One account's syncs then read, decide and store one after another: two devices sending
    the same record at once cannot both insert it, and change numbers commit in order, so a
    device that has seen number N has seen everything below it. Most syncs store every record
    they send, so the numbers are taken in the statement that locks (one round trip fewer);
    those of records that change nothing are given back before the commit.
    """
    last_seq = (
        db.connection()
        .execute(_TAKE_SEQS, {"user_id": user_id, "records": records})
        .scalar_one_or_none()
    )
    if last_seq is None:  # the account was deleted after this request signed in
        raise not_signed_in()
    return last_seq - records


# Built once (a statement made afresh each request costs more than running it), run as Core.
_TAKE_SEQS = (
    update(User)
    .where(col(User.id) == bindparam("user_id"))
    .values(last_seq=User.last_seq + bindparam("records"))
    .returning(User.last_seq)
)
_SET_LAST_SEQ = (
    update(User).where(col(User.id) == bindparam("user_id")).values(last_seq=bindparam("last_seq"))
)
# The owner and kind of what is held under the ids sent, and the account's check-ins on the
# days sent (an empty list matches nothing).
_HELD = union_all(
    select(SessionLog.id, SessionLog.user_id, literal(SESSION).label("kind")).where(
        col(SessionLog.id).in_(bindparam("ids", expanding=True))
    ),
    select(CheckIn.id, CheckIn.user_id, literal(CHECKIN).label("kind")).where(
        or_(
            col(CheckIn.id).in_(bindparam("ids", expanding=True)),
            and_(
                col(CheckIn.user_id) == bindparam("user_id"),
                col(CheckIn.day).in_(bindparam("days", expanding=True)),
            ),
        )
    ),
)


def _held(
    db: Session, user_id: int, records: list[Record], checkins: list[CheckInCreate]
) -> tuple[dict[uuid.UUID, Any], dict[uuid.UUID, Held], dict[date, Held]]:
    """What `merge` needs: what the server holds under the records' ids (any account's, either
    kind), and the account's check-ins on the days of `checkins`; and the account's own rows
    among them, by id. One query finds them, owner and kind only; a second reads the
    account's own rows, and only when there are any (a batch of new records has none)."""
    rows: dict[uuid.UUID, Any] = {}
    held: dict[uuid.UUID, Held] = {}
    days: dict[date, Held] = {}
    ids = [r.id for r in records]
    sent_days = {c.day for c in checkins}
    mine: dict[str, list[uuid.UUID]] = {SESSION: [], CHECKIN: []}
    params = {"ids": ids, "user_id": user_id, "days": list(sent_days)}
    for row_id, owner, kind in db.connection().execute(_HELD, params):
        if owner == user_id:
            mine[kind].append(row_id)
        else:  # another account's record is compared by owner only; its content is never read
            held[row_id] = Held(owner, kind, {})
    for table, public in PUBLIC.items():
        if not mine[KIND[table]]:
            continue
        for row in db.exec(select(table).where(col(table.id).in_(mine[KIND[table]]))):
            content = public.model_validate(row).model_dump()
            rows[row.id] = row
            if row.id in ids:
                held[row.id] = Held(user_id, KIND[table], content)
            if table is CheckIn and row.day in sent_days:
                days[row.day] = Held(user_id, CHECKIN, content)
    return rows, held, days


def _apply(
    db: Session,
    user_id: int,
    table: Table,
    rows: dict[uuid.UUID, Any],
    decisions: list[Decision],
    seqs: Iterator[int],
    answer: SyncResponse,
) -> list[Public]:
    """Carry out the decisions on one table, noting each outcome in `answer`; return the
    server's versions of the records it ignored."""
    newer: list[Public] = []
    # New records go in with one multi-row INSERT, not one ORM object each: most of a sync.
    inserts: dict[uuid.UUID, dict[str, Any]] = {}
    # Check-ins that lose their day to a later edit go first, so the day is free for it.
    replaced = {d.replaces for d in decisions if d.replaces is not None}
    stored_replaced = replaced & rows.keys()
    if stored_replaced:
        db.exec(delete(table).where(col(table.id).in_(stored_replaced)))
    for decision in decisions:
        record = decision.record
        if decision.replaces is not None:
            inserts.pop(decision.replaces, None)  # a check-in sent earlier in this batch
        match decision.outcome:
            case Outcome.INSERT:
                inserts[record.id] = {**record.model_dump(), "user_id": user_id, "seq": next(seqs)}
            case Outcome.UPDATE if record.id in inserts:  # sent twice in this batch
                inserts[record.id].update(record.model_dump(), seq=next(seqs))
            case Outcome.UPDATE:
                row = rows[record.id]
                for name, value in record.model_dump().items():
                    setattr(row, name, value)
                row.seq = next(seqs)
                db.add(row)
            case Outcome.IGNORED:
                answer.ignored.append(record.id)
                copy_id = decision.server_copy or record.id
                server_copy = inserts.get(copy_id) or rows[copy_id]
                newer.append(PUBLIC[table].model_validate(server_copy))
                continue
            case Outcome.REJECTED:
                answer.rejected.append(Rejected(id=str(record.id), reason=decision.reason))
                continue
        answer.stored.append(record.id)
    if inserts:
        # A Core executemany: the ORM's bulk insert costs more than the database does here.
        db.connection().execute(table.__table__.insert(), list(inserts.values()))  # type: ignore[attr-defined]
    return newer


def _pull(
    db: Session,
    user_id: int,
    cursor: int,
    answer: SyncResponse,
    newer: list[Public],
    last: int,
) -> None:
    """Put into `answer` the account's records changed after `cursor`, oldest change first,
    at most PULL_LIMIT of them, and the cursor to send next time. `last` is the account's
    newest change number, read before the records (every change up to it has committed)."""
    if cursor > last:
        cursor = 0  # the server's data is older than this device's cursor (a restore): resend
    changed: list[Any] = []
    if cursor < last:
        for table in PUBLIC:
            changed += db.exec(
                select(table)
                .where(table.user_id == user_id, table.seq > cursor, table.seq <= last)
                .order_by(table.seq)
                .limit(PULL_LIMIT + 1)
            ).all()
    changed.sort(key=lambda row: row.seq)
    answer.more = len(changed) > PULL_LIMIT
    changed = changed[:PULL_LIMIT]
    answer.cursor = changed[-1].seq if answer.more else last
    # The device already holds what it just stored, unless it also sent an older copy that
    # was ignored; it gets the rest, each record once.
    skip = set(answer.stored) - set(answer.ignored)
    for item in [PUBLIC[type(row)].model_validate(row) for row in changed] + newer:
        if item.id in skip:
            continue
        skip.add(item.id)
        if isinstance(item, SessionLogPublic):
            answer.sessions.append(item)
        else:
            answer.checkins.append(item)
