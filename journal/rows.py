"""How a post-mortem maps to the journal's tables and back: one entries row, child rows, full-text rows.
"""

from __future__ import annotations

import operator
import sqlite3
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from journal.model import (
    RECOVERY_STEPS,
    TABLE,
    Breadsticks,
    Emotion,
    FollowUp,
    Outcome,
    PostMortem,
    RecoveryStep,
    ReviewNote,
    content_hash,
    default_type,
)

if TYPE_CHECKING:
    pass



def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fts_body(pm: PostMortem) -> str:
    """Every searchable text of an entry but the title, one block (DESIGN §3)."""
    parts: list[str] = [
        pm.client,
        pm.account,
        pm.what_happened,
        pm.impact,
        pm.contributing_factors,
        " ".join(pm.causes),
        " ".join(pm.tags),
        " ".join(e.name for e in pm.emotions),
        *(step.note for step in pm.recovery.values()),
        pm.breadsticks.offered,
        pm.breadsticks.wished_for,
        *(f"{f.text} {f.owner}" for f in pm.follow_ups),
        *pm.lessons,
        pm.reflection,
        *(f"{n.author} {n.text}" for n in pm.review_notes),
    ]
    return _nfc("\n".join(p for p in parts if p))


# The entries row, by name. An entry's single-valued fields of the field table are columns of the same
# name; the three records that are not lists spread over columns of their own (recovery: rec_<step> and
# rec_<step>_note; breadsticks: bs_<field>; outcome: its fields' names). The table's physical column order
# (small fixed columns first, long text last) is the migrations' business; this order is only the SELECT's.
SCALAR_FIELDS = tuple(name for name in TABLE if default_type(name) in (str, int, float, bool, type(None)))
_BREADSTICKS = tuple(f.name for f in fields(Breadsticks))
_OUTCOME = tuple(f.name for f in fields(Outcome))
_REC_STATES = tuple(f"rec_{step}" for step in RECOVERY_STEPS)
_REC_NOTES = tuple(f"rec_{step}_note" for step in RECOVERY_STEPS)
ENTRY_FIELDS = (
    *SCALAR_FIELDS, *(f"bs_{name}" for name in _BREADSTICKS), *_OUTCOME, *_REC_STATES, *_REC_NOTES,
    "account_key", "content_hash",  # content_hash last: get_many_hashed reads it as row[-1]
)
# Columns that later migrations added, with the schema version that added them.
ADDED_IN = {"content_hash": 4} | {name: TABLE[name].since for name in SCALAR_FIELDS if TABLE[name].since > 1}
ENTRY_COLUMNS = ", ".join(ENTRY_FIELDS)
# Where each group of columns sits in a row read as "seq, ENTRY_COLUMNS".
_S = 1 + len(SCALAR_FIELDS)
_B = _S + len(_BREADSTICKS)
_O = _B + len(_OUTCOME)
_R = _O + len(RECOVERY_STEPS)
_N = _R + len(RECOVERY_STEPS)
_scalars = operator.attrgetter(*SCALAR_FIELDS)
_breadsticks = operator.attrgetter(*_BREADSTICKS)
_outcome = operator.attrgetter(*_OUTCOME)
_FLAGS = tuple(name for name in SCALAR_FIELDS if default_type(name) is bool)  # SQLite gives 0 or 1


def _entry_row(pm: PostMortem, account_key: str, digest: str) -> tuple[Any, ...]:
    """The values of ``ENTRY_FIELDS`` for an entry whose ``content_hash`` is ``digest``."""
    steps = [pm.recovery[step] for step in RECOVERY_STEPS]
    return (
        *_scalars(pm), *_breadsticks(pm.breadsticks), *_outcome(pm.outcome),
        *[step.state for step in steps], *[step.note for step in steps], account_key, digest,
    )


