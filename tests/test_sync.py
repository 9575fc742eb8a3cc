"""The merge rules of app/sync.py, without a database: each item on its own, last writer wins."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.models import CheckInCreate, SessionLogCreate
from app.sync import CHECKIN, SESSION, TAKEN, Held, Outcome, Rejection, merge, parse_batch

from records import checkin, session_log

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ALICE, BOB = 1, 2


def parsed(**fields) -> SessionLogCreate:
    return SessionLogCreate.model_validate(session_log(**fields))


def held_by(owner: int, record: SessionLogCreate | CheckInCreate) -> dict[uuid.UUID, Held]:
    kind = CHECKIN if isinstance(record, CheckInCreate) else SESSION
    return {record.id: Held(owner, kind, record.model_dump())}


def parsed_checkin(**fields) -> CheckInCreate:
    return CheckInCreate.model_validate(checkin(**fields))


def day_held(record: CheckInCreate) -> dict:
    return {record.day: Held(ALICE, CHECKIN, record.model_dump())}


def test_valid_items_parse_and_each_bad_one_is_rejected_on_its_own():
    good, bad = session_log(), session_log(kind="yoga")
    valid, rejected = parse_batch([good, "a string", bad, {"no": "id"}], SessionLogCreate, NOW)
    assert [str(r.id) for r in valid] == [good["id"]]
    assert rejected[0] == Rejection(None, "not a JSON object")
    assert rejected[1] == Rejection(bad["id"], "kind: Input should be 'plan', 'single' or 'breath'")
    assert rejected[2].id is None
    assert rejected[2].reason.startswith("id: Field required; updated_at: Field required")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"id": "not-a-uuid"},
            "id: Input should be a valid UUID, invalid character: found `n` at 0",
        ),
        ({"updated_at": "2026-11-20T08:30:00"}, "updated_at: Input should have timezone info"),
        (
            {"ended_at": "2026-11-20T07:00:00Z"},
            "record: ended_at must fall after started_at, within 24 hours",
        ),
        ({"notes": "x" * 2001}, "notes: String should have at most 2000 characters"),
        ({"notes": "nul \x00 byte"}, "notes: String should match pattern '^[^\\x00]*$'"),
        (
            {"updated_at": (NOW + timedelta(days=2)).isoformat()},
            "updated_at is more than a day ahead of the server's clock: check the device's",
        ),
    ],
)
def test_a_rejection_names_the_field_and_the_fault(changes, reason):
    item = session_log(**changes)
    _, rejected = parse_batch([item], SessionLogCreate, NOW)
    assert rejected == [Rejection(str(item["id"]), reason)]


def test_text_utf_8_cannot_carry_is_rejected_and_shown_safely():
    item = session_log(id="\udc00", notes="\ud800")
    _, rejected = parse_batch([item], SessionLogCreate, NOW)
    assert rejected[0].id == "?"
    assert rejected[0].reason.startswith("id: Input should be a valid string, unable to parse")
    rejected[0].reason.encode()  # the answer can be sent


@pytest.mark.parametrize(
    ("exercise", "reason"),
    [
        ({"pain": 11}, "exercises.0.pain: Input should be less than or equal to 10"),
        ({"effort": -1}, "exercises.0.effort: Input should be greater than or equal to 0"),
        ({"slug": "Glute Bridge"}, "exercises.0.slug: String should match pattern"),
        ({"fatigue_region": "knees"}, "exercises.0.fatigue_region: Input should be"),
        (
            {"fatigue_region": "nowhere"},
            'exercises.0: fatigue_region "nowhere" goes with fatigue_onset "did-not", only',
        ),
        (
            {"fatigue_onset": "did-not"},
            'exercises.0: fatigue_region "nowhere" goes with fatigue_onset "did-not", only',
        ),
        ({"fatigue_onset": "later"}, "exercises.0.fatigue_onset.FatigueOnset: Input should be"),
    ],
)
def test_the_quick_answers_after_an_exercise_are_checked(exercise, reason):
    item = session_log()
    item["exercises"][0].update(exercise)
    _, rejected = parse_batch([item], SessionLogCreate, NOW)
    assert rejected[0].reason.startswith(reason)


def test_fatigue_that_did_not_appear_is_nowhere_and_did_not():
    item = session_log()
    item["exercises"][0].update(fatigue_region="nowhere", fatigue_onset="did-not")
    valid, rejected = parse_batch([item], SessionLogCreate, NOW)
    assert (len(valid), rejected) == (1, [])


def test_every_one_of_the_four_answers_is_needed_unless_the_exercise_was_skipped():
    item = session_log()
    item["exercises"][0].update(effort=None, fatigue_onset=None)
    _, rejected = parse_batch([item], SessionLogCreate, NOW)
    assert "all four answers" in rejected[0].reason
    item["exercises"][0]["skipped"] = True  # left before its questions were all answered
    valid, rejected = parse_batch([item], SessionLogCreate, NOW)
    assert (len(valid), rejected) == (1, [])


def test_checkins_are_checked_too():
    good, bad = checkin(), checkin(compared_with_yesterday="meh", stiffness=12)
    valid, rejected = parse_batch([good, bad], CheckInCreate, NOW)
    assert [str(r.id) for r in valid] == [good["id"]]
    assert rejected[0].reason.startswith("stiffness: Input should be less than or equal to 10; ")


def test_a_new_record_is_inserted():
    record = parsed()
    assert [d.outcome for d in merge(ALICE, [record], {})] == [Outcome.INSERT]


def test_the_same_record_again_changes_nothing():
    record = parsed()
    assert [d.outcome for d in merge(ALICE, [record], held_by(ALICE, record))] == [
        Outcome.UNCHANGED
    ]


def test_the_same_instant_in_another_offset_is_the_same_record():
    record = parsed(updated_at="2026-11-20T08:30:00Z")
    again = parsed(id=str(record.id), updated_at="2026-11-20T09:30:00+01:00")
    assert merge(ALICE, [again], held_by(ALICE, record))[0].outcome is Outcome.UNCHANGED


def test_a_newer_version_replaces_and_an_older_one_is_ignored():
    stored = parsed(updated_at="2026-11-20T09:00:00Z", notes="stored")
    newer = parsed(id=str(stored.id), updated_at="2026-11-20T10:00:00Z", notes="newer")
    older = parsed(id=str(stored.id), updated_at="2026-11-20T08:00:00Z", notes="older")
    held = held_by(ALICE, stored)
    assert merge(ALICE, [newer], held)[0].outcome is Outcome.UPDATE
    decision = merge(ALICE, [older], held)[0]
    assert decision.outcome is Outcome.IGNORED
    assert decision.reason == "the server holds a newer version; it is in this answer"


def test_a_different_record_with_the_same_time_keeps_the_servers():
    stored = parsed(notes="stored")
    rival = parsed(id=str(stored.id), notes="rival")
    assert merge(ALICE, [rival], held_by(ALICE, stored))[0].outcome is Outcome.IGNORED


def test_an_id_held_by_another_account_is_rejected():
    theirs = parsed()
    mine = parsed(id=str(theirs.id), updated_at="2030-01-01T00:00:00Z")
    decision = merge(ALICE, [mine], held_by(BOB, theirs))[0]
    assert decision.outcome is Outcome.REJECTED
    assert decision.reason == "this id is taken by another record: give the record a new UUID"


def test_a_record_sent_twice_in_one_batch_meets_its_first_copy():
    first = parsed(updated_at="2026-11-20T09:00:00Z")
    later = parsed(id=str(first.id), updated_at="2026-11-20T10:00:00Z")
    outcomes = [d.outcome for d in merge(ALICE, [first, first, later, first], {})]
    assert outcomes == [Outcome.INSERT, Outcome.UNCHANGED, Outcome.UPDATE, Outcome.IGNORED]


# --- Timestamps and dates that cannot be stored ------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"started_at": "9999-12-31T12:00:00Z", "ended_at": "9999-12-31T12:30:00Z"}, "started_at"),
        ({"started_at": "9999-12-31T23:30:00-05:00"}, "started_at"),
        ({"started_at": "0001-01-01T00:30:00+01:00"}, "started_at"),
        ({"started_at": "0001-01-01T00:00:00Z"}, "started_at"),
        ({"ended_at": "9999-12-31T23:59:59-14:00"}, "ended_at"),
        ({"updated_at": "0001-01-01T00:30:00+01:00"}, "updated_at"),
        ({"updated_at": "0001-01-01T00:00:00Z"}, "updated_at"),
        ({"day": "9999-12-31"}, "day"),
        ({"day": "0001-01-01"}, "day"),
        ({"day": "2025-11-25"}, "record"),  # five days from started_at
    ],
)
def test_a_session_with_a_time_or_date_that_cannot_be_stored_is_rejected(changes, field):
    item = session_log(**changes)
    valid, rejected = parse_batch([item, session_log()], SessionLogCreate, NOW)
    assert len(valid) == 1
    assert rejected[0].id == item["id"]
    assert rejected[0].reason.startswith(f"{field}: ")


@pytest.mark.parametrize(
    "changes",
    [{"day": "9999-12-31"}, {"day": "0001-01-01"}, {"updated_at": "0001-01-01T00:30:00+01:00"}],
)
def test_a_check_in_with_a_time_or_date_that_cannot_be_stored_is_rejected(changes):
    item = checkin(**changes)
    _, rejected = parse_batch([item], CheckInCreate, NOW)
    assert [r.id for r in rejected] == [item["id"]]


def test_a_persons_own_date_a_day_from_utc_is_fine():
    # 00:30 on the 21st in Kiritimati (UTC+14) is the 20th in UTC; 20:00 on the 19th in
    # Niue (UTC-11) is the 20th in UTC.
    times = {"started_at": "2025-11-20T10:30:00Z", "ended_at": "2025-11-20T10:50:00Z"}
    east = session_log(day="2025-11-21", **times)
    west = session_log(day="2025-11-19", started_at="2025-11-20T07:00:00Z")
    valid, rejected = parse_batch([east, west], SessionLogCreate, NOW)
    assert (len(valid), rejected) == (2, [])


# --- Strict types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exercise", "reason"),
    [
        ({"pain": True}, "exercises.0.pain: Input should be a valid integer"),
        ({"pain": "3"}, "exercises.0.pain: Input should be a valid integer"),
        ({"effort": 4.5}, "exercises.0.effort: Input should be a valid integer"),
        ({"sets_done": "2"}, "exercises.0.sets_done: Input should be a valid integer"),
        ({"reps_done": False}, "exercises.0.reps_done: Input should be a valid integer"),
        ({"fatigue_onset": {"set": "2"}}, "exercises.0.fatigue_onset.FatigueOnset.set: Input"),
    ],
)
def test_a_number_must_be_a_number(exercise, reason):
    item = session_log()
    item["exercises"][0].update(exercise)
    _, rejected = parse_batch([item], SessionLogCreate, NOW)
    assert rejected[0].reason.startswith(reason)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"fatigue_lingered": "no"}, "fatigue_lingered: Input should be a valid boolean"),
        ({"fatigue_lingered": 0}, "fatigue_lingered: Input should be a valid boolean"),
        ({"symptoms_spread": "yes"}, "symptoms_spread: Input should be a valid boolean"),
        ({"pain": True}, "pain: Input should be a valid integer"),
        ({"stiffness": "3"}, "stiffness: Input should be a valid integer"),
    ],
)
def test_a_yes_or_no_must_be_a_boolean(changes, reason):
    _, rejected = parse_batch([checkin(**changes)], CheckInCreate, NOW)
    assert rejected[0].reason.startswith(reason)


def test_an_exercise_the_catalogue_never_had_is_rejected_and_a_retired_one_kept():
    unknown, retired, current = session_log(), session_log(), session_log()
    unknown["exercises"][0]["slug"] = "no-such-exercise"
    retired["exercises"][0]["slug"] = "old-bridge"
    known = frozenset({"glute-bridge", "old-bridge"})
    valid, rejected = parse_batch([unknown, retired, current], SessionLogCreate, NOW, known)
    assert [str(r.id) for r in valid] == [retired["id"], current["id"]]
    assert rejected == [
        Rejection(
            unknown["id"], "exercises.0.slug: no exercise 'no-such-exercise' in the catalogue"
        )
    ]


# --- One record, one id; one check-in a day ----------------------------------------------------


def test_a_check_in_cannot_take_a_sessions_id_of_this_or_another_account():
    session = parsed()
    reuse = parsed_checkin(id=str(session.id))
    for owner in (ALICE, BOB):
        decision = merge(ALICE, [reuse], held_by(owner, session))[0]
        assert (decision.outcome, decision.reason) == (Outcome.REJECTED, TAKEN)


def test_one_id_sent_as_a_session_and_as_a_check_in_in_one_batch_is_stored_once():
    session = parsed()
    reuse = parsed_checkin(id=str(session.id))
    outcomes = [d.outcome for d in merge(ALICE, [session, reuse], {})]
    assert outcomes == [Outcome.INSERT, Outcome.REJECTED]


def test_a_later_check_in_from_another_device_replaces_the_days():
    stored = parsed_checkin(updated_at="2025-11-21T07:00:00Z", pain=2)
    other = parsed_checkin(updated_at="2025-11-21T07:05:00Z", pain=7)
    decision = merge(ALICE, [other], {}, day_held(stored))[0]
    assert (decision.outcome, decision.replaces) == (Outcome.INSERT, stored.id)


@pytest.mark.parametrize("updated_at", ["2025-11-21T06:55:00Z", "2025-11-21T07:00:00Z"])
def test_an_earlier_or_tied_check_in_for_the_day_gets_the_stored_one_back(updated_at):
    stored = parsed_checkin(updated_at="2025-11-21T07:00:00Z", pain=2)
    other = parsed_checkin(updated_at=updated_at, pain=7)
    decision = merge(ALICE, [other], {}, day_held(stored))[0]
    assert (decision.outcome, decision.server_copy) == (Outcome.IGNORED, stored.id)


def test_two_check_ins_of_one_day_in_one_batch_leave_the_later():
    first = parsed_checkin(updated_at="2025-11-21T07:00:00Z")
    second = parsed_checkin(updated_at="2025-11-21T07:05:00Z")
    earlier = parsed_checkin(updated_at="2025-11-21T06:00:00Z")
    decisions = merge(ALICE, [first, second, earlier], {})
    assert [(d.outcome, d.replaces, d.server_copy) for d in decisions] == [
        (Outcome.INSERT, None, None),
        (Outcome.INSERT, first.id, None),
        (Outcome.IGNORED, None, second.id),
    ]


def test_check_ins_of_different_days_do_not_meet():
    monday = parsed_checkin(day="2025-11-24")
    tuesday = parsed_checkin(day="2025-11-25")
    decisions = merge(ALICE, [tuesday], {}, day_held(monday))
    assert [(d.outcome, d.replaces) for d in decisions] == [(Outcome.INSERT, None)]


@pytest.mark.parametrize(
    ("make", "changes", "field"),
    [
        (
            session_log,
            {"started_at": "2150-01-01T08:00:00Z", "ended_at": "2150-01-01T08:20:00Z"},
            "started_at",
        ),
        (checkin, {"day": "2150-01-01"}, "day"),
        (checkin, {"day": (NOW + timedelta(days=3)).date().isoformat()}, "day"),
    ],
)
def test_a_record_dated_in_the_future_is_rejected(make, changes, field):
    """It could not have happened yet, and the plan would read it as the days to come."""
    item = make(**changes)
    model = SessionLogCreate if make is session_log else CheckInCreate
    _, rejected = parse_batch([item], model, NOW)
    assert rejected == [
        Rejection(
            item["id"],
            f"{field} is more than a day ahead of the server's clock: check the device's",
        )
    ]


def test_tomorrows_check_in_from_the_far_east_is_fine():
    # At 12:00 UTC it is already 02:00 the next day at UTC+14.
    item = checkin(day=(NOW + timedelta(days=1)).date().isoformat())
    valid, rejected = parse_batch([item], CheckInCreate, NOW)
    assert (len(valid), rejected) == (1, [])


def test_a_whole_number_written_with_a_point_is_a_number():
    """JSON Schema, and so the OpenAPI document, counts 4.0 as the integer 4."""
    item = session_log()
    item["exercises"][0].update(effort=4.0, sets_done=2.0)
    valid, rejected = parse_batch([item], SessionLogCreate, NOW)
    assert (rejected, valid[0].exercises[0].effort) == ([], 4)
