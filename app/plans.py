"""The plan: seasons, the progression graph, and the rules that adapt it (PRODUCT.md section 5).

Pure: no database, no HTTP, no clock. `build_plan` takes the catalogue, the user's history
(exercise results and morning check-ins as plain data), the `PlanState` stored after the last
build and today's date; it returns this week's `Plan`, whose `state` is what to store for the
next build. Every change carries the name of the rule that made it and a plain-words reason.

Words used below:

- A *track* is one exercise the plan holds, at its current dose. The plan's exercises are its
  tracks; each week's sessions share them out so that every track appears at least once a week.
- A *performance* is one result of a track's exercise in a session after the track last changed,
  with the next morning's check-in (the check-in dated the day after). Evidence counts from the
  day after a change, so rebuilding with the same history never applies a rule twice.
- The *baseline* on a given day is the median morning pain of the check-ins before that day:
  the lower of the median of the person's first five check-ins (known once three exist) and the
  median of the last 14 days (when three or more fall in them). The first half keeps a flare-up
  from becoming the new normal; the recent half lets the baseline follow an improvement down.
  Until a baseline exists no morning can be judged against it, so nothing progresses.
- An *easy session* (the gate for progress): pain ≤ 3, effort ≤ 4, every planned set done, no
  spreading symptoms, no early fatigue, and a next-morning check-in at or below baseline with no
  lingering fatigue. The last four conditions go beyond PRODUCT.md, on the side of caution.
- *Early fatigue* is fatigue that first appeared in the first half of the planned work.
- A *primer* is a glute exercise scheduled right before a bridge or hinge in which the lower
  back tired first (the "add" of "add or swap in a hip-led regression").

One change per track per build ("change one thing at a time"), and every change moves at most
one step: to the next or previous exercise of a chain, one set or one rep per set, or a swap to
an exercise at most one level away (`is_one_step`).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.catalogue import Catalogue, Dose, Exercise, Kind, Pattern, Quality

# --- The numbers the rules use -----------------------------------------------------------------

SAFE_PAIN = 3  # pain-monitoring model: 0 to 3/10 during exercise is safe
ACCEPTABLE_PAIN = 5  # 4 or 5 is acceptable and holds the dose; above 5 is too much
EASY_EFFORT = 4  # Borg CR10 "somewhat strong": at or under it counts as easy; above it holds
EASY_SESSIONS_TO_PROGRESS = 2
BASELINE_FIRST_CHECKINS = 5
BASELINE_MIN_CHECKINS = 3  # a median of fewer is one bad morning, not a baseline
BASELINE_WINDOW_DAYS = 14
FLARE_RISE = 2  # a morning this far above baseline is a flare-up on its own
FLARE_MORNINGS = 2  # or this many mornings running above baseline
EARLY_FATIGUE_FRACTION = 0.5
TIRES_EARLY_TO_ROTATE = 2
REST_DAYS = 28  # an exercise rotated or swapped out is not added back for this long
MAX_EXTRA_REPS = 2  # volume above the catalogue's starting dose, one rep per set at a time
MAX_EXTRA_SETS = 2  # for exercises of one long hold per set (walks, carries), sets grow instead
WEEK_ON_WEEK_DAYS = 7
FIRST_LEVEL_CAP = 3  # the highest level a first cycle uses; each new cycle opens one more
MAX_LEVEL = 5
SESSIONS_PER_WEEK = 3
MIN_PER_QUALITY = 2


class Season(StrEnum):
    """Control (awareness, low load), Build (gently rising challenge), Consolidate (hold gains)."""

    CONTROL = "control"
    BUILD = "build"
    CONSOLIDATE = "consolidate"


SEASON_WEEKS: dict[Season, int] = {Season.CONTROL: 2, Season.BUILD: 4, Season.CONSOLIDATE: 2}
NEXT_SEASON = {
    Season.CONTROL: Season.BUILD,
    Season.BUILD: Season.CONSOLIDATE,
    Season.CONSOLIDATE: Season.CONTROL,
}

# The qualities PRODUCT.md names first; every plan keeps two or more exercises for each of
# them, and for any other quality one of its exercises brings in.
CORE_QUALITIES = (
    Quality.HIP_STABILITY,
    Quality.TRUNK_ENDURANCE,
    Quality.THORACIC_MOBILITY,
    Quality.LUMBOPELVIC_CONTROL,
    Quality.BREATH_CONTROL,
)

# A session runs these blocks in order, one or more exercises from each, so every session
# covers the patterns; the same grouping as the app's default session (web/static/js).
SESSION_BLOCKS: tuple[tuple[str, tuple[Pattern, ...]], ...] = (
    ("breathe", (Pattern.BREATH,)),
    ("move", (Pattern.MOBILITY, Pattern.ROTATION)),
    ("brace", (Pattern.BRACE, Pattern.ANTI_ROTATION)),
    ("hips", (Pattern.BRIDGE, Pattern.HINGE)),
    ("legs", (Pattern.SQUAT, Pattern.LUNGE)),
    ("walk and carry", (Pattern.GAIT, Pattern.CARRY)),
)
HIP_WORK = (Pattern.BRIDGE, Pattern.HINGE)
HIP_LED_QUALITIES = (Quality.HIP_EXTENSION, Quality.HIP_STABILITY, Quality.HINGE_SKILL)
PRIMER_QUALITIES = (Quality.HIP_STABILITY, Quality.HIP_EXTENSION)  # glute work, to go first

RULES_DATA: dict[str, Any] = {
    "pain": {"safe_max": SAFE_PAIN, "acceptable_max": ACCEPTABLE_PAIN},
    "effort": {"easy_max": EASY_EFFORT},
    "easy_sessions_to_progress": EASY_SESSIONS_TO_PROGRESS,
    "baseline": {
        "first_checkins": BASELINE_FIRST_CHECKINS,
        "min_checkins": BASELINE_MIN_CHECKINS,
        "window_days": BASELINE_WINDOW_DAYS,
    },
    "flare": {"rise_above_baseline": FLARE_RISE, "mornings_above_baseline": FLARE_MORNINGS},
    "week_on_week_days": WEEK_ON_WEEK_DAYS,
    "early_fatigue_fraction": EARLY_FATIGUE_FRACTION,
    "tires_early_to_rotate": TIRES_EARLY_TO_ROTATE,
    "rest_days_after_swap": REST_DAYS,
    "volume": {"max_extra_reps": MAX_EXTRA_REPS, "max_extra_sets": MAX_EXTRA_SETS},
    "seasons": [{"name": s.value, "weeks": SEASON_WEEKS[s]} for s in Season],
    "level_cap": {"first_cycle": FIRST_LEVEL_CAP, "per_cycle": 1, "max": MAX_LEVEL},
    "sessions_per_week": SESSIONS_PER_WEEK,
    "min_exercises_per_quality": MIN_PER_QUALITY,
    "core_qualities": [q.value for q in CORE_QUALITIES],
    "session_blocks": [
        {"name": name, "patterns": [p.value for p in patterns]} for name, patterns in SESSION_BLOCKS
    ],
    "hip_led_qualities": [q.value for q in HIP_LED_QUALITIES],
    "primer_qualities": [q.value for q in PRIMER_QUALITIES],
}

QUALITY_WORDS = {
    Quality.BREATH_CONTROL: "breath control",
    Quality.LUMBOPELVIC_CONTROL: "control of the pelvis and lower back",
    Quality.SPINE_MOBILITY: "an easy-moving spine",
    Quality.THORACIC_MOBILITY: "upper-back mobility",
    Quality.HIP_MOBILITY: "hip mobility",
    Quality.EXTENSION_TOLERANCE: "comfort bending backwards",
    Quality.TRUNK_ENDURANCE: "trunk endurance",
    Quality.LATERAL_ENDURANCE: "side-of-trunk endurance",
    Quality.ANTI_ROTATION: "resisting twist",
    Quality.HIP_STABILITY: "hip stability",
    Quality.HIP_EXTENSION: "hip strength",
    Quality.HINGE_SKILL: "bending from the hips",
    Quality.LEG_STRENGTH: "leg strength",
    Quality.LOAD_CARRYING: "carrying loads",
    Quality.AEROBIC_TOLERANCE: "stamina",
}

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
    # The logs do not ask this yet; PRODUCT.md section 5 treats spreading symptoms like pain > 5.
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
    extra_reps: int = Field(default=0, ge=0)
    since: date  # the day it last changed; its evidence starts the day after
    primer: str | None = None  # an exercise done right before it, to get the hips working first


class Prescription(BaseModel):
    """An exercise at a dose (and the primer done right before it), as a change shows it."""

    slug: str
    dose: Dose
    primer: str | None = None


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
    tracks: list[Track]
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
    changes: list[Change]  # the changes this build made
    state: PlanState


# --- Small pure helpers ------------------------------------------------------------------------


def level_cap(cycle: int) -> int:
    """The highest exercise level a cycle may use."""
    return min(MAX_LEVEL, FIRST_LEVEL_CAP + cycle - 1)


def dose_of(exercise: Exercise, sets: int, extra_reps: int = 0) -> Dose:
    """The catalogue's dose with `sets` sets and `extra_reps` more in each."""
    base = exercise.dose
    if isinstance(base.reps, list):
        # A pyramid keeps its first sets when it loses some, and repeats its last when it grows.
        reps: int | list[int] = [
            base.reps[min(i, len(base.reps) - 1)] + extra_reps for i in range(sets)
        ]
    else:
        reps = base.reps + extra_reps
    return Dose(sets=sets, reps=reps, rest_seconds=base.rest_seconds)


