"""All of one account's data as a JSON document or one CSV table. Pure: no database, no HTTP."""

import csv
import io
from datetime import datetime

from pydantic import BaseModel, Field

from app.models import CheckInPublic, ExerciseDone, ScreeningPublic, SessionLogPublic, UserPublic
from app.plan import Change

CSV_COLUMNS = [
    "record",  # session-exercise (one row per exercise done), session (none done), checkin,
    # screening (the red-flag answers)
    "id",
    "started_at",
    "ended_at",
    "kind",
    "day",
    "exercise",
    "skipped",
    "sets_done",
    "reps_done",
    "seconds_done",
    "effort",
    "pain",
    "fatigue_region",
    "fatigue_onset",
    "feeling",
    "helpful_cues",
    "stiffness",
    "compared_with_yesterday",
    "fatigue_lingered",
    "symptoms_spread",
    "notes",
    "updated_at",
    "signs",  # the red-flag answers: the ids ticked, and those a clinician checked on a date
    "cleared_on",
    "cleared_signs",
]


class Export(BaseModel):
    """Everything the account holds."""

    exported_at: datetime
    account: UserPublic
    sessions: list[SessionLogPublic]
    checkins: list[CheckInPublic]
    plan_changes: list[Change] = Field(
        default_factory=list, description="every change the plan rules made, oldest first"
    )
    screening: ScreeningPublic | None = Field(
        default=None, description="the red-flag answers, or null before the first"
    )


def as_csv(export: Export) -> str:
    """The export as one CSV table: sessions (a row per exercise done), check-ins, then the
    red-flag answers."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for s in export.sessions:
        shared = {
            "id": s.id,
            "started_at": s.started_at.isoformat(),
            "ended_at": s.ended_at.isoformat(),
            "kind": s.kind.value,
            "notes": _text(s.notes),
            "updated_at": s.updated_at.isoformat(),
        }
        if not s.exercises:
            writer.writerow({"record": "session", **shared})
        for e in s.exercises:
            writer.writerow({"record": "session-exercise", **shared, **_exercise(e)})
    for c in export.checkins:
        writer.writerow(
            {
                "record": "checkin",
                "id": c.id,
                "day": c.day.isoformat(),
                "pain": c.pain,
                "stiffness": c.stiffness,
                "compared_with_yesterday": c.compared_with_yesterday.value,
                "fatigue_lingered": "yes" if c.fatigue_lingered else "no",
                "symptoms_spread": "yes" if c.symptoms_spread else "no",
                "notes": _text(c.notes),
                "updated_at": c.updated_at.isoformat(),
            }
        )
    if (s := export.screening) is not None:
        writer.writerow(
            {
                "record": "screening",
                "started_at": s.answered_at.isoformat(),
                "signs": " | ".join(s.signs),
                "cleared_on": s.cleared_on.isoformat() if s.cleared_on else "",
                "cleared_signs": " | ".join(s.cleared_signs),
                "updated_at": s.updated_at.isoformat(),
            }
        )
    return out.getvalue()


def _exercise(e: ExerciseDone) -> dict[str, object]:
    onset = e.fatigue_onset
    if onset is None:
        when = ""  # skipped before this was answered
    elif onset == "did-not":
        when = "did not"
    else:
        when = f"set {onset.set}" + (f" rep {onset.rep}" if onset.rep else "")
    return {
        "exercise": e.slug,
        "skipped": "yes" if e.skipped else "no",
        "sets_done": e.sets_done,
        "reps_done": e.reps_done,
        "seconds_done": e.seconds_done,
        "effort": e.effort,
        "pain": e.pain,
        "fatigue_region": e.fatigue_region.value if e.fatigue_region else "",
        "fatigue_onset": when,
        "feeling": e.feeling or "",
        "helpful_cues": _text(" | ".join(e.helpful_cues)),
        "symptoms_spread": "yes" if e.symptoms_spread else "no",
    }


def _text(value: str) -> str:
    # A spreadsheet runs a cell that starts like a formula; the quote makes it plain text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
