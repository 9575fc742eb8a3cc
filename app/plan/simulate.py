"""Replay a made-up person through the real plan rules, day by day, as the server builds.

A scenario (JSON) says when the person starts, for how many weeks, on which days they train,
how their mornings go and how each exercise feels. Every morning the person checks in and the
plan is rebuilt (as `GET /api/plan` does on a new day); on a training day they do the week's
next session and the plan is rebuilt again (as a sync does). The result is each week's plan,
the changes the rules made and why. `spinewise simulate SCENARIO.json [--json]` prints it;
the scenarios in `scenarios/` are tests of the rules.

Pure apart from reading the catalogue: the same scenario always gives the same weeks.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.catalogue import Catalogue, Kind, load_catalogue
from app.plan.build import build_plan
from app.plan.doses import dose_minutes
from app.plan.records import (
    Change,
    ExerciseResult,
    History,
    MorningCheckIn,
    Onset,
    Plan,
    PlanExercise,
    PlanState,
    Region,
    SessionRecord,
)

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Score = int


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ByWeek(_Strict):
    """One list per week (the last repeats); each day takes its weekday's place in it."""

    by_week: list[list[Score]] = Field(min_length=1)


Series = Score | list[Score] | ByWeek


class Mornings(_Strict):
    """Morning pain and stiffness: a number, a list drawn from with `seed`, or by week."""

    pain: Series = 2
    stiffness: Series = 2
    seed: int = 0


class Answers(_Strict):
    """How every exercise feels, unless an override says otherwise."""

    pain: Score = Field(default=1, ge=0, le=10)
    effort: Score = Field(default=3, ge=0, le=10)
    fatigue_region: Region = "nowhere"
    fatigue_onset: Onset | Literal["did-not"] = "did-not"
    symptoms_spread: bool = False


class Override(_Strict):
    """Other answers for some weeks, days or one exercise (all of them when left out)."""

    weeks: list[int] | None = None
    days: list[Day] | None = None
    exercise: str | None = None
    pain: Score | None = Field(default=None, ge=0, le=10)
    effort: Score | None = Field(default=None, ge=0, le=10)
    fatigue_region: Region | None = None
    fatigue_onset: Onset | Literal["did-not"] | None = None
    symptoms_spread: bool | None = None

    def applies(self, week: int, day: Day, slug: str) -> bool:
        """The override covers this exercise on this day of this week."""
        return (
            (self.weeks is None or week in self.weeks)
            and (self.days is None or day in self.days)
            and (self.exercise is None or self.exercise == slug)
        )


class Scenario(_Strict):
    """A made-up person (see the module docstring); `equipment` is recorded, not yet used."""

    start: date
    weeks: int = Field(ge=1, le=260)
    training_days: list[Day] = Field(default_factory=lambda: ["tue", "thu", "sat"], min_length=1)
    equipment: list[str] = Field(default_factory=list)
    mornings: Mornings = Field(default_factory=Mornings)
    answers: Answers = Field(default_factory=Answers)
    overrides: list[Override] = Field(default_factory=list)


def _value(series: Series, rng: random.Random, week: int, weekday: int) -> int:
    if isinstance(series, int):
        return series
    if isinstance(series, list):
        return rng.choice(series)
    row = series.by_week[min(week, len(series.by_week)) - 1]
    return row[weekday % len(row)]


def _answers(scenario: Scenario, week: int, day: Day, slug: str) -> dict[str, Any]:
    answers = scenario.answers.model_dump()
    for o in scenario.overrides:
        if o.applies(week, day, slug):
            given = o.model_dump(exclude={"weeks", "days", "exercise"}, exclude_none=True)
            answers |= given
    return answers


def direction(change: Change, catalogue: Catalogue) -> str:
    """Which way a change went: up, down, same, add, remove or season."""
    if change.season_after is not None:
        return "season"
    if change.before is None:
        return "add"
    if change.after is None:
        return "remove"
    old, new = catalogue.by_slug[change.before.slug], catalogue.by_slug[change.after.slug]
    if old.slug != new.slug:
        step = (new.level > old.level) - (new.level < old.level)
        if change.after.slug == old.progression:
            step = 1
        elif change.after.slug == old.regression:
            step = -1
    else:

        def volume(p: Any) -> float:
            reps = sum(p.dose.reps_in_set(i) for i in range(p.dose.sets))
            return reps + (p.minutes_a_day or 0)

        step = (volume(change.after) > volume(change.before)) - (
            volume(change.after) < volume(change.before)
        )
    return {1: "up", -1: "down", 0: "same"}[step]


def _exercise(catalogue: Catalogue, x: PlanExercise) -> dict[str, Any]:
    exercise = catalogue.by_slug[x.slug]
    return {
        "slug": x.slug,
        "sets": x.dose.sets,
        "reps": x.dose.reps,
        "hold_seconds": exercise.hold_seconds if exercise.kind is Kind.HOLD else None,
        "minutes": x.minutes_a_day,
    }


