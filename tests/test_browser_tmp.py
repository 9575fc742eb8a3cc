"""Browser runs leave nothing in the machine's temporary directory."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

TESTS = Path(__file__).resolve().parent

# In a process of its own: Playwright's sync API cannot start inside the session's browser.
LAUNCH = """
import os, sys
from pathlib import Path
from conftest import CHROMIUM_FLAGS, chromium_path, playwright_session
profile = Path(sys.argv[1])
with playwright_session() as playwright:
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=chromium_path(), args=CHROMIUM_FLAGS
    )
    # Chromium's singleton socket lives in a folder of the temporary directory it was given.
    print(Path(os.readlink(profile / "SingletonSocket")).parent)
    context.close()
"""


def test_chromium_keeps_its_temporary_files_in_a_folder_that_is_removed(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", LAUNCH, str(tmp_path / "profile")],
        cwd=TESTS,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    socket_folder = Path(result.stdout.strip())
    assert socket_folder.parent.name.startswith("spinewise-chromium-"), socket_folder
    assert not socket_folder.parent.exists()
