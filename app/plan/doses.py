"""Doses, and continuity: a change moves one step at a time."""

from __future__ import annotations

from functools import lru_cache

from app.catalogue import Catalogue, Dose, Exercise
from app.plan.constants import FEWER_REPS_AT_A_NEW_STEP
from app.plan.records import Prescription, Track


def dose_of(exercise: Exercise, sets: int, extra_reps: int = 0) -> Dose:
    """The catalogue's dose with `sets` sets and `extra_reps` more in each."""
    base = exercise.dose
    if isinstance(base.reps, list):
        # A pyramid keeps its first sets when it loses some, and repeats its last when it grows.
        reps: int | list[int] = [
            max(1, base.reps[min(i, len(base.reps) - 1)] + extra_reps) for i in range(sets)
        ]
    else:
        reps = max(1, base.reps + extra_reps)
    return Dose(sets=sets, reps=reps, rest_seconds=base.rest_seconds)


def track_dose(catalogue: Catalogue, track: Track) -> Dose:
    """The dose a track prescribes."""
    return _catalogue_dose(catalogue, track.slug, track.sets, track.extra_reps)


@lru_cache(maxsize=4096)  # a build asks for the same few doses thousands of times; Dose is frozen
def _catalogue_dose(catalogue: Catalogue, slug: str, sets: int, extra_reps: int) -> Dose:
    return dose_of(catalogue.by_slug[slug], sets, extra_reps)


def prescription(catalogue: Catalogue, track: Track) -> Prescription:
    """What the track prescribes now: its exercise, dose, primer and daily walk."""
    return Prescription(
        slug=track.slug,
        dose=track_dose(catalogue, track),
        primer=track.primer,
        minutes_a_day=track.minutes_a_day,
    )


def dose_minutes(exercise: Exercise, dose: Dose) -> float:
    """The pacer time of an exercise at a dose: every rep's phases (both sides), and the rests."""
    per_rep = sum(p.seconds for p in exercise.phases) * (2 if exercise.per_side else 1)
    reps = sum(units_of(dose))
    return (per_rep * reps + dose.rest_seconds * (dose.sets - 1)) / 60


def name_of(catalogue: Catalogue, slug: str) -> str:
    # Names stay as the catalogue writes them: some start with a person's name (McGill, Pallof).
    return catalogue.by_slug[slug].name


def grows_by_sets(exercise: Exercise) -> bool:
    # One long hold per set (a walk, a carry): another set is the natural next step.
    return exercise.dose.reps == 1


def units_of(dose: Dose) -> list[int]:
    return [dose.reps_in_set(i) for i in range(dose.sets)]


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
    if new.slug == old.regression:
        return after.sets == new.dose.sets and after.extra_reps == 0
    if new.slug == old.progression:
        # A harder exercise starts at its own dose or lower (`start_of_next_step`).
        return after.sets <= new.dose.sets and -FEWER_REPS_AT_A_NEW_STEP <= after.extra_reps <= 0
    # Sideways: a level apart at most, at its own dose or, for pain, starting smaller.
    return (
        abs(old.level - new.level) <= 1
        and after.sets <= new.dose.sets
        and -FEWER_REPS_AT_A_NEW_STEP <= after.extra_reps <= 0
    )