def track_dose(catalogue: Catalogue, track: Track) -> Dose:
    """The dose a track prescribes."""
    return dose_of(catalogue.by_slug[track.slug], track.sets, track.extra_reps)


def _name(catalogue: Catalogue, slug: str) -> str:
    # Names stay as the catalogue writes them: some start with a person's name (McGill, Pallof).
    return catalogue.by_slug[slug].name


def _grows_by_sets(exercise: Exercise) -> bool:
    # One long hold per set (a walk, a carry): another set is the natural next step.
    return exercise.dose.reps == 1


def _units(dose: Dose) -> list[int]:
    return [dose.reps_in_set(i) for i in range(dose.sets)]


# --- Evidence: baseline, easy sessions, early fatigue ------------------------------------------


def baseline_pain(checkins: Sequence[MorningCheckIn], day: date) -> float | None:
    """The person's usual morning pain before `day` (see the module docstring), or None."""
    before = sorted((c for c in checkins if c.day < day), key=lambda c: c.day)
    first = [c.pain for c in before[:BASELINE_FIRST_CHECKINS]]
    if len(first) < BASELINE_MIN_CHECKINS:
        return None
    recent = [c.pain for c in before if c.day >= day - timedelta(days=BASELINE_WINDOW_DAYS)]
    usual = float(statistics.median(first))
    if len(recent) >= BASELINE_MIN_CHECKINS:
        usual = min(usual, float(statistics.median(recent)))
    return usual


def tired_early(result: ExerciseResult, dose: Dose) -> bool:
    """Fatigue first appeared within the first half of the planned work."""
    onset = result.fatigue_onset
    if onset == "did-not" or result.fatigue_region == "nowhere":
        return False
    units = _units(dose)
    done_before = sum(units[: onset.set - 1]) + ((onset.rep or 1) - 1)
    return done_before < EARLY_FATIGUE_FRACTION * sum(units)


class Verdict(StrEnum):
    """What the pain-monitoring model says about one performance."""

    REGRESS = "regress"  # too much: the exercise steps back
    CUT = "cut"  # did not settle by the morning: one set fewer
    HOLD = "hold"  # acceptable: keep the dose
    CLEAR = "clear"  # nothing against going on


def pain_verdict(
    result: ExerciseResult, morning: MorningCheckIn | None, baseline: float | None
) -> Verdict:
    """Thomeé's pain-monitoring model with the next-morning check-in, for one performance."""
    if result.pain > ACCEPTABLE_PAIN or result.symptoms_spread:
        return Verdict.REGRESS
    if morning is not None and (
        morning.symptoms_spread or (baseline is not None and morning.pain > baseline)
    ):
        return Verdict.CUT
    # Pain of 4 or 5 holds only if it settled; without a check-in we cannot tell, so it holds too.
    if result.pain > SAFE_PAIN or result.effort > EASY_EFFORT:
        return Verdict.HOLD
    return Verdict.CLEAR


