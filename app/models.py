"""Database tables. Names are singular snake_case; timestamps end in `_at`."""

import uuid
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Strict,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Dialect,
    Index,
    MetaData,
    String,
    Text,
    TypeDecorator,
    false,
)
from sqlmodel import Field, SQLModel

from app.catalogue import Equipment, Slug
from app.screening import Sign

# Constraint names that Alembic can find again on every database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


ONE_DAY = timedelta(days=1)


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


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a timestamp must carry its timezone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        # SQLite keeps no offset; everything stored went through process_bind_param as UTC.
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


# No spaces or control characters around the @: spelled out, because `\s` means different
# things to Python, to Rust (pydantic) and to JSON Schema's ECMAScript.
Email = Annotated[
    str,
    StringConstraints(
        to_lower=True,
        max_length=254,
        pattern=r"^[^@\x00-\x20\x7f]+@[^@\x00-\x20\x7f]+\.[^@\x00-\x20\x7f]+$",
    ),
]
# PostgreSQL text cannot hold the NUL character.
Notes = Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00]*$")]
CueText = Annotated[str, StringConstraints(min_length=1, max_length=240, pattern=r"^[^\x00]+$")]
# A client's numbers and yes/no answers are typed strictly: `true` is not 1, `"3"` is not 3
# and `"no"` is not false. A device that sends them so has a bug worth hearing about. A
# number with nothing after the point (`3.0`) is the integer 3, as JSON Schema has it.


def _a_json_number(value: object) -> object:
    if isinstance(value, bool | str | bytes):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


Count = Annotated[int, BeforeValidator(_a_json_number)]
Score = Annotated[Count, Field(ge=0, le=10)]
YesNo = Annotated[bool, Strict()]

# The range of dates a record may carry. Python's datetime stops at the years 1 and 9999, so
# a time near either end cannot even be moved to UTC for storing (a broken device clock);
# rejecting what falls outside this range keeps every stored value far from those edges, and
# whatever a date is added to or compared with stays computable.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2199, 12, 31)


def _storable_moment(value: datetime) -> datetime:
    try:
        in_utc = value.astimezone(UTC)
    except OverflowError:
        raise ValueError(
            "the time is beyond any date a clock can show: check the device's"
        ) from None
    if not FIRST_DAY <= in_utc.date() <= LAST_DAY:
        raise ValueError(f"the time must fall between {FIRST_DAY} and {LAST_DAY}")
    return value


def _storable_day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"the date must fall between {FIRST_DAY} and {LAST_DAY}")
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_storable_moment)]
Day = Annotated[date, AfterValidator(_storable_day)]


# --- Accounts ---------------------------------------------------------------------------------


class UserBase(SQLModel):
    """What identifies an account: its email, stored lower-case."""

    email: Email = Field(max_length=254, unique=True, index=True)


# The rule for a new password, at registration and at a reset alike.
NewPassword = Annotated[str, Field(min_length=8, max_length=256)]


class UserCreate(UserBase):
    """A registration: email and a password of 8 to 256 characters."""

    password: NewPassword


class User(UserBase, table=True):
    """An account. `last_seq` is the newest change counter handed to one of its records."""

    __tablename__ = "user"

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=200)
    last_seq: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # What the person has to exercise with (`app.catalogue.Equipment` values); empty until
    # they say, which the plan reads as a mat, a chair and a wall.
    equipment: list[str] = Field(
        default_factory=list, sa_type=JSON, sa_column_kwargs={"server_default": "[]"}
    )


class UserPublic(UserBase):
    """The account as its owner sees it."""

    created_at: datetime
    equipment: list[Equipment] = Field(
        default_factory=list,
        description="what you have to exercise with; empty until you say (the plan then "
        "assumes a mat, a chair and a wall)",
    )


class AuthToken(SQLModel, table=True):
    """A bearer token, kept only as the SHA-256 of its value; deleting the row revokes it."""

    __tablename__ = "auth_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)


class PasswordReset(SQLModel, table=True):
    """A password reset link sent by email, kept only as the SHA-256 of its token. It works
    once (`used_at`) and until `expires_at`."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RateLimit(SQLModel, table=True):
    """Attempts counted under one key (action, address or account, time window), shared by
    every process that uses the database."""

    __tablename__ = "rate_limit"

    key: str = Field(primary_key=True, max_length=120)
    count: int = 0
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)


# --- Session logs and check-ins ---------------------------------------------------------------


class Synced(SQLModel):
    """What every synced record carries: the UUID its device gave it, and when the device last
    changed it (the newer change wins)."""

    id: uuid.UUID
    updated_at: Moment


class SessionKind(StrEnum):
    """Today's planned session, exercises the user picked, or a breath-only practice."""

    PLAN = "plan"
    SINGLE = "single"
    BREATH = "breath"


class FatigueRegion(StrEnum):
    """Where fatigue was felt first."""

    LOWER_BACK = "lower-back"
    HIPS_GLUTES = "hips-glutes"
    ABDOMEN = "abdomen"
    UPPER_BACK_NECK = "upper-back-neck"
    LEGS = "legs"
    NOWHERE = "nowhere"


