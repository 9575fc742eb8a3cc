"""POST /api/sync against hostile or broken input: never a 500, one bad record never sinks the
batch, strict types, one record per id, one check-in per account per day, and requests that
race the deletion of their account."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import func, select

from app.api import sync as sync_api
from app.api.deps import Account, current_user
from app.models import CheckIn, SessionLog, User

from records import PASSWORD, checkin, session_log


def _post(client, headers, **body):
    return client.post("/api/sync", headers=headers, json={"cursor": 0, **body})


def _sync(client, headers, **body):
    response = _post(client, headers, **body)
    assert response.status_code == 200, response.text
    return response.json()


def _count(db, table, **where) -> int:
    query = select(func.count()).select_from(table)
    for name, value in where.items():
        query = query.where(getattr(table, name) == value)
    return db.exec(query).one()


def _login(client, email):
    answer = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


# --- Times and dates that cannot be stored ----------------------------------------------------

UNSTORABLE = [
    ("sessions", {"started_at": "9999-12-31T12:00:00Z", "ended_at": "9999-12-31T12:30:00Z"}),
    ("sessions", {"started_at": "9999-12-31T23:30:00-05:00"}),
    ("sessions", {"started_at": "0001-01-01T00:30:00+01:00"}),
    ("sessions", {"updated_at": "0001-01-01T00:30:00+01:00"}),
    ("sessions", {"ended_at": "9999-12-31T23:59:00-14:00"}),
    ("sessions", {"day": "9999-12-31"}),
    ("checkins", {"updated_at": "0001-01-01T00:30:00+01:00"}),
    ("checkins", {"day": "9999-12-31"}),
    ("checkins", {"day": "0001-01-01"}),
]


@pytest.mark.parametrize(("kind", "changes"), UNSTORABLE)
def test_a_record_dated_where_no_clock_goes_is_rejected_and_the_rest_stored(
    client, alice, db, kind, changes
):
    """A device with a broken clock once made a whole batch a 500, for ever."""
    make = session_log if kind == "sessions" else checkin
    bad = make(**changes)
    good_session, good_checkin = session_log(), checkin(day="2025-11-22")
    body = {"sessions": [good_session], "checkins": [good_checkin]}
    body[kind] = [bad, *body[kind]]
    answer = _sync(client, alice, **body)
    assert answer["stored"] == [good_session["id"], good_checkin["id"]]
    assert [r["id"] for r in answer["rejected"]] == [bad["id"]]
    assert answer["rejected"][0]["reason"]
    assert (_count(db, SessionLog), _count(db, CheckIn)) == (1, 1)
    # The plan, the list and the export still read the account.
    for path in ("/api/plan", "/api/sessions", "/api/me/export"):
        assert client.get(path, headers=alice).status_code == 200


# --- Strict types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("exercise", "pain", True),
        ("exercise", "pain", "3"),
        ("exercise", "effort", 4.5),
        ("exercise", "sets_done", "2"),
        ("checkins", "fatigue_lingered", "yes"),
        ("checkins", "fatigue_lingered", "no"),
        ("checkins", "symptoms_spread", 1),
        ("checkins", "pain", True),
    ],
)
def test_numbers_and_booleans_are_not_guessed_from_other_types(
    client, alice, db, kind, field, value
):
    if kind == "exercise":
        record = session_log()
        record["exercises"][0][field] = value
        body = {"sessions": [record]}
    else:
        record = checkin(**{field: value})
        body = {"checkins": [record]}
    answer = _sync(client, alice, **body)
    assert answer["stored"] == []
    assert [r["id"] for r in answer["rejected"]] == [record["id"]]
    assert field in answer["rejected"][0]["reason"]
    assert _count(db, SessionLog) + _count(db, CheckIn) == 0


@pytest.mark.parametrize("cursor", ["5", True, 1.5, "0"])
def test_a_cursor_must_be_a_whole_number(client, alice, cursor):
    response = client.post("/api/sync", headers=alice, json={"cursor": cursor})
    assert response.status_code == 422


def test_an_exercise_the_catalogue_never_had_is_rejected(client, alice, db):
    unknown = session_log()
    unknown["exercises"][0]["slug"] = "no-such-exercise"
    answer = _sync(client, alice, sessions=[unknown, session_log()])
    assert len(answer["stored"]) == 1
    assert answer["rejected"] == [
        {
            "id": unknown["id"],
            "reason": "exercises.0.slug: no exercise 'no-such-exercise' in the catalogue",
        }
    ]


def test_a_retired_exercise_stays_valid_in_old_logs(tmp_path, settings, monkeypatch):
    """Taking an exercise out of the catalogue keeps the logs that name it syncing."""
    from fastapi.testclient import TestClient

    from app.catalogue import EXERCISES_DIR
    from app.main import create_app

    from records import sign_up

    catalogue = tmp_path / "exercises"
    catalogue.mkdir()
    for path in EXERCISES_DIR.glob("*.yaml"):
        (catalogue / path.name).write_text(path.read_text())
    (catalogue / "_retired.yaml").write_text("old-glute-bridge: glute-bridge\n")
    with TestClient(create_app(settings.model_copy(update={"catalogue_dir": catalogue}))) as c:
        headers = sign_up(c, "alice@example.org")
        old = session_log()
        old["exercises"][0]["slug"] = "old-glute-bridge"
        assert _sync(c, headers, sessions=[old])["stored"] == [old["id"]]
        assert c.get("/api/exercises/old-glute-bridge").status_code == 404  # never planned
        assert c.get("/api/plan", headers=headers).status_code == 200


# --- One record, one id -----------------------------------------------------------------------


def test_a_check_in_cannot_reuse_a_session_id_of_the_same_account(client, alice, db):
    session = session_log()
    reuse = checkin(id=session["id"])
    answer = _sync(client, alice, sessions=[session], checkins=[reuse])
    assert answer["stored"] == [session["id"]]
    assert answer["rejected"] == [
        {
            "id": reuse["id"],
            "reason": "this id is taken by another record: give the record a new UUID",
        }
    ]
    # And in a later batch too, the other way round.
    again = _sync(client, alice, checkins=[checkin(id=session["id"], day="2025-11-23")])
    assert again["stored"] == [] and len(again["rejected"]) == 1
    assert (_count(db, SessionLog), _count(db, CheckIn)) == (1, 0)


def test_a_check_in_cannot_take_another_accounts_session_id(client, alice, bob, db):
    session = session_log()
    _sync(client, alice, sessions=[session])
    answer = _sync(client, bob, checkins=[checkin(id=session["id"])])
    assert answer["stored"] == []
    assert answer["rejected"][0]["reason"].startswith("this id is taken by another record")
    assert _count(db, CheckIn) == 0
    assert client.get(f"/api/sessions/{session['id']}", headers=alice).status_code == 200


# --- One check-in per account per day ---------------------------------------------------------


def test_two_devices_checking_in_the_same_day_end_with_the_later_edit(client, alice, db):
    laptop, phone = alice, _login(client, "alice@example.org")
    early = checkin(pain=2, updated_at="2025-11-21T07:00:00Z")
    later = checkin(pain=7, updated_at="2025-11-21T07:10:00Z")
    first = _sync(client, laptop, checkins=[early])
    assert first["stored"] == [early["id"]]
    second = _sync(client, phone, checkins=[later])
    assert second["stored"] == [later["id"]]
    assert _count(db, CheckIn) == 1
    # The laptop pulls the phone's check-in for that day (and drops its own, by the day).
    pulled = _sync(client, laptop, cursor=first["cursor"])
    assert [(c["id"], c["pain"]) for c in pulled["checkins"]] == [(later["id"], 7)]
    # The export and the plan read one morning for that day.
    export = client.get("/api/me/export", headers=laptop).json()
    assert [(c["day"], c["pain"]) for c in export["checkins"]] == [("2025-11-21", 7)]


def test_an_earlier_edit_for_a_day_already_checked_in_gets_the_stored_one_back(client, alice, db):
    laptop, phone = alice, _login(client, "alice@example.org")
    later = checkin(pain=7, updated_at="2025-11-21T07:10:00Z")
    early = checkin(pain=2, updated_at="2025-11-21T07:00:00Z")
    _sync(client, laptop, checkins=[later])
    answer = _sync(client, phone, checkins=[early])
    assert (answer["stored"], answer["ignored"]) == ([], [early["id"]])
    assert [(c["id"], c["pain"]) for c in answer["checkins"]] == [(later["id"], 7)]
    assert _count(db, CheckIn) == 1


def test_devices_checking_in_at_once_leave_one_check_in_a_day(client, alice, db):
    devices = [alice] + [_login(client, "alice@example.org") for _ in range(5)]
    records = [checkin(pain=i, updated_at=f"2025-11-21T07:0{i}:00Z") for i in range(len(devices))]
    with ThreadPoolExecutor(max_workers=len(devices)) as pool:
        list(
            pool.map(
                lambda pair: _sync(client, pair[0], **pair[1]),
                [(h, {"checkins": [r]}) for h, r in zip(devices, records, strict=True)],
            )
        )
    stored = db.exec(select(CheckIn)).all()
    assert [(c.day.isoformat(), c.pain) for c in stored] == [("2025-11-21", 5)]


# --- Requests that race the deletion of their account -----------------------------------------


def test_a_sync_or_plan_read_for_an_account_deleted_after_sign_in_is_a_401(
    client, alice, db, monkeypatch
):
    """The request signed in, then the account went: what it does next finds no account."""
    user = db.exec(select(User)).one()
    ghost = User(id=user.id, email=user.email, password_hash="x", last_seq=user.last_seq)
    db.delete(user)
    db.commit()
    client.app.dependency_overrides[current_user] = lambda: ghost
    # The sync signs in within its own thread, not through the dependency.
    monkeypatch.setattr(sync_api, "signed_in_account", lambda *_: Account(user.id, 0))
    try:
        # (A sync that only pulls reads the account once, with its sign-in: nothing to race.)
        assert _post(client, alice, sessions=[session_log()]).status_code == 401
        assert client.get("/api/plan", headers=alice).status_code == 401
    finally:
        client.app.dependency_overrides.clear()
    assert _count(db, SessionLog) == 0


def test_deleting_an_account_while_it_syncs_and_reads_its_plan_never_answers_500(client):
    from records import sign_up

    statuses: list[int] = []
    for trial in range(4):
        email = f"racer{trial}@example.org"
        headers = sign_up(client, email)
        go = threading.Barrier(5)

        def work(i: int, headers=headers, go=go) -> list[int]:
            go.wait()
            if i == 0:
                return [client.delete("/api/me", headers=headers).status_code]
            if i % 2:
                return [
                    _post(client, headers, sessions=[session_log()]).status_code for _ in range(3)
                ]
            return [client.get("/api/plan", headers=headers).status_code for _ in range(2)]

        with ThreadPoolExecutor(max_workers=5) as pool:
            for answer in pool.map(work, range(5)):
                statuses += answer
    assert set(statuses) <= {200, 204, 401, 404}, statuses
    assert 500 not in statuses
