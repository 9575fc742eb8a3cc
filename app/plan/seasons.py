"""Seasons: Control, Build and Consolidate on a calendar, and back to Control after a flare-up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from app.plan.constants import (
    FIRST_LEVEL_CAP,
    MAX_LEVEL,
    NEXT_SEASON,
    SEASON_WEEKS,
    SEASON_WORDS,
)
from app.plan.evidence import baseline_pain, flare_days
from app.plan.records import Change, MorningCheckIn, PlanState, Season


def level_cap(cycle: int) -> int:
    """The highest exercise level a cycle may use."""
    return min(MAX_LEVEL, FIRST_LEVEL_CAP + cycle - 1)


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
    if state.last_flare_on is not None and new[0] <= state.last_flare_on + timedelta(days=1):
        # The same flare-up, a morning longer (daily rebuilds see it grow): Control counts
        # from its new last morning, without telling the person again.
        update = {"season": Season.CONTROL, "season_started_on": day, "last_flare_on": day}
        return state.model_copy(update=update), []
    worst = max((c for c in checkins if c.day in new), key=lambda c: c.pain)
    usual = f"{baseline_pain(checkins, worst.day) or 0:g}"
    settling = f"{SEASON_WEEKS[Season.CONTROL]} weeks of {SEASON_WORDS[Season.CONTROL]}"
    how = f"the plan steps back to {settling}"
    if state.season is Season.CONTROL:
        how = f"the {settling} start again"
    reason = (
        f"Your mornings flared up ({worst.pain}/10 on {worst.day:%d %B} against a usual "
        f"{usual}/10), so {how}: no increases, and what hurt eases off, until things settle."
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
    """In the words Today uses: "2 weeks of settling in", "building", "round 2" (a cycle)."""
    span = {s: f"{SEASON_WEEKS[s]} weeks of {SEASON_WORDS[s]}" for s in Season}
    if after is Season.BUILD:
        return (
            f"{span[Season.CONTROL]} are done: {span[Season.BUILD]} start, and each exercise "
            "can now go up one step after two easy sessions in a row."
        )
    if after is Season.CONSOLIDATE:
        return (
            f"{span[Season.BUILD]} are done: {span[Season.CONSOLIDATE]} keep the doses you "
            "reached and let your body catch up."
        )
    return (
        f"A full round is done: round {cycle} starts with {span[Season.CONTROL]} at the doses "
        f"you reached, and exercises up to level {level_cap(cycle)} can now come in."
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
