"""A fast subset of ``make crashtest``: SIGKILLs at random moments, and a full disk; nothing committed is lost."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks import crashtest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the crash test forks and mounts: Linux only")


def test_thirty_kills_during_saves_imports_syncs_and_backups_lose_nothing(tmp_path: Path) -> None:
    kills = crashtest.plan(30, crashtest.has_command("backup"))
    tally = crashtest.run(tmp_path, kills, seed=1414, import_files=200)
    assert tally.total == 30
    assert tally.acked > 50  # saves did return before the kills, so losing one would show
    assert (tally.lost, tally.refused, tally.integrity, tally.reruns_failed) == (0, 0, 0, 0), tally.problems


def test_a_full_disk_fails_the_save_in_one_line_and_keeps_every_saved_entry(tmp_path: Path) -> None:
    why_not = crashtest.can_mount()
    if why_not:
        pytest.skip(f"no small filesystem to fill: {why_not}")
    result = crashtest.full_disk_round(tmp_path, seed=7)
    assert result.acked > 0
    assert result.full_exit == 1 and not result.traceback
    assert result.full_message.count("\n") == 1 and "disk" in result.full_message and "full" in result.full_message
    assert result.lost == 0 and not result.refused and not result.integrity
    assert result.add_after_freeing == 0
