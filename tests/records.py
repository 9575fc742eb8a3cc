"""What a client sends in the tests: accounts, session logs and check-ins, easy to vary."""

import uuid
from typing import Any

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"


def sign_up(client: TestClient, email: str) -> dict[str, str]:
    """Register `email` through the API; the headers that sign a request in as that account."""
    response = client.post("/api/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def session_log(**fields: Any) -> dict[str, Any]:
    """A valid session log with a fresh id; `fields` replace its values."""
    return {
        "id": str(uuid.uuid4()),
        "updated_at": "2025-11-20T08:30:00Z",
        "kind": "plan",
        "started_at": "2025-11-20T08:00:00Z",
        "ended_at": "2025-11-20T08:20:00Z",
        "exercises": [
            {
                "slug": "glute-bridge",
                "sets_done": 2,
                "reps_done": 10,
                "effort": 4,
                "pain": 2,
                "fatigue_region": "hips-glutes",
                "fatigue_onset": {"set": 2, "rep": 8},
                "helpful_cues": ["Let the ribs settle down first, then lift."],
            }
        ],
        "notes": "",
        **fields,
    }


def checkin(**fields: Any) -> dict[str, Any]:
    """A valid next-morning check-in with a fresh id; `fields` replace its values."""
    return {
        "id": str(uuid.uuid4()),
        "updated_at": "2025-11-21T07:00:00Z",
        "day": "2025-11-21",
        "pain": 2,
        "stiffness": 3,
        "compared_with_yesterday": "better",
        "fatigue_lingered": False,
        "symptoms_spread": False,
        "notes": "",
        **fields,
    }


def as_returned(record: dict[str, Any]) -> dict[str, Any]:
    """A session log as the API answers with it: every optional field spelled out."""
    exercises = [
        {
            "reps_done": None,
            "seconds_done": None,
            "skipped": False,
            "feeling": None,
            "symptoms_spread": False,
            "helpful_cues": [],
            **e,
        }
        for e in record.get("exercises", [])
    ]
    return {"day": None, **record, "exercises": exercises}
