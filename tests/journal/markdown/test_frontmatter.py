"""Front matter built to exhaust memory is refused by its line, at the cost of its own bytes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from journal.markdown import reader as md_reader

ANCHORED = "x" * 1000


def alias_bomb() -> str:
    """About 1 MB: one anchored string repeated 20,000 times by alias."""
    lines = ["---", "title: bomb", "role: maker", f"what_happened: &big {ANCHORED}"]
    lines += [f"padding_key_number_{i:05d}_for_size_xxxxxxxxxxxx: *big" for i in range(20_000)]
    return "\n".join([*lines, "---", "", "body", ""])


def billion_laughs() -> str:
    lines = ["---", "title: laughs", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join([*lines, "---", "", "body", ""])


@pytest.mark.parametrize(("text", "line"), [(alias_bomb(), 4), (billion_laughs(), 3)])
def test_anchors_are_refused_with_their_line(text: str, line: int) -> None:
    started = time.perf_counter()
    with pytest.raises(md_reader.FormatError) as caught:
        md_reader.parse(text, "bomb.md")
    assert time.perf_counter() - started < 0.5
    assert caught.value.line == line
    assert "anchor or alias" in str(caught.value)


def test_an_anchor_after_something_unusual_is_still_refused() -> None:
    # A tag sends the file to PyYAML's full loader, which would expand the aliases.
    text = "---\ntitle: !!str tagged\nrole: maker\na: &a [x]\nb: *a\n---\n"
    with pytest.raises(md_reader.FormatError, match="anchor or alias") as caught:
        md_reader.parse(text, "x.md")
    assert caught.value.line == 4


def test_nesting_deeper_than_the_budget_is_refused() -> None:
    deep = "[" * 25 + "]" * 25
    with pytest.raises(md_reader.FormatError, match="more than 20 deep"):
        md_reader.parse(f"---\ntitle: deep\nrole: maker\ntags: {deep}\n---\n", "x.md")
    with pytest.raises(md_reader.FormatError, match="more than 20 deep"):
        md_reader.parse(f"---\ntitle: !!str deep\nrole: maker\ntags: {deep}\n---\n", "x.md")


def test_the_bomb_is_refused_under_a_memory_limit(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.md"
    bomb.write_text(alias_bomb(), encoding="utf-8")
    assert bomb.stat().st_size > 1_000_000
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))\n"
        "from journal.cli import main\n"
        f"sys.exit(main(['--journal', {str(tmp_path / 'j.hindsight')!r}, 'import', {str(bomb)!r}]))\n"
    )
    pytest.importorskip("resource")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "MemoryError" not in done.stderr and "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert "bomb.md: line 4:" in line and "anchor or alias" in line
