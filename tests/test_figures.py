"""The figure's rules hold for every exercise of the real catalogue.

The rules (joint ranges, resting on the floor, an effort that moves, a hold that holds: see
docs/figure.md) are checked by scripts/figure-check.mjs with the body model the app draws
with, and table-tested in tests/js/body.test.mjs; here they run over the catalogue as the API
serves it, so no exercise reaches a person with a figure that breaks them.
"""

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from app.catalogue import CatalogueError, parse_exercise

ROOT = Path(__file__).resolve().parent.parent
CHECK = ROOT / "scripts" / "figure-check.mjs"


def check(exercises: list[dict]) -> list[str]:
    result = subprocess.run(
        ["node", str(CHECK)],
        input=json.dumps(exercises),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.splitlines()


def test_every_exercise_passes_the_figures_rules(catalogue):
    assert check([e.model_dump(mode="json") for e in catalogue.exercises]) == []


def test_the_checker_reports_a_broken_pose_by_exercise_and_pose(catalogue):
    exercise = catalogue.by_slug["glute-bridge"].model_dump(mode="json")
    pose = exercise["figure"]["start"]
    exercise["figure"]["poses"][pose]["knees"] = -30
    faults = check([exercise])
    assert any(f.startswith(f"{exercise['slug']}: pose {pose}: knee -30°") for f in faults), faults


def _raw():
    return yaml.safe_load((ROOT / "app" / "exercises" / "glute-bridge.yaml").read_text())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw.pop("figure"), "figure: Field required"),
        (lambda raw: raw["phases"][0].pop("pose"), "phases.0.pose: Field required"),
        (lambda raw: raw["phases"][0].update(pose="nowhere"), "names pose 'nowhere'"),
        (lambda raw: raw["figure"].update(start="nowhere"), "start: no pose named 'nowhere'"),
        (
            lambda raw: raw["figure"]["poses"].update(loop={"like": "loop"}),
            "like itself",
        ),
        (
            lambda raw: raw["figure"]["poses"].update(free={"pitch": 10}),
            "does not say what carries it",
        ),
        (
            lambda raw: raw["figure"]["poses"].update(odd={"rests": ["feet"], "tail": 3}),
            "tail",
        ),
        (
            lambda raw: raw["figure"]["poses"].update(odd={"rests": ["feet@table"]}),
            "rests",
        ),
    ],
)
def test_the_catalogue_refuses_an_exercise_without_poses_or_with_names_that_do_not_resolve(
    change, message
):
    raw = _raw()
    change(raw)
    with pytest.raises(CatalogueError, match=message):
        parse_exercise(raw, "broken.yaml")
