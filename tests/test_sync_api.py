"""POST /api/sync as devices use it: replays, bad items, stale edits, a second device, limits."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import func, select

from app.api import sync as sync_router
from app.models import CheckIn, SessionLog
from app.rebuilds import Rebuilds

from records import PASSWORD, as_returned, checkin, session_log


def _sync(client, headers, cursor=0, sessions=(), checkins=()):
    response = client.post(
        "/api/sync",
        headers=headers,
        json={"cursor": cursor, "sessions": list(sessions), "checkins": list(checkins)},
    )
    assert response.status_code == 200, response.text
    return response.json()


def _count(db, table) -> int:
    return db.exec(select(func.count()).select_from(table)).one()


def _second_device(client) -> dict[str, str]:
    token = client.post(
        "/api/auth/login", json={"email": "alice@example.org", "password": PASSWORD}
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_a_batch_is_stored_and_its_ids_confirmed(client, alice, db):
    sessions, checkins = [session_log(), session_log()], [checkin()]
    answer = _sync(client, alice, sessions=sessions, checkins=checkins)
    assert answer == {
        "stored": [r["id"] for r in sessions + checkins],
        "ignored": [],
        "rejected": [],
        "cursor": 3,
        "more": False,
        "sessions": [],  # the device has what it just sent
        "checkins": [],
    }
    assert (_count(db, SessionLog), _count(db, CheckIn)) == (2, 1)
    stored = client.get(f"/api/sessions/{sessions[0]['id']}", headers=alice).json()
    assert stored == as_returned(sessions[0])


def test_a_replayed_batch_is_stored_once_and_changes_nothing(client, alice, db):
    """A lost response makes the device send the same batch again."""
    batch = {"sessions": [session_log()], "checkins": [checkin()]}
    first = _sync(client, alice, **batch)
    again = _sync(client, alice, cursor=first["cursor"], **batch)
    assert again["stored"] == first["stored"]
    assert again["cursor"] == first["cursor"]
    assert (again["sessions"], again["checkins"]) == ([], [])
    assert (_count(db, SessionLog), _count(db, CheckIn)) == (1, 1)


def test_one_bad_item_is_rejected_and_the_good_ones_stored(client, alice, db):
    good, bad, also_good = session_log(), session_log(), session_log()
    bad["exercises"][0]["pain"] = 11
    bad_checkin = checkin(day="yesterday")
    answer = _sync(client, alice, sessions=[good, bad, also_good, "junk"], checkins=[bad_checkin])
    assert answer["stored"] == [good["id"], also_good["id"]]
    assert answer["rejected"] == [
        {"id": bad["id"], "reason": "exercises.0.pain: Input should be less than or equal to 10"},
        {"id": None, "reason": "not a JSON object"},
        {
            "id": bad_checkin["id"],
            "reason": "day: Input should be a valid date or datetime, input is too short",
        },
    ]
    assert _count(db, SessionLog) == 2
    assert client.get(f"/api/sessions/{bad['id']}", headers=alice).status_code == 404


def test_a_newer_edit_replaces_the_stored_record(client, alice):
    record = session_log(notes="first", updated_at="2025-11-20T09:00:00Z")
    _sync(client, alice, sessions=[record])
    edited = {**record, "notes": "edited", "updated_at": "2025-11-20T10:00:00Z"}
    assert _sync(client, alice, sessions=[edited])["stored"] == [record["id"]]
    assert client.get(f"/api/sessions/{record['id']}", headers=alice).json()["notes"] == "edited"


def test_an_edit_older_than_the_stored_one_is_ignored_and_the_newer_sent_back(client, alice):
    record = session_log(notes="newer", updated_at="2025-11-20T10:00:00Z")
    first = _sync(client, alice, sessions=[record])
    stale = {**record, "notes": "older", "updated_at": "2025-11-20T09:00:00Z"}
    answer = _sync(client, alice, cursor=first["cursor"], sessions=[stale])
    assert (answer["stored"], answer["ignored"]) == ([], [record["id"]])
    assert answer["sessions"] == [as_returned(record)]
    assert client.get(f"/api/sessions/{record['id']}", headers=alice).json()["notes"] == "newer"


def test_a_second_device_receives_the_history_then_only_what_changed(client, alice):
    sessions, checkins = [session_log(), session_log()], [checkin()]
    _sync(client, alice, sessions=sessions, checkins=checkins)

    phone = _second_device(client)
    pulled = _sync(client, phone)
    assert pulled["sessions"] == [as_returned(s) for s in sessions]
    assert pulled["checkins"] == checkins
    assert (pulled["cursor"], pulled["more"]) == (3, False)

    edited = {**sessions[1], "notes": "edited", "updated_at": "2025-11-21T09:00:00Z"}
    _sync(client, alice, cursor=3, sessions=[edited])
    after = _sync(client, phone, cursor=pulled["cursor"])
    assert after["sessions"] == [as_returned(edited)]
    assert (after["checkins"], after["cursor"]) == ([], 4)
    assert _sync(client, phone, cursor=after["cursor"])["sessions"] == []


def test_a_long_history_comes_in_pages(client, alice, monkeypatch):
    monkeypatch.setattr(sync_router, "PULL_LIMIT", 2)
    sent = [session_log() for _ in range(3)] + [checkin(), checkin(day="2025-11-22")]
    _sync(client, alice, sessions=sent[:3], checkins=sent[3:])
    phone, cursor, received, pages = _second_device(client), 0, [], []
    while True:
        answer = _sync(client, phone, cursor=cursor)
        received += [r["id"] for r in answer["sessions"] + answer["checkins"]]
        pages.append(answer["more"])
        cursor = answer["cursor"]
        if not answer["more"]:
            break
    assert pages == [True, True, False]
    assert sorted(received) == sorted(r["id"] for r in sent)


def test_a_cursor_from_before_a_restore_gets_everything_again(client, alice):
    record = session_log()
    _sync(client, alice, sessions=[record])
    answer = _sync(client, _second_device(client), cursor=999)
    assert [s["id"] for s in answer["sessions"]] == [record["id"]]
    assert answer["cursor"] == 1


def test_a_batch_over_the_limit_is_refused_whole(client, alice, db):
    response = client.post(
        "/api/sync",
        headers=alice,
        json={"sessions": [session_log() for _ in range(150)], "checkins": [checkin()] * 51},
    )
    assert response.status_code == 413
    assert response.json() == {
        "detail": "A sync holds at most 200 records, this one has 201: send fewer"
    }
    assert _count(db, SessionLog) == 0


def test_a_full_batch_of_200_is_accepted(client, alice, db):
    answer = _sync(client, alice, sessions=[session_log() for _ in range(200)])
    assert len(answer["stored"]) == 200
    assert _count(db, SessionLog) == 200


@pytest.mark.parametrize(
    "body",
    [{"sessions": {"id": "x"}}, {"cursor": -1}, {"checkins": "all of them"}, []],
)
def test_a_malformed_envelope_is_a_422(client, alice, body):
    assert client.post("/api/sync", headers=alice, json=body).status_code == 422


def test_sync_needs_a_sign_in(client):
    response = client.post("/api/sync", json={"sessions": [session_log()]})
    assert response.status_code == 401


def test_a_sync_without_a_token_is_a_401_whatever_its_body(client):
    assert client.post("/api/sync", json={"cursor": -1}).status_code == 401
    assert client.post("/api/sync", content=b"not json").status_code == 401


def test_a_record_sent_twice_in_one_batch_ends_as_its_newest_copy(client, alice):
    first = session_log(notes="first", updated_at="2025-11-20T09:00:00Z")
    later = {**first, "notes": "later", "updated_at": "2025-11-20T10:00:00Z"}
    answer = _sync(client, alice, sessions=[first, later, first])
    assert answer["stored"] == [first["id"], first["id"]]
    assert answer["ignored"] == [first["id"]]
    assert answer["sessions"] == [as_returned(later)]
    assert client.get(f"/api/sessions/{first['id']}", headers=alice).json()["notes"] == "later"


def test_the_same_batch_from_several_devices_at_once_is_stored_once(client, alice, db):
    """Replays racing each other (a retry while the first try is still in flight)."""
    batch = {"sessions": [session_log() for _ in range(5)], "checkins": [checkin()]}
    ids = [r["id"] for r in batch["sessions"] + batch["checkins"]]
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: _sync(client, alice, **batch), range(6)))
    assert all(a["stored"] == ids and a["rejected"] == [] for a in answers)
    assert (_count(db, SessionLog), _count(db, CheckIn)) == (5, 1)
    # Each record was numbered once: the cursor moved by six, not thirty-six.
    assert max(a["cursor"] for a in answers) == 6


def test_the_answer_to_a_sync_never_waits_for_the_plan_rebuild_it_causes(client, alice, db):
    """While the rebuild the first sync asked for is still running, that sync and the next
    one are answered, and the records of both are stored."""
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def slow_rebuild(account_id: int) -> None:
        started.set()
        release.wait(10)
        finished.set()

    usual = client.app.state.rebuilds
    client.app.state.rebuilds = Rebuilds(slow_rebuild, delay=0)
    try:
        first = _sync(client, alice, sessions=[session_log()], checkins=[checkin()])
        assert started.wait(5)  # the rebuild is running, and held
        second = _sync(client, alice, cursor=first["cursor"], sessions=[session_log()])
        assert not finished.is_set()  # both answered while the rebuild was still held
        assert (len(first["stored"]), len(second["stored"])) == (2, 1)
        assert (_count(db, SessionLog), _count(db, CheckIn)) == (2, 1)
    finally:
        release.set()
        client.app.state.rebuilds.stop()
        client.app.state.rebuilds = usual
