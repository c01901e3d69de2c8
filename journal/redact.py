"""Redacted copies of post-mortems for sharing (DESIGN §2, "Private fields").

A redacted entry leaves out the private fields and replaces clients, accounts,
follow-up owners and review-note authors with stable pseudonyms (``Client A``,
``Person B``) in those fields and wherever the names occur in any text: case
does not matter, longer names are replaced before the names they contain, and a
name is replaced only as a whole word (``Ann`` is not replaced inside ``Annual``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from journal.model import PRIVATE_FIELDS, Breadsticks, FollowUp, PostMortem, RecoveryStep

# Values that are codes, not text a person wrote: never rewritten.
_CODES = frozenset(
    [
        "id", "occurred_on", "role", "severity", "status", "detection", "response_style", "kind",
        "accepted", "due_on", "done_on", "check_on", "check_result", "state", "created_at", "updated_at",
        "revision", "deleted", "client_retained", "satisfaction", "written_at", "cost", "hours", "who",
        "intensity", "intensity_now",
    ]
)


def _letters(n: int) -> str:
    """0 → A, 25 → Z, 26 → AA: like spreadsheet columns."""
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


class Pseudonyms:
    """Names → pseudonyms, stable for one export: the same name always gets the same one."""

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._counts = {"Client": 0, "Person": 0}
        self._pattern: re.Pattern[str] | None = None

    def add(self, name: str, kind: str) -> None:
        name = name.strip()
        if not name or name.lower() in self._by_key:
            return
        self._by_key[name.lower()] = f"{kind} {_letters(self._counts[kind])}"
        self._counts[kind] += 1
        self._pattern = None

    def learn(self, entries: Iterable[PostMortem]) -> Pseudonyms:
        """Give a pseudonym to every client, account, owner and author, in order of appearance."""
        for pm in entries:
            self.add(pm.client, "Client")
            self.add(pm.account, "Client")
            for f in pm.follow_ups:
                self.add(f.owner, "Person")
            for n in pm.review_notes:
                self.add(n.author, "Person")
        return self

    def __getitem__(self, name: str) -> str:
        return self._by_key[name.strip().lower()]

    def _regex(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._by_key:
            alternatives = []
            for key in sorted(self._by_key, key=len, reverse=True):
                piece = re.escape(key)
                if re.match(r"\w", key):
                    piece = r"(?<!\w)" + piece
                if re.search(r"\w$", key):
                    piece = piece + r"(?!\w)"
                alternatives.append(piece)
            self._pattern = re.compile("|".join(alternatives), re.IGNORECASE)
        return self._pattern

    def text(self, value: str) -> str:
        """``value`` with every known name replaced by its pseudonym."""
        pattern = self._regex()
        if pattern is None or not value:
            return value
        return pattern.sub(lambda m: self._pseudonym_of(m.group()), value)

    def _pseudonym_of(self, found: str) -> str:
        direct = self._by_key.get(found.lower())
        if direct is not None:
            return direct
        # Case folding that lower() does not mirror (e.g. dotted capitals): find it the slow way.
        for key, pseudonym in self._by_key.items():
            if re.fullmatch(re.escape(key), found, re.IGNORECASE):
                return pseudonym
        return "[redacted]"

    def _walk(self, value: Any, key: str = "") -> Any:
        if key in _CODES:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self._walk(v) for v in value]
        if isinstance(value, dict):
            return {k: self._walk(v, k) for k, v in value.items()}
        return value

    def entry(self, pm: PostMortem) -> PostMortem:
        """A redacted copy of ``pm``: private fields emptied, names replaced everywhere."""
        data = self._walk(pm.to_dict())
        for name in ("client", "account"):
            if getattr(pm, name).strip():
                data[name] = self[getattr(pm, name)]
        for f, original in zip(data["follow_ups"], pm.follow_ups, strict=True):
            if original.owner.strip():
                f["owner"] = self[original.owner]
        blank = PostMortem(title="x", role="maker")
        for name in PRIVATE_FIELDS:
            data[name] = getattr(blank, name)
        return replace(
            pm,
            title=data["title"][:200].strip() or "Untitled",
            client=data["client"],
            account=data["account"],
            what_happened=data["what_happened"],
            impact=data["impact"],
            contributing_factors=data["contributing_factors"],
            causes=data["causes"],
            response_style="",
            emotions=[],
            recovery={step: RecoveryStep(**s) for step, s in data["recovery"].items()},
            breadsticks=Breadsticks(**data["breadsticks"]),
            follow_ups=[FollowUp(**f) for f in data["follow_ups"]],
            lessons=data["lessons"],
            reflection="",
            tags=data["tags"],
            review_notes=[],
        )
