"""The pattern record: one finding's sentence, its strength from 0 to 1 and the entries that show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Pattern:
    """One thing that keeps recurring, with the entries that show it."""

    kind: str
    sentence: str
    strength: float
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "sentence": self.sentence,
            "strength": round(self.strength, 3),
            "evidence": list(self.evidence),
        }
