"""What the plan reads (a person's history, as plain data) and what it stores and returns."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.catalogue import Dose, Equipment


class Season(StrEnum):
    """Control (awareness, low load), Build (gently rising challenge), Consolidate (hold gains)."""

    CONTROL = "control"
    BUILD = "build"
    CONSOLIDATE = "consolidate"


# --- What the plan reads: plain data, field names as in app.models ------------------------------

Score = Annotated[int, Field(ge=0, le=10)]
Region = Literal["lower-back", "hips-glutes", "abdomen", "upper-back-neck", "legs", "nowhere"]


class _Data(BaseModel):
    # Extra fields are ignored so that an `ExerciseDone` or a `CheckIn` validates as it is.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Onset(_Data):
    """The set (and rep) in which fatigue first appeared."""

    set: int = Field(ge=1)
    rep: int | None = Field(default=None, ge=1)


class ExerciseResult(_Data):
    """One exercise as done, with the quick answers after it (`app.models.ExerciseDone`)."""

    slug: str
    sets_done: int = Field(ge=0)
    effort: Score
    pain: Score
    fatigue_region: Region
    fatigue_onset: Onset | Literal["did-not"]
    # Pain, tingling or numbness spread into a buttock or leg during it: like too much pain.
    symptoms_spread: bool = False


class SessionRecord(_Data):
    """A session on the day the person did it (their local date)."""

    day: date
    exercises: list[ExerciseResult]


class MorningCheckIn(_Data):
    """The next-morning check-in (`app.models.CheckIn`)."""

    day: date
    pain: Score
    fatigue_lingered: bool
    symptoms_spread: bool = False
    stiffness: Score = 0
    compared_with_yesterday: Literal["better", "same", "worse"] = "same"


class History(_Data):
    """Everything the plan reads from the user's record."""

    sessions: list[SessionRecord] = Field(default_factory=list)
    checkins: list[MorningCheckIn] = Field(default_factory=list)


# --- What the plan stores and returns ----------------------------------------------------------


class Track(BaseModel):
    """An exercise the plan holds at its dose: `sets`, and reps per set above the catalogue's."""

    model_config = ConfigDict(frozen=True)

    slug: str
    sets: int = Field(ge=1)
    # Reps per set above the catalogue's dose; below it (down to -2) for a harder exercise
    # just reached, which starts at a lower volume and builds back up one rep at a time.
    extra_reps: int = Field(default=0, ge=-2)
    since: date  # the day it last changed; its evidence starts that day
    # Sessions already logged on `since` when the change was made: they came before it, so
    # they are not read again (a session later that day is). 0 for a plan's first exercises.
    sessions_before: int = Field(default=0, ge=0)
    primer: str | None = None  # an exercise done right before it, to get the hips working first
    minutes_a_day: float | None = None  # walking only: the daily walk (app.plan.walking)


class Prescription(BaseModel):
    """An exercise at a dose (and the primer done right before it), as a change shows it."""

    slug: str
    dose: Dose
    primer: str | None = None
    minutes_a_day: float | None = None  # walking: the daily walk


class Change(BaseModel):
    """One change to the plan: when, which rule, why in plain words, and from what to what."""

    day: date
    rule: str
    reason: str
    before: Prescription | None = None  # None when an exercise was added
    after: Prescription | None = None
    season_before: Season | None = None  # set on season changes only
    season_after: Season | None = None

    @property
    def exercise(self) -> str | None:
        """The exercise the change is shown next to: the new one, else the old."""
        shown = self.after or self.before
        return shown.slug if shown else None


class Rest(BaseModel):
    """An exercise that left the plan, kept out of it until `until`."""

    until: date
    # Left for pain or fatigue, not progress: the harder steps of its chain stay out too.
    stepped_back: bool


class PlanState(BaseModel):
    """What the next build continues from; `model_dump(mode="json")` stores it."""

    started_on: date
    built_on: date
    season: Season = Season.CONTROL
    season_started_on: date
    cycle: int = 1
    last_flare_on: date | None = None
    last_rise_on: date | None = None  # the last step back for mornings rising week on week
    # The week's exercise minutes as each build left them (the last two weeks'): progress
    # keeps each week within `MAX_WEEKLY_GROWTH` of the week before.
    weekly_minutes: dict[date, float] = Field(default_factory=dict)
    tracks: list[Track]
    # What the person had at the last build (None: built before the plan read equipment).
    equipment: list[Equipment] | None = None
    rested: dict[str, Rest] = Field(default_factory=dict)
    changes: list[Change] = Field(default_factory=list)


class PlanExercise(BaseModel):
    """One exercise of a session, with its dose and the reasons the user sees."""

    slug: str
    name: str
    dose: Dose
    why: str
    protects: str
    prepares_for: str
    minutes_a_day: float | None = None  # walking: the daily walk, on top of the session's
    changed: Change | None = None  # the change that brought it to this exercise and dose
    note: str | None = None  # why the dose held, when a rule held it


class PlanSession(BaseModel):
    """One session of the week."""

    number: int
    exercises: list[PlanExercise]


class Plan(BaseModel):
    """The plan for the week that starts on `day`, and the state to store for the next build."""

    day: date
    week: int
    season: Season
    season_week: int
    season_ends_on: date
    cycle: int
    baseline_pain: float | None
    sessions: list[PlanSession]
    # Plain advice to see a clinician (app.plan.escalation), and whether the red-flag
    # questions should be asked again before the next session.
    advice: list[str] = Field(default_factory=list)
    recheck_red_flags: bool = False
    changes: list[Change]  # the changes this build made
    state: PlanState
