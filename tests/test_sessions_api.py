"""GET /api/sessions and /api/sessions/{id}: newest first, a page at a time, stable cursors."""

import uuid

import pytest

from records import as_returned, session_log


def _store(client, headers, *records):
    response = client.post("/api/sync", headers=headers, json={"sessions": list(records)})
    assert len(response.json()["stored"]) == len(records)


def _day(n: int) -> dict[str, str]:
    return {"started_at": f"2025-11-{n:02d}T08:00:00Z", "ended_at": f"2025-11-{n:02d}T08:30:00Z"}


def test_sessions_come_newest_first_a_page_at_a_time(client, alice):
    records = [session_log(**_day(n)) for n in (3, 1, 5, 2, 4)]
    _store(client, alice, *records)
    pages, before = [], None
    while True:
        params = {"limit": 2, **({"before": before} if before else {})}
        page = client.get("/api/sessions", headers=alice, params=params).json()
        pages.append([s["started_at"][:10] for s in page["sessions"]])
        before = page["next"]
        if before is None:
            break
    assert pages == [["2025-11-05", "2025-11-04"], ["2025-11-03", "2025-11-02"], ["2025-11-01"]]


def test_sessions_that_started_together_are_neither_lost_nor_repeated(client, alice):
    same_start = [session_log(**_day(7)) for _ in range(5)]
    _store(client, alice, *same_start)
    first = client.get("/api/sessions", headers=alice, params={"limit": 3}).json()
    rest = client.get(
        "/api/sessions", headers=alice, params={"limit": 3, "before": first["next"]}
    ).json()
    ids = [s["id"] for s in first["sessions"] + rest["sessions"]]
    assert ids == sorted((r["id"] for r in same_start), reverse=True)
    assert rest["next"] is None


def test_the_default_page_is_20_and_an_empty_account_has_none(client, alice):
    assert client.get("/api/sessions", headers=alice).json() == {"sessions": [], "next": None}
    _store(client, alice, *[session_log() for _ in range(21)])
    page = client.get("/api/sessions", headers=alice).json()
    assert len(page["sessions"]) == 20
    assert page["next"] is not None


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"before": "not-a-cursor"},
        {"before": "0" * 45},
        {"page": 2},  # unknown parameters are refused, not ignored
    ],
)
def test_a_bad_limit_cursor_or_parameter_is_a_422(client, alice, params):
    response = client.get("/api/sessions", headers=alice, params=params)
    assert response.status_code == 422


def test_one_session_by_id(client, alice):
    record = session_log()
    _store(client, alice, record)
    response = client.get(f"/api/sessions/{record['id']}", headers=alice)
    assert response.status_code == 200
    assert response.json() == as_returned(record)


def test_an_unknown_id_is_a_404_and_a_malformed_one_a_422(client, alice):
    missing = client.get(f"/api/sessions/{uuid.uuid4()}", headers=alice)
    assert missing.status_code == 404
    assert missing.json()["detail"].startswith("No session log ")
    assert client.get("/api/sessions/42", headers=alice).status_code == 422
