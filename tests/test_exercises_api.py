"""The catalogue endpoints as a client sees them: filters, 404s, ETags and 304s."""

import json

import pytest


def test_list_returns_the_whole_catalogue_with_phases_and_cues(client, catalogue):
    response = client.get("/api/exercises")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(catalogue) == len(body["exercises"])
    assert body["version"] == catalogue.version
    bridge = next(e for e in body["exercises"] if e["slug"] == "glute-bridge")
    assert bridge["pattern"] == "bridge"
    assert any(p["effort"] and p["breath"] == "exhale" for p in bridge["phases"])
    assert {c["phase"] for c in bridge["cues"]} <= {p["name"] for p in bridge["phases"]} | {"setup"}
    assert any(c["phase"] == "setup" for c in bridge["cues"])


def test_an_exercise_says_what_left_means_and_walking_breathes_freely(client):
    clam = client.get("/api/exercises/clamshell").json()
    assert (clam["pattern"], clam["per_side"], clam["sides"]) == ("hip", True, "working")
    assert client.get("/api/exercises/side-plank").json()["sides"] == "lying"
    walk = client.get("/api/exercises/brisk-walking").json()
    assert walk["sides"] is None and [p["breath"] for p in walk["phases"]] == ["free"]
    transfers = client.get("/api/exercises?pattern=transfer").json()["exercises"]
    assert [e["slug"] for e in transfers] == ["side-lying-to-sitting"]


@pytest.mark.parametrize(
    ("query", "field", "check"),
    [
        ("pattern=hinge", "pattern", lambda v: v == "hinge"),
        ("quality=hip-stability", "qualities", lambda v: "hip-stability" in v),
        ("position=standing", "position", lambda v: v == "standing"),
        ("level=1", "level", lambda v: v == 1),
        ("kind=hold", "kind", lambda v: v == "hold"),
    ],
)
def test_each_filter_keeps_only_matching_exercises(client, catalogue, query, field, check):
    body = client.get(f"/api/exercises?{query}").json()
    assert body["count"] > 0
    assert all(check(e[field]) for e in body["exercises"])
    expected = [
        e.slug
        for e in catalogue.exercises
        if check(getattr(e, field) if field != "qualities" else [q.value for q in e.qualities])
    ]
    assert [e["slug"] for e in body["exercises"]] == expected


def test_filters_combine(client):
    body = client.get("/api/exercises?pattern=brace&position=supine").json()
    assert body["exercises"]
    assert all(e["pattern"] == "brace" and e["position"] == "supine" for e in body["exercises"])


def test_a_filter_matching_nothing_gives_an_empty_list(client):
    body = client.get("/api/exercises?pattern=carry&position=supine").json()
    assert body == {"version": body["version"], "count": 0, "exercises": []}


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ("colour=red", "colour"),
        ("pattern=cartwheel", "pattern"),
        ("quality=strength-of-will", "quality"),
        ("level=9", "level"),
        ("level=two", "level"),
        ("position=upside-down", "position"),
        ("have=mat,trampoline", "have"),
        ("have=kettlebell", "have"),
    ],
)
def test_bad_filters_are_refused_with_a_message(client, query, mentions):
    response = client.get(f"/api/exercises?{query}")
    assert response.status_code == 422
    assert mentions in json.dumps(response.json()["detail"])


@pytest.mark.parametrize(
    ("have", "included", "left_out"),
    [
        ("", {"brisk-walking", "side-lying-to-sitting"}, {"glute-bridge", "sit-to-stand"}),
        ("mat", {"glute-bridge", "dead-bug", "brisk-walking"}, {"farmer-carry", "wall-slide"}),
        ("mat,chair", {"sit-to-stand", "glute-bridge"}, {"goblet-squat", "step-up"}),
        ("chair , mat", {"sit-to-stand", "glute-bridge"}, {"goblet-squat"}),  # spaces, order
        ("weight", {"floor-lift"}, {"farmer-carry", "kettlebell-deadlift", "dead-bug"}),
        ("weight,chair", {"farmer-carry", "suitcase-carry", "floor-lift"}, {"romanian-deadlift"}),
        ("weight,step", {"kettlebell-deadlift", "romanian-deadlift", "step-up"}, {"pallof-press"}),
    ],
)
def test_have_keeps_what_can_be_done_with_that_equipment(
    client, catalogue, have, included, left_out
):
    body = client.get("/api/exercises", params={"have": have}).json()
    slugs = {e["slug"] for e in body["exercises"]}
    assert included <= slugs and not left_out & slugs
    owned = {i.strip() for i in have.split(",") if i.strip()}
    assert slugs == {e.slug for e in catalogue.exercises if set(e.equipment) <= owned}
    assert all(set(e["equipment"]) <= owned for e in body["exercises"])


def test_have_combines_with_other_filters_and_has_one_etag_however_spelled(client):
    body = client.get("/api/exercises?have=mat,chair&pattern=squat").json()
    assert [e["slug"] for e in body["exercises"]] == ["sit-to-stand", "sit-to-stand-high-seat"]
    one = client.get("/api/exercises?have=chair,mat").headers["etag"]
    assert client.get("/api/exercises?have=mat,chair").headers["etag"] == one


def test_one_exercise_by_slug(client, catalogue):
    response = client.get("/api/exercises/glute-bridge")
    assert response.status_code == 200
    assert response.json() == catalogue.by_slug["glute-bridge"].model_dump(mode="json")


def test_unknown_slug_is_a_404_naming_it(client):
    response = client.get("/api/exercises/handstand-press")
    assert response.status_code == 404
    assert "handstand-press" in response.json()["detail"]


def test_unknown_api_route_is_a_json_404(client):
    response = client.get("/api/nothing/here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/exercises", "/api/exercises/glute-bridge"])
def test_etag_round_trip_gives_304_without_a_body(client, path):
    first = client.get(path, headers={"Accept-Encoding": "identity"})
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    assert first.headers["cache-control"] == "no-cache"
    again = client.get(path, headers={"If-None-Match": etag, "Accept-Encoding": "identity"})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


def test_a_stale_etag_gets_the_full_body(client):
    response = client.get("/api/exercises", headers={"If-None-Match": '"not-the-current-one"'})
    assert response.status_code == 200
    assert response.json()["exercises"]


def test_filtered_lists_have_their_own_etags(client):
    whole = client.get("/api/exercises").headers["etag"]
    hinge = client.get("/api/exercises?pattern=hinge").headers["etag"]
    assert whole != hinge
    stale = client.get("/api/exercises?pattern=hinge", headers={"If-None-Match": whole})
    assert stale.status_code == 200


def test_gzip_is_its_own_strong_representation(client):
    plain = client.get("/api/exercises", headers={"Accept-Encoding": "identity"})
    zipped = client.get("/api/exercises", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert "Accept-Encoding" in zipped.headers["vary"]
    assert zipped.json() == plain.json()
    # Either tag names the same content, so either revalidates.
    for etag in (plain.headers["etag"], zipped.headers["etag"]):
        assert client.get("/api/exercises", headers={"If-None-Match": etag}).status_code == 304