@dataclass(frozen=True)
class Performance:
    """One result of a track's exercise, with its next-morning check-in and that day's baseline."""

    day: date
    result: ExerciseResult
    morning: MorningCheckIn | None
    baseline: float | None  # the baseline the morning is judged against
    session: tuple[ExerciseResult, ...]  # the whole session, for what else went well


def is_easy(performance: Performance, dose: Dose) -> bool:
    """An easy session: the gate for progress (see the module docstring)."""
    r, morning, baseline = performance.result, performance.morning, performance.baseline
    return (
        r.pain <= SAFE_PAIN
        and r.effort <= EASY_EFFORT
        and r.sets_done >= dose.sets
        and not r.symptoms_spread
        and not tired_early(r, dose)
        and morning is not None
        and baseline is not None
        and morning.pain <= baseline
        and not morning.fatigue_lingered
        and not morning.symptoms_spread
    )


def tolerates_dynamic_work(
    session: Iterable[ExerciseResult], catalogue: Catalogue, doses: Mapping[str, Dose], skip: str
) -> bool:
    """The session's moving (`reps`) exercises went well: pain ≤ 3 and no early fatigue."""
    moving = [
        r
        for r in session
        if r.slug != skip and r.slug in catalogue.by_slug
        if catalogue.by_slug[r.slug].kind is Kind.REPS
    ]
    return bool(moving) and all(
        r.pain <= SAFE_PAIN
        and not tired_early(r, doses.get(r.slug, catalogue.by_slug[r.slug].dose))
        for r in moving
    )


def mornings_rising(checkins: Sequence[MorningCheckIn], today: date) -> bool:
    """Morning pain rose week on week: the median of the last 7 days is above the 7 before."""
    week = WEEK_ON_WEEK_DAYS
    this = [c.pain for c in checkins if today - timedelta(days=week) <= c.day < today]
    split = today - timedelta(days=week)
    last = [c.pain for c in checkins if split - timedelta(days=week) <= c.day < split]
    if len(this) < BASELINE_MIN_CHECKINS or len(last) < BASELINE_MIN_CHECKINS:
        return False
    return statistics.median(this) > statistics.median(last)


def flare_days(checkins: Sequence[MorningCheckIn]) -> list[date]:
    """Mornings that show a flare-up: 2+ above baseline, or above it two mornings running."""
    above: dict[date, float] = {}
    flares = []
    for c in sorted(checkins, key=lambda c: c.day):
        usual = baseline_pain(checkins, c.day)
        if usual is None or c.pain <= usual:
            continue
        above[c.day] = c.pain - usual
        # Running: the mornings just before this one were above baseline too.
        running = all(c.day - timedelta(days=i) in above for i in range(1, FLARE_MORNINGS))
        if c.pain - usual >= FLARE_RISE or running:
            flares.append(c.day)
    return flares


# --- Continuity --------------------------------------------------------------------------------


def is_one_step(catalogue: Catalogue, before: Track | None, after: Track | None) -> bool:
    """A change moves at most one step: one chain link, one set or rep, or one level sideways."""
    if before is None or after is None:
        return True  # adding or setting aside an exercise moves nothing along a chain
    if before.slug == after.slug:
        steps = abs(before.sets - after.sets) + abs(before.extra_reps - after.extra_reps)
        # A new primer changes the session around the exercise, not the exercise: no step.
        return steps == 1 if before.primer == after.primer else steps == 0
    old, new = catalogue.by_slug[before.slug], catalogue.by_slug[after.slug]
    if new.slug in (old.regression, old.progression):
        return after.sets == new.dose.sets and after.extra_reps == 0
    return abs(old.level - new.level) <= 1 and after.extra_reps == 0


# --- Per-track rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackContext:
    """Everything a per-track rule reads."""

    catalogue: Catalogue
    track: Track
    performances: tuple[Performance, ...]  # since the track last changed, oldest first
    season: Season
    today: date
    occupied: frozenset[str]  # exercises the plan holds right now
    rested: Mapping[str, date]  # slug → the day it may come back
    doses: Mapping[str, Dose]  # every track's dose, to judge early fatigue elsewhere
    allowed: frozenset[str]  # what this cycle may use (`admissible`)
    rising: bool  # mornings rose week on week

    @property
    def exercise(self) -> Exercise:
        """The track's exercise."""
        return self.catalogue.by_slug[self.track.slug]

    @property
    def dose(self) -> Dose:
        """The track's dose."""
        return track_dose(self.catalogue, self.track)

    @property
    def name(self) -> str:
        """The exercise's name, as the reasons say it."""
        return _name(self.catalogue, self.track.slug)

    def free(self, slug: str | None) -> bool:
        """`slug` can come in by a step along the chain: the plan does not hold it already."""
        return slug is not None and slug not in self.occupied

    def can_swap_to(self, slug: str) -> bool:
        """`slug` can take this track's place sideways without a quality losing its pair."""
        if not self.free(slug) or slug not in self.allowed or slug == self.track.slug:
            return False
        if self.rested.get(slug, date.min) > self.today:
            return False
        after = _quality_counts(self.catalogue, (*(self.occupied - {self.track.slug}), slug))
        before = _quality_counts(self.catalogue, self.occupied)
        return all(after[q] >= min(before[q], MIN_PER_QUALITY) for q in Quality)


@dataclass(frozen=True)
class Outcome:
    """What a rule decided: a new track with the reason, or (track None) a note on holding."""

    reason: str
    track: Track | None = None


def _swap(ctx: TrackContext, slug: str, reason: str) -> Outcome:
    new = ctx.catalogue.by_slug[slug]
    return Outcome(reason, Track(slug=slug, sets=new.dose.sets, since=ctx.today))


