"""`GET /api/plan`: the stored plan, rebuilt from what syncs bring, equal to what the rules say;
and several app processes on one database rebuilding as one."""

import csv
import io
import multiprocessing
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app import planning
from app.catalogue import UNSAID_EQUIPMENT, Catalogue
from app.models import PlanChange, StoredPlan, User
from app.plan import (
    ExerciseResult,
    History,
    MorningCheckIn,
    PlanState,
    SessionRecord,
    build_plan,
)

from records import checkin, session_log

MONDAY = date(2025, 3, 3)
# The seasons' and the cycle's names in the code, never in a sentence a person reads: Today
# and the reasons say "settling in", "building", "making it stick" and "round".
JARGON = re.compile(r"\b(Control|Build|Consolidate)\b|(?i:\b(cycles?|seasons?)\b)")


def sentences(answer: Any) -> list[str]:
    """Every text in an API answer that a person reads: the strings with a space in them."""
    if isinstance(answer, dict):
        return [t for v in answer.values() for t in sentences(v)]
    if isinstance(answer, list):
        return [t for v in answer for t in sentences(v)]
    return [answer] if isinstance(answer, str) and " " in answer else []


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Callable[[date], None]:
    """Set the server's date."""

    def set_today(day: date) -> None:
        def server_today(utc_offset: timedelta = timedelta(0)) -> date:
            # Noon UTC on `day`: an offset beyond twelve hours moves to the next day.
            return (datetime.combine(day, time(12), UTC) + utc_offset).date()

        monkeypatch.setattr(planning, "server_today", server_today)

    set_today(MONDAY)
    return set_today


