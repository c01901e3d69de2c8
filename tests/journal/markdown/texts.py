"""What the Markdown tests read out of a rendered file: its front matter."""

from __future__ import annotations

from journal.markdown import reader as md_reader


def front_of(text: str) -> str:
    front, _ = md_reader._split_front_matter(text)
    assert front is not None
    return front
