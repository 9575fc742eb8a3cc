"""The plan: seasons, the progression graph, and the rules that adapt it (README, "The plan").

One module per idea, in the order a build uses them:

- `records`: what the plan reads (sessions, check-ins) and what it stores and returns;
- `constants`: the numbers and groupings the rules use, each stated once;
- `doses`: an exercise's dose at a track's sets and reps, and `is_one_step` (continuity);
- `evidence`: the usual morning pain, flare-ups, easy sessions, early fatigue, performances;
- `rules`: the per-track rules, each a named function, in order of precedence;
- `seasons`: Control, Build and Consolidate on a calendar, and back to Control after a flare;
- `coverage`: patterns and two or more exercises per quality, and gap-filling;
- `week`: the plan's exercises shared out over the week's sessions;
- `walking`: the daily walk, growing about a tenth a week toward 150 minutes a week;
- `escalation`: when to advise seeing a clinician and asking the red-flag questions again;
- `build`: the first plan and every rebuild (`build_plan`);
- `simulate`: a made-up person replayed through the rules (`spinewise simulate`).

Pure: no database, no HTTP, no clock. `build_plan` takes the catalogue, the user's history
(exercise results and morning check-ins as plain data), the `PlanState` stored after the last
build and today's date; it returns this week's `Plan`, whose `state` is what to store for the
next build. Every change carries the name of the rule that made it and a plain-words reason.

Words used below:

- A *track* is one exercise the plan holds, at its current dose. The plan's exercises are its
  tracks; each week's sessions share them out so that every track appears at least once a week.
- A *performance* is one result of a track's exercise in a session from the day the track
  last changed, with the next morning's check-in (the check-in dated the day after). Every
  session counts, the first one and the one later on the day of a change included; a change
  records how many of that day's sessions it had already read (`Track.sessions_before`), so
  rebuilding with the same history never applies a rule twice.
- The *baseline* (the person's usual level) on a given day is the median morning pain of the
  last 14 days before it, flare-up mornings left out (`read_mornings`); it follows the person
  both ways. Until three check-ins exist no morning can be judged against it, so nothing
  progresses. A rise of 1 point is noise; the thresholds and their sources are in `constants`.
- A build reads the last 12 weeks of the record (`HISTORY_DAYS`, `recent_history`) and the
  stored state, never the whole past: its cost does not grow with the history, and the server
  loads only those weeks (`app.planning.load_history`).
- An *easy session* (the gate for progress): pain ≤ 3, effort ≤ 4, every planned set done, no
  spreading symptoms, no early fatigue, and a next-morning check-in at or below baseline with no
  lingering fatigue. The last four conditions are extra caution.
- *Early fatigue* is fatigue that first appeared in the first half of the planned work.
- A *primer* is a glute exercise scheduled right before a bridge or hinge in which the lower
  back tired first (the "add" of "add or swap in a hip-led regression").

One change per track per build ("change one thing at a time"), and every change moves at most
one step: to the next or previous exercise of a chain, one set or one rep per set, or a swap to
an exercise at most one level away (`is_one_step`).
"""

