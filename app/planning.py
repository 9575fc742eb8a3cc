"""An account's plan in the database: read its history, build with `app.plan`, store the result.

The plan is rebuilt when it is out of date: after a sync brought new session logs or check-ins
(the account's `last_seq` moved past the one the plan was built from), on a new day (seasons
follow the calendar), after a deploy changed the catalogue, or when the person said they have
other equipment. `app.plan` decides; this module
only loads, saves and keeps two builds of one account from racing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Date, and_, bindparam, or_
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from app.catalogue import UNSAID_EQUIPMENT, Catalogue, Equipment
from app.db import lock_account, one_writer
from app.models import CheckIn, PlanChange, SessionLog, StoredPlan, User, utcnow
from app.plan import (
    ACCEPTABLE_PAIN,
    WEEK_ON_WEEK_DAYS,
    Change,
    ExerciseResult,
    History,
    MorningCheckIn,
    PlanState,
    SessionRecord,
    build_plan,
    history_starts,
)

RECENT_CHANGES = 20  # how many of the newest changes `GET /api/plan` lists


class AccountGone(LookupError):
    """The account was deleted while its plan was being read or built."""


def account_exists(db: Session, user_id: int) -> bool:
    db.rollback()  # a fresh look, not the snapshot of a transaction that failed
    return db.exec(select(User.id).where(User.id == user_id)).first() is not None


def server_today(utc_offset: timedelta = timedelta(0)) -> date:
    """Today's date for a person whose clock runs `utc_offset` ahead of UTC."""
    return (datetime.now(UTC) + utc_offset).date()


def session_day(day: date | None, started_at: datetime) -> date:
    """The person's own date of a session; older records without one fall back to UTC's."""
    return day or started_at.astimezone(UTC).date()


# What a build reads of each record: these columns only, as rows, not ORM objects (which cost
# a rebuild about as much as the rules do).
_SESSION_COLUMNS = (SessionLog.day, SessionLog.started_at, SessionLog.exercises)
_CHECKIN_COLUMNS = tuple(getattr(CheckIn, name) for name in MorningCheckIn.model_fields)
_CHANGE_COLUMNS = tuple(getattr(PlanChange, name) for name in Change.model_fields)


