"""When to advise seeing a clinician: what the plan cannot fix by adjusting the exercises.

The rules ease an exercise off when it hurts, and the plan back to Control after a flare-up;
but some patterns say the person should be looked at by someone who can examine them (a GP or
a physiotherapist): flare-ups that keep coming, symptoms that keep spreading into a buttock or
leg, and usual pain that has not come down in six weeks. Any of them puts plain advice on
Today and asks the red-flag questions again before the next session, since what they screen
for can develop later. Pure: the history and today's date in, the advice out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.plan.constants import (
    ESCALATION_WINDOW_DAYS,
    FLARES_TO_ESCALATE,
    NO_IMPROVEMENT_MIN_USUAL,
    SPREADS_TO_ESCALATE,
)
from app.plan.evidence import baseline_pain, flare_days
from app.plan.records import MorningCheckIn, SessionRecord

SEE_A_CLINICIAN = "please see a clinician (your GP or a physiotherapist) to have it checked"
RECHECK = (
    "Before your next session, Spinewise will ask the safety questions again: answer them as "
    "things are now."
)


@dataclass(frozen=True)
class Escalation:
    """Plain advice for Today (empty when all is well), and whether to re-ask the red flags."""

    advice: tuple[str, ...] = ()
    recheck_red_flags: bool = False


def flare_ups(checkins: Sequence[MorningCheckIn]) -> list[tuple[date, date]]:
    """Each flare-up as its first and last morning: flare mornings a day apart are one."""
    spells: list[tuple[date, date]] = []
    for day in flare_days(checkins):
        if spells and day <= spells[-1][1] + timedelta(days=1):
            spells[-1] = (spells[-1][0], day)
        else:
            spells.append((day, day))
    return spells


def spread_days(
    sessions: Sequence[SessionRecord], checkins: Sequence[MorningCheckIn]
) -> list[date]:
    """The days on which symptoms spread: a morning check-in, or during an exercise."""
    days = {c.day for c in checkins if c.symptoms_spread}
    days |= {s.day for s in sessions if any(r.symptoms_spread for r in s.exercises)}
    return sorted(days)


def no_improvement(checkins: Sequence[MorningCheckIn], today: date) -> tuple[float, float] | None:
    """The usual level six weeks ago and now, when it has not come down (see the constants)."""
    window = timedelta(days=ESCALATION_WINDOW_DAYS)
    if not checkins or min(c.day for c in checkins) > today - window:
        return None
    now = baseline_pain(checkins, today + timedelta(days=1))
    then = baseline_pain(checkins, today + timedelta(days=1) - window)
    if now is None or then is None or now < NO_IMPROVEMENT_MIN_USUAL or now < then:
        return None
    return then, now


def escalation(
    sessions: Sequence[SessionRecord], checkins: Sequence[MorningCheckIn], today: date
) -> Escalation:
    """Repeated flare-ups, symptoms spreading twice, or no improvement in six weeks: advice."""
    since = today - timedelta(days=ESCALATION_WINDOW_DAYS)
    checkins = [c for c in checkins if c.day <= today]
    sessions = [s for s in sessions if s.day <= today]
    weeks = ESCALATION_WINDOW_DAYS // 7
    advice = []
    flares = [f for f in flare_ups(checkins) if f[1] > since]
    if len(flares) >= FLARES_TO_ESCALATE:
        advice.append(
            f"Your back has flared up {FLARES_TO_ESCALATE} or more times in the last {weeks} "
            f"weeks: {SEE_A_CLINICIAN}."
        )
    spread = [d for d in spread_days(sessions, checkins) if d > since]
    if len(spread) >= SPREADS_TO_ESCALATE:
        advice.append(
            "Pain, tingling or numbness has spread into a buttock or leg more than once in the "
            f"last {weeks} weeks: {SEE_A_CLINICIAN}."
        )
    if no_improvement(checkins, today):
        advice.append(
            f"Your usual pain has not come down over the last {weeks} weeks: please see a "
            "clinician (your GP or a physiotherapist), who can look at what else may help."
        )
    if not advice:
        return Escalation()
    return Escalation(advice=(*advice, RECHECK), recheck_red_flags=True)