_ID_COLUMN = ENTRY_FIELDS.index("id")
_INSERT_ENTRY = f"INSERT INTO entries ({ENTRY_COLUMNS}) VALUES ({', '.join('?' * len(ENTRY_FIELDS))})"
_INSERT_ENTRY_WITH_SEQ = _INSERT_ENTRY.replace("(", "(seq, ", 1).replace("VALUES (", "VALUES (?, ", 1)
_UPDATE_ASSIGNMENTS = ", ".join(f"{name} = ?" for name in ENTRY_FIELDS)


# An entry's rows for every table but with no ``seq`` yet, as plain tuples: cheap to
# pickle, so a helper process can build them (``entry_rows``) and this one insert them.
EntryRows = tuple[Any, ...]


def entry_rows(pm: PostMortem, digest: str | None = None) -> EntryRows:
    """(entries row, causes, tags, emotions, follow-ups, lessons, review notes, (title, body) for FTS).

    ``digest``: ``content_hash(pm)``, when the caller has worked it out already.
    """
    return (
        _entry_row(pm, pm.effective_account, digest or content_hash(pm)),
        [(i, c) for i, c in enumerate(pm.causes)],
        [(i, t) for i, t in enumerate(pm.tags)],
        [(i, pm.role, e.who, e.name, e.intensity, e.intensity_now) for i, e in enumerate(pm.emotions)],
        [
            (i, f.id, f.text, f.owner, f.due_on, f.status, f.done_on, f.check_on, f.check_result, f.note)
            for i, f in enumerate(pm.follow_ups)
        ],
        [(i, t) for i, t in enumerate(pm.lessons)],
        [(i, n.id, n.author, n.written_at, n.text) for i, n in enumerate(pm.review_notes)],
        (_nfc(pm.title), fts_body(pm)),
    )


def entry_rows_id(rows: EntryRows) -> str:
    """The entry id held in ``entry_rows``' output."""
    return str(rows[0][_ID_COLUMN])


