"""The per-track rules: each reads one exercise's evidence and may change it one step."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from app.catalogue import (
    ALL_EQUIPMENT,
    Catalogue,
    Dose,
    Equipment,
    Exercise,
    Kind,
    Quality,
    can_do,
)
from app.plan.constants import (
    ACCEPTABLE_PAIN,
    EASY_SESSIONS_TO_PROGRESS,
    FEWER_REPS_AT_A_NEW_STEP,
    HARD_EFFORT,
    HARD_SESSIONS_TO_CUT,
    HIP_LED_QUALITIES,
    HIP_WORK,
    MAX_EXTRA_REPS,
    MAX_EXTRA_SETS,
    MIN_PER_QUALITY,
    OFF_PLAN_PATTERNS,
    PRIMER_QUALITIES,
    QUALITY_WORDS,
    SAFE_PAIN,
    SEASON_WORDS,
    TARGET_REGIONS,
    TIRES_EARLY_TO_ROTATE,
)
from app.plan.coverage import missing_words, quality_counts
from app.plan.doses import dose_minutes, grows_by_sets, name_of, track_dose, units_of
from app.plan.evidence import (
    Performance,
    Verdict,
    is_easy,
    pain_verdict,
    tired_early,
    tolerates_dynamic_work,
)
from app.plan.records import MorningCheckIn, Season, Track
from app.plan.walking import walks

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
    rising: bool  # mornings rose week on week: nothing goes up
    # Set on the exercise that went up most recently while mornings rise: what rose, in words.
    rise_to_step_back: str | None = None
    have: frozenset[Equipment] = ALL_EQUIPMENT  # what the person has to exercise with

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
        return name_of(self.catalogue, self.track.slug)

    def fits(self, slug: str) -> bool:
        """The person has everything `slug` needs, and the plan schedules its pattern (a step
        along a chain never lands on a transfer, which is off the plan)."""
        exercise = self.catalogue.by_slug[slug]
        return can_do(exercise, self.have) and exercise.pattern not in OFF_PLAN_PATTERNS

    def free(self, slug: str | None) -> bool:
        """`slug` can come in by a step along the chain: the plan does not hold it already."""
        return slug is not None and slug not in self.occupied

    def can_swap_to(self, slug: str) -> bool:
        """`slug` can take this track's place sideways without a quality losing its pair."""
        if not self.free(slug) or slug not in self.allowed or slug == self.track.slug:
            return False
        if self.rested.get(slug, date.min) > self.today:
            return False
        after = quality_counts(self.catalogue, (*(self.occupied - {self.track.slug}), slug))
        before = quality_counts(self.catalogue, self.occupied)
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


def _cut_volume(ctx: TrackContext, why: str, below_dose: bool = False) -> Outcome | None:
    """One set fewer; at one set, one rep fewer (below the catalogue's dose if `below_dose`)."""
    t = ctx.track
    if t.sets > 1:
        return _dose_change(ctx, t.sets - 1, t.extra_reps, f"{why} so one set fewer next time.")
    # Down to one set, reps can go below the catalogue's dose as far as a new step starts.
    floor = -FEWER_REPS_AT_A_NEW_STEP if below_dose else 0
    if t.extra_reps > floor and min(units_of(ctx.dose)) > 1:
        return _dose_change(ctx, t.sets, t.extra_reps - 1, f"{why} so one rep fewer in the set.")
    return None


def _sideways_start(ctx: TrackContext, new: Exercise) -> Track:
    """A sideways swap for pain starts small, as a new step does: no more sets than were being
    done, and fewer reps."""
    sets, extra = start_of_next_step(ctx.exercise, new, ctx.track.sets)
    return Track(slug=new.slug, sets=sets, extra_reps=extra, since=ctx.today)


def _easier_same_quality(ctx: TrackContext) -> str | None:
    """An exercise no harder (a level lower or the same) for the same main quality, that takes
    no longer than the dose it replaces: a step back never adds time."""
    x = ctx.exercise
    now = dose_minutes(x, ctx.dose)
    options = [
        e
        for e in ctx.catalogue.exercises
        if e.level in (x.level - 1, x.level) and x.qualities[0] in e.qualities
        if ctx.can_swap_to(e.slug)
        if dose_minutes(e, track_dose(ctx.catalogue, _sideways_start(ctx, e))) <= now
    ]
    options.sort(key=lambda e: (e.level == x.level, e.pattern != x.pattern, e.slug))
    return options[0].slug if options else None


