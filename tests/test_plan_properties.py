"""Property tests of the plan rules over random histories (Hypothesis), through the replay.

A made-up person with random mornings and random answers is run day by day for a few weeks;
whatever they log, the rules keep their promises."""

import itertools
from datetime import date, timedelta
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalogue import Catalogue, load_catalogue
from app.plan import MAX_UP_PER_WEEK, MAX_WEEKLY_GROWTH, build_plan, level_cap
from app.plan.simulate import Answers, Mornings, Override, Scenario, replay

START = date(2025, 1, 6)
WEEKS = 4


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


scores = st.integers(min_value=0, max_value=10)
people = st.builds(
    Scenario,
    start=st.just(START),
    weeks=st.just(WEEKS),
    mornings=st.builds(
        Mornings,
        pain=st.lists(st.integers(0, 7), min_size=1, max_size=3),
        stiffness=st.lists(st.integers(0, 7), min_size=1, max_size=3),
        seed=st.integers(0, 10_000),
    ),
    answers=st.builds(Answers, pain=st.integers(0, 6), effort=st.integers(0, 8)),
    overrides=st.lists(
        st.builds(
            Override,
            weeks=st.just([2]),
            days=st.just(["thu"]),
            pain=st.one_of(st.none(), scores),
            effort=st.one_of(st.none(), scores),
            symptoms_spread=st.one_of(st.none(), st.booleans()),
        ),
        max_size=1,
    ),
)


@settings(max_examples=12, deadline=None)
@given(people)
def test_whatever_is_logged_the_rules_keep_their_promises(scenario):
    result, state, history = replay(catalogue(), scenario)
    changes = [c for w in result["weeks"] for c in w["changes"]]
    # Every change says why, in a sentence.
    assert all(c["reason"].endswith(".") and len(c["reason"]) > 20 for c in changes)
    # At most two exercises go up in any seven days.
    ups = [
        date.fromisoformat(c["day"])
        for c in changes
        if c["rule"] == "progress_after_two_easy_sessions"
    ]
    for day in ups:
        assert sum(day <= d < day + timedelta(days=7) for d in ups) <= MAX_UP_PER_WEEK
    # The week's exercise time grows at most 15 % week on week.
    minutes = [sum(s["minutes"] for s in w["sessions"]) for w in result["weeks"]]
    for before, after in itertools.pairwise(minutes):
        assert after <= before * (1 + MAX_WEEKLY_GROWTH) + 0.1, minutes
    # Nothing above the cycle's level cap (the first cycle: level 3).
    levels = [
        catalogue().by_slug[x["slug"]].level
        for w in result["weeks"]
        for s in w["sessions"]
        for x in s["exercises"]
    ]
    assert max(levels) <= level_cap(1)
    # Rebuilding from the same history changes nothing.
    again = build_plan(catalogue(), history, state.built_on, state)
    assert again.changes == [] and again.state.tracks == state.tracks
