"""What an export, import or sync reports: its result, its warnings grouped by kind, its progress.

Long runs report ``progress(done, total)`` and stop cleanly between files when
``cancelled()`` says so; one bad file is reported by name and reason, and the rest go on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from journal.model import PostMortem
from journal.store import Store

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
CHUNK = 1000


@dataclass
class TransferResult:
    """What an export, import or sync did; ``failed`` and ``warnings`` are ``(path, reason)``."""

    operation: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    compared: int = 0  # sync: how many entries the journal and the folder were compared on

    def summary_line(self) -> str:
        """One line for a person, e.g. ``imported 10: 8 created, 1 updated, 1 unchanged, 0 failed``."""
        if self.operation == "export":
            head = f"exported {len(self.written) + len(self.unchanged)}: {len(self.written)} written, "
            head += f"{len(self.unchanged)} unchanged"
        else:
            total = len(self.created) + len(self.updated) + len(self.unchanged) + len(self.conflicts)
            if self.operation == "sync":
                total = self.compared
            verb = "imported" if self.operation == "import" else "synced"
            head = f"{verb} {total}: {len(self.created)} created, {len(self.updated)} updated, "
            head += f"{len(self.unchanged)} unchanged"
            if self.operation == "sync":
                head += f", {len(self.written)} written to the folder"
        head += f", {len(self.conflicts)} conflicts, {len(self.failed)} failed"
        return head + (" (cancelled)" if self.cancelled else "")


_INDEX = re.compile(r"\[\d+\]")
_KEPT = re.compile(r"kept (\d+) unknown sections? in (.+)")
WARNING_KINDS_SHOWN = 20


def _warning_kind(reason: str) -> str:
    """What warnings of one kind share: the text, less counts and list positions."""
    kept = _KEPT.fullmatch(reason)
    if kept:
        return f"kept unknown sections in {kept.group(2)}"
    return _INDEX.sub("[…]", reason) if "[" in reason else reason


def warning_lines(warnings: Sequence[tuple[str, str]], *, limit: int = WARNING_KINDS_SHOWN) -> list[str]:
    """The warnings summarised by kind, in the order first seen, for a big archive's short report.

    A kind one file has reads as before (``path: reason``); one many files have, as
    ``242 files: `url` kept in the text``. Past ``limit`` kinds, one line says how many more.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for path, reason in warnings:
        groups.setdefault(_warning_kind(reason), []).append((path, reason))
    lines: list[str] = []
    for kind, found in list(groups.items())[:limit]:
        files = len({path for path, _ in found})
        if files == 1:
            lines.extend(f"{path}: {reason}" for path, reason in found)
            continue
        counts = [int(m.group(1)) for _, reason in found if (m := _KEPT.fullmatch(reason))]
        if counts:
            where = kind.removeprefix("kept unknown sections in ")
            lines.append(f"{files} files: kept {sum(counts):,} unknown sections in {where}")
        else:
            same = len({reason for _, reason in found}) == 1
            lines.append(f"{files} files: {found[0][1] if same else kind}")
    if len(groups) > limit:
        more = len(groups) - limit
        lines.append(f"… and {more} more kind{'' if more == 1 else 's'} of warning")
    return lines


def never() -> bool:
    """The ``cancelled`` of a run nobody can cancel."""
    return False


def no_progress(done: int, total: int) -> None:
    """The ``progress`` of a run nobody watches."""
    return None


def entries_in_chunks(store: Store, ids: Sequence[str], size: int = 0) -> Iterable[PostMortem]:
    """The entries of ``ids``, read ``size`` (default ``CHUNK``) at a time: memory stays flat."""
    size = size or CHUNK
    for start in range(0, len(ids), size):
        yield from store.get_many(ids[start : start + size])
