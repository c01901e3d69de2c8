"""The CLI tests' journal: a path in a temporary folder (modules that need entries in it override this)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def jpath(tmp_path: Path) -> str:
    return str(tmp_path / "cli.hindsight")