from app.plan.build import (
    ADDITION_RULES,
    apply_track_rules,
    build_plan,
    drop_missing_exercises,
    last_progressed,
    mark_sessions_before,
    minutes_limit,
    plan_week,
    set_aside_what_needs_missing_equipment,
    start_plan,
    week_minutes,
)
from app.plan.constants import (
    ABOVE_USUAL,
    ACCEPTABLE_PAIN,
    ADDED_PER_WEEK,
    ALWAYS_TOO_MUCH,
    BASELINE_FALLBACK_CHECKINS,
    BASELINE_MIN_CHECKINS,
    BASELINE_WINDOW_DAYS,
    CORE_QUALITIES,
    EARLY_FATIGUE_FRACTION,
    EASY_EFFORT,
    EASY_SESSIONS_TO_PROGRESS,
    ESCALATION_WINDOW_DAYS,
    FEWER_REPS_AT_A_NEW_STEP,
    FIRST_LEVEL_CAP,
    FLARE_MORNINGS,
    FLARE_RISE,
    FLARE_RUNNING_RISE,
    FLARES_TO_ESCALATE,
    HARD_EFFORT,
    HARD_SESSIONS_TO_CUT,
    HIP_LED_QUALITIES,
    HIP_WORK,
    HISTORY_DAYS,
    MAX_EXTRA_REPS,
    MAX_EXTRA_SETS,
    MAX_LEVEL,
    MAX_UP_PER_WEEK,
    MAX_WEEKLY_GROWTH,
    MIN_PER_QUALITY,
    NEXT_SEASON,
    NO_IMPROVEMENT_MIN_USUAL,
    OFF_PLAN_PATTERNS,
    PRIMER_QUALITIES,
    QUALITY_WORDS,
    REST_DAYS,
    RULES_DATA,
    SAFE_PAIN,
    SEASON_WEEKS,
    SESSION_BLOCKS,
    SESSIONS_PER_WEEK,
    SORE_MORNING_RISE,
    SPREADS_TO_ESCALATE,
    START_LEVEL,
    START_MAX_EXERCISES,
    TARGET_REGIONS,
    TIRES_EARLY_TO_ROTATE,
    WALK_GROWTH,
    WALK_START_MINUTES,
    WALK_WEEKLY_TARGET,
    WEEK_ON_WEEK_DAYS,
    WEEK_ON_WEEK_JUMP,
    WEEK_ON_WEEK_RISE,
)
from app.plan.coverage import (
    PATTERN_WORDS,
    above_on_a_chain,
    above_what_is_held,
    admissible,
    cover_patterns,
    fill_gaps,
    from_here_up,
    keep_two_per_quality,
    missing_words,
    pattern_gaps,
    qualities_of,
    quality_counts,
    quality_gaps,
)
from app.plan.doses import (
    dose_minutes,
    dose_of,
    grows_by_sets,
    is_one_step,
    name_of,
    track_dose,
    units_of,
)
from app.plan.escalation import (
    Escalation,
    escalation,
    flare_ups,
    no_improvement,
    spread_days,
)
from app.plan.evidence import (
    Mornings,
    Performance,
    Verdict,
    baseline_pain,
    flare_days,
    history_starts,
    is_easy,
    mornings_rising,
    pain_verdict,
    performances,
    read_mornings,
    recent_history,
    rise_in_mornings,
    sore_morning,
    tired_early,
    tolerates_dynamic_work,
    too_much_pain,
)
from app.plan.records import (
    Change,
    ExerciseResult,
    History,
    MorningCheckIn,
    Onset,
    Plan,
    PlanExercise,
    PlanSession,
    PlanState,
    Prescription,
    Region,
    Rest,
    Score,
    Season,
    SessionRecord,
    Track,
)
from app.plan.rules import (
    TRACK_RULES,
    Outcome,
    TrackContext,
    cut_a_set_after_hard_sessions,
    dynamic_variant,
    dynamic_variant_for_holds,
    hip_led_regression,
    hip_primer,
    pain_monitoring,
    progress_after_two_easy_sessions,
    rotate_out_tiring_exercise,
    rotation_candidate,
    start_of_next_step,
    step_back_when_mornings_rise,
    tired_early_elsewhere,
)
from app.plan.seasons import (
    advance_season,
    level_cap,
    step_back_to_control_after_flare,
)
from app.plan.walking import (
    WALK_DAILY_TARGET,
    is_walk,
    next_walk_minutes,
    walk_a_little_more_each_week,
)
from app.plan.week import (
    compose_week,
)

