"""Run the ``hindsight`` command in-process, as the CLI tests do: exit code, stdout and stderr."""

from __future__ import annotations

import pytest

from journal.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def add(capsys: pytest.CaptureFixture[str], jpath: str, *extra: str) -> str:
    code, out, err = run(capsys, "--journal", jpath, "add", *extra)
    assert code == 0, err
    return out.strip()
