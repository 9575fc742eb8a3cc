"""What a person's record says: the usual morning pain, flare-ups, easy sessions, early fatigue."""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from app.catalogue import Catalogue, Dose, Kind
from app.plan.constants import (
    ABOVE_USUAL,
    ACCEPTABLE_PAIN,
    ALWAYS_TOO_MUCH,
    BASELINE_FALLBACK_CHECKINS,
    BASELINE_MIN_CHECKINS,
    BASELINE_WINDOW_DAYS,
    EARLY_FATIGUE_FRACTION,
    EASY_EFFORT,
    FLARE_MORNINGS,
    FLARE_RISE,
    FLARE_RUNNING_RISE,
    HISTORY_DAYS,
    SAFE_PAIN,
    SORE_MORNING_RISE,
    WEEK_ON_WEEK_DAYS,
    WEEK_ON_WEEK_JUMP,
    WEEK_ON_WEEK_RISE,
)
from app.plan.doses import units_of
from app.plan.records import ExerciseResult, History, MorningCheckIn, SessionRecord, Track


def history_starts(today: date) -> date:
    """The first day of the record that a build on `today` reads (`HISTORY_DAYS`)."""
    return today - timedelta(days=HISTORY_DAYS - 1)


def recent_history(history: History, today: date) -> History:
    """What a build on `today` reads: the last `HISTORY_DAYS` up to today, in date order
    (sessions of one day in the order they were done), one check-in a day (the last given
    wins)."""
    start = history_starts(today)
    checkins = {c.day: c for c in history.checkins if start <= c.day <= today}
    return History.model_construct(
        sessions=sorted(
            (s for s in history.sessions if start <= s.day <= today), key=lambda s: s.day
        ),
        checkins=sorted(checkins.values(), key=lambda c: c.day),
    )


# --- Evidence: baseline, easy sessions, early fatigue ------------------------------------------


@dataclass(frozen=True)
class Mornings:
    """Each check-in's usual level (from the mornings before it) and which were flare-ups.

    `days` and `calm_after` let the usual level before any day be read without a new pass:
    `calm_after[i]` holds the mornings, up to and including `days[i]`, that were not flare-ups
    as of that morning, as far back as a usual level reads (`_usual_level`)."""

    usual: Mapping[date, float | None]
    flares: tuple[date, ...]
    days: tuple[date, ...] = ()
    calm_after: tuple[tuple[MorningCheckIn, ...], ...] = ()

    def usual_before(self, day: date) -> float | None:
        """The usual level before `day`, from the mornings before it (`baseline_pain`)."""
        i = bisect.bisect_left(self.days, day)
        return _usual_level(self.calm_after[i - 1], day) if i else None


@lru_cache(maxsize=1024)  # bounded: a server builds for many accounts
def read_mornings(checkins: tuple[MorningCheckIn, ...]) -> Mornings:
    """One pass in date order: the usual level before each morning, then whether it flared.

    The usual level is the median of the last 14 days' mornings that were not flare-ups (the
    last five such mornings when the window holds fewer than three): it follows the person
    down after a good fortnight and back up after a bad one, and a flare-up never becomes the
    new normal. A flare-up is a morning `FLARE_RISE` or more above it, or `FLARE_RUNNING_RISE`
    or more on `FLARE_MORNINGS` mornings running (every one of them counts as the flare-up)."""
    ordered = sorted({c.day: c for c in checkins}.values(), key=lambda c: c.day)
    usual: dict[date, float | None] = {}
    rise: dict[date, float] = {}
    flares: list[date] = []
    calm: list[MorningCheckIn] = []  # mornings so far that were not flare-ups
    calm_after: list[tuple[MorningCheckIn, ...]] = []
    for c in ordered:
        level = _usual_level(calm, c.day)
        usual[c.day] = level
        if level is None:
            calm.append(c)
        else:
            rise[c.day] = c.pain - level
            days = [c.day - timedelta(days=i) for i in range(FLARE_MORNINGS)]
            running = all(rise.get(d, -1) >= FLARE_RUNNING_RISE for d in days)
            if rise[c.day] >= FLARE_RISE or running:
                for d in days if running else [c.day]:
                    if d not in flares:
                        flares.append(d)
                calm = [m for m in calm if m.day not in flares]
            else:
                calm.append(c)
        # Only what a usual level can still read: the window's mornings and the last few.
        start = c.day - timedelta(days=BASELINE_WINDOW_DAYS)
        keep = min(
            len(calm) - BASELINE_FALLBACK_CHECKINS,
            next((i for i, m in enumerate(calm) if m.day >= start), len(calm)),
        )
        calm = calm[max(keep, 0) :]
        calm_after.append(tuple(calm))
    return Mornings(
        usual=usual,
        flares=tuple(sorted(flares)),
        days=tuple(c.day for c in ordered),
        calm_after=tuple(calm_after),
    )


