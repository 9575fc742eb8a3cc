"""The catalogue's content and every rule of docs/catalogue.md.

Each rule is tested by breaking the real catalogue in exactly one way and checking that
validation stops with a message naming the exercise and the field.
"""

import copy
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from app.catalogue import (
    EXERCISES_DIR,
    Breath,
    CatalogueError,
    Kind,
    Quality,
    load_catalogue,
    parse_exercise,
    validate_catalogue,
)
from app.main import create_app


@pytest.fixture
def raw(catalogue):
    """The real catalogue as plain data, keyed by slug, free to break."""
    return {e.slug: e.model_dump(mode="json") for e in catalogue.exercises}


def _validate(raw):
    return validate_catalogue(
        [parse_exercise(copy.deepcopy(e), f"{s}.yaml") for s, e in raw.items()]
    )


def _first(raw, **match):
    return next(e for e in raw.values() if all(e[k] == v for k, v in match.items()))


def test_the_real_catalogue_is_large_and_complete(catalogue):
    assert len(catalogue) >= 30
    for e in catalogue.exercises:
        assert e.summary and e.purpose and e.protects and e.prepares_for, e.slug
        assert e.cautions and e.sources, e.slug
        assert 2 <= len(e.cues) <= 6, e.slug
    # A step changes one thing (docs/catalogue.md), so a few exercises have no neighbour that
    # is one step away; each is named here, so that standing alone is a choice, not a slip.
    alone = {e.slug for e in catalogue.exercises if not (e.regression or e.progression)}
    assert alone == STANDS_ALONE


STANDS_ALONE = {
    "side-lying-to-sitting",  # a transfer for a bad day, not a rung of training
    "floor-transfer",  # getting down to the floor and up: its own skill
    "stationary-cycling",  # seated on a bike: nothing else is
    "seated-pelvic-rocking",
    "seated-sciatic-slider",
    "supine-sciatic-slider",  # lying and seated sliders differ in position and the chair
    "standing-reach-and-turn",  # relaxed turning, not a harder thread-the-needle
    "wall-slide",  # shoulder flexion at a wall, a different motion from rotation on all fours
}


def test_every_pattern_of_the_product_is_covered(catalogue):
    patterns = Counter(e.pattern.value for e in catalogue.exercises)
    for pattern in ("hinge", "squat", "lunge", "bridge", "brace", "carry", "mobility", "breath"):
        assert patterns[pattern] >= 1, pattern


def test_every_quality_is_served_by_two_or_more(catalogue):
    for quality in Quality:
        assert sum(quality in e.qualities for e in catalogue.exercises) >= 2, quality


def test_chains_are_single_file_and_reach_every_exercise(catalogue):
    seen = Counter()
    for e in catalogue.exercises:
        if e.regression is None:
            chain = catalogue.chain(e.slug)
            seen.update(x.slug for x in chain)
            levels = [x.level for x in chain]
            assert levels == sorted(levels), [x.slug for x in chain]
    assert set(seen) == set(catalogue.by_slug) and max(seen.values()) == 1


def test_holds_keep_breathing_and_reps_exhale_on_effort(catalogue):
    for e in catalogue.exercises:
        breaths = [p.breath for p in e.phases]
        if e.kind is Kind.HOLD:
            assert breaths.count(Breath.BREATHE) + breaths.count(Breath.FREE) == 1, e.slug
        if e.kind is Kind.REPS:
            [effort] = [p for p in e.phases if p.effort]
            assert effort.breath is Breath.EXHALE, e.slug


