"""The house rules a newcomer relies on: rooms of modest size, each module saying its one job first, tests mirrored."""

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


# Modules that may stand without a test module of their own, each with why.
WITHOUT_TESTS = {
    "journal/schema.py": "two constants; test_migrations checks them against the steps",
}


def test_every_module_has_its_mirror_test_module() -> None:
    """``journal/x/y.py`` is tested in ``tests/journal/x/test_y.py``: a newcomer finds the tests in one step."""
    missing = []
    for path in MODULES:
        if path.name in ("__init__.py", "__main__.py"):
            continue
        module = path.relative_to(ROOT)
        if module.as_posix() in WITHOUT_TESTS:
            continue
        mirror = ROOT / "tests" / module.parent / f"test_{module.name}"
        if not mirror.exists():
            missing.append(f"{module} has no {mirror.relative_to(ROOT)}")
    assert missing == [], "\n".join(missing)
    for allowed in WITHOUT_TESTS:
        assert (ROOT / allowed).exists(), f"{allowed} is allowed without tests but no longer exists"
