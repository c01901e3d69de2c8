"""Test-wide settings: Qt always offscreen, set here rather than by hand."""

import os

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"


@pytest.fixture(autouse=True)
def _backups_elsewhere(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Automatic backups (daily, before an import or upgrade) never reach the real user data folder."""
    monkeypatch.setenv("HINDSIGHT_BACKUP_DIR", str(tmp_path_factory.mktemp("backups")))