def _dose_change(ctx: TrackContext, sets: int, extra: int, reason: str) -> Outcome:
    changed = {"sets": sets, "extra_reps": extra, "since": ctx.today}
    return Outcome(reason, ctx.track.model_copy(update=changed))


def _cut_volume(ctx: TrackContext, why: str) -> Outcome | None:
    t = ctx.track
    if t.sets > 1:
        return _dose_change(ctx, t.sets - 1, t.extra_reps, f"{why} so one set fewer next time.")
    if t.extra_reps > 0:
        return _dose_change(ctx, t.sets, t.extra_reps - 1, f"{why} so one rep fewer in the set.")
    return None


def _easier_same_quality(ctx: TrackContext) -> str | None:
    x = ctx.exercise
    options = [
        e
        for e in ctx.catalogue.exercises
        if e.level in (x.level - 1, x.level) and x.qualities[0] in e.qualities
        if ctx.can_swap_to(e.slug)
    ]
    options.sort(key=lambda e: (e.level == x.level, e.pattern != x.pattern, e.slug))
    return options[0].slug if options else None


def _step_back(ctx: TrackContext, why: str) -> Outcome:
    """Regress one step, or failing that cut volume, or swap sideways to something easier."""
    x = ctx.exercise
    # A chain step back is always allowed, even into an exercise that is resting.
    if x.regression and ctx.free(x.regression):
        return _swap(
            ctx,
            x.regression,
            f"{why} so it steps back to {_name(ctx.catalogue, x.regression)} for now.",
        )
    if cut := _cut_volume(ctx, why):
        return cut
    if easier := _easier_same_quality(ctx):
        name = _name(ctx.catalogue, easier)
        quality = QUALITY_WORDS[x.qualities[0]]
        return _swap(ctx, easier, f"{why} so {name} takes its place; it also trains {quality}.")
    return Outcome(
        f"{why} and {ctx.name} is already at its gentlest here. If it keeps hurting above "
        f"{ACCEPTABLE_PAIN}/10, leave it out and check with a clinician."
    )


def pain_monitoring(ctx: TrackContext) -> Outcome | None:
    """Pain-monitoring model: too much pain or a sore morning steps back; 4 or 5 holds."""
    verdicts = [(pain_verdict(p.result, p.morning, p.baseline), p) for p in ctx.performances]
    if ctx.exercise.kind is Kind.BREATH:
        # Breathing practice is how a sore morning is calmed, so a sore morning does not cut it.
        verdicts = [(Verdict.CLEAR if v is Verdict.CUT else v, p) for v, p in verdicts]
    for wanted in (Verdict.REGRESS, Verdict.CUT):
        hits = [p for v, p in verdicts if v is wanted]
        if not hits:
            continue
        p = hits[-1]
        if wanted is Verdict.REGRESS:
            what = (
                "symptoms spread"
                if p.result.symptoms_spread
                else f"pain reached {p.result.pain}/10, above {ACCEPTABLE_PAIN}"
            )
            return _step_back(ctx, f"In {ctx.name}, {what},")
        morning = p.morning or MorningCheckIn(day=p.day, pain=0, fatigue_lingered=False)
        what = (
            "symptoms spread"
            if morning.symptoms_spread
            else f"your back was sorer than usual ({morning.pain}/10 against about "
            f"{p.baseline or 0:g}/10)"
        )
        why = f"The morning after {ctx.name}, {what},"
        return _cut_volume(ctx, why) or _step_back(ctx, why)
    if verdicts and verdicts[-1][0] is Verdict.HOLD:
        r = verdicts[-1][1].result
        if r.pain > SAFE_PAIN:
            return Outcome(
                f"Holding this dose: pain reached {r.pain}/10 last time, acceptable but not yet "
                "easy; it should settle by the next morning."
            )
        return Outcome(f"Holding this dose: it felt {r.effort}/10 hard last time.")
    return None


def hip_primer(catalogue: Catalogue, exercise: Exercise, held: Iterable[str]) -> str | None:
    """A glute exercise no harder than `exercise` to do right before it, preferably one held."""
    held_now = set(held)
    options = [
        e
        for e in catalogue.exercises
        if set(PRIMER_QUALITIES) & set(e.qualities)
        if e.kind is Kind.REPS and e.level <= exercise.level and e.slug != exercise.slug
    ]
    # Glute activation (hip stability) suits going first best; then one the plan already holds.
    options.sort(
        key=lambda e: (
            Quality.HIP_STABILITY not in e.qualities,
            e.slug not in held_now,
            e.pattern in HIP_WORK,
            e.level,
            e.slug,
        )
    )
    return options[0].slug if options else None


def hip_led_regression(ctx: TrackContext) -> Outcome | None:
    """Lower back tiring first in a bridge or hinge swaps in or adds a hip-led regression."""
    x = ctx.exercise
    if x.pattern not in HIP_WORK or not any(
        p.result.fatigue_region == "lower-back" for p in ctx.performances
    ):
        return None
    why = (
        f"Your lower back tired before your hips in {ctx.name}, a sign the hips are doing "
        "too little,"
    )
    reg = ctx.catalogue.by_slug[x.regression] if x.regression else None
    if reg and set(reg.qualities) & set(HIP_LED_QUALITIES) and ctx.free(reg.slug):
        return _swap(ctx, reg.slug, f"{why} so {reg.name}, where the hips lead, comes first.")
    primer = hip_primer(ctx.catalogue, x, ctx.occupied)
    resting = primer is not None and ctx.rested.get(primer, date.min) > ctx.today
    if primer and primer != ctx.track.primer and primer in ctx.allowed and not resting:
        track = ctx.track.model_copy(update={"primer": primer, "since": ctx.today})
        name = _name(ctx.catalogue, primer)
        return Outcome(f"{why} so {name} now comes right before it to wake the hips up.", track)
    return _cut_volume(ctx, why)


