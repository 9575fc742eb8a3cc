"""Walking: a daily-minutes goal that grows about a tenth a week toward 150 minutes a week.

The walking intervals inside a session stay at their catalogue dose; what grows is the walk
the person takes each day. It never turns into a carry: carrying comes in only as an exercise
of its own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from app.catalogue import Catalogue, Exercise, Pattern, Position
from app.plan.constants import (
    WALK_GROWTH,
    WALK_START_MINUTES,
    WALK_WEEKLY_TARGET,
    WEEK_ON_WEEK_DAYS,
)
from app.plan.doses import name_of, prescription
from app.plan.evidence import flare_days, rise_in_mornings
from app.plan.records import Change, MorningCheckIn, Track

WALK_DAILY_TARGET = round(WALK_WEEKLY_TARGET / 7, 1)


def walks(exercise: Exercise) -> bool:
    """`exercise` is walking: a gait exercise done on your feet (walking by minutes, brisk
    walking), not stationary cycling, which is gait done seated and grows like any hold."""
    return exercise.pattern is Pattern.GAIT and exercise.position is Position.STANDING


def is_walk(catalogue: Catalogue, track: Track) -> bool:
    """The track is walking (`walks`)."""
    return walks(catalogue.by_slug[track.slug])


def next_walk_minutes(minutes: float) -> float:
    """A tenth more, to the half minute (at least half a minute more), up to the target."""
    grown = max(minutes + 0.5, round(minutes * (1 + WALK_GROWTH) * 2) / 2)
    return min(WALK_DAILY_TARGET, grown)


def walk_a_little_more_each_week(
    catalogue: Catalogue,
    tracks: Sequence[Track],
    checkins: Sequence[MorningCheckIn],
    today: date,
    changed: set[str],
) -> tuple[list[Track], list[Change]]:
    """Each walking track: a daily goal from the start, a tenth more once a week while the
    mornings are calm (no flare-up in the last 7 days, nothing rising week on week); none for
    an exercise another rule changed in this build."""
    week_ago = today - timedelta(days=WEEK_ON_WEEK_DAYS)
    calm = not any(week_ago < d <= today for d in flare_days(checkins)) and (
        rise_in_mornings(checkins, today) is None
    )
    # One daily walk however many walking exercises the plan holds: the one that has it already,
    # else the first.
    walking = [t for t in tracks if is_walk(catalogue, t)]
    daily = next(
        (t for t in walking if t.minutes_a_day is not None), walking[0] if walking else None
    )
    out, changes = [], []
    for track in tracks:
        if track is not daily or track.slug in changed:
            out.append(track)
            continue
        name = name_of(catalogue, track.slug)
        if track.minutes_a_day is None:
            new = track.model_copy(update={"minutes_a_day": WALK_START_MINUTES, "since": today})
            reason = (
                f"{name} is also a daily walk: {WALK_START_MINUTES:g} minutes a day to begin "
                f"with, about a tenth more each week toward {WALK_WEEKLY_TARGET} minutes a week."
            )
        elif calm and track.since <= week_ago and track.minutes_a_day < WALK_DAILY_TARGET:
            minutes = next_walk_minutes(track.minutes_a_day)
            new = track.model_copy(update={"minutes_a_day": minutes, "since": today})
            reason = (
                f"A calm week: your daily walk grows by about a tenth, from "
                f"{track.minutes_a_day:g} to {minutes:g} minutes a day."
            )
        else:
            out.append(track)
            continue
        out.append(new)
        changes.append(
            Change(
                day=today,
                rule=walk_a_little_more_each_week.__name__,
                reason=reason,
                before=prescription(catalogue, track) if track.minutes_a_day is not None else None,
                after=prescription(catalogue, new),
            )
        )
    return out, changes
