"""The account: what it is, exporting everything it holds (JSON and CSV), and deleting it."""

import csv
import io

import pytest
from sqlmodel import func, select

from app.models import AuthToken, CheckIn, SessionLog, User

from records import PASSWORD, as_returned, checkin, session_log, sign_up


def _store(client, headers, sessions=(), checkins=()):
    body = {"sessions": list(sessions), "checkins": list(checkins)}
    assert client.post("/api/sync", headers=headers, json=body).status_code == 200


def test_me_shows_the_account(client, alice):
    body = client.get("/api/me", headers=alice).json()
    assert set(body) == {"email", "created_at", "equipment"}
    assert body["email"] == "alice@example.org"
    assert body["equipment"] == []  # not said yet


def test_equipment_is_kept_on_the_account(client, alice, bob):
    response = client.put("/api/me/equipment", headers=alice, json={"equipment": ["chair", "mat"]})
    assert response.status_code == 200
    assert response.json()["equipment"] == ["mat", "chair"]  # in the catalogue's order
    assert client.get("/api/me", headers=alice).json()["equipment"] == ["mat", "chair"]
    assert client.get("/api/me", headers=bob).json()["equipment"] == []
    assert client.put("/api/me/equipment", headers=alice, json={"equipment": []}).status_code == 200
    assert client.get("/api/me", headers=alice).json()["equipment"] == []


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        ({"equipment": ["mat", "trampoline"]}, "equipment"),
        ({"equipment": ["mat", "mat"]}, "twice"),
        ({"equipment": "mat"}, "equipment"),
        ({"equipment": ["mat"], "colour": "red"}, "colour"),
        ({}, "equipment"),
    ],
)
def test_equipment_refuses_what_is_not_on_the_list(client, alice, body, mentions):
    response = client.put("/api/me/equipment", headers=alice, json=body)
    assert response.status_code == 422
    assert mentions in str(response.json()["detail"])
    assert client.get("/api/me", headers=alice).json()["equipment"] == []


def test_equipment_needs_signing_in(client):
    assert client.put("/api/me/equipment", json={"equipment": ["mat"]}).status_code == 401


def test_the_json_export_holds_everything(client, alice):
    sessions = [
        session_log(started_at="2025-11-02T08:00:00Z", ended_at="2025-11-02T08:20:00Z"),
        session_log(started_at="2025-11-01T08:00:00Z", ended_at="2025-11-01T08:20:00Z"),
    ]
    checkins = [checkin()]
    _store(client, alice, sessions, checkins)
    response = client.get("/api/me/export", headers=alice)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"].startswith('attachment; filename="spinewise-')
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {
        "exported_at",
        "account",
        "sessions",
        "checkins",
        "plan_changes",
        "screening",
    }
    assert body["screening"] is None  # never answered
    assert body["account"] == client.get("/api/me", headers=alice).json()
    assert body["sessions"] == [as_returned(sessions[1]), as_returned(sessions[0])]  # by start
    assert body["checkins"] == checkins


def test_the_csv_export_has_a_row_per_exercise_and_per_checkin(client, alice):
    record = session_log(notes="=HYPERLINK(evil)")
    record["exercises"].append(
        {
            "slug": "dead-bug",
            "sets_done": 2,
            "seconds_done": 30,
            "effort": 3,
            "pain": 0,
            "fatigue_region": "nowhere",
            "fatigue_onset": "did-not",
        }
    )
    empty = session_log(
        exercises=[], kind="breath", started_at="2025-11-21T08:00Z", ended_at="2025-11-21T08:10Z"
    )
    _store(client, alice, [record, empty], [checkin(fatigue_lingered=True)])
    response = client.get("/api/me/export", headers=alice, params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["record"] for r in rows] == [
        "session-exercise",
        "session-exercise",
        "session",
        "checkin",
    ]
    bridge, bug, _, morning = rows
    assert (bridge["exercise"], bridge["fatigue_onset"], bridge["effort"]) == (
        "glute-bridge",
        "set 2 rep 8",
        "4",
    )
    assert bridge["skipped"] == "no"
    assert bridge["helpful_cues"] == "Let the ribs settle down first, then lift."
    assert bridge["notes"] == "'=HYPERLINK(evil)"  # a spreadsheet shows it, never runs it
    assert (bug["exercise"], bug["fatigue_onset"], bug["seconds_done"]) == (
        "dead-bug",
        "did not",
        "30",
    )
    assert (morning["day"], morning["stiffness"], morning["fatigue_lingered"]) == (
        "2025-11-21",
        "3",
        "yes",
    )


@pytest.mark.parametrize("params", [{"format": "xml"}, {"since": "2025-01-01"}])
def test_an_unknown_format_or_parameter_is_a_422(client, alice, params):
    response = client.get("/api/me/export", headers=alice, params=params)
    assert response.status_code == 422


def test_deleting_the_account_removes_everything_it_held(client, alice, db):
    _store(client, alice, [session_log()], [checkin()])
    assert client.delete("/api/me", headers=alice).status_code == 204
    assert client.get("/api/me", headers=alice).status_code == 401
    login = client.post(
        "/api/auth/login", json={"email": "alice@example.org", "password": PASSWORD}
    )
    assert login.status_code == 401
    for table in (User, AuthToken, SessionLog, CheckIn):
        assert db.exec(select(func.count()).select_from(table)).one() == 0, table
    sign_up(client, "alice@example.org")  # the email is free again
