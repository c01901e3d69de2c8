"""The house rules a newcomer relies on: rooms of modest size, each module saying its one job first."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p for room in ("journal", "ui") for p in (ROOT / room).rglob("*.py") if "__pycache__" not in p.parts)
MOST_LINES = 800  # a module longer than this holds more than one job (issue 15)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_module_says_its_one_job_first_and_stays_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert lines <= MOST_LINES, f"{lines} lines: split it by responsibility"
    if not text.strip():
        return  # an empty __init__ only makes a folder a package
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring, "no docstring: its first line should say what the module is for"
    first = docstring.splitlines()[0]
    assert first.rstrip().endswith((".", ":")) and len(first) <= 120, f"first line: {first!r}"


def test_the_rooms_are_where_the_design_says() -> None:
    for room in ("journal/markdown", "journal/transfer", "journal/insight", "journal/cli", "ui/shell", "ui/browse",
                 "ui/editor", "ui/insight", "ui/followups", "ui/review", "resources"):
        assert (ROOT / room / "__init__.py").exists(), room
    assert (ROOT / "ui" / "background.py").exists()