@pytest.mark.parametrize(
    ("slug", "needs"),
    [
        ("glute-bridge", {"mat"}),
        ("brisk-walking", set()),
        ("sit-to-stand", {"chair"}),
        ("step-up", {"step"}),
        ("dowel-hinge", {"dowel"}),
        ("pallof-press", {"band"}),
        ("farmer-carry", {"chair", "weight"}),  # from a chair seat
        ("suitcase-carry", {"chair", "weight"}),  # from a chair seat
        ("goblet-squat", {"chair", "weight"}),  # a chair behind marks the depth
        ("kettlebell-deadlift", {"weight", "step"}),  # lowered to a raised block
        ("romanian-deadlift", {"weight", "step"}),  # picked up from a block
        ("wall-slide", {"wall"}),
        ("90-90-breathing", {"mat", "wall"}),
        ("stationary-cycling", {"bike"}),
    ],
)
def test_each_exercise_says_what_it_needs(catalogue, slug, needs):
    assert {e.value for e in catalogue.by_slug[slug].equipment} == needs


def test_floor_exercises_need_a_mat_and_standing_ones_do_not(catalogue):
    floor = {"supine", "prone", "quadruped", "kneeling"}
    for e in catalogue.exercises:
        if e.position.value in floor:
            assert "mat" in e.equipment, e.slug
        if e.position.value in {"standing", "seated"}:
            assert "mat" not in e.equipment, e.slug


def test_the_catalogue_version_changes_with_its_content(raw, catalogue):
    raw["glute-bridge"]["dose"]["reps"] = 12
    assert _validate(raw).version != catalogue.version
    assert _validate({**raw}).version == _validate(raw).version


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        # every slug it links to exists
        (
            lambda r: r["glute-bridge"].update(progression="no-such-move"),
            "'glute-bridge': progression",
        ),
        (
            lambda r: r["glute-bridge"].update(regression="ghost-tilt"),
            "'glute-bridge': regression",
        ),
        # chains have no cycles (and stay single file)
        (lambda r: _make_cycle(r), "progression"),
        # every reps exercise has an exhale effort phase
        (
            lambda r: _first(r, kind="reps")["phases"][
                _effort_index(_first(r, kind="reps"))
            ].update(breath="inhale"),
            "effort phase",
        ),
        (
            lambda r: [p.update(effort=False) for p in _first(r, kind="reps")["phases"]],
            "exactly one exhale effort phase",
        ),
        # durations are positive
        (lambda r: r["glute-bridge"]["phases"][0].update(seconds=0), "phases.0.seconds"),
        (lambda r: r["glute-bridge"]["phases"][0].update(seconds=-2), "phases.0.seconds"),
        (lambda r: r["glute-bridge"]["dose"].update(sets=0), "dose.sets"),
        # every quality is served by at least two exercises
        (lambda r: _leave_one_for(r, "load-carrying"), "quality 'load-carrying'"),
        # cues are tied to a phase of their exercise
        (lambda r: r["glute-bridge"]["cues"][0].update(phase="somewhere"), "cues"),
        # holds breathe steadily rather than holding the breath
        (
            lambda r: [
                p.update(breath="pause")
                for p in _first(r, kind="hold")["phases"]
                if p["breath"] == "breathe"
            ],
            "breathe",
        ),
        # values from the fixed vocabularies only
        (lambda r: r["glute-bridge"].update(pattern="cartwheel"), "pattern"),
        (lambda r: r["glute-bridge"].update(level=7), "level"),
        (lambda r: r["glute-bridge"].update(purpose=""), "purpose"),
        (lambda r: r["glute-bridge"].update(sources=[]), "sources"),
        (lambda r: r["glute-bridge"].update(colour="blue"), "colour"),
        # equipment: required, from the fixed list, each item once
        (lambda r: r["glute-bridge"].pop("equipment"), "equipment"),
        (lambda r: r["glute-bridge"].update(equipment=["trampoline"]), "equipment.0"),
        (lambda r: r["glute-bridge"].update(equipment="mat"), "equipment"),
        (lambda r: r["glute-bridge"].update(equipment=["mat", "mat"]), "equipment"),
    ],
)
def test_each_rule_stops_validation_naming_exercise_and_field(raw, breakage, message):
    breakage(raw)
    with pytest.raises(CatalogueError, match=message) as caught:
        _validate(raw)
    assert "'" in str(caught.value)  # names the exercise or quality


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        # a step is the same level or one higher: never easier, never two up
        (
            lambda r: r["side-plank"].update(level=1),
            "exercise 'side-bridge-knees': progression: 'side-plank' is an easier level (1 < 2)",
        ),
        (
            lambda r: r["side-plank"].update(level=4),
            "exercise 'side-bridge-knees': progression: 'side-plank' jumps from level 2 to 4; "
            "a step is the same level or one higher",
        ),
        # a chain keeps to one pattern
        (
            lambda r: r["side-plank"].update(pattern="hip"),
            "exercise 'side-bridge-knees': progression: 'side-plank' changes the pattern "
            "(brace to hip); a chain keeps to one pattern",
        ),
        # a step does not change both the position and the equipment
        (
            lambda r: r["pallof-press"].update(equipment=["band", "weight"]),
            "exercise 'half-kneeling-pallof': progression: 'pallof-press' changes both the "
            "position (kneeling to standing) and the equipment (band to band, weight); "
            "a step changes one",
        ),
        (
            lambda r: r["goblet-squat"].update(equipment=["weight"]),
            "exercise 'goblet-sit-to-stand': progression: 'goblet-squat' changes both the "
            "position (seated to standing) and the equipment (chair, weight to weight); "
            "a step changes one",
        ),
    ],
)
def test_a_chain_step_changes_one_thing(raw, breakage, message):
    breakage(raw)
    with pytest.raises(CatalogueError) as caught:
        _validate(raw)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "change",
    [
        # the same level, or one higher
        lambda r: r["side-plank"].update(level=2),
        # the position alone (the mat comes with getting down to the floor)
        lambda r: r["pallof-press"].update(position="kneeling"),
        # the equipment alone
        lambda r: r["pallof-press"].update(position="kneeling", equipment=["band", "weight"]),
    ],
)
def test_a_step_may_change_one_thing(raw, change):
    change(raw)
    _validate(raw)


