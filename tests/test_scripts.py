"""scripts/run and scripts/test install only when pyproject.toml changed; .ci/run runs the
README's test command."""

import os
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

FAKE = """#!/bin/sh
echo "$(basename "$0") $*" >> "$(dirname "$0")/../calls"
"""


def _checkout(tmp_path: Path) -> Path:
    """A copy of the scripts beside a pyproject.toml, with a .venv whose pip and spinewise only
    record how they were called."""
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    for name in ("run", "_install.sh"):
        shutil.copy(REPO / "scripts" / name, root / "scripts" / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "pip", "spinewise"):
        (bin_dir / name).write_text(FAKE)
        (bin_dir / name).chmod(0o755)
    return root


def _calls(root: Path) -> list[str]:
    path = root / ".venv" / "calls"
    return path.read_text().splitlines() if path.exists() else []


def _run(root: Path, *args: str) -> None:
    env = {**os.environ, "PIP_NO_INDEX": "1"}  # as with no network
    subprocess.run([root / "scripts" / "run", *args], check=True, env=env, capture_output=True)


def test_scripts_run_installs_once_then_only_when_pyproject_changes(tmp_path):
    root = _checkout(tmp_path)
    _run(root, "--port", "8765")
    _run(root, "--host", "0.0.0.0")
    assert _calls(root) == [
        "pip install --quiet --disable-pip-version-check -e .",
        "spinewise serve --port 8765",
        "spinewise serve --host 0.0.0.0",
    ]
    with (root / "pyproject.toml").open("a") as f:
        f.write("\n# changed\n")
    _run(root)
    assert _calls(root)[3:] == [
        "pip install --quiet --disable-pip-version-check -e .",
        "spinewise serve",
    ]


def test_an_install_for_the_tests_serves_scripts_run_too(tmp_path):
    root = _checkout(tmp_path)
    subprocess.run(
        ["bash", "-c", ". scripts/_install.sh && ensure_installed test"], cwd=root, check=True
    )
    _run(root)
    assert _calls(root) == [
        "pip install --quiet --disable-pip-version-check -e .[test]",
        "spinewise serve",
    ]


def test_ci_runs_the_readme_s_test_command():
    readme = (REPO / "README.md").read_text()
    (command,) = re.findall(r"CI \(`\.ci/run`\) runs exactly `([^`]+)`", readme)
    ci = (REPO / ".ci" / "run").read_text()
    assert f"exec {command}\n" in ci