def _step_back(ctx: TrackContext, why: str) -> Outcome:
    """Regress one step, or failing that cut volume, or swap sideways to something easier."""
    x = ctx.exercise
    # A chain step back is always allowed, even into an exercise that is resting.
    if x.regression and ctx.free(x.regression) and ctx.fits(x.regression):
        return _swap(
            ctx,
            x.regression,
            f"{why} so it steps back to {name_of(ctx.catalogue, x.regression)} for now.",
        )
    if cut := _cut_volume(ctx, why):
        return cut
    if walks(x):
        # Walking is not swapped for something else: keeping active is the advice on a sore
        # day too, so the walk stays, as short and easy as it already is.
        return Outcome(f"{why} so keep the walk short and at an easy pace for now.")
    if easier := _easier_same_quality(ctx):
        name = name_of(ctx.catalogue, easier)
        quality = QUALITY_WORDS[x.qualities[0]]
        reason = f"{why} so {name} takes its place; it also trains {quality}."
        return Outcome(reason, _sideways_start(ctx, ctx.catalogue.by_slug[easier]))
    return Outcome(
        f"{why} and {ctx.name} is already at its gentlest here. If it keeps hurting above "
        f"{ACCEPTABLE_PAIN}/10, leave it out and check with a clinician."
    )


def pain_monitoring(ctx: TrackContext) -> Outcome | None:
    """Pain-monitoring model: too much pain or a sore morning steps back; 4 or 5 holds."""
    verdicts = [
        (pain_verdict(p.result, p.morning, p.baseline, p.usual_so_far), p) for p in ctx.performances
    ]
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
        return _cut_volume(ctx, why, below_dose=True) or _step_back(ctx, why)
    if verdicts and verdicts[-1][0] is Verdict.HOLD:
        r = verdicts[-1][1].result
        if r.pain > SAFE_PAIN:
            return Outcome(
                f"Holding this dose: pain reached {r.pain}/10 last time, acceptable but not yet "
                "easy; it should settle by the next morning."
            )
        return Outcome(f"Holding this dose: it felt {r.effort}/10 hard last time.")
    return None


def step_back_when_mornings_rise(ctx: TrackContext) -> Outcome | None:
    """Mornings worse week on week: the exercise that went up last steps back, the rest hold."""
    if ctx.rise_to_step_back is None:
        return None
    return _step_back(
        ctx,
        f"Your mornings have got worse week on week ({ctx.rise_to_step_back}), and {ctx.name} "
        "was the last exercise to go up,",
    )


def cut_a_set_after_hard_sessions(ctx: TrackContext) -> Outcome | None:
    """Effort of 7 or more two sessions running: one set fewer (or a step back at one set)."""
    last = ctx.performances[-HARD_SESSIONS_TO_CUT:]
    if len(last) < HARD_SESSIONS_TO_CUT or not all(p.result.effort >= HARD_EFFORT for p in last):
        return None
    efforts = " and ".join(f"{p.result.effort}/10" for p in last)
    why = f"{ctx.name} felt very hard two sessions running ({efforts}),"
    return _cut_volume(ctx, why, below_dose=True) or _step_back(ctx, why)


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
    back = [p for p in ctx.performances if p.result.fatigue_region == "lower-back"]
    # Late in the last set the back extensors work by design in a hinge: it takes an early
    # report, or two, to say the hips are doing too little.
    if x.pattern not in HIP_WORK or not (
        len(back) >= 2 or any(tired_early(p.result, ctx.dose) for p in back)
    ):
        return None
    why = (
        f"Your lower back tired before your hips in {ctx.name}, a sign the hips are doing "
        "too little,"
    )
    reg = ctx.catalogue.by_slug[x.regression] if x.regression else None
    if (
        reg
        and set(reg.qualities) & set(HIP_LED_QUALITIES)
        and ctx.free(reg.slug)
        and ctx.fits(reg.slug)
    ):
        return _swap(ctx, reg.slug, f"{why} so {reg.name}, where the hips lead, comes first.")
    primer = hip_primer(ctx.catalogue, x, ctx.occupied)
    resting = primer is not None and ctx.rested.get(primer, date.min) > ctx.today
    if primer and primer != ctx.track.primer and primer in ctx.allowed and not resting:
        track = ctx.track.model_copy(update={"primer": primer, "since": ctx.today})
        name = name_of(ctx.catalogue, primer)
        return Outcome(f"{why} so {name} now comes right before it to wake the hips up.", track)
    return _cut_volume(ctx, why)


