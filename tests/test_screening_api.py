"""The red-flag answers on the account: GET/PUT /api/me/screening, strictly checked, one
account's never another's, in the export and gone with the account; and the server's sign ids
are the app's."""

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
from sqlmodel import select

from app.models import Screening
from app.screening import Sign

ROOT = Path(__file__).resolve().parents[1]


def answers(**fields):
    """Valid answers: thin bones, checked by a clinician on 3 November."""
    return {
        "signs": ["bones-steroids", "inflammatory"],
        "answered_at": "2026-11-02T08:00:00Z",
        "cycle": 1,
        "cleared_on": "2026-11-03",
        "cleared_signs": ["bones-steroids"],
        "updated_at": "2026-11-03T09:00:00Z",
        **fields,
    }


def test_the_servers_signs_are_the_apps():
    script = (
        "import('./web/static/js/red-flags.js')"
        ".then((m) => console.log(JSON.stringify(m.SIGNS.map((s) => s.id))))"
    )
    out = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == [s.value for s in Sign]


def test_none_before_the_first_answer_then_what_was_put(client, alice):
    assert client.get("/api/me/screening", headers=alice).json() is None
    response = client.put("/api/me/screening", headers=alice, json=answers())
    assert response.status_code == 200
    assert response.json() == answers()
    assert client.get("/api/me/screening", headers=alice).json() == answers()


def test_newer_answers_replace_older_and_older_ones_change_nothing(client, alice):
    client.put("/api/me/screening", headers=alice, json=answers())
    newer = answers(
        signs=["saddle"],
        answered_at="2026-11-10T08:00:00Z",
        cycle=2,
        cleared_on=None,
        cleared_signs=[],
        updated_at="2026-11-10T08:00:00Z",
    )
    assert client.put("/api/me/screening", headers=alice, json=newer).json() == newer
    # A device back online with what it answered before: the newer answers stand.
    stale = client.put("/api/me/screening", headers=alice, json=answers())
    assert stale.status_code == 200 and stale.json() == newer
    assert client.get("/api/me/screening", headers=alice).json() == newer


@pytest.mark.parametrize(
    "change",
    [
        {"signs": ["not-a-sign"]},
        {"signs": ["saddle", "saddle"]},
        {"signs": "saddle"},
        {"cleared_signs": ["saddle"]},  # a check of a sign not ticked
        {"cleared_on": None},  # a check with no date
        {"cleared_on": "2026-11-03", "cleared_signs": []},
        {"cleared_on": "2026-12-25"},  # after the answers were recorded
        {"cleared_on": "03/11/2026"},
        {"cycle": 0},
        {"cycle": "1"},
        {"cycle": True},
        {"answered_at": "2026-11-02T08:00:00"},  # no timezone
        {"updated_at": "2026-11-01T08:00:00Z"},  # before the answers
        {"answered_at": None},
        {"extra": 1},
    ],
)
def test_bad_answers_are_a_422_and_change_nothing(client, alice, change):
    client.put("/api/me/screening", headers=alice, json=answers())
    response = client.put(
        "/api/me/screening",
        headers=alice,
        json=answers(**{"updated_at": "2026-11-20T08:00:00Z", **change}),
    )
    assert response.status_code == 422, response.text
    assert client.get("/api/me/screening", headers=alice).json() == answers()


@pytest.mark.parametrize("body", [None, [], "yes"])
def test_a_body_that_is_not_answers_is_refused(client, alice, body):
    response = client.put("/api/me/screening", headers=alice, json=body)
    assert 400 <= response.status_code < 500
    assert client.get("/api/me/screening", headers=alice).json() is None


def test_one_accounts_answers_are_never_anothers(client, alice, bob):
    client.put("/api/me/screening", headers=alice, json=answers())
    assert client.get("/api/me/screening", headers=bob).json() is None
    mine = answers(signs=[], cleared_on=None, cleared_signs=[], updated_at="2026-11-30T08:00:00Z")
    client.put("/api/me/screening", headers=bob, json=mine)
    assert client.get("/api/me/screening", headers=alice).json() == answers()
    assert client.get("/api/me/export", headers=bob).json()["screening"] == mine


def test_the_export_holds_the_answers_in_json_and_csv(client, alice):
    client.put("/api/me/screening", headers=alice, json=answers())
    assert client.get("/api/me/export", headers=alice).json()["screening"] == answers()
    text = client.get("/api/me/export", headers=alice, params={"format": "csv"}).text
    [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["record"] == "screening"]
    assert row["signs"] == "bones-steroids | inflammatory"
    assert (row["cleared_on"], row["cleared_signs"]) == ("2026-11-03", "bones-steroids")
    assert row["started_at"] == "2026-11-02T08:00:00+00:00"


def test_deleting_the_account_deletes_its_answers(client, alice, bob, db):
    client.put("/api/me/screening", headers=alice, json=answers())
    client.put("/api/me/screening", headers=bob, json=answers())
    assert client.delete("/api/me", headers=alice).status_code == 204
    assert len(db.exec(select(Screening)).all()) == 1  # bob's
    assert client.get("/api/me/screening", headers=bob).json() == answers()