def dynamic_variant(
    catalogue: Catalogue, exercise: Exercise, fits: Callable[[str], bool]
) -> str | None:
    """A moving (`reps`) exercise that trains what the hold `exercise` does, within one level."""
    options = [
        e
        for e in catalogue.exercises
        if e.kind is Kind.REPS and exercise.qualities[0] in e.qualities
        if abs(e.level - exercise.level) <= 1 and fits(e.slug)
    ]
    options.sort(
        key=lambda e: (
            e.slug not in (exercise.regression, exercise.progression),
            e.level > exercise.level,
            e.pattern != exercise.pattern,
            e.slug,
        )
    )
    return options[0].slug if options else None


def dynamic_variant_for_holds(ctx: TrackContext) -> Outcome | None:
    """Early fatigue in a static hold, while moving work went well, swaps in a moving variant."""
    x = ctx.exercise
    if x.kind is not Kind.HOLD or not ctx.performances:
        return None
    last = ctx.performances[-1]
    if not tired_early(last.result, ctx.dose) or not tolerates_dynamic_work(
        last.session, ctx.catalogue, ctx.doses, x.slug
    ):
        return None
    alt = dynamic_variant(ctx.catalogue, x, ctx.can_swap_to)
    if alt is None:
        return None
    return _swap(
        ctx,
        alt,
        f"Fatigue came early in {ctx.name}'s holds while your moving exercises went well, "
        f"so {_name(ctx.catalogue, alt)}, which keeps moving, trains the same thing.",
    )


def rotation_candidate(
    catalogue: Catalogue, exercise: Exercise, fits: Callable[[str], bool]
) -> str | None:
    """Another exercise for the same main quality, no harder, preferably of the same kind."""
    options = [
        e
        for e in catalogue.exercises
        if exercise.qualities[0] in e.qualities and e.level in (exercise.level - 1, exercise.level)
        if fits(e.slug)
    ]
    options.sort(
        key=lambda e: (
            e.kind is not exercise.kind,
            e.slug in (exercise.regression, exercise.progression),
            e.level != exercise.level,
            e.slug,
        )
    )
    return options[0].slug if options else None


def rotate_out_tiring_exercise(ctx: TrackContext) -> Outcome | None:
    """An exercise that tires early twice running is rotated out for another of the same quality."""
    last = ctx.performances[-TIRES_EARLY_TO_ROTATE:]
    if len(last) < TIRES_EARLY_TO_ROTATE or not all(tired_early(p.result, ctx.dose) for p in last):
        return None
    x = ctx.exercise
    alt = rotation_candidate(ctx.catalogue, x, ctx.can_swap_to)
    if alt is None:
        return _cut_volume(ctx, f"{ctx.name} tired you early two sessions running,")
    return _swap(
        ctx,
        alt,
        f"{ctx.name} tired you early two sessions running, so "
        f"{_name(ctx.catalogue, alt)} takes its turn; it also trains "
        f"{QUALITY_WORDS[x.qualities[0]]}. {ctx.name} can come back later.",
    )


def progress_after_two_easy_sessions(ctx: TrackContext) -> Outcome | None:
    """Two easy sessions in a row progress one step: volume first, then the chain's next one."""
    last = ctx.performances[-EASY_SESSIONS_TO_PROGRESS:]
    if len(last) < EASY_SESSIONS_TO_PROGRESS or not all(is_easy(p, ctx.dose) for p in last):
        return None
    easy = "Two easy sessions in a row (little pain, moderate effort, mornings no worse than usual)"
    if ctx.season is not Season.BUILD:
        return Outcome(f"{easy}: in the {ctx.season.value.title()} season the dose holds.")
    if ctx.rising:
        return Outcome(f"{easy}, but your mornings were worse this week than last: progress waits.")
    x, t = ctx.exercise, ctx.track
    if t.sets < x.dose.sets:
        return _dose_change(ctx, t.sets + 1, t.extra_reps, f"{easy}: the set taken off comes back.")
    if _grows_by_sets(x):
        if t.sets < x.dose.sets + MAX_EXTRA_SETS:
            return _dose_change(ctx, t.sets + 1, t.extra_reps, f"{easy}: one more set.")
    elif t.extra_reps < MAX_EXTRA_REPS:
        unit = "hold" if x.kind is Kind.HOLD else "breath" if x.kind is Kind.BREATH else "rep"
        return _dose_change(ctx, t.sets, t.extra_reps + 1, f"{easy}: one more {unit} in each set.")
    nxt = ctx.catalogue.by_slug[x.progression] if x.progression else None
    if nxt is None:
        return Outcome(f"{easy}: this is the top of {ctx.name}'s ladder; keep it up.")
    nxt_name = _name(ctx.catalogue, nxt.slug)
    if nxt.slug in ctx.occupied:
        return Outcome(f"{easy}: its next step, {nxt_name}, is already in your plan.")
    if nxt.slug not in ctx.allowed:
        return Outcome(f"{easy}: its next step, {nxt_name}, opens in a later cycle.")
    return _swap(
        ctx,
        nxt.slug,
        f"{easy} at the top dose of {ctx.name}: the next step is {nxt_name}, at its starting dose.",
    )


# Precedence: safety first, then what fatigue says, then progress. The first change wins.
TRACK_RULES: tuple[Callable[[TrackContext], Outcome | None], ...] = (
    pain_monitoring,
    hip_led_regression,
    dynamic_variant_for_holds,
    rotate_out_tiring_exercise,
    progress_after_two_easy_sessions,
)


def performances(
    sessions: Sequence[SessionRecord], checkins: Sequence[MorningCheckIn], track: Track
) -> tuple[Performance, ...]:
    """The track's results since it last changed, oldest first, each with its next morning."""
    mornings = {c.day: c for c in checkins}
    found = []
    for session in sorted(sessions, key=lambda s: s.day):
        if session.day <= track.since:
            continue
        morning = mornings.get(session.day + timedelta(days=1))
        usual = baseline_pain(checkins, morning.day) if morning else None
        found += [
            Performance(session.day, r, morning, usual, tuple(session.exercises))
            for r in session.exercises
            if r.slug == track.slug
        ]
    return tuple(found)


# --- Seasons -----------------------------------------------------------------------------------