__all__ = [
    "ABOVE_USUAL",
    "ACCEPTABLE_PAIN",
    "ADDED_PER_WEEK",
    "ADDITION_RULES",
    "ALWAYS_TOO_MUCH",
    "BASELINE_FALLBACK_CHECKINS",
    "BASELINE_MIN_CHECKINS",
    "BASELINE_WINDOW_DAYS",
    "CORE_QUALITIES",
    "EARLY_FATIGUE_FRACTION",
    "EASY_EFFORT",
    "EASY_SESSIONS_TO_PROGRESS",
    "ESCALATION_WINDOW_DAYS",
    "FEWER_REPS_AT_A_NEW_STEP",
    "FIRST_LEVEL_CAP",
    "FLARES_TO_ESCALATE",
    "FLARE_MORNINGS",
    "FLARE_RISE",
    "FLARE_RUNNING_RISE",
    "HARD_EFFORT",
    "HARD_SESSIONS_TO_CUT",
    "HIP_LED_QUALITIES",
    "HIP_WORK",
    "HISTORY_DAYS",
    "MAX_EXTRA_REPS",
    "MAX_EXTRA_SETS",
    "MAX_LEVEL",
    "MAX_UP_PER_WEEK",
    "MAX_WEEKLY_GROWTH",
    "MIN_PER_QUALITY",
    "NEXT_SEASON",
    "NO_IMPROVEMENT_MIN_USUAL",
    "OFF_PLAN_PATTERNS",
    "PATTERN_WORDS",
    "PRIMER_QUALITIES",
    "QUALITY_WORDS",
    "REST_DAYS",
    "RULES_DATA",
    "SAFE_PAIN",
    "SEASON_WEEKS",
    "SESSIONS_PER_WEEK",
    "SESSION_BLOCKS",
    "SORE_MORNING_RISE",
    "SPREADS_TO_ESCALATE",
    "START_LEVEL",
    "START_MAX_EXERCISES",
    "TARGET_REGIONS",
    "TIRES_EARLY_TO_ROTATE",
    "TRACK_RULES",
    "WALK_DAILY_TARGET",
    "WALK_GROWTH",
    "WALK_START_MINUTES",
    "WALK_WEEKLY_TARGET",
    "WEEK_ON_WEEK_DAYS",
    "WEEK_ON_WEEK_JUMP",
    "WEEK_ON_WEEK_RISE",
    "Change",
    "Escalation",
    "ExerciseResult",
    "History",
    "MorningCheckIn",
    "Mornings",
    "Onset",
    "Outcome",
    "Performance",
    "Plan",
    "PlanExercise",
    "PlanSession",
    "PlanState",
    "Prescription",
    "Region",
    "Rest",
    "Score",
    "Season",
    "SessionRecord",
    "Track",
    "TrackContext",
    "Verdict",
    "above_on_a_chain",
    "above_what_is_held",
    "admissible",
    "advance_season",
    "apply_track_rules",
    "baseline_pain",
    "build_plan",
    "compose_week",
    "cover_patterns",
    "cut_a_set_after_hard_sessions",
    "dose_minutes",
    "dose_of",
    "drop_missing_exercises",
    "dynamic_variant",
    "dynamic_variant_for_holds",
    "escalation",
    "fill_gaps",
    "flare_days",
    "flare_ups",
    "from_here_up",
    "grows_by_sets",
    "hip_led_regression",
    "hip_primer",
    "history_starts",
    "is_easy",
    "is_one_step",
    "is_walk",
    "keep_two_per_quality",
    "last_progressed",
    "level_cap",
    "mark_sessions_before",
    "minutes_limit",
    "missing_words",
    "mornings_rising",
    "name_of",
    "next_walk_minutes",
    "no_improvement",
    "pain_monitoring",
    "pain_verdict",
    "pattern_gaps",
    "performances",
    "plan_week",
    "progress_after_two_easy_sessions",
    "qualities_of",
    "quality_counts",
    "quality_gaps",
    "read_mornings",
    "recent_history",
    "rise_in_mornings",
    "rotate_out_tiring_exercise",
    "rotation_candidate",
    "set_aside_what_needs_missing_equipment",
    "sore_morning",
    "spread_days",
    "start_of_next_step",
    "start_plan",
    "step_back_to_control_after_flare",
    "step_back_when_mornings_rise",
    "tired_early",
    "tired_early_elsewhere",
    "tolerates_dynamic_work",
    "too_much_pain",
    "track_dose",
    "units_of",
    "walk_a_little_more_each_week",
    "week_minutes",
]
