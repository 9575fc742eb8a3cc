"""Eight simulated weeks fed through the plan rules (app/plan/), printed as the plan's history.

A made-up person starts on Monday 6 January 2025, trains on Tuesdays, Thursdays and Saturdays
(the week's sessions 1, 2 and 3) and checks in every morning. Weeks 1 to 3 go well, with a few
fatigue signals for the rules to read; a flare-up starts on the Thursday of week 4; week 5 is
careful; weeks 6 to 8 recover. The plan is rebuilt every Monday from everything logged so far.
Every answer follows from the calendar and the plan, with no randomness: each run prints the
same history.

    .venv/bin/python scripts/plan_simulation.py
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from app.catalogue import Catalogue, Dose, Pattern, load_catalogue
from app.plan import (
    SEASON_WEEKS,
    Change,
    ExerciseResult,
    History,
    MorningCheckIn,
    Onset,
    Plan,
    PlanExercise,
    PlanState,
    Prescription,
    Region,
    SessionRecord,
    build_plan,
)

START = date(2025, 1, 6)  # a Monday
WEEKS = 8
SESSION_DAYS = (1, 3, 5)  # days after Monday: Tuesday, Thursday, Saturday
FIRST_MORNINGS = (3, 3, 2, 2, 2)  # the first five check-ins set the baseline: 2/10
USUAL_MORNING = 2
FLARE_SESSION = date(2025, 1, 28)  # Tuesday of week 4: the first hip exercise hurts, 7/10
MORNINGS = {date(2025, 1, 29): 6, date(2025, 1, 30): 4, date(2025, 1, 31): 3}  # the flare-up
LINGERED = {date(2025, 1, 29), date(2025, 1, 30)}
SKIPPED = {date(2025, 1, 30)}  # no session the Thursday after the flare-up
CAREFUL_WEEK = 5  # a little more effort and pain than usual
FITTER_FROM_WEEK = 6  # the same work feels one point easier


@dataclass(frozen=True)
class Week:
    """One simulated week: the plan built on its Monday, what was done, and what stood out."""

    number: int
    plan: Plan
    sessions: list[SessionRecord]
    events: list[str]


def week_of(day: date) -> int:
    """The simulated week (1 to 8) that `day` falls in."""
    return (day - START).days // 7 + 1


def morning(day: date) -> MorningCheckIn:
    """The scripted check-in of one morning."""
    i = (day - START).days
    pain = FIRST_MORNINGS[i] if i < len(FIRST_MORNINGS) else MORNINGS.get(day, USUAL_MORNING)
    return MorningCheckIn(day=day, pain=pain, fatigue_lingered=day in LINGERED)


def _extra_volume(catalogue: Catalogue, slug: str, dose: Dose) -> int:
    base = catalogue.by_slug[slug].dose
    return max(0, dose.sets - base.sets) + max(0, dose.reps_in_set(0) - base.reps_in_set(0))


def perform(
    catalogue: Catalogue, item: PlanExercise, day: date, hip_work_first: bool
) -> tuple[ExerciseResult, str | None]:
    """How the person does one exercise on `day`, and a line for the log if it stood out."""
    exercise = catalogue.by_slug[item.slug]
    week = week_of(day)
    # Harder exercises and more volume feel harder; a careful week adds a point, fitness takes one.
    effort = exercise.level + 1 + _extra_volume(catalogue, item.slug, item.dose)
    effort += (week == CAREFUL_WEEK) - (week >= FITTER_FROM_WEEK)
    pain = 2 if week == CAREFUL_WEEK else 1
    region: Region = "nowhere"
    onset: Onset | Literal["did-not"] = "did-not"
    event = None
    if day == FLARE_SESSION:
        if hip_work_first:  # the session's first bridge or hinge
            pain, region, onset = 7, "lower-back", Onset(set=1, rep=5)
            event = f"pain 7/10 in {exercise.name}, the lower back tiring first"
        else:
            pain, effort = 3, effort + 1
    elif week == 2 and item.slug == "front-plank-knees":
        region, onset = "abdomen", Onset(set=1)
        event = f"{exercise.name}: the abdomen tired in the first set of holds"
    elif week == 3 and item.slug == "dowel-hinge":
        region, onset = "lower-back", Onset(set=1, rep=4)
        event = f"{exercise.name}: the lower back tired first (early in the first set)"
    elif week in (2, 3) and item.slug == "wall-slide":
        region, onset = "upper-back-neck", Onset(set=1, rep=3)
        event = f"{exercise.name}: the neck and shoulders tired early (set 1, rep 3)"
    elif week == CAREFUL_WEEK and day.weekday() == 3 and exercise.pattern is Pattern.BRACE:
        pain = 4
        event = f"pain 4/10 in {exercise.name}"
    result = ExerciseResult(
        slug=item.slug,
        sets_done=item.dose.sets,
        effort=max(0, min(10, effort)),
        pain=pain,
        fatigue_region=region,
        fatigue_onset=onset,
    )
    return result, event


def simulate(catalogue: Catalogue) -> list[Week]:
    """Run the eight weeks: build on Monday, train, check in, and feed it all back next Monday."""
    end = START + timedelta(weeks=WEEKS)
    checkins = [morning(START + timedelta(days=i)) for i in range((end - START).days)]
    sessions: list[SessionRecord] = []
    state: PlanState | None = None
    weeks = []
    for number in range(1, WEEKS + 1):
        monday = START + timedelta(weeks=number - 1)
        plan = build_plan(catalogue, History(sessions=sessions, checkins=checkins), monday, state)
        state = plan.state
        done: list[SessionRecord] = []
        events: list[tuple[date, str]] = []
        for offset, session in zip(SESSION_DAYS, plan.sessions, strict=True):
            day = monday + timedelta(days=offset)
            if day in SKIPPED:
                events.append((day, f"{day:%a %Y-%m-%d}: session skipped"))
                continue
            hip_work = [
                e.slug
                for e in session.exercises
                if catalogue.by_slug[e.slug].pattern in (Pattern.BRIDGE, Pattern.HINGE, Pattern.HIP)
            ]
            results = []
            for item in session.exercises:
                first_hip_work = item.slug == (hip_work[0] if hip_work else None)
                result, event = perform(catalogue, item, day, first_hip_work)
                results.append(result)
                if event:
                    events.append((day, f"{day:%a %Y-%m-%d}: {event}"))
            done.append(SessionRecord(day=day, exercises=results))
        for c in checkins:
            if monday <= c.day < monday + timedelta(weeks=1) and (c.pain > 2 or c.fatigue_lingered):
                lingered = ", fatigue lingered" if c.fatigue_lingered else ""
                text = f"{c.day:%a %Y-%m-%d}: morning pain {c.pain}/10{lingered}"
                events.append((c.day, text))
        sessions += done
        weeks.append(Week(number, plan, done, [text for _, text in sorted(events)]))
    return weeks


def dose_label(dose: Dose) -> str:
    reps = "-".join(map(str, dose.reps)) if isinstance(dose.reps, list) else str(dose.reps)
    return f"{dose.sets}\u00d7{reps}"


def label(catalogue: Catalogue, p: Prescription) -> str:
    text = f"{catalogue.by_slug[p.slug].name} {dose_label(p.dose)}"
    if p.minutes_a_day is not None:
        text += f", and a {p.minutes_a_day:g}-minute walk a day"
    return f"{catalogue.by_slug[p.primer].name} first, then {text}" if p.primer else text


def change_line(catalogue: Catalogue, c: Change) -> str:
    if c.season_after:
        before = c.season_before.title() if c.season_before else "-"
        what = f"season: {before} → {c.season_after.title()}"
    else:
        before = label(catalogue, c.before) if c.before else "(not in the plan)"
        after = label(catalogue, c.after) if c.after else "(out of the plan)"
        what = f"{before} → {after}"
    return f"  [{c.rule}] {c.day}  {what}\n      {c.reason}"


def render(catalogue: Catalogue, weeks: list[Week]) -> str:
    """The plan history as text: each week's season, its changes with rule and reason, its week."""
    out = [
        f"Spinewise plan simulation: {WEEKS} weeks from Monday {START}; sessions on Tuesday, "
        "Thursday and Saturday; a check-in every morning.",
        "",
    ]
    for week in weeks:
        plan = week.plan
        baseline = f"{plan.baseline_pain:g}/10" if plan.baseline_pain is not None else "not yet"
        out.append(
            f"Week {week.number} · Mon {plan.day} · {plan.season.title()} (season week "
            f"{plan.season_week} of {SEASON_WEEKS[plan.season]}) · cycle {plan.cycle} · "
            f"baseline pain {baseline}"
        )
        if week.number == 1:
            slugs = sorted({e.slug for s in plan.sessions for e in s.exercises})
            out.append(f"  starts with {len(slugs)} exercises")
        out += [change_line(catalogue, c) for c in plan.changes] or ["  no changes"]
        for offset, session in zip(SESSION_DAYS, plan.sessions, strict=True):
            day = plan.day + timedelta(days=offset)
            items = " · ".join(f"{e.name} {dose_label(e.dose)}" for e in session.exercises)
            out.append(f"  {day:%a} session {session.number}: {items}")
        out += [f"  logged {event}" for event in week.events]
        out.append("")
    rules = Counter(c.rule for w in weeks for c in w.plan.changes)
    out.append("Seasons by week: " + ", ".join(w.plan.season.value for w in weeks))
    out.append("Changes by rule: " + ", ".join(f"{r} {n}" for r, n in sorted(rules.items())))
    return "\n".join(out)


def main() -> None:
    catalogue = load_catalogue()
    print(render(catalogue, simulate(catalogue)))


if __name__ == "__main__":
    main()
