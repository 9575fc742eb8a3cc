"""Building the plan: the first plan, and each rebuild from the history and the stored state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from app.catalogue import ALL_EQUIPMENT, Catalogue, Equipment, can_do
from app.plan.constants import (
    ADDED_PER_WEEK,
    CORE_QUALITIES,
    MAX_UP_PER_WEEK,
    MAX_WEEKLY_GROWTH,
    OFF_PLAN_PATTERNS,
    REST_DAYS,
    SEASON_WEEKS,
    SESSION_BLOCKS,
    SESSIONS_PER_WEEK,
    START_LEVEL,
    START_MAX_EXERCISES,
    WEEK_ON_WEEK_DAYS,
)
from app.plan.coverage import admissible, fill_gaps, missing_words, pattern_gaps, quality_gaps
from app.plan.doses import dose_minutes, is_one_step, name_of, prescription, track_dose
from app.plan.escalation import escalation
from app.plan.evidence import Record, baseline_pain, recent_history, rise_in_mornings
from app.plan.records import (
    Change,
    History,
    MorningCheckIn,
    Plan,
    PlanExercise,
    PlanSession,
    PlanState,
    Rest,
    Season,
    SessionRecord,
    Track,
)
from app.plan.rules import (
    TRACK_RULES,
    Outcome,
    TrackContext,
    progress_after_two_easy_sessions,
    step_back_when_mornings_rise,
)
from app.plan.seasons import advance_season, level_cap, step_back_to_control_after_flare
from app.plan.walking import walk_a_little_more_each_week
from app.plan.week import compose_week


def start_plan(
    catalogue: Catalogue, today: date, have: frozenset[Equipment] = ALL_EQUIPMENT
) -> PlanState:
    """A new plan in Control: a gentle start of 6 to 8 easy exercises (levels 1 and 2), one
    for each block of a session first; the rest of the coverage comes a couple a week. Only
    exercises doable with what the person `have`s."""
    cap = level_cap(1)
    picked = [
        s
        for s, _, _ in fill_gaps(
            catalogue, [], Season.CONTROL, cap, {}, today, START_LEVEL, have=have
        )
    ]
    allowed = admissible(catalogue, cap, have)
    # A greedy pick can turn redundant once later picks cover its ground: drop those.
    for slug in reversed(list(picked)):
        rest = [s for s in picked if s != slug]
        if not pattern_gaps(catalogue, rest, Season.CONTROL, allowed) and not quality_gaps(
            catalogue, rest, allowed
        ):
            picked = rest
    # One exercise for each block of a session first (the easiest), then the rest in the
    # order they were picked, up to the gentle start's size.
    first: list[str] = []
    for _, patterns in SESSION_BLOCKS:
        block = [s for s in picked if catalogue.by_slug[s].pattern in patterns]
        if block:
            first.append(min(block, key=lambda s: (catalogue.by_slug[s].level, picked.index(s))))
    # Then those that bring in a core quality no exercise serves yet, then the rest.
    rest = [s for s in picked if s not in first]
    while rest:
        served = {q for s in first for q in catalogue.by_slug[s].qualities}
        new = [
            s for s in rest if set(catalogue.by_slug[s].qualities) & set(CORE_QUALITIES) - served
        ]
        first.append((new or rest)[0])
        rest.remove(first[-1])
    picked = first[:START_MAX_EXERCISES]
    order = [e.slug for e in catalogue.exercises]
    tracks = [
        Track(slug=s, sets=catalogue.by_slug[s].dose.sets, since=today)
        for s in sorted(picked, key=order.index)
    ]
    return PlanState(started_on=today, built_on=today, season_started_on=today, tracks=tracks)


# --- Building the plan -------------------------------------------------------------------------


def drop_missing_exercises(
    catalogue: Catalogue, state: PlanState, today: date
) -> tuple[PlanState, list[Change]]:
    """Exercises the catalogue no longer has leave the plan (a stored plan can outlive a slug),
    and so do those the plan no longer schedules (a pattern now off the plan, such as a
    transfer: a stored plan can outlive a re-tagging too)."""

    def why_not(slug: str) -> str | None:
        exercise = catalogue.by_slug.get(slug)
        if exercise is None:
            return f"“{slug}” is no longer in the exercise library, so it leaves your plan."
        if exercise.pattern in OFF_PLAN_PATTERNS:
            return (
                f"{exercise.name} is a strategy for bad days that you can choose from the "
                "exercise library when you want it; the plan no longer schedules it."
            )
        return None

    gone = [(t, why) for t in state.tracks if (why := why_not(t.slug))]
    if not gone:
        return state, []
    changes = [
        Change(day=today, rule=drop_missing_exercises.__name__, reason=why) for _, why in gone
    ]
    kept = [t for t in state.tracks if not why_not(t.slug)]
    return state.model_copy(update={"tracks": kept}), changes


def set_aside_what_needs_missing_equipment(
    catalogue: Catalogue, state: PlanState, today: date, have: frozenset[Equipment]
) -> tuple[PlanState, list[Change]]:
    """Exercises that need something the person does not have (they said so since it came in)
    step down their chain to the first one they can do, or leave the plan."""
    tracks = list(state.tracks)
    changes: list[Change] = []
    for track in state.tracks:
        exercise = catalogue.by_slug[track.slug]
        if can_do(exercise, have):
            continue
        held = {t.slug for t in tracks}
        chain = [e.slug for e in catalogue.chain(track.slug)]
        below = chain[: chain.index(track.slug)][::-1]
        instead = next(
            (s for s in below if s not in held and can_do(catalogue.by_slug[s], have)), None
        )
        why = f"{exercise.name} needs {missing_words(exercise, have)}, which you do not have,"
        before = prescription(catalogue, track)
        if instead is None:
            tracks.remove(track)
            after, why = None, f"{why} so it leaves your plan. Tell the app if you get one."
        else:
            new = Track(slug=instead, sets=catalogue.by_slug[instead].dose.sets, since=today)
            tracks[tracks.index(track)] = new
            after = prescription(catalogue, new)
            why = f"{why} so {name_of(catalogue, instead)} takes its place."
        changes.append(
            Change(
                day=today,
                rule=set_aside_what_needs_missing_equipment.__name__,
                reason=why,
                before=before,
                after=after,
            )
        )
    if not changes:
        return state, []
    return state.model_copy(update={"tracks": tracks}), changes


def apply_track_rules(
    catalogue: Catalogue,
    state: PlanState,
    sessions: Sequence[SessionRecord],
    checkins: Sequence[MorningCheckIn],
    today: date,
    have: frozenset[Equipment] = ALL_EQUIPMENT,
) -> tuple[list[Track], dict[str, Rest], dict[str, str], list[Change]]:
    """Run `TRACK_RULES` on every track, fill gaps, then take the progressions in turn: the
    new tracks, rests, notes on holding, and changes.

    Coverage comes before going up: the exercises a plan still lacks are added first (a
    couple a week), and progressions share what is left of the week's growth in minutes."""
    allowed = admissible(catalogue, level_cap(state.cycle), have)
    rise = rise_in_mornings(checkins, today)
    # One step back per rise: a week later, if the mornings still rise, the next one goes.
    due = state.last_rise_on is None or today >= state.last_rise_on + timedelta(
        days=WEEK_ON_WEEK_DAYS
    )
    step_back = last_progressed(catalogue, state) if rise and due else None
    tracks = list(state.tracks)
    rested = dict(state.rested)
    doses = {t.slug: track_dose(catalogue, t) for t in tracks}
    notes: dict[str, str] = {}
    changes: list[Change] = []
    ups: list[tuple[Track, Outcome]] = []
    week = plan_week(state, today)

    def apply(track: Track, outcome: Outcome, rule: str) -> None:
        assert outcome.track is not None
        if not is_one_step(catalogue, track, outcome.track):
            raise RuntimeError(f"{rule} moved {track} more than one step")
        tracks[tracks.index(track)] = outcome.track
        notes.pop(track.slug, None)
        before, after = prescription(catalogue, track), prescription(catalogue, outcome.track)
        changes.append(
            Change(day=today, rule=rule, reason=outcome.reason, before=before, after=after)
        )
        if outcome.track.slug != track.slug:
            # What leaves rests a while, so that filling a gap does not bring it straight back.
            rested[track.slug] = Rest(
                until=today + timedelta(days=REST_DAYS),
                stepped_back=rule != progress_after_two_easy_sessions.__name__,
            )
        primer = outcome.track.primer
        if primer and primer != track.primer and primer not in {t.slug for t in tracks}:
            added = Track(slug=primer, sets=catalogue.by_slug[primer].dose.sets, since=today)
            tracks.append(added)
            changes.append(
                Change(
                    day=today,
                    rule=rule,
                    reason=f"Added to come right before {name_of(catalogue, track.slug)}.",
                    after=prescription(catalogue, added),
                )
            )

    record = Record(sessions, checkins)
    for i in range(len(state.tracks)):
        track = tracks[i] = _drop_stale_primer(tracks[i], tracks)
        ctx = TrackContext(
            catalogue=catalogue,
            track=track,
            performances=record.performances(track),
            season=state.season,
            today=today,
            occupied=frozenset(t.slug for t in tracks),
            rested={s: r.until for s, r in rested.items()},
            doses=doses,
            allowed=allowed,
            rising=rise is not None,
            rise_to_step_back=rise if track.slug == step_back else None,
            have=have,
        )
        for rule in TRACK_RULES:
            outcome = rule(ctx)
            if outcome is None:
                continue
            if outcome.track is None:
                notes.setdefault(track.slug, outcome.reason)
                continue
            if rule is progress_after_two_easy_sessions:
                ups.append((track, outcome))  # taken in turn below, within the week's limits
                break
            apply(track, outcome, rule.__name__)
            break
    limit = minutes_limit(state, today)
    # Additions come a couple a week, not on the day the plan starts, and only within the
    # week's growth in minutes: coverage builds up gradually.
    added_lately = sum(
        1
        for c in state.changes
        if c.rule in ADDITION_RULES and c.before is None and c.day > today - timedelta(days=7)
    )
    room = 0 if today < state.started_on + timedelta(days=7) else ADDED_PER_WEEK - added_lately
    # Nor while the Control after a flare-up lasts: nothing new until things settle.
    if state.last_flare_on is not None and state.season_started_on <= state.last_flare_on:
        room = 0
    for slug, rule_name, reason in fill_gaps(
        catalogue,
        [t.slug for t in tracks],
        state.season,
        level_cap(state.cycle),
        rested,
        today,
        have=have,
    ):
        added = Track(slug=slug, sets=catalogue.by_slug[slug].dose.sets, since=today)
        trial = [*tracks, added]
        if room <= 0 or (
            limit is not None and week_minutes(catalogue, trial, plan_week(state, today)) > limit
        ):
            break
        room -= 1
        tracks.append(added)
        changes.append(
            Change(day=today, rule=rule_name, reason=reason, after=prescription(catalogue, added))
        )

    # Going up: the exercises that have waited longest first, at most `MAX_UP_PER_WEEK` in any
    # 7 days, and only while the week's minutes stay within `MAX_WEEKLY_GROWTH` of a week ago.
    gone_up = sum(
        1
        for c in state.changes
        if c.rule == progress_after_two_easy_sessions.__name__
        and c.day > today - timedelta(days=WEEK_ON_WEEK_DAYS)
    )
    for track, outcome in sorted(ups, key=lambda up: (up[0].since, up[0].slug)):
        assert outcome.track is not None
        easy = outcome.reason.split(":")[0]
        if gone_up >= MAX_UP_PER_WEEK:
            notes[track.slug] = (
                f"{easy}, but {MAX_UP_PER_WEEK} exercises have gone up this week already: "
                "this one is next in line."
            )
            continue
        if outcome.track.slug != track.slug and outcome.track.slug in {t.slug for t in tracks}:
            continue  # an earlier change brought its next step in already
        trial = [outcome.track if t == track else t for t in tracks]
        if limit is not None and week_minutes(catalogue, trial, week) > limit:
            notes[track.slug] = (
                f"{easy}, but your sessions have grown as much as they should this week: "
                "this one goes up when there is room."
            )
            continue
        apply(track, outcome, progress_after_two_easy_sessions.__name__)
        gone_up += 1
    return [_drop_stale_primer(t, tracks) for t in tracks], rested, notes, changes