def get_plan(client: TestClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = client.get("/api/plan", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def done(slug: str, sets: int, pain: int = 1, effort: int = 3, **fields: Any) -> dict[str, Any]:
    """An exercise as the app sends it: all sets done, easy, no fatigue unless told."""
    answers = {"fatigue_region": "nowhere", "fatigue_onset": "did-not"} | fields
    return {"slug": slug, "sets_done": sets, "effort": effort, "pain": pain, **answers}


def logged(day: date, exercises: list[dict[str, Any]]) -> dict[str, Any]:
    """A session done on `day` in the evening, in a time zone eight hours behind UTC: its UTC
    start falls on the next day, and only its own `day` pairs it with the right morning."""
    start = datetime.combine(day, time(20, 0), timezone(timedelta(hours=-8)))
    return session_log(
        day=day.isoformat(),
        started_at=start.isoformat(),
        ended_at=(start + timedelta(minutes=25)).isoformat(),
        updated_at=(start + timedelta(minutes=25)).isoformat(),
        exercises=exercises,
    )


def morning(day: date, pain: int = 2, lingered: bool = False) -> dict[str, Any]:
    return checkin(day=day.isoformat(), pain=pain, fatigue_lingered=lingered)


def sync(client: TestClient, headers: dict[str, str], sessions=(), checkins=()) -> dict[str, Any]:
    response = client.post(
        "/api/sync",
        headers=headers,
        json={"sessions": list(sessions), "checkins": list(checkins)},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["rejected"] == [], body["rejected"]
    return body


def as_history(sessions: list[dict[str, Any]], checkins: list[dict[str, Any]]) -> History:
    """What the pure rules read from the same records."""
    return History(
        sessions=[
            SessionRecord(
                day=date.fromisoformat(s["day"]),
                exercises=[ExerciseResult.model_validate(e) for e in s["exercises"]],
            )
            for s in sessions
        ],
        checkins=[MorningCheckIn.model_validate(c) for c in checkins],
    )


def week_of_sessions(plan: dict[str, Any], monday: date, **answers: Any) -> list[dict[str, Any]]:
    """The week's three planned sessions on Tuesday, Thursday and Saturday, as planned."""
    return [
        logged(
            monday + timedelta(days=offset),
            [done(x["slug"], x["dose"]["sets"], **answers) for x in session["exercises"]],
        )
        for offset, session in zip((1, 3, 5), plan["sessions"], strict=True)
    ]


def plan_changes(db: Session) -> int:
    return db.exec(select(func.count()).select_from(PlanChange)).one()


def test_the_plan_needs_an_account(client):
    response = client.get("/api/plan")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_new_account_starts_in_control_with_reasons_for_every_exercise(
    client, alice, today, catalogue: Catalogue
):
    plan = get_plan(client, alice)
    assert plan["season"] == "control" and plan["cycle"] == 1
    assert plan["week"] == 1 and plan["season_week"] == 1
    assert plan["started_on"] == plan["built_on"] == plan["week_starts_on"] == MONDAY.isoformat()
    assert plan["season_started_on"] == MONDAY.isoformat()
    assert plan["season_ends_on"] == (MONDAY + timedelta(weeks=2)).isoformat()
    assert plan["baseline_pain"] is None
    assert len(plan["sessions"]) == 3
    for session in plan["sessions"]:
        patterns = {catalogue.by_slug[x["slug"]].pattern for x in session["exercises"]}
        assert "breath" in patterns and patterns & {"mobility", "rotation"}  # the blocks
        for x in session["exercises"]:
            exercise = catalogue.by_slug[x["slug"]]
            assert x["name"] == exercise.name and x["why"] == exercise.purpose
            assert x["protects"] == exercise.protects
            assert x["prepares_for"] == exercise.prepares_for
            assert x["dose"]["sets"] >= 1 and exercise.level <= 2  # a gentle start


def test_the_plan_is_built_once_a_day_and_kept(client, alice, today, db: Session):
    first = get_plan(client, alice)
    stored = db.exec(select(StoredPlan)).one()
    changes = plan_changes(db)
    again = get_plan(client, alice)
    db.expire_all()
    assert again == first
    assert db.exec(select(StoredPlan)).one().updated_at == stored.updated_at  # not rebuilt
    assert plan_changes(db) == changes


def test_a_sync_with_new_logs_rebuilds_the_plan_as_the_rules_say(
    client, alice, today, db: Session, catalogue: Catalogue
):
    """Three easy weeks through the API: the stored plan is, every Monday, the rules' plan."""
    plan = get_plan(client, alice)
    first_checkins = [morning(MONDAY + timedelta(days=n)) for n in range(22)]
    sessions: list[dict[str, Any]] = []
    # An account that has not said what it has is planned for a mat, a chair and a wall.
    expected = build_plan(catalogue, History(), MONDAY, have=UNSAID_EQUIPMENT)
    for week in range(3):
        monday = MONDAY + timedelta(weeks=week)
        week_sessions = week_of_sessions(plan, monday)
        sessions += week_sessions
        next_monday = monday + timedelta(days=7)
        sent = [c for c in first_checkins if week == 0 or date.fromisoformat(c["day"]) > monday]
        mornings = [c for c in sent if date.fromisoformat(c["day"]) <= next_monday]
        today(next_monday)
        sync(client, alice, week_sessions, mornings)
        # The sync had the plan rebuilt, for the server's date, before anyone asked for it.
        assert client.app.state.rebuilds.wait_idle()
        stored = db.exec(select(StoredPlan)).one()
        db.refresh(stored)
        assert stored.built_on == next_monday
        plan = get_plan(client, alice)
        so_far = [c for c in first_checkins if date.fromisoformat(c["day"]) <= next_monday]
        expected = build_plan(
            catalogue,
            as_history(sessions, so_far),
            next_monday,
            expected.state,
            have=UNSAID_EQUIPMENT,
        )
        assert plan["season"] == expected.season.value
        assert plan["week"] == expected.week == week + 2
        assert plan["sessions"] == [s.model_dump(mode="json") for s in expected.sessions]
    assert plan["season"] == "build"  # two weeks of settling in are over
    rules = {c["rule"] for c in plan["recent_changes"]}
    assert "advance_season" in rules and "progress_after_two_easy_sessions" in rules
    # The season's values stay the API's; what a person reads is in plain words.
    season = next(c for c in plan["recent_changes"] if c["rule"] == "advance_season")
    assert (season["season_before"], season["season_after"]) == ("control", "build")
    assert season["reason"].startswith("2 weeks of settling in are done: 4 weeks of building")
    read = sentences(plan)
    assert read and [t for t in read if JARGON.search(t)] == []
    progressed = [
        x
        for s in plan["sessions"]
        for x in s["exercises"]
        if x["changed"] and x["changed"]["rule"] == "progress_after_two_easy_sessions"
    ]
    assert progressed and all("easy" in x["changed"]["reason"].lower() for x in progressed)
    # Every change the rules made is stored once, in order.
    stored_rules = [r.rule for r in db.exec(select(PlanChange).order_by(PlanChange.id))]
    assert stored_rules == [c.rule for c in expected.state.changes]


def test_pain_above_5_steps_the_exercise_back_for_the_next_session(
    client, alice, today, catalogue: Catalogue
):
    plan = get_plan(client, alice)
    first = plan["sessions"][0]["exercises"]
    # One that can be eased: a single set whose easier step is already in the plan holds.
    hurt = next(
        x for x in first if catalogue.by_slug[x["slug"]].kind == "reps" and x["dose"]["sets"] > 1
    )
    answers = [
        done(x["slug"], x["dose"]["sets"], pain=7 if x["slug"] == hurt["slug"] else 1)
        for x in first
    ]
    today(MONDAY + timedelta(days=2))
    sync(
        client,
        alice,
        [logged(MONDAY + timedelta(days=1), answers)],
        [morning(MONDAY + timedelta(days=2))],
    )
    plan = get_plan(client, alice)
    now = {x["slug"]: x for s in plan["sessions"] for x in s["exercises"]}
    change = next(c for c in plan["recent_changes"] if c["rule"] == "pain_monitoring")
    assert change["before"]["slug"] == hurt["slug"]
    assert "7/10" in change["reason"]
    after = change["after"]
    shown = now[after["slug"]]
    assert shown["changed"]["reason"] == change["reason"]  # the reason sits by the exercise
    eased = after["slug"] != hurt["slug"] or after["dose"]["sets"] < hurt["dose"]["sets"]
    assert eased


def test_a_new_accounts_first_session_today_counts_once(
    client, alice, today, db: Session, catalogue: Catalogue
):
    """The plan is made this morning, the first session is this afternoon: 8/10 changes it."""
    plan = get_plan(client, alice)
    first = plan["sessions"][0]["exercises"]
    held = {x["slug"] for s in plan["sessions"] for x in s["exercises"]}
    # One that steps back along its chain: its easier step is not in the plan already and
    # needs nothing beyond what an account is assumed to have until it says.
    hurt = next(
        x
        for x in first
        if (reg := catalogue.by_slug[x["slug"]].regression) not in {None, *held}
        and set(catalogue.by_slug[reg].equipment) <= UNSAID_EQUIPMENT
    )
    answers = [
        done(x["slug"], x["dose"]["sets"], pain=8 if x["slug"] == hurt["slug"] else 1)
        for x in first
    ]
    sync(client, alice, [logged(MONDAY, answers)])
    assert client.app.state.rebuilds.wait_idle()
    plan = get_plan(client, alice)
    changes = [c for c in plan["recent_changes"] if c["rule"] == "pain_monitoring"]
    assert [c["before"]["slug"] for c in changes] == [hurt["slug"]]
    assert "8/10" in changes[0]["reason"]
    now = {x["slug"] for s in plan["sessions"] for x in s["exercises"]}
    assert hurt["slug"] not in now and changes[0]["after"]["slug"] in now
    # Asked again, today or tomorrow, the same session changes nothing more.
    stored_changes = plan_changes(db)
    assert get_plan(client, alice) == plan
    today(MONDAY + timedelta(days=1))
    tomorrow = get_plan(client, alice)
    assert tomorrow["sessions"] == plan["sessions"]
    assert plan_changes(db) == stored_changes


def test_a_sync_that_brings_nothing_new_does_not_rebuild(client, alice, today, db: Session):
    get_plan(client, alice)
    stored = db.exec(select(StoredPlan)).one()
    sync(client, alice)
    assert client.app.state.rebuilds.wait_idle()
    db.refresh(stored)
    assert stored.built_from == 0 and stored.built_on == MONDAY


def test_one_accounts_logs_never_shape_another_accounts_plan(client, alice, bob, today):
    alices = get_plan(client, alice)
    bobs = get_plan(client, bob)
    painful = [done(x["slug"], x["dose"]["sets"], pain=8) for x in bobs["sessions"][0]["exercises"]]
    today(MONDAY + timedelta(days=2))
    sync(client, bob, [logged(MONDAY + timedelta(days=1), painful)])
    assert get_plan(client, bob)["recent_changes"] != bobs["recent_changes"]
    assert get_plan(client, alice)["sessions"] == alices["sessions"]


def test_the_plan_is_built_for_the_persons_own_date(client, alice, today):
    """At noon UTC it is already tomorrow in Kiritimati (UTC+14)."""
    assert get_plan(client, alice, utc_offset=14 * 60)["built_on"] == "2025-03-04"
    # A client behind the last build gets the plan as built; it never goes back a day.
    assert get_plan(client, alice, utc_offset=-8 * 60)["built_on"] == "2025-03-04"
    for bad in ({"utc_offset": 15 * 60}, {"utc_offset": "west"}, {"today": "2025-03-04"}):
        response = client.get("/api/plan", headers=alice, params=bad)
        assert response.status_code == 422, bad
        assert next(iter(bad)) in response.text


def a_painful_tuesday(client: TestClient, headers: dict[str, str], today) -> dict[str, Any]:
    """The first session of the week hurt (7/10) throughout; the plan as it then stands."""
    plan = get_plan(client, headers)
    hurt = [done(x["slug"], x["dose"]["sets"], pain=7) for x in plan["sessions"][0]["exercises"]]
    today(MONDAY + timedelta(days=2))
    sync(client, headers, [logged(MONDAY + timedelta(days=1), hurt)])
    return get_plan(client, headers)


def test_deleting_the_account_deletes_its_plan_and_history(client, alice, today, db: Session):
    a_painful_tuesday(client, alice, today)
    assert plan_changes(db) > 0
    assert client.delete("/api/me", headers=alice).status_code == 204
    assert db.exec(select(StoredPlan)).all() == []
    assert plan_changes(db) == 0
    assert db.exec(select(User)).all() == []


def test_the_export_holds_the_plans_history_of_changes(client, alice, today):
    plan = a_painful_tuesday(client, alice, today)
    exported = client.get("/api/me/export", headers=alice).json()
    assert plan["recent_changes"]
    assert exported["plan_changes"] == plan["recent_changes"][::-1]  # oldest first


def test_a_session_counts_on_the_persons_own_date(db: Session, client, alice, today):
    """Started at 20:00 in UTC-8 on Tuesday is Wednesday in UTC; the plan reads Tuesday."""
    record = logged(MONDAY + timedelta(days=1), [done("glute-bridge", 2)])
    old = session_log(started_at="2025-03-05T03:00:00Z", ended_at="2025-03-05T03:20:00Z")
    sync(client, alice, [record, old])
    user = db.exec(select(User)).one()
    days = sorted(s.day for s in planning.load_history(db, user.id).sessions)
    assert days == [MONDAY + timedelta(days=1), date(2025, 3, 5)]  # one given, one from UTC


def test_a_build_that_lost_the_race_to_another_writes_nothing(
    client, alice, today, db: Session, catalogue: Catalogue
):
    """Two builds read the same plan; the second to store finds the first's and stands down."""
    a_painful_tuesday(client, alice, today)
    user = db.exec(select(User)).one()
    read = db.get(StoredPlan, user.id)
    assert read is not None
    seen = (read.built_from, read.updated_at)
    changes = plan_changes(db)
    today(MONDAY + timedelta(days=3))
    first = planning.rebuild(db, catalogue, user.id, MONDAY + timedelta(days=3), read, 1)
    assert first is not None and first.built_on == MONDAY + timedelta(days=3)
    stale = StoredPlan(**{**first.model_dump(), "built_from": seen[0], "updated_at": seen[1]})
    stale.built_on = MONDAY + timedelta(days=2)
    assert planning.rebuild(db, catalogue, user.id, MONDAY + timedelta(days=3), stale, 1) is None
    db.expire_all()
    assert db.get(StoredPlan, user.id).updated_at == first.updated_at
    assert plan_changes(db) == changes  # nothing new to change on a quiet day, nothing doubled


def test_symptoms_that_spread_by_the_next_morning_ease_the_exercises_of_the_day_before(
    client, alice, today, catalogue: Catalogue
):
    plan = get_plan(client, alice)
    first = plan["sessions"][0]["exercises"]
    easy = [done(x["slug"], x["dose"]["sets"]) for x in first]
    spread = checkin(day=(MONDAY + timedelta(days=2)).isoformat(), symptoms_spread=True)
    today(MONDAY + timedelta(days=2))
    sync(client, alice, [logged(MONDAY + timedelta(days=1), easy)], [spread])
    changes = [
        c for c in get_plan(client, alice)["recent_changes"] if c["rule"] == "pain_monitoring"
    ]
    eased = {c["before"]["slug"] for c in changes}
    reps = {x["slug"] for x in first if catalogue.by_slug[x["slug"]].kind == "reps"}
    assert reps and reps <= eased <= {x["slug"] for x in first}
    assert all("symptoms spread" in c["reason"] for c in changes)
    exported = client.get("/api/me/export", headers=alice, params={"format": "csv"}).text
    assert exported.splitlines()[0].split(",").count("symptoms_spread") == 1
    [morning] = [r for r in csv.DictReader(io.StringIO(exported)) if r["record"] == "checkin"]
    assert (morning["fatigue_lingered"], morning["symptoms_spread"]) == ("no", "yes")


def test_symptoms_that_spread_during_an_exercise_step_that_exercise_back(
    client, alice, today, catalogue: Catalogue
):
    plan = get_plan(client, alice)
    first = plan["sessions"][0]["exercises"]
    spread, *rest = [x for x in first if catalogue.by_slug[x["slug"]].kind == "reps"]
    exercises = [done(spread["slug"], spread["dose"]["sets"], symptoms_spread=True)]
    exercises += [done(x["slug"], x["dose"]["sets"]) for x in rest]
    today(MONDAY + timedelta(days=1))
    sync(client, alice, [logged(MONDAY + timedelta(days=1), exercises)])
    stored = client.get("/api/me/export", headers=alice).json()["sessions"][0]["exercises"]
    assert [e["symptoms_spread"] for e in stored] == [True] + [False] * len(rest)
    changes = [
        c for c in get_plan(client, alice)["recent_changes"] if c["rule"] == "pain_monitoring"
    ]
    assert [c["before"]["slug"] for c in changes] == [spread["slug"]]
    assert "symptoms spread" in changes[0]["reason"]
    refused = done(spread["slug"], 1, symptoms_spread="yes")
    response = client.post(
        "/api/sync",
        headers=alice,
        json={"sessions": [logged(MONDAY + timedelta(days=1), [refused])], "checkins": []},
    )
    assert "symptoms_spread" in response.json()["rejected"][0]["reason"]


def test_the_plan_advises_a_clinician_and_a_new_look_at_the_red_flags_when_pain_stays(
    client, alice, today
):
    plan = get_plan(client, alice)
    assert (plan["advice"], plan["recheck_red_flags"]) == ([], False)
    sync(client, alice, checkins=[morning(MONDAY + timedelta(days=n), pain=5) for n in range(50)])
    today(MONDAY + timedelta(days=49))
    plan = get_plan(client, alice)
    assert plan["recheck_red_flags"] is True
    assert "not come down over the last 6 weeks" in plan["advice"][0]
    assert "GP or a physiotherapist" in plan["advice"][0]


def test_symptoms_that_spread_in_a_skipped_exercise_still_count(client, alice, today):
    plan = get_plan(client, alice)
    slug = plan["sessions"][0]["exercises"][1]["slug"]
    spread = done(slug, 0, skipped=True, symptoms_spread=True)
    today(MONDAY + timedelta(days=3))
    for n in (1, 3):
        sync(client, alice, [logged(MONDAY + timedelta(days=n), [spread])])
    plan = get_plan(client, alice)
    assert plan["recheck_red_flags"] and "spread into a buttock or leg" in plan["advice"][0]
    assert any(c["before"] and c["before"]["slug"] == slug for c in plan["recent_changes"])


def test_a_skipped_exercise_is_stored_as_skipped_and_is_never_an_easy_session(
    client, alice, bob, today
):
    """Three weeks of the planned sessions, every set done and easy, for both; Bob skipped
    every exercise on his last set. His plan never progresses on them; Alice's does."""
    plans = {"alice": get_plan(client, alice), "bob": get_plan(client, bob)}
    for week in range(3):
        monday = MONDAY + timedelta(weeks=week)
        today(monday + timedelta(days=7))
        for name, headers in (("alice", alice), ("bob", bob)):
            mornings = [morning(monday + timedelta(days=n)) for n in range(1, 8)]
            week_sessions = week_of_sessions(plans[name], monday)
            if name == "bob":
                for s in week_sessions:
                    s["exercises"] = [e | {"skipped": True} for e in s["exercises"]]
            sync(client, headers, week_sessions, mornings)
            plans[name] = get_plan(client, headers)

    def stored(headers: dict[str, str]) -> list[bool]:
        sessions = client.get("/api/sessions", headers=headers).json()["sessions"]
        return [e["skipped"] for s in sessions for e in s["exercises"]]

    assert stored(bob) and all(stored(bob))
    assert stored(alice) and not any(stored(alice))

    def progressed(plan: dict[str, Any]) -> list[dict[str, Any]]:
        rule = "progress_after_two_easy_sessions"
        return [c for c in plan["recent_changes"] if c["rule"] == rule]

    assert progressed(plans["alice"])
    assert progressed(plans["bob"]) == []


def test_a_skipped_exercise_may_be_unanswered_a_finished_one_may_not(client, alice):
    unanswered = {
        "slug": "glute-bridge",
        "sets_done": 0,
        "reps_done": 3,
        "effort": None,
        "pain": 7,
        "fatigue_region": None,
        "fatigue_onset": None,
    }
    body = client.post(
        "/api/sync",
        headers=alice,
        json={
            "sessions": [
                session_log(exercises=[unanswered | {"skipped": True}]),
                session_log(exercises=[unanswered | {"pain": 3}]),
                session_log(exercises=[unanswered | {"skipped": 1}]),  # strictly a boolean
            ]
        },
    ).json()
    assert len(body["stored"]) == 1
    first, second = (r["reason"] for r in body["rejected"])
    # Done to its end, then pain 8 and "Stop the session" before the other answers: kept.
    stopped = session_log(exercises=[unanswered | {"sets_done": 2, "pain": 8}])
    answer = client.post("/api/sync", headers=alice, json={"sessions": [stopped]}).json()
    assert answer["rejected"] == [] and len(answer["stored"]) == 1
    assert "all four answers" in first
    assert "skipped" in second and "boolean" in second


def test_pain_above_5_in_a_skipped_exercise_still_eases_the_plan(client, alice, today):
    before = get_plan(client, alice)
    first = before["sessions"][0]["exercises"]
    painful = [done(x["slug"], 0, pain=8, skipped=True) for x in first]
    today(MONDAY + timedelta(days=2))
    sync(client, alice, [logged(MONDAY + timedelta(days=1), painful)])
    assert get_plan(client, alice)["recent_changes"] != before["recent_changes"]


def test_pain_given_before_stopping_eases_the_exercise_with_no_other_answer(
    client, alice, today, catalogue: Catalogue
):
    """'It hurts', pain 8, stop: the session is saved with the pain and nothing else for that
    exercise, and the plan reads the pain."""
    first = get_plan(client, alice)["sessions"][0]["exercises"]
    hurt = next(x for x in first if x["dose"]["sets"] > 1)  # it has a set to take off
    stopped = {
        "slug": hurt["slug"],
        "sets_done": 0,
        "skipped": True,
        "effort": None,
        "pain": 8,
        "fatigue_region": None,
        "fatigue_onset": None,
    }
    today(MONDAY + timedelta(days=2))
    sync(client, alice, [logged(MONDAY + timedelta(days=1), [stopped])])
    changes = get_plan(client, alice)["recent_changes"]
    eased = [c for c in changes if c["rule"] == "pain_monitoring"]
    assert [c["before"]["slug"] for c in eased] == [hurt["slug"]]
    assert "8/10" in eased[0]["reason"]


def test_a_breath_practice_is_answered_with_a_feeling_and_pain_only(client, alice):
    breath = {
        "slug": "crocodile-breathing",
        "sets_done": 1,
        "reps_done": 12,
        "effort": None,
        "pain": 0,
        "fatigue_region": None,
        "fatigue_onset": None,
        "feeling": "calmer",
    }
    body = client.post(
        "/api/sync",
        headers=alice,
        json={
            "sessions": [
                session_log(kind="breath", exercises=[breath]),
                session_log(kind="breath", exercises=[breath | {"pain": None}]),
                session_log(kind="breath", exercises=[breath | {"effort": 2}]),
                session_log(kind="breath", exercises=[breath | {"feeling": "relaxed"}]),
            ]
        },
    ).json()
    assert len(body["stored"]) == 1 and len(body["rejected"]) == 3
    [stored] = client.get("/api/sessions", headers=alice).json()["sessions"]
    assert stored["exercises"][0]["feeling"] == "calmer"


WEIGHTED = {"farmer-carry", "suitcase-carry", "goblet-squat", "kettlebell-deadlift"}
WEIGHTED |= {"romanian-deadlift", "goblet-sit-to-stand", "floor-lift"}


def test_a_plan_asks_for_weights_only_once_the_account_says_it_has_them(
    client, alice, today, db: Session, catalogue: Catalogue
):
    """Easy weeks through the API: no carry or deadlift without weights; once the account
    says it has a kettlebell, the plan is rebuilt for it and they may come in."""
    assert {e.slug for e in catalogue.exercises if "weight" in e.equipment} == WEIGHTED
    have = {"equipment": ["mat", "chair"]}
    assert client.put("/api/me/equipment", headers=alice, json=have).status_code == 200
    plan = get_plan(client, alice)
    seen: set[str] = set()
    for week in range(16):
        monday = MONDAY + timedelta(weeks=week)
        held = {x["slug"] for s in plan["sessions"] for x in s["exercises"]}
        if week < 8:
            assert not held & WEIGHTED, (week, held)
        seen |= held & WEIGHTED
        if week == 8:
            have = {"equipment": ["mat", "chair", "weight"]}
            assert client.put("/api/me/equipment", headers=alice, json=have).status_code == 200
            rebuilt = get_plan(client, alice)  # built again for what the account has now
            stored = db.exec(select(StoredPlan)).one()
            db.refresh(stored)
            assert stored.state["equipment"] == ["chair", "mat", "weight"]
            assert rebuilt["sessions"] == plan["sessions"]  # nothing else changed today
        mornings = [morning(monday + timedelta(days=n)) for n in range(1, 8)]
        today(monday + timedelta(days=7))
        sync(client, alice, week_of_sessions(plan, monday), mornings)
        plan = get_plan(client, alice)
    assert seen  # a carry or a loaded squat came once there was a weight to hold


# --- Several processes on one database ---------------------------------------------------


def _rebuild_in_a_process(url: str, user_id: int, day: date, start, answers) -> None:
    """A process of its own: its own engine and catalogue, as a second app process has."""
    from app.catalogue import load_catalogue
    from app.db import make_engine

    engine = make_engine(url)
    catalogue = load_catalogue()
    with Session(engine) as db:
        start.wait(timeout=60)  # both begin together
        stored = planning.current_plan(db, catalogue, user_id, day)
        answers.put((stored.built_on.isoformat(), stored.built_from))
    engine.dispose()


def test_two_processes_rebuilding_one_account_store_one_plan_and_each_change_once(
    client, alice, today, db: Session, database_url: str, catalogue: Catalogue
):
    a_painful_tuesday(client, alice, today)
    assert client.app.state.rebuilds.wait_idle()
    user = db.exec(select(User)).one()
    stored = db.get(StoredPlan, user.id)
    day = MONDAY + timedelta(days=9)  # a new day: the plan is out of date
    state = PlanState.model_validate(
        {**stored.state, "changes": planning.load_changes(db, user.id)}
    )
    have = planning.equipment_of(user.equipment)
    expected = build_plan(catalogue, planning.load_history(db, user.id), day, state, have=have)
    assert expected.changes  # the week's additions, at least
    before = len(db.exec(select(PlanChange)).all())
    db.rollback()

    spawn = multiprocessing.get_context("spawn")
    start, answers = spawn.Barrier(2), spawn.Queue()
    workers = [
        spawn.Process(
            target=_rebuild_in_a_process, args=(database_url, user.id, day, start, answers)
        )
        for _ in range(2)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
        assert w.exitcode == 0
    # Both were answered with the one plan for that day.
    assert {answers.get(timeout=5) for _ in workers} == {(day.isoformat(), user.last_seq)}

    db.expire_all()
    plans = db.exec(select(StoredPlan)).all()
    assert len(plans) == 1 and plans[0].built_on == day
    assert plans[0].plan == expected.model_dump(mode="json", exclude={"state", "changes"})
    rows = db.exec(select(PlanChange).order_by(PlanChange.id)).all()
    made = [(r.day, r.rule, r.reason) for r in rows[before:]]
    assert made == [(c.day, c.rule, c.reason) for c in expected.changes]  # each once, none lost


def test_a_rebuilt_plan_reads_whole_after_its_session_closes(
    client, alice, today, database_url: str, catalogue: Catalogue
):
    """A rebuild does not read its plan back, yet what it returns is whole: a caller may read
    it after the session that built it has closed, and it is what the database holds."""
    from app.db import make_engine

    a_painful_tuesday(client, alice, today)
    assert client.app.state.rebuilds.wait_idle()
    engine = make_engine(database_url)
    day = MONDAY + timedelta(days=9)  # a new day: the plan is out of date, so it is rebuilt
    with Session(engine) as db:
        user_id = db.exec(select(User.id)).one()
        built = planning.current_plan(db, catalogue, user_id, day)
    with Session(engine) as db:
        stored = db.get(StoredPlan, user_id)
        assert (built.built_on, built.built_from, built.plan, built.state) == (
            stored.built_on,
            stored.built_from,
            stored.plan,
            stored.state,
        )
    assert built.built_on == day
    engine.dispose()