def step_back_to_control_after_flare(
    state: PlanState, checkins: Sequence[MorningCheckIn], today: date
) -> tuple[PlanState, list[Change]]:
    """A new flare-up puts the plan back in Control, its two weeks counted from that morning."""
    known = state.last_flare_on or state.started_on
    new = [d for d in flare_days(checkins) if known < d <= today]
    if not new:
        return state, []
    # Control counts from the last morning of the flare-up; the reason quotes its worst one.
    day = new[-1]
    worst = max((c for c in checkins if c.day in new), key=lambda c: c.pain)
    usual = f"{baseline_pain(checkins, worst.day) or 0:g}"
    how = "the plan steps back to Control"
    if state.season is Season.CONTROL:
        how = "Control starts again"
    reason = (
        f"Your mornings flared up ({worst.pain}/10 on {worst.day:%d %B} against a usual "
        f"{usual}/10), so {how} for {SEASON_WEEKS[Season.CONTROL]} weeks: no increases, and "
        "what hurt eases off, until things settle."
    )
    change = Change(
        day=day,
        rule=step_back_to_control_after_flare.__name__,
        reason=reason,
        season_before=state.season,
        season_after=Season.CONTROL,
    )
    update = {"season": Season.CONTROL, "season_started_on": day, "last_flare_on": day}
    return state.model_copy(update=update), [change]


def _season_reason(after: Season, cycle: int) -> str:
    weeks = SEASON_WEEKS
    if after is Season.BUILD:
        return (
            f"{weeks[Season.CONTROL]} weeks of Control are done: the Build season starts, and "
            "each exercise can now go up one step after two easy sessions in a row."
        )
    if after is Season.CONSOLIDATE:
        return (
            f"{weeks[Season.BUILD]} weeks of Build are done: {weeks[Season.CONSOLIDATE]} weeks "
            "of Consolidate keep the doses you reached and let your body catch up."
        )
    return (
        f"A full cycle is done: cycle {cycle} starts with {weeks[Season.CONTROL]} weeks of "
        f"Control at the doses you reached, and exercises up to level {level_cap(cycle)} can "
        "now come in."
    )


def advance_season(state: PlanState, today: date) -> tuple[PlanState, list[Change]]:
    """Seasons follow the calendar: Control 2 weeks, Build 4, Consolidate 2, then a new cycle."""
    season, start, cycle = state.season, state.season_started_on, state.cycle
    changes = []
    while today >= start + timedelta(weeks=SEASON_WEEKS[season]):
        start += timedelta(weeks=SEASON_WEEKS[season])
        after = NEXT_SEASON[season]
        cycle += after is Season.CONTROL
        changes.append(
            Change(
                day=start,
                rule=advance_season.__name__,
                reason=_season_reason(after, cycle),
                season_before=season,
                season_after=after,
            )
        )
        season = after
    update = {"season": season, "season_started_on": start, "cycle": cycle}
    return state.model_copy(update=update), changes


# --- Coverage: patterns and two or more exercises per quality ----------------------------------

PATTERN_WORDS = {
    Pattern.HINGE: "hip hinge",
    Pattern.SQUAT: "squat",
    Pattern.LUNGE: "lunge and step",
    Pattern.BRIDGE: "bridge",
    Pattern.BRACE: "bracing",
    Pattern.ANTI_ROTATION: "anti-rotation",
    Pattern.CARRY: "carry",
    Pattern.ROTATION: "rotation",
    Pattern.MOBILITY: "mobility",
    Pattern.BREATH: "breathing",
    Pattern.GAIT: "walking",
}


def admissible(catalogue: Catalogue, cap: int) -> frozenset[str]:
    """Exercises up to level `cap` whose every quality can be kept in pairs up to that level."""
    allowed = {e.slug for e in catalogue.exercises if e.level <= cap}
    while True:
        counts = _quality_counts(catalogue, allowed)
        single = {s for s in allowed if any(counts[q] < MIN_PER_QUALITY for q in _q(catalogue, s))}
        if not single:
            return frozenset(allowed)
        allowed -= single


def _q(catalogue: Catalogue, slug: str) -> list[Quality]:
    return catalogue.by_slug[slug].qualities


def _quality_counts(catalogue: Catalogue, slugs: Iterable[str]) -> dict[Quality, int]:
    counts = dict.fromkeys(Quality, 0)
    for slug in slugs:
        for q in _q(catalogue, slug):
            counts[q] += 1
    return counts


def pattern_gaps(
    catalogue: Catalogue, slugs: Iterable[str], season: Season, allowed: Iterable[str]
) -> list[tuple[str, tuple[Pattern, ...]]]:
    """Session blocks (in Control) or single patterns (later) that the plan leaves uncovered."""
    groups = SESSION_BLOCKS if season is Season.CONTROL else tuple((p.value, (p,)) for p in Pattern)
    held = {catalogue.by_slug[s].pattern for s in slugs}
    reachable = {catalogue.by_slug[s].pattern for s in allowed}
    return [(n, ps) for n, ps in groups if not held & set(ps) and reachable & set(ps)]


def quality_gaps(
    catalogue: Catalogue, slugs: Iterable[str], allowed: Iterable[str]
) -> list[Quality]:
    """Qualities, core or present, that fewer than two of the plan's exercises serve."""
    counts = _quality_counts(catalogue, slugs)
    reachable = _quality_counts(catalogue, allowed)
    return [
        q
        for q in Quality
        if (q in CORE_QUALITIES or counts[q]) and counts[q] < MIN_PER_QUALITY
        if reachable[q] >= MIN_PER_QUALITY
    ]