def _usual_level(calm: Sequence[MorningCheckIn], day: date) -> float | None:
    start = day - timedelta(days=BASELINE_WINDOW_DAYS)
    recent = [c.pain for c in calm if start <= c.day < day]
    if len(recent) < BASELINE_MIN_CHECKINS:
        recent = [c.pain for c in calm if c.day < day][-BASELINE_FALLBACK_CHECKINS:]
    if len(recent) < BASELINE_MIN_CHECKINS:
        return None
    return float(statistics.median(recent))


def baseline_pain(checkins: Sequence[MorningCheckIn], day: date) -> float | None:
    """The person's usual morning pain before `day` (see `read_mornings`), or None."""
    return read_mornings(tuple(checkins)).usual_before(day)


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


def too_much_pain(pain: int, usual: float | None) -> bool:
    """Pain during an exercise that is too much: above 5 and clearly above usual, or 8+."""
    above_usual = usual is None or pain > usual + ABOVE_USUAL
    return pain >= ALWAYS_TOO_MUCH or (pain > ACCEPTABLE_PAIN and above_usual)


def sore_morning(morning: MorningCheckIn, usual: float | None) -> bool:
    """A morning after that did not settle: 2+ above usual, above it and worse, or spreading."""
    if morning.symptoms_spread:
        return True
    if usual is None:
        return False
    rise = morning.pain - usual
    return rise >= SORE_MORNING_RISE or (rise > 0 and morning.compared_with_yesterday == "worse")


def pain_verdict(
    result: ExerciseResult,
    morning: MorningCheckIn | None,
    baseline: float | None,
    usual_so_far: float | None = None,
) -> Verdict:
    """Thomeé's pain-monitoring model with the next-morning check-in, for one performance."""
    usual = baseline if baseline is not None else usual_so_far
    if too_much_pain(result.pain, usual) or result.symptoms_spread:
        return Verdict.REGRESS
    if morning is not None and sore_morning(morning, baseline):
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
    baseline: float | None  # the usual level, as of the next morning: both are judged on it
    session: tuple[ExerciseResult, ...]  # the whole session, for what else went well
    # Before a usual level is known (three check-ins), the median of the mornings so far:
    # enough to judge pain during an exercise against, not a morning against.
    usual_so_far: float | None = None


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


def rise_in_mornings(checkins: Sequence[MorningCheckIn], today: date) -> str | None:
    """What rose week on week, in words ("pain 2 → 3 → 4/10"), or None.

    The medians of the last three 7-day windows before `today`, for morning pain and for
    stiffness: up by `WEEK_ON_WEEK_RISE` two weeks running, or by `WEEK_ON_WEEK_JUMP` in the
    last week. A window with fewer than three check-ins is not judged."""
    week = timedelta(days=WEEK_ON_WEEK_DAYS)
    windows = [(today - week * (i + 1), today - week * i) for i in (2, 1, 0)]
    for what in ("pain", "stiffness"):
        values = [[getattr(c, what) for c in checkins if a <= c.day < b] for a, b in windows]
        if len(values[2]) < BASELINE_MIN_CHECKINS or len(values[1]) < BASELINE_MIN_CHECKINS:
            continue
        old, last, this = (
            statistics.median(v) if len(v) >= BASELINE_MIN_CHECKINS else None for v in values
        )
        assert last is not None and this is not None
        if this - last >= WEEK_ON_WEEK_JUMP:
            return f"{what} {last:g} → {this:g}/10"
        if old is not None and this - last >= WEEK_ON_WEEK_RISE <= last - old:
            return f"{what} {old:g} → {last:g} → {this:g}/10"
    return None


