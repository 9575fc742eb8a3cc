"""What a person's record says: the usual morning pain, flare-ups, easy sessions, early fatigue."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.catalogue import Catalogue, Dose, Kind
from app.plan.constants import (
    ACCEPTABLE_PAIN,
    BASELINE_FIRST_CHECKINS,
    BASELINE_MIN_CHECKINS,
    BASELINE_WINDOW_DAYS,
    EARLY_FATIGUE_FRACTION,
    EASY_EFFORT,
    FLARE_MORNINGS,
    FLARE_RISE,
    SAFE_PAIN,
    WEEK_ON_WEEK_DAYS,
)
from app.plan.doses import units_of
from app.plan.records import ExerciseResult, MorningCheckIn, SessionRecord, Track

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
    units = units_of(dose)
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


def performances(
    sessions: Sequence[SessionRecord], checkins: Sequence[MorningCheckIn], track: Track
) -> tuple[Performance, ...]:
    """The track's results since it last changed, oldest first, each with its next morning.

    The day of the change counts, after the sessions already logged that day when the change
    was made (`Track.sessions_before`): a session on the day a plan starts or an exercise
    changes is read, and a session that led to a change is never read again. Sessions of one
    day are taken in the order the history lists them (the order they were done)."""
    mornings = {c.day: c for c in checkins}
    found = []
    on_change_day = 0
    for session in sorted(sessions, key=lambda s: s.day):
        if session.day < track.since:
            continue
        if session.day == track.since:
            on_change_day += 1
            if on_change_day <= track.sessions_before:
                continue
        morning = mornings.get(session.day + timedelta(days=1))
        usual = baseline_pain(checkins, morning.day) if morning else None
        found += [
            Performance(session.day, r, morning, usual, tuple(session.exercises))
            for r in session.exercises
            if r.slug == track.slug
        ]
    return tuple(found)
