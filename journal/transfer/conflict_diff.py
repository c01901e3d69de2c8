"""What differs between the two versions of a sync conflict, field by field.

A sync conflict keeps the journal's version and files the folder's next to it as a
conflict copy (``journal.transfer.sync``). Before someone settles it, they see here what
each side says: a line diff (``difflib``) for text, ``journal: X / folder: Y`` for
a value or a short list. Plain dataclasses: the CLI prints them, the app shows them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from journal.markdown import files as md_files
from journal.model import TABLE, Emotion, FollowUp, PostMortem, ReviewNote
from journal.store import Store
from journal.transfer.sync_state import Conflict

Kind = Literal["text", "value"]

# The fields a person compares, in the editor's order; metadata (revision, stamps) is not news.
# Where the conflict dialog words a field otherwise than its label in the field table.
_LABELS: dict[str, str] = {
    "occurred_on": "Date",
    "role": "Role",
    "response_style": "First response",
    "emotions": "Emotions",
    "deleted": "In the Trash",
}


@dataclass(frozen=True)
class FieldDiff:
    """One field that differs. ``journal``/``folder`` are the two values as a person reads them.

    ``kind`` "text": ``lines`` is a unified diff (``-`` the journal's, ``+`` the folder's);
    "value": ``lines`` is empty and ``summary`` says both values in one line.
    """

    name: str
    label: str
    kind: Kind
    journal: str
    folder: str
    lines: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        if self.kind == "text":
            added = sum(1 for line in self.lines if line.startswith("+") and not line.startswith("+++"))
            removed = sum(1 for line in self.lines if line.startswith("-") and not line.startswith("---"))
            return f"{removed} line(s) only in the journal, {added} only in the folder"
        return f"journal: {self.journal or '(empty)'} / folder: {self.folder or '(empty)'}"


@dataclass(frozen=True)
class ConflictDiff:
    """A conflict with both versions and what differs between them."""

    conflict: Conflict
    journal: PostMortem
    folder: PostMortem
    fields: tuple[FieldDiff, ...]

    @property
    def changed(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def _emotion(e: Emotion) -> str:
    now = f", now {e.intensity_now}" if e.intensity_now is not None else ""
    return f"{'me' if e.who == 'me' else 'them'}: {e.name} {e.intensity}{now}"


def _follow_up(f: FollowUp) -> str:
    extra = [x for x in (f.owner, f"due {f.due_on}" if f.due_on else "", f.status) if x]
    if f.check_on:
        extra.append(f"check {f.check_on}" + (f" ({f.check_result})" if f.check_result else ""))
    return f"{f.text} — {', '.join(extra)}"


def _note(n: ReviewNote) -> str:
    return f"{n.author or 'someone'}: {n.text}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _parts(pm: PostMortem) -> Iterator[tuple[str, str, Kind, str]]:
    """Each comparable part of ``pm`` as (name, label, kind, text), records one per line."""
    lists: dict[str, Callable[[PostMortem], list[str]]] = {
        "emotions": lambda p: [_emotion(e) for e in p.emotions],
        "follow_ups": lambda p: [_follow_up(f) for f in p.follow_ups],
        "lessons": lambda p: list(p.lessons),
        "review_notes": lambda p: [_note(n) for n in p.review_notes],
    }
    for name, spec in TABLE.items():
        if spec.stamp or name == "id":
            continue
        label = _LABELS.get(name, spec.label)
        if spec.md:
            yield name, label, "text", str(getattr(pm, name))
        elif name in lists:
            yield name, label, "text", "\n".join(lists[name](pm))
        elif name in ("causes", "tags"):
            yield name, label, "value", ", ".join(getattr(pm, name))
        elif name == "recovery":
            for step, state in pm.recovery.items():
                note = f" — {state.note}" if state.note else ""
                yield f"recovery.{step}", f"Recovery: {step.replace('_', ' ')}", "value", state.state + note
        elif name == "breadsticks":
            b = pm.breadsticks
            yield "breadsticks.offered", "Breadsticks: offered", "text", b.offered
            yield "breadsticks.kind", "Breadsticks: kind", "value", b.kind
            cost = f"{_number(b.cost)} {b.currency}".strip()
            yield "breadsticks.cost", "Breadsticks: cost", "value", cost
            yield "breadsticks.hours", "Breadsticks: hours", "value", _number(b.hours)
            yield "breadsticks.accepted", "Breadsticks: accepted", "value", b.accepted
            yield "breadsticks.wished_for", "Breadsticks: wished for", "text", b.wished_for
        elif name == "outcome":
            yield "outcome.client_retained", "Outcome: client retained", "value", pm.outcome.client_retained
            satisfaction = "" if pm.outcome.satisfaction is None else str(pm.outcome.satisfaction)
            yield "outcome.satisfaction", "Outcome: satisfaction", "value", satisfaction
        elif name == "deleted":
            yield name, label, "value", "yes" if pm.deleted else "no"
        else:
            value = getattr(pm, name)
            yield name, label, "value", _number(value) if value is None or type(value) is float else str(value)


def differences(journal: PostMortem, folder: PostMortem) -> tuple[FieldDiff, ...]:
    """Every part of the entry where the two versions differ, in the editor's order."""
    found: list[FieldDiff] = []
    for (name, label, kind, mine), (_, _, _, theirs) in zip(_parts(journal), _parts(folder), strict=True):
        if mine == theirs:
            continue
        lines: tuple[str, ...] = ()
        if kind == "text":
            lines = tuple(
                difflib.unified_diff(
                    mine.splitlines(), theirs.splitlines(), "journal", "folder", lineterm="", n=2
                )
            )
        found.append(FieldDiff(name, label, kind, mine, theirs, lines))
    return tuple(found)


@dataclass(frozen=True)
class Row:
    """One line of a side-by-side view: ``tag`` is "equal", "replace", "delete" (journal only) or "insert"."""

    tag: str
    journal: str
    folder: str


def side_by_side(journal: str, folder: str) -> tuple[Row, ...]:
    """The two texts aligned line by line (``difflib.SequenceMatcher``), for a two-column view."""
    left, right = journal.splitlines(), folder.splitlines()
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, left, right, autojunk=False).get_opcodes():
        mine, theirs = left[i1:i2], right[j1:j2]
        for n in range(max(len(mine), len(theirs))):
            a = mine[n] if n < len(mine) else ""
            b = theirs[n] if n < len(theirs) else ""
            if tag == "replace":
                row_tag = "replace" if n < len(mine) and n < len(theirs) else ("delete" if n < len(mine) else "insert")
            else:
                row_tag = tag
            rows.append(Row(row_tag, a, b))
    return tuple(rows)


def conflict_diff(store: Store, conflict: Conflict) -> ConflictDiff:
    """Both versions of ``conflict`` and how they differ.

    Raises ``md_reader.FormatError`` when the folder's version can no longer be read
    (moved, edited into something that is not an entry).
    """
    from journal.transfer.importer import known_as  # here: the editor shows no diff until a conflict is opened

    folder = known_as(md_files.parse_file(Path(conflict.path)), conflict.entry_id).pm
    journal = store.get(conflict.entry_id)
    return ConflictDiff(conflict, journal, folder, differences(journal, folder))
