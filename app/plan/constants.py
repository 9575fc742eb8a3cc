"""The numbers and groupings the plan rules use, each stated once."""

from __future__ import annotations

from typing import Any

from app.catalogue import Pattern, Quality
from app.plan.records import Season

# --- The numbers the rules use -----------------------------------------------------------------

# Pain-monitoring model (Thomeé 1997, Knee Surg Sports Traumatol Arthrosc; Silbernagel et al.
# 2007, Am J Sports Med): pain during exercise of 0-2 or 3/10 is safe, up to 5/10 acceptable, above
# it too much, and pain raised the next morning or rising week on week calls for less load. Made
# for tendon and knee pain, used here for the back by extension. Two adjustments for people whose
# back hurts most days: a rise must be about 2 points to be more than noise (the smallest change
# the 0-10 pain scale reliably detects in low back pain is about 2 points: Childs et al. 2005,
# Spine 30:1331), and pain during exercise is judged against the person's usual level.
SAFE_PAIN = 3  # 0 to 3/10 during exercise is safe
ACCEPTABLE_PAIN = 5  # 4 or 5 is acceptable and holds the dose
ABOVE_USUAL = 2  # above 5 is too much only when also more than this above the usual level
ALWAYS_TOO_MUCH = 8  # at 8/10 and over it is too much whatever the usual level
SORE_MORNING_RISE = 2  # a morning this far above usual is sore (or above it and "worse")
FLARE_RISE = 3  # a morning this far above usual is a flare-up on its own
FLARE_RUNNING_RISE = 2  # or this far above it on this many mornings running
FLARE_MORNINGS = 2
EASY_EFFORT = 4  # "steady" in the app's own 0-10 effort words: at or under it is easy
# Back rehabilitation usually aims at about 3-5 on the CR10 scale; 7 ("very strong") is past
# it. Twice running is a pattern, not a bad day: one set fewer.
HARD_EFFORT = 7
HARD_SESSIONS_TO_CUT = 2
# Week on week (pain-monitoring model: pain and stiffness must not rise from week to week):
# the median of a week's mornings up by 1 point two weeks running, or by 2 in one week.
WEEK_ON_WEEK_RISE = 1
WEEK_ON_WEEK_JUMP = 2
EASY_SESSIONS_TO_PROGRESS = 2
# The usual level: the median of the last 14 days' mornings, flare-up mornings left out, so it
# follows the person both ways; a median of fewer than three is one bad morning, not a level.
BASELINE_MIN_CHECKINS = 3
BASELINE_WINDOW_DAYS = 14
BASELINE_FALLBACK_CHECKINS = (
    5  # with few mornings in the window: the last five that were not flares
)
EARLY_FATIGUE_FRACTION = 0.5
TIRES_EARLY_TO_ROTATE = 2
REST_DAYS = 28  # an exercise rotated or swapped out is not added back for this long
MAX_EXTRA_REPS = 2  # volume above the catalogue's starting dose, one rep per set at a time
MAX_EXTRA_SETS = 2  # for exercises of one long hold per set (walks, carries), sets grow instead
# Progress is spread out, so that what was learnt in Control is not released in one burst and
# the load rises gradually (the "10 % rule" of graded loading, here with a little slack):
MAX_UP_PER_WEEK = 2  # exercises going up within any 7 days
MAX_WEEKLY_GROWTH = 0.15  # the week's exercise time grows by at most this in 7 days
FEWER_REPS_AT_A_NEW_STEP = 2  # a harder exercise starts this many reps below its own dose
WEEK_ON_WEEK_DAYS = 7
# Walking: a daily goal growing by about a tenth a week (the walking exercise's own caution)
# toward 150 minutes a week, the aim of the WalkBack trial's progressive walking programme
# (Pocovi et al. 2024, Lancet: about 30 minutes, five times a week).
WALK_START_MINUTES = 10
WALK_GROWTH = 0.10
WALK_WEEKLY_TARGET = 150
# When to advise seeing a clinician (app.plan.escalation): flare-ups that keep coming,
# symptoms that keep spreading, or usual pain that has not come down, all over six weeks
# (the national guidance on low back pain treats a failure to improve as a reason for review).
ESCALATION_WINDOW_DAYS = 42
FLARES_TO_ESCALATE = 3  # flare-ups (of one or more mornings each) within the window
SPREADS_TO_ESCALATE = 2  # days on which symptoms spread, a morning or during an exercise
# No improvement: the usual level today no lower than at the start of the window, read once
# the first check-in is that old; only at moderate pain (4/10) or more, since a plateau at mild
# pain (1 to 3) is no reason for a visit.
NO_IMPROVEMENT_MIN_USUAL = 4
# The plan reads the last 12 weeks of the record and no more, so a build costs the same after
# three years as after three months. The longest look-back of any rule is the escalation's 6
# weeks, whose starting usual level reads the 2 weeks before them; 4 more weeks let the usual
# level and the flare-ups settle before the first morning a rule judges. What came before is
# summed up in the stored plan: its exercises and doses, season, rests and changes.
HISTORY_DAYS = 84
FIRST_LEVEL_CAP = 3  # the highest level a first cycle uses; each new cycle opens one more
# A gentle start: 6 to 8 exercises at levels 1-2, one for each block of a session first, then
# the rest added a couple a week (and only within the weekly growth in minutes).
START_LEVEL = 2
START_MAX_EXERCISES = 8
ADDED_PER_WEEK = 2
MAX_LEVEL = 5
SESSIONS_PER_WEEK = 3
MIN_PER_QUALITY = 2