def test_no_chain_crosses_patterns_or_levels_in_the_real_catalogue(catalogue):
    for e in catalogue.exercises:
        if e.progression:
            nxt = catalogue.by_slug[e.progression]
            assert nxt.pattern is e.pattern, e.slug
            assert nxt.level in (e.level, e.level + 1), e.slug


def _effort_index(exercise):
    return next(i for i, p in enumerate(exercise["phases"]) if p["effort"])


def _make_cycle(raw):
    """Link the top of a chain back to its bottom."""
    top = next(e for e in raw.values() if e["progression"] is None and e["regression"])
    bottom = top
    while bottom["regression"]:
        bottom = raw[bottom["regression"]]
    top["progression"] = bottom["slug"]
    bottom["regression"] = top["slug"]


def _leave_one_for(raw, quality):
    serving = [e for e in raw.values() if quality in e["qualities"]]
    for e in serving[1:]:
        e["qualities"] = [q for q in e["qualities"] if q != quality] or ["breath-control"]


def test_a_broken_file_stops_start_up_naming_exercise_and_field(tmp_path, settings):
    broken = tmp_path / "exercises"
    shutil.copytree(EXERCISES_DIR, broken)
    data = yaml.safe_load((broken / "glute-bridge.yaml").read_text())
    data["phases"][1]["seconds"] = -1
    (broken / "glute-bridge.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(CatalogueError, match=r"glute-bridge.*phases\.1\.seconds"):
        load_catalogue(broken)
    settings.catalogue_dir = broken
    with pytest.raises(CatalogueError, match="glute-bridge"), TestClient(create_app(settings)):
        pass


def test_a_file_must_be_named_after_its_slug(tmp_path):
    broken = tmp_path / "exercises"
    shutil.copytree(EXERCISES_DIR, broken)
    (broken / "glute-bridge.yaml").rename(broken / "bridge.yaml")
    with pytest.raises(CatalogueError, match=r"bridge\.yaml.*slug"):
        load_catalogue(broken)


def test_invalid_yaml_is_reported_with_its_file(tmp_path):
    broken = tmp_path / "exercises"
    shutil.copytree(EXERCISES_DIR, broken)
    (broken / "glute-bridge.yaml").write_text("slug: [unclosed\n")
    with pytest.raises(CatalogueError, match=r"glute-bridge\.yaml: not valid YAML"):
        load_catalogue(broken)


def test_the_servers_breathing_practices_are_the_apps():
    """A session of paced breathing is logged under a slug the app makes from its rhythm: the
    server must know each one, or it refuses the session."""
    import json
    import subprocess

    from app.catalogue import PRACTICES

    script = (
        "import('./web/static/js/prescribe.js').then((m) => console.log(JSON.stringify("
        "m.RHYTHMS.map((r) => m.pacedBreathing(r.id, 3).items[0].slug))))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert set(json.loads(out)) == PRACTICES


# --- The schema's newer rules: one bad file each, and the message it gets ---------------------


def _bad_file(tmp_path, slug, change):
    """The real catalogue in `tmp_path`, with `slug`'s file broken by `change(data)`."""
    broken = tmp_path / "exercises"
    shutil.copytree(EXERCISES_DIR, broken)
    path = broken / f"{slug}.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return broken


def _cue(phase, text="A cue long enough to count."):
    return {"text": text, "phase": phase}


@pytest.mark.parametrize(
    ("slug", "change", "message"),
    [
        # a phase may not be called "setup": the name is kept for set-up cues
        (
            "glute-bridge",
            lambda d: d["phases"][1].update(name="setup"),
            r"glute-bridge\.yaml: exercise 'glute-bridge': .*phases: 'setup' is reserved for "
            r"set-up cues, not a phase name",
        ),
        # every exercise has a set-up cue
        (
            "glute-bridge",
            lambda d: d.update(cues=[c for c in d["cues"] if c["phase"] != "setup"]),
            r"glute-bridge\.yaml: exercise 'glute-bridge': .*cues: no set-up cue; give one cue "
            r"phase 'setup'",
        ),
        # a cue names a phase or "setup", nothing else
        (
            "glute-bridge",
            lambda d: d["cues"].append(_cue("set-up")),
            r"glute-bridge\.yaml: .*cues: cue .* names phase 'set-up', not one of "
            r"\['lift', 'top', 'lower'\] or 'setup'",
        ),
        # sides: required when per_side is true ...
        (
            "clamshell",
            lambda d: d.pop("sides"),
            r"clamshell\.yaml: exercise 'clamshell': .*sides: a per_side exercise says what "
            r"left means: lying or working",
        ),
        # ... absent otherwise ...
        (
            "glute-bridge",
            lambda d: d.update(sides="working"),
            r"glute-bridge\.yaml: exercise 'glute-bridge': .*sides: only a per_side exercise "
            r"has sides",
        ),
        # ... and one of two words
        (
            "clamshell",
            lambda d: d.update(sides="top"),
            r"clamshell\.yaml: exercise 'clamshell': sides: Input should be 'lying' or 'working'",
        ),
        # a free-breathing phase lasts at least 5 s, like a steady hold
        (
            "brisk-walking",
            lambda d: d["phases"][0].update(seconds=3),
            r"brisk-walking\.yaml: .*phases: free phase 'walk' lasts 3(\.0)? s, at least 5",
        ),
        # a hold has exactly one steady phase: breathe or free, not both
        (
            "farmer-carry",
            lambda d: d["phases"].insert(
                1,
                {
                    "name": "steady",
                    "movement": "stand tall",
                    "breath": "breathe",
                    "seconds": 5,
                    "pose": d["phases"][0]["pose"],
                },
            ),
            r"farmer-carry\.yaml: .*phases: a hold exercise needs exactly one 'breathe' or "
            r"'free' phase",
        ),
        # breath and pattern come from their fixed lists
        (
            "brisk-walking",
            lambda d: d["phases"][0].update(breath="pant"),
            r"brisk-walking\.yaml: .*phases\.0\.breath: Input should be 'inhale', 'exhale', "
            r"'pause', 'breathe' or 'free'",
        ),
        (
            "clamshell",
            lambda d: d.update(pattern="hips"),
            r"clamshell\.yaml: .*pattern: Input should be .*'hip' or 'transfer'",
        ),
    ],
)
def test_each_newer_rule_stops_a_bad_file_with_its_message(tmp_path, slug, change, message):
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(_bad_file(tmp_path, slug, change))


@pytest.mark.parametrize(
    ("slug", "change"),
    [
        # a hold may keep breathing freely instead of steadily
        ("side-plank", lambda d: d["phases"][1].update(breath="free")),
        # set-up cues as many as needed, within six cues in all
        ("glute-bridge", lambda d: d["cues"].extend([_cue("setup"), _cue("setup")])),
        # a per_side exercise may count sides either way
        ("clamshell", lambda d: d.update(sides="lying")),
    ],
)
def test_what_the_newer_rules_allow_loads(tmp_path, slug, change):
    assert slug in load_catalogue(_bad_file(tmp_path, slug, change)).by_slug


# --- The clinical review's corrections, each where a user would meet it ---------------------


def test_walking_and_carries_breathe_freely_and_never_count_steps(catalogue):
    for slug in ("brisk-walking", "farmer-carry", "suitcase-carry"):
        e = catalogue.by_slug[slug]
        assert [p.breath for p in e.phases].count(Breath.FREE) == 1, slug
        assert Breath.BREATHE not in [p.breath for p in e.phases], slug
        texts = [c.text.lower() for c in e.cues]
        assert not any("step" in t and ("in over" in t or "out over" in t) for t in texts), slug
    for slug in ("farmer-carry", "suitcase-carry"):
        assert any("breathe freely, never hold" in c.text for c in catalogue.by_slug[slug].cues)
    walking = catalogue.by_slug["brisk-walking"]
    assert any("Breathe freely, never hold" in c.text for c in walking.cues)
    assert Quality.BREATH_CONTROL not in walking.qualities


def test_every_exercise_lists_its_set_up_cues_first(catalogue):
    for e in catalogue.exercises:
        phases = [c.phase for c in e.cues]
        assert phases[0] == "setup", e.slug
        assert phases == sorted(phases, key=lambda p: p != "setup"), e.slug


@pytest.mark.parametrize(
    ("slug", "first_cue"),
    [
        ("dead-bug", "Reach only as far as the back stays still"),
        ("quadruped-rock-back", "Stop rocking the moment the lower back starts to round"),
        ("sit-to-stand", "Bring the nose over the toes"),
        ("goblet-squat", "Go only as deep as the back stays long"),
        ("marching-bridge", "Hip bones stay level"),
    ],
)
def test_the_key_cue_comes_first_on_its_phase(catalogue, slug, first_cue):
    e = catalogue.by_slug[slug]
    phase = next(c.phase for c in e.cues if c.text.startswith(first_cue))
    assert next(c for c in e.cues if c.phase == phase).text.startswith(first_cue)


def test_marching_bridge_breathes_out_on_the_march(catalogue):
    phases = catalogue.by_slug["marching-bridge"].phases
    assert [(p.name, p.breath.value, p.effort) for p in phases] == [
        ("lift", "exhale", False),
        ("set", "inhale", False),
        ("march", "exhale", True),
        ("place", "inhale", False),
        ("lower", "exhale", False),
    ]


def test_dead_bug_hovers_on_the_out_breath_without_a_pause(catalogue):
    phases = catalogue.by_slug["dead-bug"].phases
    assert Breath.PAUSE not in [p.breath for p in phases]
    reach = next(p for p in phases if p.effort)
    assert reach.breath is Breath.EXHALE and "hover" in reach.movement


def test_the_kettlebell_deadlift_starts_each_rep_from_the_block(catalogue):
    first, *_, last = catalogue.by_slug["kettlebell-deadlift"].phases
    assert first.effort and first.breath is Breath.EXHALE and "block" in first.movement
    assert "block" in last.movement


def test_carries_pick_up_from_a_chair_or_bench_not_the_floor(catalogue):
    for slug in ("farmer-carry", "suitcase-carry"):
        e = catalogue.by_slug[slug]
        pick_up, *_, set_down = e.phases
        for phase in (pick_up, set_down):
            assert "chair" in phase.movement and "floor" not in phase.movement, slug
        assert "chair" in e.equipment, slug
    assert (
        "Comparison of different strongman events" in (catalogue.by_slug["farmer-carry"].sources[0])
    )


def test_knee_rocks_alternate_sides_in_one_rep(catalogue):
    e = catalogue.by_slug["supine-knee-rocks"]
    assert not e.per_side and e.sides is None
    assert [p.name for p in e.phases] == ["left", "centre", "right", "middle"]


def test_patterns_and_qualities_say_what_each_exercise_trains(catalogue):
    by = catalogue.by_slug
    assert by["clamshell"].pattern.value == "hip"
    assert by["side-lying-to-sitting"].pattern.value == "transfer"
    assert Quality.AEROBIC_TOLERANCE not in by["step-up"].qualities
    # lumbopelvic-control is kept for motor-control exercises only (not stretches, the wall
    # slide, the log roll, or strength and endurance work)
    assert {e.slug for e in catalogue.exercises if Quality.LUMBOPELVIC_CONTROL in e.qualities} == {
        "90-90-breathing",
        "bird-dog",
        "dead-bug",
        "dowel-hinge",
        "pelvic-tilt",
        "quadruped-rock-back",
        "quadruped-leg-reach",
        "seated-pelvic-rocking",
        "pelvic-floor-breathing",
    }


def test_per_side_exercises_say_what_left_means(catalogue):
    by = catalogue.by_slug
    for slug in ("side-bridge-knees", "side-plank", "open-book", "side-lying-to-sitting"):
        assert by[slug].sides.value == "lying", slug
    for slug in ("split-squat", "step-up", "suitcase-carry", "marching-bridge", "clamshell"):
        assert by[slug].sides.value == "working", slug
        assert any(c.phase == "setup" and "side named" in c.text for c in by[slug].cues), slug


def test_single_cues_the_review_asked_for(catalogue):
    by = catalogue.by_slug
    knee = " ".join(c.text for c in by["single-knee-to-chest"].cues)
    assert "does not curl" not in knee and "curl up a little" in knee
    assert any(
        c.phase == "setup" and ("wall" in c.text or "chair" in c.text)
        for c in by["split-squat"].cues
    )
    press = by["prone-press-up"]
    assert "some people" in press.purpose and "many people" not in press.purpose
    cautions = " ".join(press.cautions)
    assert "check with a clinician" in cautions and "carry on" not in cautions
    assert "ease on sitting, skip backward bending" in cautions


def test_why_an_exercise_is_there_speaks_of_capacity_not_a_fragile_spine(catalogue):
    for e in catalogue.exercises:
        for text in (e.purpose, e.protects):
            low = text.lower()
            assert "protect" not in low and "spare" not in low, (e.slug, text)
            assert "where rotation belongs" not in low and "than it should" not in low, e.slug


def test_the_pain_limit_is_called_the_apps_rule_of_thumb(catalogue):
    named = [c for e in catalogue.exercises for c in e.cautions if "out of 10" in c]
    assert len(named) >= 25
    for caution in named:
        assert "5 out of 10 (the app's rule of thumb)" in caution, caution