def _change(catalogue: Catalogue, c: Change) -> dict[str, Any]:
    return {
        "day": c.day.isoformat(),
        "rule": c.rule,
        "exercise": c.exercise,
        "direction": direction(c, catalogue),
        "reason": c.reason,
    }


def simulate(catalogue: Catalogue, scenario: Scenario) -> dict[str, Any]:
    """Run the scenario; each week's plan (as built on its first day), changes and advice."""
    return replay(catalogue, scenario)[0]


def replay(catalogue: Catalogue, scenario: Scenario) -> tuple[dict[str, Any], PlanState, History]:
    """`simulate`, with the last stored state and the whole history (for property tests)."""
    rng = random.Random(scenario.mornings.seed)
    sessions: list[SessionRecord] = []
    checkins: list[MorningCheckIn] = []
    state: PlanState | None = None
    weeks: list[dict[str, Any]] = []
    done_this_week = 0
    yesterday: int | None = None
    for i in range(scenario.weeks * 7):
        today = scenario.start + timedelta(days=i)
        week, weekday = i // 7 + 1, i % 7
        day = DAYS[today.weekday()]
        pain = _value(scenario.mornings.pain, rng, week, weekday)
        stiffness = _value(scenario.mornings.stiffness, rng, week, weekday)
        compared = "same" if yesterday is None or pain == yesterday else "worse"
        if yesterday is not None and pain < yesterday:
            compared = "better"
        yesterday = pain
        checkins.append(
            MorningCheckIn(
                day=today,
                pain=pain,
                stiffness=stiffness,
                compared_with_yesterday=compared,
                fatigue_lingered=False,
            )
        )
        if weekday == 0:
            done_this_week = 0
            weeks.append({"week": week, "changes": []})
        plan = _build(catalogue, sessions, checkins, today, state, weeks)
        state = plan.state
        if weekday == 0:
            weeks[-1] = _week(catalogue, plan, week) | {"changes": weeks[-1]["changes"]}
        if day in scenario.training_days:
            session = plan.sessions[done_this_week % len(plan.sessions)]
            done_this_week += 1
            results = [
                ExerciseResult.model_validate(
                    {
                        "slug": x.slug,
                        "sets_done": x.dose.sets,
                        **_answers(scenario, week, day, x.slug),
                    }
                )
                for x in session.exercises
            ]
            sessions.append(SessionRecord(day=today, exercises=results))
            state = _build(catalogue, sessions, checkins, today, state, weeks).state
    assert state is not None
    return {"weeks": weeks}, state, History(sessions=sessions, checkins=checkins)


def _build(
    catalogue: Catalogue,
    sessions: Sequence[SessionRecord],
    checkins: Sequence[MorningCheckIn],
    today: date,
    state: PlanState | None,
    weeks: list[dict[str, Any]],
) -> Plan:
    plan = build_plan(catalogue, History(sessions=sessions, checkins=checkins), today, state)
    weeks[-1]["changes"] += [_change(catalogue, c) for c in plan.changes]
    return plan


def _week(catalogue: Catalogue, plan: Plan, number: int) -> dict[str, Any]:
    sessions = [
        {
            "number": s.number,
            "minutes": round(
                sum(dose_minutes(catalogue.by_slug[x.slug], x.dose) for x in s.exercises), 1
            ),
            "exercises": [_exercise(catalogue, x) for x in s.exercises],
        }
        for s in plan.sessions
    ]
    notes = sorted({x.note for s in plan.sessions for x in s.exercises if x.note})
    clinician = [n for n in notes if "clinician" in n and n not in plan.advice]
    return {
        "week": number,
        "starts_on": plan.day.isoformat(),
        "season": plan.season.value,
        "sessions": sessions,
        "advice": [*plan.advice, *clinician],
    }


def render(result: dict[str, Any]) -> str:
    """The weeks as text: the season, each session's exercises and minutes, the changes."""
    out = []
    for w in result["weeks"]:
        out.append(f"Week {w['week']} · {w['starts_on']} · {w['season'].title()}")
        for s in w["sessions"]:
            items = " · ".join(
                f"{x['slug']} {x['sets']}x{x['reps']}"
                + (f" (+{x['minutes']:g} min a day)" if x["minutes"] else "")
                for x in s["exercises"]
            )
            out.append(f"  session {s['number']} ({s['minutes']:g} min): {items}")
        for c in w["changes"]:
            what = f" {c['exercise']}" if c["exercise"] else ""
            out.append(f"  {c['day']} [{c['rule']}] {c['direction']}{what}: {c['reason']}")
        out += [f"  advice: {a}" for a in w["advice"]]
    return "\n".join(out)


def run(path: str | Path, catalogue: Catalogue, as_json: bool = False) -> str:
    """Load a scenario file, simulate it, and render it as text or JSON."""
    scenario = Scenario.model_validate_json(Path(path).read_text())
    result = simulate(catalogue, scenario)
    return json.dumps(result, indent=2, ensure_ascii=False) if as_json else render(result)


def main(path: str, as_json: bool = False) -> int:
    """`spinewise simulate`: print the replay of one scenario file."""
    print(run(path, load_catalogue(), as_json=as_json))
    return 0