def mornings_rising(checkins: Sequence[MorningCheckIn], today: date) -> bool:
    """Morning pain or stiffness rose week on week (`rise_in_mornings`)."""
    return rise_in_mornings(checkins, today) is not None


def flare_days(checkins: Sequence[MorningCheckIn]) -> list[date]:
    """Mornings that show a flare-up: 3+ above usual, or 2+ above it two mornings running."""
    return list(read_mornings(tuple(checkins)).flares)


def performances(
    sessions: Sequence[SessionRecord], checkins: Sequence[MorningCheckIn], track: Track
) -> tuple[Performance, ...]:
    """The track's results since it last changed, oldest first, each with its next morning
    (`Record.performances`)."""
    return Record(sessions, checkins).performances(track)


class Record:
    """A build's window of the record, indexed once for every track's evidence."""

    def __init__(self, sessions: Sequence[SessionRecord], checkins: Sequence[MorningCheckIn]):
        self.sessions = sorted(sessions, key=lambda s: s.day)  # stable: a day's keep their order
        # Each exercise's sessions, in that order, with the session's place among its day's
        # (1 for the day's first): a track reads its own, not every session of the window.
        self._by_slug: dict[str, list[tuple[int, SessionRecord]]] = {}
        place, last_day = 0, None
        for session in self.sessions:
            place = place + 1 if session.day == last_day else 1
            last_day = session.day
            for slug in dict.fromkeys(r.slug for r in session.exercises):
                self._by_slug.setdefault(slug, []).append((place, session))
        self.mornings = {c.day: c for c in checkins}
        self.read = read_mornings(tuple(checkins))
        self.pains = sorted(self.mornings.values(), key=lambda c: c.day)
        self._usual: dict[date, tuple[float | None, float | None]] = {}

    def usual_after(self, day: date) -> tuple[float | None, float | None]:
        """The usual level as of the morning after `day`, and the provisional one: before a
        usual level is known, the median of the mornings so far."""
        if day not in self._usual:
            usual = self.read.usual_before(day + timedelta(days=1))
            provisional = usual
            if usual is None:
                so_far = [c.pain for c in self.pains if c.day <= day]
                provisional = statistics.median(so_far) if so_far else None
            self._usual[day] = (usual, provisional)
        return self._usual[day]

    def performances(self, track: Track) -> tuple[Performance, ...]:
        """The track's results since it last changed, oldest first, each with its next morning.

        The day of the change counts, after the sessions already logged that day when the
        change was made (`Track.sessions_before`): a session on the day a plan starts or an
        exercise changes is read, and a session that led to a change is never read again.
        Sessions of one day are taken in the order the history lists them (the order they were
        done)."""
        found = []
        for place, session in self._by_slug.get(track.slug, ()):
            if session.day < track.since:
                continue
            if session.day == track.since and place <= track.sessions_before:
                continue
            mine = [r for r in session.exercises if r.slug == track.slug]
            morning = self.mornings.get(session.day + timedelta(days=1))
            # The usual level as of the next morning: pain during the exercise is judged
            # against it too, so it is known with or without a check-in.
            usual, provisional = self.usual_after(session.day)
            whole = tuple(session.exercises)
            found += [Performance(session.day, r, morning, usual, whole, provisional) for r in mine]
        return tuple(found)