ADDITION_RULES = ("cover_patterns", "keep_two_per_quality")


def plan_week(state: PlanState, today: date) -> int:
    """The plan's week number on `today`, counting the first as 1."""
    return (today - state.started_on).days // 7 + 1


def week_minutes(catalogue: Catalogue, tracks: Sequence[Track], week: int) -> float:
    """The pacer minutes of the week's sessions (`compose_week`) with these tracks."""
    return sum(
        dose_minutes(catalogue.by_slug[t.slug], track_dose(catalogue, t))
        for session in compose_week(catalogue, tracks, week)
        for t in session
    )


def minutes_limit(state: PlanState, today: date) -> float | None:
    """The most the week's minutes may reach today: a week ago's, plus `MAX_WEEKLY_GROWTH`.

    A week ago is the last build at least 7 days back, or the plan's first build while it is
    younger than that; a plan stored before minutes were kept has no limit until it has one."""
    known = sorted(state.weekly_minutes.items())
    if not known:
        return None
    week_ago = [m for d, m in known if d <= today - timedelta(days=WEEK_ON_WEEK_DAYS)]
    return (week_ago[-1] if week_ago else known[0][1]) * (1 + MAX_WEEKLY_GROWTH)


def last_progressed(catalogue: Catalogue, state: PlanState) -> str | None:
    """The exercise that went up most recently and is still at the dose it went up to."""
    now = [prescription(catalogue, t) for t in state.tracks]
    for change in reversed(state.changes):
        if change.rule == progress_after_two_easy_sessions.__name__ and change.after in now:
            return change.after.slug if change.after else None
    return None


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
    have: frozenset[Equipment] = ALL_EQUIPMENT,
) -> Plan:
    """This week's plan, and the state to store, from the history and the last stored state.

    `have` is the equipment the person has: nothing in the plan needs anything else."""
    if state is None:
        state = start_plan(catalogue, today, have)
    elif today < state.built_on:
        raise ValueError(f"the plan was last built on {state.built_on}, after {today}")
    # The last `HISTORY_DAYS` up to today, one check-in a day (the last given wins).
    recent = recent_history(history, today)
    checkins, sessions = recent.checkins, recent.sessions
    before = set(state.tracks)

    changes: list[Change] = []
    state, made = drop_missing_exercises(catalogue, state, today)
    changes += made
    state, made = set_aside_what_needs_missing_equipment(catalogue, state, today, have)
    changes += made
    state, made = step_back_to_control_after_flare(state, checkins, today)
    changes += made
    state, made = advance_season(state, today)
    changes += made

    tracks, rested, notes, made = apply_track_rules(
        catalogue, state, sessions, checkins, today, have
    )
    changes += made
    changed = {c.before.slug for c in changes if c.before} | {
        c.after.slug for c in changes if c.after
    }
    tracks, made = walk_a_little_more_each_week(catalogue, tracks, checkins, today, changed)
    changes += made
    tracks = mark_sessions_before(tracks, before, sessions, today)
    if any(c.rule == step_back_when_mornings_rise.__name__ for c in changes):
        state = state.model_copy(update={"last_rise_on": today})
    state = state.model_copy(
        update={
            "built_on": today,
            "tracks": tracks,
            "rested": {s: r for s, r in rested.items() if r.until > today},
            "changes": [*state.changes, *changes],
            "equipment": sorted(have),
        }
    )
    week = plan_week(state, today)
    # Keep the minutes of the last two weeks' builds (and the last one before them).
    minutes = {**state.weekly_minutes, today: round(week_minutes(catalogue, tracks, week), 1)}
    keep = today - timedelta(days=2 * WEEK_ON_WEEK_DAYS)
    older = [d for d in minutes if d < keep]
    minutes = {d: m for d, m in minutes.items() if d >= keep or d == max(older, default=None)}
    state = state.model_copy(update={"weekly_minutes": minutes})
    advice = escalation(sessions, checkins, today)
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
        advice=list(advice.advice),
        recheck_red_flags=advice.recheck_red_flags,
        changes=changes,
        state=state,
    )


