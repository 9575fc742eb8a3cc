"""The week's sessions (app/plan/week.py): floor work grouped, so nobody goes down to the floor
and up again more than once a session."""

import json
from functools import cache
from pathlib import Path

import pytest

from app.catalogue import Catalogue, Position, load_catalogue
from app.plan.records import Track
from app.plan.simulate import Scenario, replay
from app.plan.week import FLOOR, floor_work_together

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


def track(slug: str, primer: str | None = None) -> Track:
    return Track(slug=slug, sets=1, since="2025-01-06", primer=primer)


def floor_then_up(slugs: list[str]) -> bool:
    """Whether the floor exercises all come before the others."""
    down = [catalogue().by_slug[s].position in FLOOR for s in slugs]
    return down == sorted(down, reverse=True)


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        # standing, floor, standing, floor → the floor ones first, each group in its order
        (
            ["wall-slide", "glute-bridge", "sit-to-stand", "bird-dog"],
            ["glute-bridge", "bird-dog", "wall-slide", "sit-to-stand"],
        ),
        # already grouped: unchanged
        (["cat-camel", "dead-bug", "step-up"], ["cat-camel", "dead-bug", "step-up"]),
        # only standing work: unchanged
        (["sit-to-stand", "wall-slide"], ["sit-to-stand", "wall-slide"]),
    ],
)
def test_floor_work_comes_first_and_each_group_keeps_its_order(session, expected):
    assert all(catalogue().by_slug[s].position for s in session)
    out = floor_work_together(catalogue(), [track(s) for s in session])
    assert [t.slug for t in out] == expected


def test_a_primer_stays_just_before_the_exercise_it_prepares():
    # A standing primer before a floor exercise goes down with it.
    assert catalogue().by_slug["wall-slide"].position is Position.STANDING
    session = [
        track("sit-to-stand"),
        track("wall-slide"),
        track("glute-bridge", primer="wall-slide"),
    ]
    out = [t.slug for t in floor_work_together(catalogue(), session)]
    assert out == ["wall-slide", "glute-bridge", "sit-to-stand"]


def test_a_floor_primer_of_a_standing_exercise_ends_the_floor_work():
    # Clamshell (side-lying) primes the dowel hinge (standing): the clamshell is the last thing
    # on the floor and the hinge the first thing up, so the person gets down only once.
    session = [
        track("supine-breathing"),
        track("wall-slide"),
        track("clamshell"),
        track("dowel-hinge", primer="clamshell"),
        track("bird-dog"),
    ]
    out = [t.slug for t in floor_work_together(catalogue(), session)]
    assert out == ["supine-breathing", "bird-dog", "clamshell", "dowel-hinge", "wall-slide"]
    assert floor_then_up(out)


@pytest.mark.parametrize("name", sorted(p.stem for p in SCENARIOS.glob("*.json")))
def test_no_session_of_any_scenario_goes_down_to_the_floor_twice(name):
    scenario = Scenario.model_validate(json.loads((SCENARIOS / f"{name}.json").read_text()))
    result, _, _ = replay(catalogue(), scenario)
    for week in result["weeks"]:
        for session in week["sessions"]:
            slugs = [e["slug"] for e in session["exercises"]]
            assert floor_then_up(slugs), (week["week"], slugs)