def fill_gaps(
    catalogue: Catalogue,
    slugs: Sequence[str],
    season: Season,
    cap: int,
    rested: Mapping[str, Rest],
    today: date,
) -> list[tuple[str, str, str]]:
    """Exercises to add, each with its rule and reason, until patterns and qualities are covered."""
    resting = {s: r for s, r in rested.items() if r.until > today and s in catalogue.by_slug}
    allowed = set(admissible(catalogue, cap)) - set(resting)
    for slug, rest in resting.items():
        if rest.stepped_back:  # nothing jumps in above an exercise the person stepped back from
            allowed -= set(_from_here_up(catalogue, slug))
    held: list[str] = list(slugs)
    added: list[tuple[str, str, str]] = []
    unfillable: set[str] = set()  # gaps no allowed exercise can close: skip, do not loop
    while True:
        reachable = allowed | set(held)
        pgaps = [
            g for g in pattern_gaps(catalogue, held, season, reachable) if g[0] not in unfillable
        ]
        qgaps = [q for q in quality_gaps(catalogue, held, reachable) if q not in unfillable]
        if not pgaps and not qgaps:
            return added
        gap: str | Quality = pgaps[0][0] if pgaps else qgaps[0]
        options = [
            e
            for e in catalogue.exercises
            if e.slug in allowed and e.slug not in held
            if (e.pattern in pgaps[0][1] if pgaps else qgaps[0] in e.qualities)
        ]
        if not options:
            unfillable.add(gap)
            continue
        counts = _quality_counts(catalogue, held)
        costs = {e.slug: _addition_cost(e, counts, [ps for _, ps in pgaps], qgaps) for e in options}
        pick = catalogue.by_slug[min(costs, key=costs.__getitem__)]
        rule = cover_patterns.__name__ if pgaps else keep_two_per_quality.__name__
        held.append(pick.slug)
        added.append((pick.slug, rule, _addition_reason(pick, gap, season)))


def _from_here_up(catalogue: Catalogue, slug: str) -> list[str]:
    chain = [e.slug for e in catalogue.chain(slug)]
    return chain[chain.index(slug) :]


def _addition_cost(
    e: Exercise,
    counts: Mapping[Quality, int],
    pattern_gaps: Sequence[tuple[Pattern, ...]],
    quality_gaps: Sequence[Quality],
) -> tuple[int, int, int, str]:
    # Fewest new qualities left single (each would need a partner of its own), then the
    # easiest, then the one closing the most gaps at once.
    lonely = sum(1 for q in e.qualities if not counts[q] and q not in CORE_QUALITIES)
    closes = sum(e.pattern in ps for ps in pattern_gaps) + len(set(e.qualities) & set(quality_gaps))
    return (lonely, e.level, -closes, e.slug)


def cover_patterns(
    catalogue: Catalogue, slugs: Sequence[str], season: Season, cap: int
) -> list[str]:
    """Rule: every session covers each block; from Build on, the week covers every pattern."""
    return [n for n, _ in pattern_gaps(catalogue, slugs, season, admissible(catalogue, cap))]


def keep_two_per_quality(catalogue: Catalogue, slugs: Sequence[str], cap: int) -> list[Quality]:
    """Rule: two or more exercises for each core quality and for every quality in the plan."""
    return quality_gaps(catalogue, slugs, admissible(catalogue, cap))


def _addition_reason(exercise: Exercise, gap: str | Quality, season: Season) -> str:
    if isinstance(gap, Quality):
        return f"Added so two or more exercises in your plan train {QUALITY_WORDS[gap]}."
    if season is Season.CONTROL:
        return f"Added so every session has some {gap} work."
    return (
        f"Added in the {season.value.title()} season so your week also trains the "
        f"{PATTERN_WORDS[exercise.pattern]} pattern."
    )


def start_plan(catalogue: Catalogue, today: date) -> PlanState:
    """A new plan in Control: the easiest exercises that cover the blocks and the core qualities."""
    cap = level_cap(1)
    picked = [s for s, _, _ in fill_gaps(catalogue, [], Season.CONTROL, cap, {}, today)]
    allowed = admissible(catalogue, cap)
    # A greedy pick can turn redundant once later picks cover its ground: drop those.
    for slug in reversed(list(picked)):
        rest = [s for s in picked if s != slug]
        if not pattern_gaps(catalogue, rest, Season.CONTROL, allowed) and not quality_gaps(
            catalogue, rest, allowed
        ):
            picked = rest
    order = [e.slug for e in catalogue.exercises]
    tracks = [
        Track(slug=s, sets=catalogue.by_slug[s].dose.sets, since=today)
        for s in sorted(picked, key=order.index)
    ]
    return PlanState(started_on=today, built_on=today, season_started_on=today, tracks=tracks)


# --- The week's sessions -----------------------------------------------------------------------


def compose_week(
    catalogue: Catalogue, tracks: Sequence[Track], week: int, sessions: int = SESSIONS_PER_WEEK
) -> list[list[Track]]:
    """Share the tracks over the sessions: each covers every block, every track comes weekly."""
    # Which exercises of a block double up, and in which session, turns with the week: variety
    # from the calendar, so the same inputs always give the same week.
    out: list[list[Track]] = [[] for _ in range(sessions)]
    for _, patterns in SESSION_BLOCKS:
        block = sorted(
            (t for t in tracks if catalogue.by_slug[t.slug].pattern in patterns),
            key=lambda t: (
                patterns.index(catalogue.by_slug[t.slug].pattern),
                catalogue.by_slug[t.slug].level,
                t.slug,
            ),
        )
        k = len(block)
        for s in range(sessions if k else 0):
            if k >= sessions:
                out[s] += [t for i, t in enumerate(block) if (i + week) % sessions == s]
            else:
                out[s].append(block[(s + week) % k])
    by_slug = {t.slug: t for t in tracks}
    for session in out:
        for track in list(session):
            if track.primer and track.primer in by_slug:
                primer = by_slug[track.primer]
                if primer in session:
                    session.remove(primer)
                session.insert(session.index(track), primer)
    return out


# --- Building the plan -------------------------------------------------------------------------


def _prescription(catalogue: Catalogue, track: Track) -> Prescription:
    return Prescription(slug=track.slug, dose=track_dose(catalogue, track), primer=track.primer)


def drop_missing_exercises(
    catalogue: Catalogue, state: PlanState, today: date
) -> tuple[PlanState, list[Change]]:
    """Exercises the catalogue no longer has leave the plan (a stored plan can outlive a slug)."""
    gone = [t for t in state.tracks if t.slug not in catalogue.by_slug]
    if not gone:
        return state, []
    changes = [
        Change(
            day=today,
            rule=drop_missing_exercises.__name__,
            reason=f"“{t.slug}” is no longer in the exercise library, so it leaves your plan.",
        )
        for t in gone
    ]
    kept = [t for t in state.tracks if t.slug in catalogue.by_slug]
    return state.model_copy(update={"tracks": kept}), changes