class Comparison(StrEnum):
    """This morning against yesterday's."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


class FatigueOnset(BaseModel):
    """The set (and rep, for a reps exercise) in which fatigue first appeared."""

    model_config = ConfigDict(extra="forbid")

    set: Count = Field(ge=1, le=50)
    rep: Count | None = Field(default=None, ge=1, le=500)


PAIN_STOPS_QUESTIONS = 5  # pain above this offers to stop the session at once


class ExerciseDone(BaseModel):
    """One exercise of a session and the four quick answers given after it."""

    slug: Slug
    sets_done: Count = Field(ge=0, le=50)
    reps_done: Count | None = Field(default=None, ge=0, le=500, description="reps per set")
    seconds_done: Count | None = Field(
        default=None, ge=0, le=7200, description="seconds held per set, or of breathing"
    )
    skipped: YesNo = Field(
        default=False,
        description="left before its end (Next, End): `sets_done` and `reps_done` are what was "
        "reached, and the plan does not read it as done",
    )
    # The four answers: null (not answered) only in a skipped exercise, and in a breath
    # practice, which is asked `feeling` and pain instead.
    effort: Score | None = Field(
        description="how hard it felt, 0 resting to 10 the hardest the person could do"
    )
    pain: Score | None
    fatigue_region: FatigueRegion | None = Field(description="where fatigue was felt first")
    fatigue_onset: FatigueOnset | Literal["did-not"] | None = Field(
        description='when fatigue first appeared, or "did-not" when it did not'
    )
    feeling: Literal["calmer", "same", "less-calm"] | None = Field(
        default=None, description="after a breath practice: calmer than before, or not"
    )
    symptoms_spread: YesNo = Field(
        default=False,
        description="pain, tingling or numbness spread into a buttock or leg during it (not "
        "asked after a breath practice); the plan steps the exercise back",
    )
    helpful_cues: list[CueText] = Field(
        default_factory=list, max_length=10, description="texts of the cues marked as helpful"
    )

    @model_validator(mode="after")
    def _answers_agree(self) -> "ExerciseDone":
        exercise = (self.effort, self.fatigue_region, self.fatigue_onset)
        if self.feeling is not None and exercise != (None, None, None):
            raise ValueError("a breath practice (feeling) has no effort or fatigue answers")
        # A skipped exercise may have been left before its questions, or halfway through them
        # ("It hurts", pain 7, "Stop the session"): what was answered is kept. So may one done
        # to its end, when pain above 5 ended the questions there (the app offers to stop).
        needed = (self.pain,) if self.feeling is not None else (self.pain, *exercise)
        stopped_for_pain = self.pain is not None and self.pain > PAIN_STOPS_QUESTIONS
        if None in needed and not (self.skipped or stopped_for_pain):
            raise ValueError(
                "an exercise done to its end has all four answers (a breath practice: feeling "
                "and pain)"
            )
        if (self.fatigue_region == FatigueRegion.NOWHERE) != (self.fatigue_onset == "did-not"):
            raise ValueError('fatigue_region "nowhere" goes with fatigue_onset "did-not", only')
        return self


class SessionLogBase(SQLModel):
    """A session as the user did it; times carry their timezone."""

    kind: SessionKind = Field(sa_type=String(10))
    day: Day | None = Field(
        default=None,
        description="the person's own date when the session started (the plan pairs it with "
        "the next morning's check-in), within a day of `started_at`'s UTC date; without it, "
        "the UTC date of `started_at`",
    )
    started_at: Moment = Field(sa_type=UTCDateTime)
    ended_at: Moment = Field(sa_type=UTCDateTime)
    exercises: list[ExerciseDone] = Field(default_factory=list, max_length=60, sa_type=JSON)
    notes: Notes = Field(default="", sa_type=Text)

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> "SessionLogBase":
        # Both times are storable by now (`Moment`), so this arithmetic cannot overflow.
        if not self.started_at <= self.ended_at <= self.started_at + timedelta(hours=24):
            raise ValueError("ended_at must fall after started_at, within 24 hours")
        # Time zones run from 12 hours behind UTC to 14 ahead: a person's own date is at most
        # a day away from the UTC one.
        utc_day = self.started_at.astimezone(UTC).date()
        if self.day is not None and abs(self.day - utc_day) > ONE_DAY:
            raise ValueError("day must be within a day of started_at's date")
        return self


class SessionLogCreate(SessionLogBase, Synced):
    """A session log as a device sends it."""


class SessionLog(SessionLogBase, table=True):
    """A stored session log; `seq` is the owner's change counter when it was last stored."""

    __tablename__ = "session_log"
    __table_args__ = (
        Index("ix_session_log_user_id_started_at", "user_id", "started_at"),
        Index("ix_session_log_user_id_seq", "user_id", "seq", unique=True),
    )

    id: uuid.UUID = Field(primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    exercises: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    seq: int


class SessionLogPublic(SessionLogCreate):
    """A session log as the API returns it."""


class CheckInBase(SQLModel):
    """The next-morning check-in: how the back feels and whether fatigue lingered."""

    day: Day = Field(description="the person's own date; an account holds one check-in a day")
    pain: Score
    stiffness: Score
    compared_with_yesterday: Comparison = Field(sa_type=String(10))
    fatigue_lingered: YesNo
    symptoms_spread: YesNo = Field(
        default=False,
        sa_column_kwargs={"server_default": false()},
        description="pain, tingling or numbness spread beyond the back (into a buttock or leg)",
    )
    notes: Notes = Field(default="", sa_type=Text)


class CheckInCreate(CheckInBase, Synced):
    """A check-in as a device sends it."""


class CheckIn(CheckInBase, table=True):
    """A stored check-in."""

    __tablename__ = "checkin"
    __table_args__ = (
        Index("ix_checkin_user_id_day", "user_id", "day", unique=True),
        Index("ix_checkin_user_id_seq", "user_id", "seq", unique=True),
    )

    id: uuid.UUID = Field(primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    updated_at: datetime = Field(sa_type=UTCDateTime)
    seq: int


class CheckInPublic(CheckInCreate):
    """A check-in as the API returns it."""


# --- Plans ------------------------------------------------------------------------------------


class StoredPlan(SQLModel, table=True):
    """An account's current plan (`app.plan.Plan` without its state) and the state the next
    build continues from (`app.plan.PlanState` without its changes, which are rows of
    `plan_change`). `built_from` is the account's `last_seq` and `catalogue_version` the
    catalogue the plan was built from: when either moves on, the plan is out of date."""

    __tablename__ = "plan"

    user_id: int = Field(primary_key=True, foreign_key="user.id", ondelete="CASCADE")
    built_on: date
    built_from: int
    catalogue_version: str = Field(max_length=16)
    plan: dict[str, Any] = Field(sa_type=JSON)
    state: dict[str, Any] = Field(sa_type=JSON)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PlanChange(SQLModel, table=True):
    """One change the plan rules made to an account's plan (`app.plan.Change`), in order."""

    __tablename__ = "plan_change"
    __table_args__ = (Index("ix_plan_change_user_id_id", "user_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    day: date
    rule: str = Field(max_length=60)
    reason: str = Field(sa_type=Text)
    exercise: str | None = Field(default=None, max_length=60)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    season_before: str | None = Field(default=None, max_length=20)
    season_after: str | None = Field(default=None, max_length=20)


# --- Red-flag answers -------------------------------------------------------------------------


class ScreeningBase(SQLModel):
    """The red-flag answers: the signs ticked (true facts stay ticked), and "checked by a
    clinician on `cleared_on`" for those of them in `cleared_signs`."""

    signs: list[Sign] = Field(
        max_length=len(Sign),
        sa_type=JSON,
        description="the ids of the signs ticked",
        schema_extra={"json_schema_extra": {"uniqueItems": True}},
    )
    answered_at: Moment = Field(sa_type=UTCDateTime, description="when the questions were answered")
    cycle: Count | None = Field(
        default=None, ge=1, le=1000, description="the plan cycle they were answered in"
    )
    cleared_on: Day | None = Field(
        default=None, description="the date a clinician checked the person for `cleared_signs`"
    )
    cleared_signs: list[Sign] = Field(
        default_factory=list,
        max_length=len(Sign),
        sa_type=JSON,
        description="the ticked signs the clinician's check covers",
        schema_extra={"json_schema_extra": {"uniqueItems": True}},
    )
    updated_at: Moment = Field(
        sa_type=UTCDateTime, description="when the device last changed them (the newer wins)"
    )

    @model_validator(mode="after")
    def _answers_agree(self) -> "ScreeningBase":
        if len(set(self.signs)) != len(self.signs) or len(set(self.cleared_signs)) != len(
            self.cleared_signs
        ):
            raise ValueError("a sign is listed twice")
        if not set(self.cleared_signs) <= set(self.signs):
            raise ValueError("cleared_signs may hold only signs that are ticked")
        if (self.cleared_on is None) != (not self.cleared_signs):
            raise ValueError("cleared_on and cleared_signs go together")
        if self.updated_at < self.answered_at:
            raise ValueError("updated_at cannot come before answered_at")
        # A person's own date is at most a day ahead of the UTC one.
        if self.cleared_on is not None and self.cleared_on > self.updated_at.date() + ONE_DAY:
            raise ValueError("cleared_on cannot be after the answers were recorded")
        return self


class Screening(ScreeningBase, table=True):
    """An account's red-flag answers: one row, replaced by a newer answer."""

    __tablename__ = "screening"

    user_id: int = Field(primary_key=True, foreign_key="user.id", ondelete="CASCADE")
    signs: list[str] = Field(sa_type=JSON)
    cleared_signs: list[str] = Field(default_factory=list, sa_type=JSON)
    answered_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ScreeningPublic(ScreeningBase):
    """The red-flag answers as a device sends them and the API returns them."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]