def dynamic_variant(
    catalogue: Catalogue, exercise: Exercise, fits: Callable[[str], bool]
) -> str | None:
    """A moving (`reps`) exercise that trains what the hold `exercise` does, never harder."""
    options = [
        e
        for e in catalogue.exercises
        if e.kind is Kind.REPS and exercise.qualities[0] in e.qualities
        if e.level <= exercise.level and e.slug != exercise.progression and fits(e.slug)
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
    if not tired_early_elsewhere(ctx, last) or not tolerates_dynamic_work(
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
        f"so {name_of(ctx.catalogue, alt)}, which keeps moving, trains the same thing.",
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


def tired_early_elsewhere(ctx: TrackContext, performance: Performance) -> bool:
    """Fatigue came early, and not in the muscles the exercise trains (`TARGET_REGIONS`)."""
    region = performance.result.fatigue_region
    return tired_early(performance.result, ctx.dose) and region not in TARGET_REGIONS.get(
        ctx.exercise.pattern, ()
    )


def rotate_out_tiring_exercise(ctx: TrackContext) -> Outcome | None:
    """An exercise that tires early twice running is rotated out for another of the same quality.

    When it was the muscles it trains that tired, the exercise was working, only too hard:
    one set fewer instead."""
    last = ctx.performances[-TIRES_EARLY_TO_ROTATE:]
    if len(last) < TIRES_EARLY_TO_ROTATE or not all(tired_early(p.result, ctx.dose) for p in last):
        return None
    if not any(tired_early_elsewhere(ctx, p) for p in last):
        return _cut_volume(
            ctx, f"The muscles {ctx.name} trains tired early two sessions running,", True
        )
    x = ctx.exercise
    alt = rotation_candidate(ctx.catalogue, x, ctx.can_swap_to)
    if alt is None:
        return _cut_volume(ctx, f"{ctx.name} tired you early two sessions running,")
    return _swap(
        ctx,
        alt,
        f"{ctx.name} tired you early two sessions running, so "
        f"{name_of(ctx.catalogue, alt)} takes its turn; it also trains "
        f"{QUALITY_WORDS[x.qualities[0]]}. {ctx.name} can come back later.",
    )


def progress_after_two_easy_sessions(ctx: TrackContext) -> Outcome | None:
    """Two easy sessions in a row progress one step: volume first, then the chain's next one."""
    last = ctx.performances[-EASY_SESSIONS_TO_PROGRESS:]
    if len(last) < EASY_SESSIONS_TO_PROGRESS or not all(is_easy(p, ctx.dose) for p in last):
        return None
    if walks(ctx.exercise):
        return None  # walking grows as a daily walk (app.plan.walking), never into a carry
    easy = "Two easy sessions in a row (little pain, moderate effort, mornings no worse than usual)"
    if ctx.season is not Season.BUILD:
        weeks = SEASON_WORDS[ctx.season]
        return Outcome(f"{easy}: in the weeks of {weeks} the dose holds.")
    if ctx.rising:
        return Outcome(f"{easy}, but your mornings have got worse week on week: progress waits.")
    x, t = ctx.exercise, ctx.track
    if t.sets < x.dose.sets:
        return _dose_change(ctx, t.sets + 1, t.extra_reps, f"{easy}: the set taken off comes back.")
    if grows_by_sets(x):
        if t.sets < x.dose.sets + MAX_EXTRA_SETS:
            return _dose_change(ctx, t.sets + 1, t.extra_reps, f"{easy}: one more set.")
    elif t.extra_reps < MAX_EXTRA_REPS:
        unit = "hold" if x.kind is Kind.HOLD else "breath" if x.kind is Kind.BREATH else "rep"
        return _dose_change(ctx, t.sets, t.extra_reps + 1, f"{easy}: one more {unit} in each set.")
    nxt = ctx.catalogue.by_slug[x.progression] if x.progression else None
    if nxt is None:
        return Outcome(f"{easy}: this is the top of {ctx.name}'s ladder; keep it up.")
    nxt_name = name_of(ctx.catalogue, nxt.slug)
    if nxt.slug in ctx.occupied:
        return Outcome(f"{easy}: its next step, {nxt_name}, is already in your plan.")
    if not ctx.fits(nxt.slug):
        needs = missing_words(nxt, ctx.have)
        return Outcome(
            f"{easy}: the next step, {nxt_name}, needs {needs}: tell the app if you have it."
        )
    if nxt.slug not in ctx.allowed:
        return Outcome(f"{easy}: its next step, {nxt_name}, opens in a later round of the plan.")
    sets, extra = start_of_next_step(x, nxt, t.sets)
    track = Track(slug=nxt.slug, sets=sets, extra_reps=extra, since=ctx.today)
    lower = " at a lower volume to begin with" if (sets, extra) != (nxt.dose.sets, 0) else ""
    return Outcome(
        f"{easy} at the top dose of {ctx.name}: the next step is {nxt_name}{lower}.", track
    )


def start_of_next_step(old: Exercise, new: Exercise, sets: int) -> tuple[int, int]:
    """A harder exercise starts at no more sets than the person did, and with fewer reps."""
    sets = min(sets, new.dose.sets)
    if grows_by_sets(new) or min(units_of(new.dose)) <= FEWER_REPS_AT_A_NEW_STEP:
        return sets, 0  # one hold a set, or too few reps to take any off: fewer sets only
    return sets, -FEWER_REPS_AT_A_NEW_STEP


# Precedence: safety first, then what fatigue says, then progress. The first change wins.
TRACK_RULES: tuple[Callable[[TrackContext], Outcome | None], ...] = (
    pain_monitoring,
    step_back_when_mornings_rise,
    cut_a_set_after_hard_sessions,
    hip_led_regression,
    dynamic_variant_for_holds,
    rotate_out_tiring_exercise,
    progress_after_two_easy_sessions,
)