def apply_track_rules(
    catalogue: Catalogue,
    state: PlanState,
    sessions: Sequence[SessionRecord],
    checkins: Sequence[MorningCheckIn],
    today: date,
) -> tuple[list[Track], dict[str, Rest], dict[str, str], list[Change]]:
    """Run `TRACK_RULES` on every track: the new tracks, rests, notes on holding, and changes."""
    allowed = admissible(catalogue, level_cap(state.cycle))
    rising = mornings_rising(checkins, today)
    tracks = list(state.tracks)
    rested = dict(state.rested)
    doses = {t.slug: track_dose(catalogue, t) for t in tracks}
    notes: dict[str, str] = {}
    changes: list[Change] = []
    for i in range(len(state.tracks)):
        track = tracks[i] = _drop_stale_primer(tracks[i], tracks)
        ctx = TrackContext(
            catalogue=catalogue,
            track=track,
            performances=performances(sessions, checkins, track),
            season=state.season,
            today=today,
            occupied=frozenset(t.slug for t in tracks),
            rested={s: r.until for s, r in rested.items()},
            doses=doses,
            allowed=allowed,
            rising=rising,
        )
        for rule in TRACK_RULES:
            outcome = rule(ctx)
            if outcome is None:
                continue
            if outcome.track is None:
                notes.setdefault(track.slug, outcome.reason)
                continue
            if not is_one_step(catalogue, track, outcome.track):
                raise RuntimeError(f"{rule.__name__} moved {track} more than one step")
            tracks[i] = outcome.track
            notes.pop(track.slug, None)
            changes.append(
                Change(
                    day=today,
                    rule=rule.__name__,
                    reason=outcome.reason,
                    before=_prescription(catalogue, track),
                    after=_prescription(catalogue, outcome.track),
                )
            )
            if outcome.track.slug != track.slug:
                # What leaves rests a while, so that filling a gap does not bring it straight back.
                rested[track.slug] = Rest(
                    until=today + timedelta(days=REST_DAYS),
                    stepped_back=rule is not progress_after_two_easy_sessions,
                )
            primer = outcome.track.primer
            if primer and primer != track.primer and primer not in {t.slug for t in tracks}:
                added = Track(slug=primer, sets=catalogue.by_slug[primer].dose.sets, since=today)
                tracks.append(added)
                changes.append(
                    Change(
                        day=today,
                        rule=rule.__name__,
                        reason=f"Added to come right before {_name(catalogue, track.slug)}.",
                        after=_prescription(catalogue, added),
                    )
                )
            break
    return [_drop_stale_primer(t, tracks) for t in tracks], rested, notes, changes


def _drop_stale_primer(track: Track, tracks: Sequence[Track]) -> Track:
    # A primer that has left the plan (moved on along its own chain, say) no longer goes first.
    if track.primer and track.primer not in {t.slug for t in tracks}:
        return track.model_copy(update={"primer": None})
    return track


def build_plan(
    catalogue: Catalogue,
    history: History,
    today: date,
    state: PlanState | None = None,
    sessions_per_week: int = SESSIONS_PER_WEEK,
) -> Plan:
    """This week's plan, and the state to store, from the history and the last stored state."""
    if state is None:
        state = start_plan(catalogue, today)
    elif today < state.built_on:
        raise ValueError(f"the plan was last built on {state.built_on}, after {today}")
    # One check-in a day (the last given wins), and nothing from after today.
    checkins = sorted(
        {c.day: c for c in history.checkins if c.day <= today}.values(), key=lambda c: c.day
    )
    sessions = [s for s in history.sessions if s.day <= today]

    changes: list[Change] = []
    state, made = drop_missing_exercises(catalogue, state, today)
    changes += made
    state, made = step_back_to_control_after_flare(state, checkins, today)
    changes += made
    state, made = advance_season(state, today)
    changes += made

    cap = level_cap(state.cycle)
    tracks, rested, notes, made = apply_track_rules(catalogue, state, sessions, checkins, today)
    changes += made
    for slug, rule_name, reason in fill_gaps(
        catalogue, [t.slug for t in tracks], state.season, cap, rested, today
    ):
        added = Track(slug=slug, sets=catalogue.by_slug[slug].dose.sets, since=today)
        tracks.append(added)
        changes.append(
            Change(day=today, rule=rule_name, reason=reason, after=_prescription(catalogue, added))
        )

    state = state.model_copy(
        update={
            "built_on": today,
            "tracks": tracks,
            "rested": {s: r for s, r in rested.items() if r.until > today},
            "changes": [*state.changes, *changes],
        }
    )
    week = (today - state.started_on).days // 7 + 1
    return Plan(
        day=today,
        week=week,
        season=state.season,
        season_week=(today - state.season_started_on).days // 7 + 1,
        season_ends_on=state.season_started_on + timedelta(weeks=SEASON_WEEKS[state.season]),
        cycle=state.cycle,
        baseline_pain=baseline_pain(checkins, today + timedelta(days=1)),
        sessions=[
            PlanSession(
                number=n,
                exercises=[_plan_exercise(catalogue, t, state.changes, notes) for t in session],
            )
            for n, session in enumerate(
                compose_week(catalogue, tracks, week, sessions_per_week), start=1
            )
        ],
        changes=changes,
        state=state,
    )


def _plan_exercise(
    catalogue: Catalogue, track: Track, history: Sequence[Change], notes: Mapping[str, str]
) -> PlanExercise:
    exercise = catalogue.by_slug[track.slug]
    dose = track_dose(catalogue, track)
    changed = next(
        (c for c in reversed(history) if c.after and c.after.slug == track.slug),
        None,
    )
    if changed and changed.after and changed.after.dose != dose:
        changed = None  # a stale reason would explain a dose the user no longer has
    return PlanExercise(
        slug=track.slug,
        name=exercise.name,
        dose=dose,
        why=exercise.purpose,
        protects=exercise.protects,
        prepares_for=exercise.prepares_for,
        changed=changed,
        note=notes.get(track.slug),
    )
