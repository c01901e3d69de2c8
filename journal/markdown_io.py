"""The Markdown format of DESIGN §4. (Placeholder: lands with the Markdown issue.)"""

from __future__ import annotations

from journal.model import PostMortem


def render(pm: PostMortem) -> str:
    raise NotImplementedError