def mark_sessions_before(
    tracks: Sequence[Track], before: set[Track], sessions: Sequence[SessionRecord], today: date
) -> list[Track]:
    """Tracks this build changed or added remember how many of today's sessions came first.

    This build read those sessions to make its changes; a later build the same day must not
    read them again for the new dose, but must read any session logged after it."""
    seen = sum(1 for s in sessions if s.day == today)
    return [
        t.model_copy(update={"sessions_before": seen})
        if t not in before and t.since == today
        else t
        for t in tracks
    ]


def _plan_exercise(
    catalogue: Catalogue, track: Track, history: Sequence[Change], notes: Mapping[str, str]
) -> PlanExercise:
    exercise = catalogue.by_slug[track.slug]
    dose = track_dose(catalogue, track)
    changed = next(
        (c for c in reversed(history) if c.after and c.after.slug == track.slug),
        None,
    )
    if changed and changed.after and changed.after != prescription(catalogue, track):
        changed = None  # a stale reason would explain a dose the user no longer has
    return PlanExercise(
        slug=track.slug,
        name=exercise.name,
        dose=dose,
        why=exercise.purpose,
        protects=exercise.protects,
        prepares_for=exercise.prepares_for,
        minutes_a_day=track.minutes_a_day,
        changed=changed,
        note=notes.get(track.slug),
    )
