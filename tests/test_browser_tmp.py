"""Browser runs leave nothing in the machine's temporary directory."""

import os
from pathlib import Path

import pytest
from conftest import CHROMIUM_FLAGS, chromium_path, playwright_session

pytestmark = pytest.mark.browser


def test_chromium_keeps_its_temporary_files_in_a_folder_that_is_removed(tmp_path):
    with playwright_session() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium_path(), args=CHROMIUM_FLAGS
        )
        # Chromium's singleton socket lives in a folder of the temporary directory it was given.
        socket_folder = Path(os.readlink(tmp_path / "profile" / "SingletonSocket")).parent
        context.close()
        assert socket_folder.parent.name.startswith("spinewise-chromium-"), socket_folder
    assert not socket_folder.parent.exists()