def load_history(db: Session, user_id: int, since: date | None = None) -> History:
    """The account's session results and check-ins, as the plan rules read them: every one,
    or those of `since` and after (a build reads the last `HISTORY_DAYS` only, so it loads
    no more, by the indexes on the account and the start time or day)."""
    sessions = []
    query = select(*_SESSION_COLUMNS).where(SessionLog.user_id == user_id)
    if since is not None:
        # A session's own day is within a day of its start (`app.models`): a day's margin,
        # then its day decides.
        start = datetime.combine(since - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        query = query.where(col(SessionLog.started_at) >= start)
    for day, started_at, exercises in db.exec(query.order_by(col(SessionLog.started_at))):
        day = session_day(day, started_at)
        if since is not None and day < since:
            continue
        results = []
        for done in exercises:
            # A skipped exercise is not an easy session (and its sets are not the dose done):
            # the rules do not read it, unless it hurt: pain above 5, or symptoms that spread,
            # must still ease the plan (and spreading counts toward the advice to see someone).
            hurt = (done.get("pain") or 0) > ACCEPTABLE_PAIN or done.get("symptoms_spread")
            if done.get("skipped") and not hurt:
                continue
            if done.get("skipped") and done.get("effort") is None:
                # Stopped for the pain before the other questions: the pain and any spreading
                # are what the rules need. Effort 0 and no fatigue stand in for the answers not
                # given; pain above 5 already keeps it from ever counting as an easy session.
                done = {
                    **done,
                    "effort": 0,
                    "fatigue_region": "nowhere",
                    "fatigue_onset": "did-not",
                }
            try:
                results.append(ExerciseResult.model_validate(done))
            except ValidationError:
                continue  # not rated: nothing for the rules to read
        if results:
            sessions.append(SessionRecord(day=day, exercises=results))
    query = select(*_CHECKIN_COLUMNS).where(CheckIn.user_id == user_id)
    if since is not None:
        query = query.where(col(CheckIn.day) >= since)
    checkins = [
        MorningCheckIn.model_validate(dict(zip(MorningCheckIn.model_fields, row, strict=True)))
        for row in db.exec(query.order_by(col(CheckIn.day)))
    ]
    return History(sessions=sessions, checkins=checkins)


def _change_row(user_id: int, change: Change) -> PlanChange:
    data = change.model_dump(mode="json")  # the prescriptions as JSON, the day as a date
    return PlanChange(user_id=user_id, exercise=change.exercise, **{**data, "day": change.day})


def _change(row: Any) -> Change:
    """A `Change` from a row of `_CHANGE_COLUMNS`."""
    return Change.model_validate(dict(zip(Change.model_fields, row, strict=True)))


def load_changes(db: Session, user_id: int, newest: int | None = None) -> list[Change]:
    """The account's plan changes, oldest first (only the `newest` ones when given)."""
    query = select(*_CHANGE_COLUMNS).where(PlanChange.user_id == user_id)
    if newest is None:
        return [_change(r) for r in db.exec(query.order_by(col(PlanChange.id)))]
    rows = db.exec(query.order_by(col(PlanChange.id).desc()).limit(newest)).all()
    return [_change(r) for r in reversed(rows)]


def changes_for_build(db: Session, user_id: int, state: PlanState, today: date) -> list[Change]:
    """The changes a build reads, oldest first: those of the last two weeks (how many went up
    or came in this week) and, for each exercise the plan holds, those since it last changed
    (the reason for its dose). Older ones only ever fill `GET /api/me/export`; a plan years
    old loads a few dozen rows, not thousands."""
    params: dict[str, Any] = {
        "user_id": user_id,
        "recent": today - timedelta(days=2 * WEEK_ON_WEEK_DAYS),
    }
    for i, track in enumerate(state.tracks):
        params |= {f"slug_{i}": track.slug, f"since_{i}": track.since}
    return [_change(r) for r in db.exec(_changes_query(len(state.tracks)), params=params)]


@cache
def _changes_query(tracks: int) -> Any:
    """`changes_for_build`'s query for a plan of `tracks` exercises, built once for each number
    (a statement of a few dozen conditions costs more to build than to run)."""
    held = [
        and_(
            col(PlanChange.exercise) == bindparam(f"slug_{i}"),
            col(PlanChange.day) >= bindparam(f"since_{i}", type_=Date),
        )
        for i in range(tracks)
    ]
    return (
        select(*_CHANGE_COLUMNS)
        .where(
            col(PlanChange.user_id) == bindparam("user_id"),
            or_(col(PlanChange.day) >= bindparam("recent", type_=Date), *held),
        )
        .order_by(col(PlanChange.id))
    )


def equipment_of(said: list[str]) -> frozenset[Equipment]:
    """What the plan may ask for: what the account said it has, or a mat, a chair and a wall
    until it says (`UNSAID_EQUIPMENT`)."""
    return frozenset(Equipment(e) for e in said) if said else UNSAID_EQUIPMENT


def is_current(
    stored: StoredPlan | None,
    last_seq: int,
    catalogue: Catalogue,
    today: date,
    have: frozenset[Equipment] = UNSAID_EQUIPMENT,
) -> bool:
    return (
        stored is not None
        and stored.built_from == last_seq
        and stored.catalogue_version == catalogue.version
        and stored.built_on >= today
        # Built for other equipment (or before the plan read it): rebuilt for what is had now.
        and stored.state.get("equipment") == sorted(have)
    )


def current_plan(db: Session, catalogue: Catalogue, user_id: int, today: date) -> StoredPlan:
    """The account's plan for `today`, rebuilt first if it is out of date."""
    for _ in range(3):
        # The account and its stored plan in one round trip (the plan as it is now, not as
        # this session last saw it).
        account = db.exec(
            select(User.last_seq, User.equipment, StoredPlan)
            .outerjoin(StoredPlan, col(StoredPlan.user_id) == col(User.id))
            .where(User.id == user_id)
            .execution_options(populate_existing=True)
        ).first()
        if account is None:
            raise AccountGone(user_id)
        last_seq, have, stored = account[0], equipment_of(account[1]), account[2]
        if is_current(stored, last_seq, catalogue, today, have):
            assert stored is not None
            return stored
        built = rebuild(db, catalogue, user_id, today, stored, last_seq, have)
        if built is not None:
            return built
    # Three builds in a row lost the race to another: the newest stored one will do.
    stored = db.get(StoredPlan, user_id, populate_existing=True)
    assert stored is not None
    return stored


def _version(stored: StoredPlan | None) -> tuple[int, date, datetime] | None:
    return None if stored is None else (stored.built_from, stored.built_on, stored.updated_at)


def rebuild(
    db: Session,
    catalogue: Catalogue,
    user_id: int,
    today: date,
    stored: StoredPlan | None,
    last_seq: int,
    have: frozenset[Equipment] = UNSAID_EQUIPMENT,
) -> StoredPlan | None:
    """Build the account's plan from everything it holds (read after `last_seq`, so at least
    what that number covers), for the equipment it `have`s, and store it with its new
    changes, unless another build stored one since `stored` was read: then None, and nothing
    is written.

    The build runs outside the write lock; only the check and the writes are inside it, so a
    build never holds up another account's sync."""
    version = _version(stored)
    state = None
    if stored is not None:
        state = PlanState.model_validate(stored.state)
        # A person a day behind the last build (time zones) continues from the build.
        today = max(today, state.built_on)
        state = state.model_copy(update={"changes": changes_for_build(db, user_id, state, today)})
    history = load_history(db, user_id, since=history_starts(today))
    plan = build_plan(catalogue, history, today, state, have=have)
    db.rollback()  # end the read transaction: the write below starts afresh
    values = {
        "built_on": plan.day,
        "built_from": last_seq,
        "catalogue_version": catalogue.version,
        "plan": plan.model_dump(mode="json", exclude={"state", "changes"}),
        "state": plan.state.model_dump(mode="json", exclude={"changes"}),
        "updated_at": utcnow(),
    }
    with one_writer(db):
        # Hold the account's row until commit, as a sync does: builds of one account store
        # one after another, and each sees whether another got in first.
        if lock_account(db, user_id) is None:
            db.rollback()
            raise AccountGone(user_id)
        now = db.get(StoredPlan, user_id, populate_existing=True)
        if _version(now) != version:
            db.rollback()
            return None
        if now is None:
            now = StoredPlan(user_id=user_id, **values)
        else:
            for name, value in values.items():
                setattr(now, name, value)
        db.add(now)
        db.add_all(_change_row(user_id, change) for change in plan.changes)
        db.commit()
    # Not read back: the commit expired what was written, and the values are the ones just
    # written, so they are set as loaded (a caller may read them after its session closes).
    for name, value in {"user_id": user_id, **values}.items():
        set_committed_value(now, name, value)
    return now


def week_starts_on(stored: StoredPlan) -> date:
    """The first day of the plan's week (the week counts from the day the plan started)."""
    started = date.fromisoformat(stored.state["started_on"])
    return started + timedelta(weeks=stored.plan["week"] - 1)
