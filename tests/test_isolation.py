"""Two accounts: neither reads, changes, exports or deletes the other's data through any
endpoint, and every signed-in endpoint refuses a missing, revoked or expired token."""

from datetime import timedelta

import pytest
from sqlmodel import update

from app.models import AuthToken, utcnow

from records import as_returned, checkin, session_log

# Every operation that needs a sign-in; the OpenAPI test below keeps this list complete.
SIGNED_IN = [
    ("GET", "/api/me"),
    ("DELETE", "/api/me"),
    ("GET", "/api/me/export"),
    ("PUT", "/api/me/equipment"),
    ("GET", "/api/me/screening"),
    ("PUT", "/api/me/screening"),
    ("POST", "/api/auth/logout"),
    ("POST", "/api/sync"),
    ("GET", "/api/sessions"),
    ("GET", "/api/sessions/{id}"),
    ("GET", "/api/plan"),
]


@pytest.fixture
def alices_data(client, alice):
    """Alice's session log and check-in, stored through sync."""
    data = {"sessions": [session_log(notes="alice's")], "checkins": [checkin(notes="alice's")]}
    assert len(client.post("/api/sync", headers=alice, json=data).json()["stored"]) == 2
    return data


def _call(client, method, path, headers, record_id="00000000-0000-4000-8000-000000000000"):
    body = {"/api/sync": {"sessions": []}, "/api/me/equipment": {"equipment": []}}.get(path)
    return client.request(method, path.format(id=record_id), headers=headers, json=body)


def test_the_list_of_signed_in_operations_is_complete(client):
    paths = client.get("/openapi.json").json()["paths"]
    secured = {
        (method.upper(), path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if operation.get("security")
    }
    assert secured == set(SIGNED_IN)


@pytest.mark.parametrize(("method", "path"), SIGNED_IN)
def test_every_signed_in_operation_refuses_missing_revoked_and_expired_tokens(
    client, alice, bob, db, method, path
):
    assert _call(client, method, path, {}).status_code == 401
    assert client.post("/api/auth/logout", headers=bob).status_code == 204
    assert _call(client, method, path, bob).status_code == 401
    db.exec(update(AuthToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    response = _call(client, method, path, alice)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_session_list_shows_only_your_own(client, alices_data, bob):
    assert client.get("/api/sessions", headers=bob).json() == {"sessions": [], "next": None}


def test_anothers_session_is_a_404_like_one_that_does_not_exist(client, alices_data, bob):
    alices_id = alices_data["sessions"][0]["id"]
    response = _call(client, "GET", "/api/sessions/{id}", bob, alices_id)
    assert response.status_code == 404
    assert response.json() == {"detail": f"No session log {alices_id} in your account"}


def test_sync_refuses_anothers_ids_and_leaves_their_records_alone(client, alice, alices_data, bob):
    session, morning = alices_data["sessions"][0], alices_data["checkins"][0]
    hijack = {
        "sessions": [{**session, "notes": "bob's", "updated_at": "2025-11-22T00:00:00Z"}],
        "checkins": [{**morning, "notes": "bob's", "updated_at": "2025-11-22T00:00:00Z"}],
    }
    answer = client.post("/api/sync", headers=bob, json=hijack).json()
    reason = "this id is taken by another record: give the record a new UUID"
    assert answer["stored"] == []
    assert answer["rejected"] == [
        {"id": session["id"], "reason": reason},
        {"id": morning["id"], "reason": reason},
    ]
    assert (answer["sessions"], answer["checkins"]) == ([], [])
    mine = client.get("/api/me/export", headers=alice).json()
    assert mine["sessions"] == [as_returned(session)]
    assert mine["checkins"] == [morning]


def test_sync_pulls_only_your_own(client, alices_data, bob):
    answer = client.post("/api/sync", headers=bob, json={"cursor": 0}).json()
    assert (answer["sessions"], answer["checkins"], answer["cursor"]) == ([], [], 0)


def test_the_export_holds_only_your_own(client, alices_data, bob):
    exported = client.get("/api/me/export", headers=bob).json()
    assert exported["account"]["email"] == "bob@example.org"
    assert (exported["sessions"], exported["checkins"]) == ([], [])
    csv = client.get("/api/me/export", headers=bob, params={"format": "csv"}).text
    assert csv.count("\r\n") == 1  # the header row only
    assert "alice" not in csv


def test_me_is_yourself(client, alice, bob):
    assert client.get("/api/me", headers=bob).json()["email"] == "bob@example.org"


def test_deleting_your_account_leaves_anothers_whole(client, alice, alices_data, bob):
    assert client.delete("/api/me", headers=bob).status_code == 204
    exported = client.get("/api/me/export", headers=alice).json()
    assert len(exported["sessions"]) == len(exported["checkins"]) == 1


def test_signing_out_revokes_only_your_own_token(client, alice, bob):
    assert client.post("/api/auth/logout", headers=bob).status_code == 204
    assert client.get("/api/me", headers=alice).status_code == 200