class _Rows:
    """The rows of many entries, gathered per table so each table takes one executemany."""

    def __init__(self) -> None:
        self.entries: list[tuple[Any, ...]] = []
        self.causes: list[tuple[Any, ...]] = []
        self.tags: list[tuple[Any, ...]] = []
        self.emotions: list[tuple[Any, ...]] = []
        self.follow_ups: list[tuple[Any, ...]] = []
        self.lessons: list[tuple[Any, ...]] = []
        self.review_notes: list[tuple[Any, ...]] = []
        self.fts: list[tuple[Any, ...]] = []

    def add(self, seq: int, rows: EntryRows, with_entry: bool = True) -> None:
        entry, causes, tags, emotions, follow_ups, lessons, notes, (title, body) = rows
        if with_entry:
            self.entries.append((seq, *entry))
        for table, rows_of_entry in (
            (self.causes, causes), (self.tags, tags), (self.emotions, emotions),
            (self.follow_ups, follow_ups), (self.lessons, lessons), (self.review_notes, notes),
        ):
            if rows_of_entry:
                table.extend([(seq, *row) for row in rows_of_entry])
        self.fts.append((seq, title, body))

    def write(self, conn: sqlite3.Connection) -> None:
        if self.entries:
            conn.executemany(_INSERT_ENTRY_WITH_SEQ, self.entries)
        conn.executemany("INSERT INTO causes (entry, pos, name) VALUES (?, ?, ?)", self.causes)
        conn.executemany("INSERT INTO tags (entry, pos, name) VALUES (?, ?, ?)", self.tags)
        conn.executemany(
            "INSERT INTO emotions (entry, pos, role, who, name, intensity, intensity_now) VALUES (?, ?, ?, ?, ?, ?, ?)",
            self.emotions,
        )
        conn.executemany("INSERT INTO follow_ups VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.follow_ups)
        conn.executemany("INSERT INTO lessons VALUES (?, ?, ?)", self.lessons)
        conn.executemany("INSERT INTO review_notes VALUES (?, ?, ?, ?, ?, ?)", self.review_notes)
        conn.executemany("INSERT INTO entries_fts (rowid, title, body) VALUES (?, ?, ?)", self.fts)


def assemble(read: Callable[..., list[Any]], rows: Sequence[Any]) -> list[PostMortem]:
    """Post-mortems from ``entries`` rows (``seq`` first), their child rows read with ``read``."""
    seqs = [r[0] for r in rows]
    marks = ", ".join("?" * len(seqs))

    def children(sql: str) -> dict[int, list[Any]]:
        grouped: dict[int, list[Any]] = {}
        for row in read(sql.format(marks=marks), seqs):
            grouped.setdefault(row[0], []).append(row)
        return grouped

    causes = children("SELECT entry, name FROM causes WHERE entry IN ({marks}) ORDER BY entry, pos")
    tags = children("SELECT entry, name FROM tags WHERE entry IN ({marks}) ORDER BY entry, pos")
    emotions = children(
        "SELECT entry, who, name, intensity, intensity_now FROM emotions "
        "WHERE entry IN ({marks}) ORDER BY entry, pos"
    )
    follow_ups = children(
        "SELECT entry, id, text, owner, due_on, status, done_on, check_on, check_result, note "
        "FROM follow_ups WHERE entry IN ({marks}) ORDER BY entry, pos"
    )
    lessons = children("SELECT entry, text FROM lessons WHERE entry IN ({marks}) ORDER BY entry, pos")
    notes = children(
        "SELECT entry, id, author, written_at, text FROM review_notes "
        "WHERE entry IN ({marks}) ORDER BY entry, pos"
    )
    out = []
    for r in rows:
        seq = r[0]
        values = dict(zip(SCALAR_FIELDS, r[1:_S], strict=True))
        for name in _FLAGS:
            values[name] = bool(values[name])
        out.append(
            PostMortem(
                **values,
                breadsticks=Breadsticks(*r[_S:_B]),
                outcome=Outcome(*r[_B:_O]),
                recovery={
                    step: RecoveryStep(state, note)
                    for step, state, note in zip(RECOVERY_STEPS, r[_O:_R], r[_R:_N], strict=True)
                },
                causes=[c[1] for c in causes.get(seq, ())],
                tags=[t[1] for t in tags.get(seq, ())],
                emotions=[Emotion(e[1], e[2], e[3], e[4]) for e in emotions.get(seq, ())],
                follow_ups=[FollowUp(*f[1:]) for f in follow_ups.get(seq, ())],
                lessons=[lesson[1] for lesson in lessons.get(seq, ())],
                review_notes=[ReviewNote(*n[1:]) for n in notes.get(seq, ())],
            )
        )
    return out


def delete_rows(conn: sqlite3.Connection, seqs: list[int]) -> None:
    """Remove the child and full-text rows of entries (the entries rows stay)."""
    marks = ", ".join("?" * len(seqs))
    for table in ("causes", "tags", "emotions", "follow_ups", "lessons", "review_notes"):
        conn.execute(f"DELETE FROM {table} WHERE entry IN ({marks})", seqs)
    conn.execute(f"DELETE FROM entries_fts WHERE rowid IN ({marks})", seqs)


def insert_entry(conn: sqlite3.Connection, pm: PostMortem, seq: int | None = None) -> None:
    """Write an entry's rows: a new ``entries`` row, or over ``seq``'s, and every child row."""
    all_rows = entry_rows(pm)
    row = all_rows[0]
    if seq is None:
        seq = conn.execute(_INSERT_ENTRY, row).lastrowid
        assert seq is not None
    else:
        conn.execute(f"UPDATE entries SET {_UPDATE_ASSIGNMENTS} WHERE seq = ?", (*row, seq))
    rows = _Rows()
    rows.add(seq, all_rows, with_entry=False)
    rows.write(conn)
