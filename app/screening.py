"""The red-flag questions' sign ids, as the app asks them (web/static/js/red-flags.js holds the
words and the urgency of each; tests/test_screening_api.py keeps the two lists alike). The
server checks answers against these ids and keeps them; the triage runs in the app."""

from enum import StrEnum


class Sign(StrEnum):
    """One red-flag sign a person can tick (docs/safety.md lists each in words)."""

    PEE_DIFFICULTY = "pee-difficulty"
    BLADDER_FEELING = "bladder-feeling"
    BLADDER_BOWEL_CONTROL = "bladder-bowel-control"
    SADDLE = "saddle"
    WIPING = "wiping"
    BOTH_LEGS = "both-legs"
    LEG_WORSENING = "leg-worsening"
    SEXUAL = "sexual"
    CHEST_PAIN = "chest-pain"
    SERIOUS_ACCIDENT = "serious-accident"
    FEVER_UNWELL = "fever-unwell"
    LEGS_UNSTEADY = "legs-unsteady"
    BETWEEN_SHOULDERS = "between-shoulders"
    LUMP_SHAPE = "lump-shape"
    CANCER_WEIGHT = "cancer-weight"
    BONES_STEROIDS = "bones-steroids"
    INFECTION_DRUGS = "infection-drugs"
    NIGHT_PAIN = "night-pain"
    NEW_AGE = "new-age"
    INFLAMMATORY = "inflammatory"