SEASON_WEEKS: dict[Season, int] = {Season.CONTROL: 2, Season.BUILD: 4, Season.CONSOLIDATE: 2}
# The seasons as a person reads them in a reason ("2 weeks of settling in"); the client names
# them the same way (SEASON_NAMES in web/static/js/plan-core.js), and a cycle is a "round".
# The values (control, build, consolidate) stay the API's and the database's.
SEASON_WORDS: dict[Season, str] = {
    Season.CONTROL: "settling in",
    Season.BUILD: "building",
    Season.CONSOLIDATE: "making it stick",
}
NEXT_SEASON = {
    Season.CONTROL: Season.BUILD,
    Season.BUILD: Season.CONSOLIDATE,
    Season.CONSOLIDATE: Season.CONTROL,
}

# The qualities the product names first; every plan keeps two or more exercises for each of
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
    ("hips", (Pattern.BRIDGE, Pattern.HINGE, Pattern.HIP)),
    ("legs", (Pattern.SQUAT, Pattern.LUNGE)),
    ("walk and carry", (Pattern.GAIT, Pattern.CARRY)),
)
# Patterns the plan never picks by itself: transfers (rolling out of bed, getting down to the
# floor and up) are strategies a person chooses from the library on a bad day.
OFF_PLAN_PATTERNS = frozenset({Pattern.TRANSFER})
HIP_WORK = (Pattern.BRIDGE, Pattern.HINGE)
# Where fatigue is the exercise working: the muscles its pattern trains. Fatigue there, even
# early, says the dose is hard, not that something else is taking over; elsewhere it does.
TARGET_REGIONS: dict[Pattern, tuple[str, ...]] = {
    Pattern.BRACE: ("abdomen",),
    Pattern.ANTI_ROTATION: ("abdomen",),
    Pattern.BRIDGE: ("hips-glutes",),
    Pattern.HIP: ("hips-glutes",),
    Pattern.HINGE: ("hips-glutes", "legs"),
    Pattern.SQUAT: ("legs", "hips-glutes"),
    Pattern.LUNGE: ("legs", "hips-glutes"),
    Pattern.CARRY: ("abdomen", "legs", "upper-back-neck"),
    Pattern.GAIT: ("legs",),
}
HIP_LED_QUALITIES = (Quality.HIP_EXTENSION, Quality.HIP_STABILITY, Quality.HINGE_SKILL)
PRIMER_QUALITIES = (Quality.HIP_STABILITY, Quality.HIP_EXTENSION)  # glute work, to go first

RULES_DATA: dict[str, Any] = {
    "pain": {
        "safe_max": SAFE_PAIN,
        "acceptable_max": ACCEPTABLE_PAIN,
        "too_much_above_usual": ABOVE_USUAL,
        "always_too_much": ALWAYS_TOO_MUCH,
        "sore_morning_rise": SORE_MORNING_RISE,
    },
    "effort": {
        "easy_max": EASY_EFFORT,
        "hard_min": HARD_EFFORT,
        "hard_sessions_to_cut": HARD_SESSIONS_TO_CUT,
    },
    "easy_sessions_to_progress": EASY_SESSIONS_TO_PROGRESS,
    "baseline": {
        "fallback_checkins": BASELINE_FALLBACK_CHECKINS,
        "min_checkins": BASELINE_MIN_CHECKINS,
        "window_days": BASELINE_WINDOW_DAYS,
    },
    "flare": {
        "rise_above_baseline": FLARE_RISE,
        "running_rise": FLARE_RUNNING_RISE,
        "mornings_running": FLARE_MORNINGS,
    },
    "week_on_week": {
        "days": WEEK_ON_WEEK_DAYS,
        "rise_two_weeks_running": WEEK_ON_WEEK_RISE,
        "rise_in_one_week": WEEK_ON_WEEK_JUMP,
    },
    "early_fatigue_fraction": EARLY_FATIGUE_FRACTION,
    "tires_early_to_rotate": TIRES_EARLY_TO_ROTATE,
    "rest_days_after_swap": REST_DAYS,
    "volume": {
        "max_extra_reps": MAX_EXTRA_REPS,
        "max_extra_sets": MAX_EXTRA_SETS,
        "fewer_reps_at_a_new_step": FEWER_REPS_AT_A_NEW_STEP,
    },
    "progress": {"max_up_per_week": MAX_UP_PER_WEEK, "max_weekly_growth": MAX_WEEKLY_GROWTH},
    "seasons": [{"name": s.value, "weeks": SEASON_WEEKS[s]} for s in Season],
    "level_cap": {"first_cycle": FIRST_LEVEL_CAP, "per_cycle": 1, "max": MAX_LEVEL},
    "start": {
        "level": START_LEVEL,
        "max_exercises": START_MAX_EXERCISES,
        "added_per_week": ADDED_PER_WEEK,
    },
    "walking": {
        "start_minutes_a_day": WALK_START_MINUTES,
        "growth_per_week": WALK_GROWTH,
        "weekly_target_minutes": WALK_WEEKLY_TARGET,
    },
    "escalation": {
        "window_days": ESCALATION_WINDOW_DAYS,
        "flares": FLARES_TO_ESCALATE,
        "spreads": SPREADS_TO_ESCALATE,
        "no_improvement_min_usual": NO_IMPROVEMENT_MIN_USUAL,
    },
    "sessions_per_week": SESSIONS_PER_WEEK,
    "min_exercises_per_quality": MIN_PER_QUALITY,
    "core_qualities": [q.value for q in CORE_QUALITIES],
    "session_blocks": [
        {"name": name, "patterns": [p.value for p in patterns]} for name, patterns in SESSION_BLOCKS
    ],
    "off_plan_patterns": sorted(p.value for p in OFF_PLAN_PATTERNS),
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
    Quality.NEURAL_MOBILITY: "easy-gliding nerves",
    Quality.BALANCE: "balance",
}
