"""The journal file: open it safely, save and load post-mortems, search, trash.

One SQLite file in WAL mode, through Python's sqlite3; sqlite-utils runs the
migrations, and is loaded only when a journal needs them. A file that is not a
journal (or is a journal from a newer Hindsight) is refused before a single byte
of it is written. Every write runs in one transaction and returns a ``Changes``
record so a screen can decide whether it concerns it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from journal import query as q
from journal.model import (
    RECOVERY_STEPS,
    Breadsticks,
    Emotion,
    FollowUp,
    Outcome,
    PostMortem,
    RecoveryStep,
    ReviewNote,
    Summary,
    content_hash,
    utc_now,
)
from journal.private_files import create_private, make_private
from journal.safety import SQLITE_MAGIC, no_journal_at
from journal.schema import APPLICATION_ID, SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlite_utils import Database

LABEL_SCAN_FROM = 2000
BUSY_TIMEOUT_S = 5.0
ENV_VAR = "HINDSIGHT_JOURNAL"
RANK_WINDOW = 500
_READONLY_ROLLBACK = 776  # SQLITE_READONLY_ROLLBACK: a hot journal that a read-only connection cannot undo


class Label(NamedTuple):
    """What a file name is made of (``markdown_io.Named``)."""

    id: str
    title: str
    occurred_on: str


# --- errors: known problems a person can act on --------------------------------


class JournalError(Exception):
    """A problem the user can act on; ``str()`` is the one line to show them."""


class NotAJournal(JournalError):
    """The file is not a Hindsight journal, or it is damaged."""


class JournalTooNew(JournalError):
    """Written by a newer Hindsight."""


class NeedsPassphrase(NotAJournal):
    """An encrypted journal (or a file that looks like one) was opened without a passphrase."""


class WrongPassphrase(NotAJournal):
    """The passphrase given does not open the journal."""


class NoJournal(JournalError):
    """Nothing to open: the path is missing or an empty file, and the caller may not create one."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"no journal at {path}; 'hindsight add' or the app creates one")
        self.path = path


class EntryNotFound(JournalError):
    pass


class ConflictError(JournalError):
    """Someone saved a newer revision since this copy was loaded."""

    def __init__(self, entry_id: str, expected: int, current: int) -> None:
        super().__init__(
            f"entry {entry_id[:8]} was saved elsewhere meanwhile "
            f"(you edited revision {expected}, the journal has revision {current})"
        )
        self.entry_id = entry_id
        self.expected = expected
        self.current = current


def _known_error(path: Path, error: sqlite3.Error) -> JournalError | None:
    """Map SQLite's known failures to a sentence; None means a bug."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return JournalError(f"{path} is busy: another program is writing to it; try again")
    if "disk is full" in text or "database or disk is full" in text:
        return JournalError(f"the disk holding {path} is full; nothing was saved, free space and retry")
    if "readonly" in text or "read-only" in text:
        return JournalError(f"{path} is read-only; open a journal you can write to")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return NotAJournal(damaged_message(path, f"SQLite says: {error}"))
    if "disk i/o" in text or "unable to open" in text:
        return JournalError(f"cannot read or write {path} ({error})")
    return None


# --- change records --------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What a write did, by entry id. Screens refresh only what concerns them."""

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    trashed: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()
    purged: tuple[str, ...] = ()

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.created + other.created,
            self.updated + other.updated,
            self.trashed + other.trashed,
            self.restored + other.restored,
            self.purged + other.purged,
        )

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(
            self.created + self.updated + self.trashed + self.restored + self.purged
        )

    def __bool__(self) -> bool:
        return bool(self.ids)


# --- where journals live -----------------------------------------------------------


def default_journal_path() -> Path:
    import platformdirs  # here: every helper process imports this module, and only this needs it (15 ms)

    return Path(platformdirs.user_data_dir("Hindsight", appauthor=False)) / "journal.hindsight"


def resolve_journal_path(given: str | os.PathLike[str] | None = None) -> Path:
    """``--journal`` wins, then ``HINDSIGHT_JOURNAL``, then the user data folder."""
    if given:
        return Path(given).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_journal_path()


def damaged_message(path: Path, why: str) -> str:
    """The one line for a journal SQLite cannot use even after recovery: what to restore, and how."""
    from journal.backup import newest_good  # here: backup imports this module

    newest = newest_good(path)
    if newest is None:
        return (
            f"{path} is damaged ({why}); no backup exists yet; keep a copy of it (and of any -wal "
            "file beside it), then try sqlite3's '.recover' command on the copy"
        )
    return f"{path} is damaged ({why}); restore the newest good backup with: hindsight restore '{newest.path}'"


def _leftover(path: Path) -> Path | None:
    """A ``-wal`` or ``-journal`` beside the file: a write SQLite may have to finish or undo first."""
    for suffix in ("-wal", "-journal"):
        side = Path(f"{path}{suffix}")
        with contextlib.suppress(OSError):
            if side.stat().st_size > 0:
                return side
    return None


def _plain_empty(header: bytes) -> bool:
    """An SQLite file with nothing in it yet: no application id, no schema, no tables on page 1."""
    return (
        header[68:72] == bytes(4)
        and header[60:64] == bytes(4)
        and len(header) >= 108
        and header[100] == 0x0D  # page 1 is a leaf: the schema fits on it
        and header[103:105] == bytes(2)  # and lists no table at all
    )


def _looks_encrypted(path: Path) -> bool:
    """No SQLite header but whole pages of bytes: an SQLCipher journal, or random bytes (the key tells)."""
    with contextlib.suppress(OSError):
        size = path.stat().st_size
        if size >= 512 and size % 512 == 0 and path.is_file():
            with path.open("rb") as handle:
                return not handle.read(16).startswith(SQLITE_MAGIC)
    return False


def _inspect_header(path: Path) -> bool:
    """Refuse folders, non-SQLite files and truncated files by reading their header.

    With a ``-wal`` or ``-journal`` beside it, the file alone may look truncated: what
    counts is the journal as SQLite recovers it (``_peek_read_only``). True when a hot
    rollback journal must be undone first, which only a writer can do: ``Store.open``
    then checks the journal it recovered before using it.
    """
    if path.is_dir():
        raise NotAJournal(f"{path} is a folder, not a journal file; give the path of a .hindsight file")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(108)
    except PermissionError:
        raise JournalError(f"{path} cannot be read: permission denied") from None
    except OSError as error:
        raise JournalError(f"{path} cannot be read ({error.strerror or error})") from None
    leftover = _leftover(path)
    if size == 0:
        # An empty file with a log beside: only the log can say whose it is.
        return _peek_read_only(path, header, check=True) if leftover else False
    if not header.startswith(SQLITE_MAGIC):
        raise NotAJournal(
            f"{path} is not a Hindsight journal (it is not an SQLite database); "
            "open another journal or create a new one"
        )
    if len(header) < 100:
        raise NotAJournal(damaged_message(path, "a truncated SQLite file"))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_count_valid = header[24:28] == header[92:96] and pages > 0
    truncated = header_count_valid and size < page_size * pages
    if leftover:
        # Letting SQLite replay the log is a write: first make sure, read-only, that it is ours.
        return _peek_read_only(path, header, check=truncated)
    if truncated:
        raise NotAJournal(damaged_message(path, f"truncated: {size} of {page_size * pages} bytes"))
    return False


def _peek_read_only(path: Path, header: bytes, *, check: bool) -> bool:
    """The refusals of ``Store._refuse_foreign`` on the journal as SQLite will recover it, writing nothing.

    A read-only connection reads a ``-wal`` without copying it into the file; with
    ``check`` (the file alone looked truncated) it must also pass ``quick_check``. A
    read-only connection cannot undo a hot rollback ``-journal``: then the file's own
    header decides, only a Hindsight journal (application id) or an empty database is
    let through, and True says the writer must check what it recovers.
    """
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as error:
        raise _known_error(path, error) or JournalError(f"cannot open {path} ({error})") from None
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as error:
            if getattr(error, "sqlite_errorcode", None) != _READONLY_ROLLBACK:
                raise _known_error(path, error) or NotAJournal(damaged_message(path, f"SQLite says: {error}")) from None
            # A hot rollback journal, which only a writer may undo: the file's header says whose it is.
            if int.from_bytes(header[68:72], "big") == APPLICATION_ID or _plain_empty(header) or not header:
                return True
            raise NotAJournal(
                f"{path} is an SQLite database but not a Hindsight journal; "
                "open another journal or create a new one"
            ) from None
        Store._refuse_foreign(conn, path)
        if check:
            _quick_check(conn, path)
        return False
    finally:
        conn.close()


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a journal that is damaged even as SQLite recovered it.

    ``quick_check``, not ``integrity_check``: 0.8 to 1.7 s against 8 to 12 s on a journal
    of 100,000 entries (docs/design-notes.md, "Opening after a crash").
    """
    try:
        problems = [line for (line,) in conn.execute("PRAGMA quick_check(5)") if line != "ok"]
    except sqlite3.Error as error:
        raise _known_error(path, error) or NotAJournal(damaged_message(path, f"SQLite says: {error}")) from None
    if problems:
        raise NotAJournal(damaged_message(path, problems[0]))


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


# The entries row, in table order: small fixed columns first, long text last (see migrations).
_REC_STATES = tuple(f"rec_{step}" for step in RECOVERY_STEPS)
_REC_NOTES = tuple(f"rec_{step}_note" for step in RECOVERY_STEPS)
_ENTRY_FIELDS = (
    "deleted", "role", "occurred_on", "severity", "status", "detection", "response_style", *_REC_STATES,
    "bs_kind", "bs_accepted", "bs_cost", "bs_currency", "bs_hours", "client_retained", "satisfaction", "revision",
    "id", "client", "account", "account_key", "created_at", "updated_at", "title", *_REC_NOTES,
    "bs_offered", "bs_wished_for", "what_happened", "impact", "contributing_factors", "reflection",
    "content_hash",
)
# Columns that later migrations added, with the schema version that added them.
_ADDED_IN = {"content_hash": 4}
_ENTRY_COLUMNS = ", ".join(_ENTRY_FIELDS)
_STEPS = len(RECOVERY_STEPS)
# _assemble unpacks a row by position: the layout above, spelled out once more.
if _ENTRY_FIELDS[7 : 7 + _STEPS] != _REC_STATES or _ENTRY_FIELDS[28 : 28 + _STEPS] != _REC_NOTES:
    raise RuntimeError("entries columns moved: update Store._assemble")
_SUMMARY_COLUMNS = "e.id, e.title, e.occurred_on, e.role, e.client, e.severity, e.status"
SORT_COLUMNS = {
    "occurred_on": "e.occurred_on",
    "title": "e.title COLLATE NOCASE",
    "client": "e.client COLLATE NOCASE",
    "role": "e.role",
    "severity": "e.severity",
    "status": "e.status",
}


def _entry_row(pm: PostMortem, account_key: str, digest: str) -> tuple[Any, ...]:
    """The values of ``_ENTRY_FIELDS`` for an entry whose ``content_hash`` is ``digest``."""
    b = pm.breadsticks
    steps = [pm.recovery[step] for step in RECOVERY_STEPS]
    return (
        int(pm.deleted), pm.role, pm.occurred_on, pm.severity, pm.status, pm.detection, pm.response_style,
        *(step.state for step in steps),
        b.kind, b.accepted, b.cost, b.currency, b.hours, pm.outcome.client_retained, pm.outcome.satisfaction,
        pm.revision, pm.id, pm.client, pm.account, account_key, pm.created_at, pm.updated_at, pm.title,
        *(step.note for step in steps),
        b.offered, b.wished_for, pm.what_happened, pm.impact, pm.contributing_factors, pm.reflection,
        digest,
    )


_ID_COLUMN = _ENTRY_FIELDS.index("id")
_INSERT_ENTRY = f"INSERT INTO entries ({_ENTRY_COLUMNS}) VALUES ({', '.join('?' * len(_ENTRY_FIELDS))})"
_INSERT_ENTRY_WITH_SEQ = _INSERT_ENTRY.replace("(", "(seq, ", 1).replace("VALUES (", "VALUES (?, ", 1)
_UPDATE_ASSIGNMENTS = ", ".join(f"{name} = ?" for name in _ENTRY_FIELDS)


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


# FTS5's defaults (fts5Int.h): merge when a level holds 4 segments; 1 MiB of pending terms.
_FTS_AUTOMERGE = 4
_FTS_HASH = 1 << 20
_FTS_BULK_HASH = 64 << 20  # more than one batch of a bulk load ever holds
_BULK_PENDING = "bulk_load_indexes"  # the indexes a bulk load dropped, while it runs


def _fts_config(conn: sqlite3.Connection, **values: int) -> None:
    """Set options of the full-text index (kept in the journal, for every connection)."""
    for key, value in values.items():
        conn.execute("INSERT INTO entries_fts (entries_fts, rank) VALUES (?, ?)", (key, value))


def _probed(clauses: list[str]) -> list[str]:
    """Child-table filters ``e.seq IN (SELECT entry FROM t WHERE …)`` as a lookup for each entry.

    For the few hundred rows a ranking or a page looks at, probing ``t`` by entry
    is cheaper than gathering every entry of a common tag (tens of thousands) first.
    """
    out = []
    for clause in clauses:
        found = re.fullmatch(r"e\.seq IN \(SELECT entry FROM (\w+) WHERE (.*)\)", clause, re.DOTALL)
        out.append(f"EXISTS (SELECT 1 FROM {found[1]} WHERE entry = e.seq AND {found[2]})" if found else clause)
    return out


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


class Store:
    """An open journal. Not shared between threads: a worker opens its own."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._db: Database | None = None
        self.passphrase: str | None = None  # set when the journal is encrypted (journal/crypto.py)

    @property
    def db(self) -> Database:
        """The journal through sqlite-utils, made on first use (it takes 0.15 s to import)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, recursive_triggers=False, execute_plugins=False)
        return self._db

    # --- opening ------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True, passphrase: str | None = None) -> Store:
        """Open (or create) the journal at ``path``, or raise ``JournalError``.

        Nothing is written to an existing file until it has been recognised as a
        Hindsight journal of this or an older schema. ``passphrase``: for an encrypted
        journal (else the one remembered for it, or ``HINDSIGHT_PASSPHRASE``).
        """
        path = Path(path)
        if not create and no_journal_at(path):  # a reader on a typo or an empty file creates nothing
            raise NoJournal(path)
        exists = path.exists()
        recovered = False
        key: str | None = None
        if exists and _looks_encrypted(path):
            from journal import crypto  # only here: plain journals never load SQLCipher

            key = crypto.passphrase_for(path, passphrase)
        elif exists:
            recovered = _inspect_header(path)
        elif not create:
            raise JournalError(f"{path} does not exist")
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise JournalError(f"cannot create {path.parent} ({error.strerror or error})") from None
            with contextlib.suppress(OSError):  # SQLite then says why it cannot create it
                create_private(path)  # before SQLite creates it with the usual mode; its side files copy this one
        if key is not None:
            conn = crypto.connect(path, key, timeout=BUSY_TIMEOUT_S)
        else:
            try:
                conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
            except sqlite3.Error as error:
                raise _known_error(path, error) or JournalError(f"cannot open {path} ({error})") from None
        store = cls(conn, path)
        store.passphrase = key
        try:
            current = cls._refuse_foreign(conn, path)  # the first read: SQLite recovers here
            make_private(path)  # recognised as a journal: one made before 0600 loses group and others' access
            if recovered:
                _quick_check(conn, path)
            conn.execute("PRAGMA foreign_keys = ON")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            if not current:  # new, or older: only then are the migrations (and sqlite-utils) loaded
                from journal.migrations import migrations

                if migrations.pending(store.db):
                    if conn.execute("PRAGMA user_version").fetchone()[0] > 0:  # an existing journal: keep it first
                        from journal.backup import backup_before

                        backup_before(store, "upgrade")
                    migrations.apply(store.db)
                    # Every step has run, whatever order they ran in (a branch's m007 before m006): current.
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            if store._read("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (_BULK_PENDING,)):
                # An import or demo that stopped half-way (its entries stay), or one still running in
                # another process, which then goes on with the indexes in place: right either way.
                store._finish_bulk_load()
        except JournalError:
            conn.close()
            raise
        except sqlite3.Error as error:
            conn.close()
            raise _known_error(path, error) or NotAJournal(
                f"{path} cannot be used as a journal ({error})"
            ) from None
        return store

    @staticmethod
    def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> bool:
        """Read-only checks: a newer schema, or somebody else's SQLite database. True if current."""
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        except sqlite3.Error as error:
            raise _known_error(path, error) or NotAJournal(
                f"{path} is not a Hindsight journal ({error})"
            ) from None
        if app_id == APPLICATION_ID and version > SCHEMA_VERSION:
            raise JournalTooNew(
                f"{path} was written by a newer Hindsight (schema {version}, this one reads up to "
                f"{SCHEMA_VERSION}); update Hindsight to open it"
            )
        if app_id != APPLICATION_ID and tables:
            raise NotAJournal(
                f"{path} is an SQLite database but not a Hindsight journal; "
                "open another journal or create a new one"
            )
        if app_id == APPLICATION_ID and "entries" in tables:
            columns = {r[1] for r in conn.execute("PRAGMA table_info(entries)")}
            wanted = {name for name in _ENTRY_FIELDS if _ADDED_IN.get(name, 1) <= version}
            missing = sorted(wanted - columns)
            if missing:
                raise NotAJournal(
                    f"{path} has a journal layout this Hindsight does not know (no {', '.join(missing[:3])}); "
                    "it was probably made by a development build; export it with that build or start a new journal"
                )
        return app_id == APPLICATION_ID and version == SCHEMA_VERSION

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA optimize")
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction that takes the write lock at once, or a JournalError."""
        conn = self.conn
        try:
            if conn.in_transaction:
                with self._savepoint():
                    yield conn
            else:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        except sqlite3.Error as error:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            known = _known_error(self.path, error)
            if known is None:
                raise
            raise known from None

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Reads that see one state of the journal, even if another process writes meanwhile.

        An entry is read from seven tables: outside a transaction, a save landing
        between two of the reads would give half of each version.
        """
        conn = self.conn
        if conn.in_transaction:
            yield
            return
        try:
            conn.execute("BEGIN")
        except sqlite3.Error as error:
            raise _known_error(self.path, error) or error from None
        try:
            yield
        finally:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("COMMIT")

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        """A nested transaction inside the caller's: undone alone if its block fails."""
        self.conn.execute("SAVEPOINT nested")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK TO nested")
            self.conn.execute("RELEASE nested")
            raise
        self.conn.execute("RELEASE nested")

    # SQLite's primary result codes for a file a person can do something about, whatever the text says:
    # busy, locked, out of memory, I/O error, corrupt, full, cannot open, locking protocol, not a database.
    _READ_FAILURES = frozenset({5, 6, 7, 10, 11, 13, 14, 15, 26})

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one statement that leaves the journal as it is; a failure a person can act on as a JournalError.

        Busy, locked, damaged or unreadable comes out as one sentence (``str()``), never as a
        ``sqlite3`` error; any other SQLite error is a bug and is raised as it is.
        """
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            known = _known_error(self.path, error)
            if known is None and getattr(error, "sqlite_errorcode", 0) & 0xFF in self._READ_FAILURES:
                known = JournalError(f"cannot read {self.path} ({error})")
            if known is None:
                raise
            raise known from None

    _read = read  # the store's own callers, renamed once the store is split

    # --- ids ------------------------------------------------------------------------

    def resolve_id(self, prefix: str) -> str:
        """A full id from a unique prefix (as git does for commits)."""
        prefix = prefix.strip().lower()
        if len(prefix) < 4:
            raise EntryNotFound(f"give at least 4 characters of the id; got {prefix!r}")
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._read(
            "SELECT id FROM entries WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (escaped + "%",)
        )
        if not rows:
            raise EntryNotFound(f"no entry has an id starting with {prefix!r}")
        if len(rows) > 1:
            raise EntryNotFound(f"more than one entry has an id starting with {prefix!r}; give more of it")
        return str(rows[0][0])

    def exists(self, entry_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM entries WHERE id = ?", (entry_id,)))

    # --- reading ----------------------------------------------------------------------

    def get(self, entry_id: str) -> PostMortem:
        rows = self._read(f"SELECT seq, {_ENTRY_COLUMNS} FROM entries WHERE id = ?", (entry_id,))
        if not rows:
            raise EntryNotFound(f"no entry with id {entry_id}")
        return self._assemble([rows[0]])[0]

    def get_many(self, entry_ids: Sequence[str]) -> list[PostMortem]:
        """Entries in the order asked; unknown ids are left out."""
        return [pm for _, pm in self._get_many(entry_ids)]

    def fingerprints(self, entry_ids: Sequence[str] | None = None) -> dict[str, str | None]:
        """Each entry's ``content_hash`` as stored (None: not known), by id; every entry, trashed
        ones too, when ``entry_ids`` is None."""
        if entry_ids is None:
            return {row[0]: row[1] for row in self._read("SELECT id, content_hash FROM entries")}
        sql = "SELECT id, content_hash FROM entries WHERE id IN ({marks})"
        return {row[0]: row[1] for rows in self._chunks_by_id(sql, entry_ids) for row in rows}

    def get_many_hashed(self, entry_ids: Sequence[str]) -> list[tuple[PostMortem, str]]:
        """``get_many``, each entry with its ``content_hash`` as stored (worked out where none is)."""
        return [(pm, row[-1] or content_hash(pm)) for row, pm in self._get_many(entry_ids)]

    def _get_many(self, entry_ids: Sequence[str]) -> list[tuple[Any, PostMortem]]:
        """(entries row, entry) in the order asked, all read in one snapshot."""
        found: dict[str, tuple[Any, PostMortem]] = {}
        sql = f"SELECT seq, {_ENTRY_COLUMNS} FROM entries WHERE id IN ({{marks}})"
        with self._snapshot():
            for rows in self._chunks_by_id(sql, entry_ids):
                for row, pm in zip(rows, self._assemble(rows), strict=True):
                    found[pm.id] = (row, pm)
        return [found[i] for i in entry_ids if i in found]

    def _chunks_by_id(self, sql: str, entry_ids: Sequence[str], before: Sequence[Any] = ()) -> Iterator[list[Any]]:
        """The rows of ``sql`` (its ``{marks}`` the placeholders of an IN list), 500 ids at a time.

        ``before``: the values of any placeholders ahead of the list.
        """
        for start in range(0, len(entry_ids), 500):
            chunk = entry_ids[start : start + 500]
            yield self._read(sql.format(marks=", ".join("?" * len(chunk))), [*before, *chunk])

    def iter_entries(self, *, include_deleted: bool = False, batch: int = 1000) -> Iterator[PostMortem]:
        """Every entry, oldest first, loaded a batch at a time."""
        last = 0
        where = "" if include_deleted else "AND deleted = 0"
        while True:
            rows = self._read(
                f"SELECT seq, {_ENTRY_COLUMNS} FROM entries WHERE seq > ? {where} ORDER BY seq LIMIT ?",
                (last, batch),
            )
            if not rows:
                return
            yield from self._assemble(rows)
            last = rows[-1][0]

    def _assemble(self, rows: Sequence[Any]) -> list[PostMortem]:
        seqs = [r[0] for r in rows]
        marks = ", ".join("?" * len(seqs))

        def children(sql: str) -> dict[int, list[Any]]:
            grouped: dict[int, list[Any]] = {}
            for row in self._read(sql.format(marks=marks), seqs):
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
            (deleted, role, occurred_on, severity, status, detection, response_style, *rest) = r[1:]
            states, rest = rest[:_STEPS], rest[_STEPS:]
            (kind, accepted, cost, currency, hours, retained, satisfaction, revision,
             entry_id, client, account, _account_key, created_at, updated_at, title, *rest) = rest
            notes_of_steps, rest = rest[:_STEPS], rest[_STEPS:]
            offered, wished_for, what_happened, impact, contributing_factors, reflection, _digest = rest
            out.append(
                PostMortem(
                    id=entry_id, title=title, occurred_on=occurred_on, role=role, client=client,
                    account=account, severity=severity, status=status, detection=detection,
                    what_happened=what_happened, impact=impact,
                    contributing_factors=contributing_factors, response_style=response_style,
                    reflection=reflection,
                    breadsticks=Breadsticks(offered, kind, cost, currency, hours, accepted, wished_for),
                    outcome=Outcome(retained, satisfaction),
                    created_at=created_at, updated_at=updated_at, revision=revision,
                    deleted=bool(deleted),
                    causes=[c[1] for c in causes.get(seq, ())],
                    tags=[t[1] for t in tags.get(seq, ())],
                    emotions=[Emotion(e[1], e[2], e[3], e[4]) for e in emotions.get(seq, ())],
                    recovery={
                        step: RecoveryStep(state, note)
                        for step, state, note in zip(RECOVERY_STEPS, states, notes_of_steps, strict=True)
                    },
                    follow_ups=[FollowUp(*f[1:]) for f in follow_ups.get(seq, ())],
                    lessons=[lesson[1] for lesson in lessons.get(seq, ())],
                    review_notes=[ReviewNote(*n[1:]) for n in notes.get(seq, ())],
                )
            )
        return out

    # --- writing ------------------------------------------------------------------------

    def save(self, pm: PostMortem, *, force: bool = False) -> tuple[PostMortem, Changes]:
        """Save a whole post-mortem in one transaction; return the saved copy.

        ``pm.revision`` is the revision it was loaded at (0 for a new entry). If the
        journal holds another revision, ``ConflictError`` is raised and nothing is
        written — unless ``force``, which saves it as the newest revision.
        """
        return self._save(PostMortem.from_dict(pm.to_dict()), None if force else pm.revision, stamped=False)

    def save_version(self, pm: PostMortem, over: int) -> tuple[PostMortem, Changes]:
        """Save another journal's revision of an entry as it is, over revision ``over`` here.

        What a team folder carries from a teammate's Hindsight: its revision number and
        ``updated_at`` are kept (not stamped anew), so every journal of the team holds
        the same version and renders the same file. ``ConflictError`` if this journal no
        longer holds ``over``; ``ValueError`` unless ``pm.revision`` is later than it.
        """
        if pm.revision <= over or not pm.updated_at:
            raise ValueError(f"revision {pm.revision} of entry {pm.id[:8]} is not later than {over}")
        return self._save(PostMortem.from_dict(pm.to_dict()), over, stamped=True)

    def _save(self, pm: PostMortem, expected: int | None, *, stamped: bool) -> tuple[PostMortem, Changes]:
        """``save`` (``expected`` None: whatever revision is there) and ``save_version``."""
        now = utc_now()
        with self._write() as conn:
            row = conn.execute(
                "SELECT seq, revision, created_at FROM entries WHERE id = ?", (pm.id,)
            ).fetchone()
            current = row[1] if row else 0
            if expected is not None and expected != current:
                raise ConflictError(pm.id, expected, current)
            saved = replace(
                pm,
                revision=pm.revision if stamped else current + 1,
                created_at=(row[2] if row else pm.created_at or now),
                updated_at=pm.updated_at if stamped else now,
            )
            if row:
                self._delete_rows(conn, [row[0]])
            self._insert(conn, saved, seq=row[0] if row else None)
        if row:
            return saved, Changes(updated=(pm.id,))
        return saved, Changes(created=(pm.id,))

    def insert_many(self, entries: Iterable[PostMortem], *, batch: int = 2000) -> Changes:
        """Add new entries fast (demo, import): metadata kept, one transaction a batch.

        Entries are assumed valid and new; an id already present raises. Rows go in
        one ``executemany`` per table per batch, which is what makes 100,000 fast.
        """
        now = utc_now()

        def rows() -> Iterator[EntryRows]:
            for pm in entries:
                if not pm.created_at:
                    pm = replace(pm, created_at=now, updated_at=now, revision=max(pm.revision, 1))
                yield entry_rows(pm)

        return self.insert_rows(rows(), batch=batch)

    def insert_rows(self, entries: Iterable[EntryRows], *, batch: int = 2000) -> Changes:
        """``insert_many`` for rows already built by ``entry_rows`` (perhaps in a helper process)."""
        created: list[str] = []
        pending: list[EntryRows] = []

        def flush() -> None:
            with self._write() as conn:
                first = (conn.execute("SELECT coalesce(max(seq), 0) FROM entries").fetchone()[0]) + 1
                rows = _Rows()
                for offset, item in enumerate(pending):
                    rows.add(first + offset, item)
                rows.write(conn)
            created.extend(entry_rows_id(item) for item in pending)
            pending.clear()

        for item in entries:
            pending.append(item)
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
        return Changes(created=tuple(created))

    @contextlib.contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Fill an empty journal fast: indexes are dropped while rows go in, rebuilt after.

        Building an index by sorting once is cheaper than keeping seventeen up to date
        row by row. They are rebuilt even when the load stops early (an error, Cancel),
        or, if the process dies half-way, by the next ``open``: the journal is never
        left without them. On a journal with entries this does nothing special.
        """
        conn = self.conn
        if self._read("SELECT 1 FROM entries LIMIT 1"):
            yield
            return
        conn.execute("PRAGMA cache_size = -131072")  # 128 MiB while sorting the indexes
        # No checkpoint every 4 MB: pages that every batch touches again (the full-text
        # index, the tables' upper levels) would be copied each time. The caller may
        # checkpoint now and then (an import does, every few thousand files, while its
        # helpers parse), and there is one at the end.
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        alone = self._leave_wal()
        try:
            with self._write():
                # Written down in the same transaction: if this process dies before the end,
                # the next ``open`` puts the indexes back (``_finish_bulk_load``).
                indexes = conn.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                ).fetchall()
                conn.execute(f"CREATE TABLE IF NOT EXISTS {_BULK_PENDING} (name TEXT PRIMARY KEY, sql TEXT NOT NULL)")
                conn.executemany(f"INSERT OR IGNORE INTO {_BULK_PENDING} (name, sql) VALUES (?, ?)", indexes)
                for name, _sql in indexes:
                    conn.execute(f'DROP INDEX "{name}"')
                # The full-text index: one segment per batch, not one per megabyte of terms, and
                # no merging while it grows (each merge rewrites what the earlier ones wrote:
                # a third less written to the log, a fifth less time). FTS5's own crisis merge
                # still folds every sixteen segments into one; the defaults come back after.
                _fts_config(conn, automerge=0, hashsize=_FTS_BULK_HASH)
            yield
        finally:
            if alone:
                conn.execute("PRAGMA synchronous = FULL")  # what went in is on the disk when this commits
            self._finish_bulk_load()
            conn.execute("PRAGMA cache_size = -2000")
            conn.execute("PRAGMA wal_autocheckpoint = 1000")
            if alone:
                self._back_to_wal()
            self.checkpoint()

    def _finish_bulk_load(self) -> None:
        """The end of ``bulk_load``, also after a crash in one: indexes and index settings back."""
        conn = self.conn
        with self._write():
            _fts_config(conn, automerge=_FTS_AUTOMERGE, hashsize=_FTS_HASH)
            present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
            pending = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
            if conn.execute(pending, (_BULK_PENDING,)).fetchone():  # else another connection finished it
                for name, sql in conn.execute(f"SELECT name, sql FROM {_BULK_PENDING}").fetchall():
                    if name not in present:
                        conn.execute(sql)
                conn.execute(f"DROP TABLE {_BULK_PENDING}")
        # Full statistics: with a sample of each index (analysis_limit), the planner
        # chose a plan for the pattern report 80 times slower (24 s for 100,000 entries).
        conn.execute("ANALYZE")

    def _leave_wal(self) -> bool:
        """For a bulk load: the rollback journal, unsynced, if no other connection has the journal open.

        The write-ahead log would hold every page of an empty journal being filled
        twice over (written to the log, then copied by checkpoints): an import of
        10,000 files takes a twentieth less without it (5.2 s against 5.5 s). Only an empty journal is loaded
        like this, from files that stay where they are; a crash of this process is
        still rolled back (the rollback journal), and the last commit syncs it all.
        True if switched; with another connection open it stays as it is, at once.
        """
        conn = self.conn
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:  # locked: somebody else has it open
            return False
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if mode != "delete":
            return False
        conn.execute("PRAGMA synchronous = OFF")
        return True

    def _back_to_wal(self) -> None:
        """Undo ``_leave_wal``; if another connection holds it now, the next ``open`` switches it."""
        with contextlib.suppress(sqlite3.OperationalError):
            self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")

    def checkpoint(self) -> None:
        """Copy what the write-ahead log holds into the journal file (never waits for readers)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    @staticmethod
    def _delete_rows(conn: sqlite3.Connection, seqs: list[int]) -> None:
        marks = ", ".join("?" * len(seqs))
        for table in ("causes", "tags", "emotions", "follow_ups", "lessons", "review_notes"):
            conn.execute(f"DELETE FROM {table} WHERE entry IN ({marks})", seqs)
        conn.execute(f"DELETE FROM entries_fts WHERE rowid IN ({marks})", seqs)

    @staticmethod
    def _insert(conn: sqlite3.Connection, pm: PostMortem, seq: int | None = None) -> None:
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

    def _set_deleted(self, entry_ids: Sequence[str], deleted: bool) -> list[str]:
        changed: list[str] = []
        now = utc_now()
        with self._write() as conn:
            for entry_id in entry_ids:
                cursor = conn.execute(
                    "UPDATE entries SET deleted = ?, revision = revision + 1, updated_at = ?, content_hash = NULL "
                    "WHERE id = ? AND deleted = ?",
                    (int(deleted), now, entry_id, int(not deleted)),
                )
                if cursor.rowcount:
                    changed.append(entry_id)
        return changed

    def trash(self, entry_ids: Sequence[str]) -> Changes:
        """Soft delete: the entries move to the trash and can be restored."""
        return Changes(trashed=tuple(self._set_deleted(entry_ids, True)))

    def restore(self, entry_ids: Sequence[str]) -> Changes:
        return Changes(restored=tuple(self._set_deleted(entry_ids, False)))

    def empty_trash(self) -> Changes:
        """Remove the trashed entries for good: the only way rows leave the journal."""
        with self._write() as conn:
            rows = conn.execute("SELECT seq, id FROM entries WHERE deleted = 1").fetchall()
            seqs = [r[0] for r in rows]
            for start in range(0, len(seqs), 500):
                chunk = seqs[start : start + 500]
                self._delete_rows(conn, chunk)
                conn.execute(f"DELETE FROM entries WHERE seq IN ({', '.join('?' * len(chunk))})", chunk)
        return Changes(purged=tuple(r[1] for r in rows))

    # --- search -------------------------------------------------------------------------------

    def _select(
        self,
        query: q.Query,
        columns: str,
        *,
        trash: bool,
        order: str | None,
        descending: bool,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Any]:
        """Rows for a §3 query, by relevance when there is text, else newest first.

        Ranking every match of a common word costs ~2 µs a match, so relevance is
        computed among the RANK_WINDOW most recently written matches; older matches
        follow, most recently written first. A search of 100,000 entries stays within a few ms.
        """
        clauses, params = q.where(query)
        clauses.insert(0, "e.deleted = ?")
        params.insert(0, int(trash))
        match = q.fts_match(query)
        offset = max(0, offset)
        if order in SORT_COLUMNS:
            direction = "DESC" if descending else "ASC"
            order_by = f"{SORT_COLUMNS[order]} {direction}, e.occurred_on DESC, e.seq DESC"
        else:
            order_by = "e.occurred_on DESC, e.seq DESC"
        if not match or order is not None:
            return self._plain(columns, clauses, params, match, order_by, limit, offset)

        floor = self._rank_floor(match)
        ranked_sql = (
            f"SELECT {columns} FROM entries_fts JOIN entries e ON e.seq = entries_fts.rowid "
            f"WHERE entries_fts MATCH ? {'AND entries_fts.rowid >= ?' if floor else ''} "
            f"AND {' AND '.join(_probed(clauses))} ORDER BY bm25(entries_fts, 4.0, 1.0), e.occurred_on DESC, e.seq DESC"
        )
        ranked_params = [match, *([floor] if floor else []), *params]
        if floor is None:
            if limit is not None:
                ranked_sql += " LIMIT ? OFFSET ?"
                ranked_params += [limit, offset]
            return self._read(ranked_sql, ranked_params)
        ranked = self._read(ranked_sql, ranked_params)
        if limit is not None and offset + limit <= len(ranked):
            return ranked[offset : offset + limit]
        taken = ranked[offset:]
        rest_limit = None if limit is None else limit - len(taken)
        # The older matches, most recently written first: the full-text index yields them in that
        # order, so a page stops after its rows instead of gathering and sorting every match (a
        # short prefix typed, like ``contract s``, matches most of the journal).
        rest_sql = (
            f"SELECT {columns} FROM entries_fts JOIN entries e ON e.seq = entries_fts.rowid "
            f"WHERE entries_fts MATCH ? AND entries_fts.rowid < ? AND {' AND '.join(_probed(clauses))} "
            "ORDER BY entries_fts.rowid DESC"
        )
        rest_params = [match, floor, *params]
        if rest_limit is not None:
            rest_sql += " LIMIT ? OFFSET ?"
            rest_params += [rest_limit, max(0, offset - len(ranked))]
        return taken + self._read(rest_sql, rest_params)

    def _rank_floor(self, match: str) -> int | None:
        """The lowest seq among the RANK_WINDOW newest-written matches; None when fewer match."""
        rows = self._read(
            "SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (match, RANK_WINDOW - 1),
        )
        return int(rows[0][0]) if rows else None

    def _plain(
        self,
        columns: str,
        clauses: list[str],
        params: list[Any],
        match: str | None,
        order_by: str,
        limit: int | None,
        offset: int,
        below: int | None = None,
    ) -> list[Any]:
        clauses, params = list(clauses), list(params)
        if limit is not None and not match:
            self._walk_common_filters(clauses, params)
        if match:
            bound = "AND rowid < ?" if below is not None else ""
            clauses.insert(0, f"e.seq IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? {bound})")
            params[0:0] = [match, *([below] if below is not None else [])]
        sql = f"SELECT {columns} FROM entries e WHERE {' AND '.join(clauses)} ORDER BY {order_by}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [max(0, limit), offset]
        return self._read(sql, params)

    def _walk_common_filters(self, clauses: list[str], params: list[Any]) -> None:
        """Let a page of results walk the newest-first index past common child-table filters.

        SQLite drives an ``e.seq IN (subquery)`` filter from the subquery: right for a
        rare tag, but for one on a quarter of the journal it fetches and sorts 25,000
        rows to show 50. A filter matching at least 1 entry in 20 is marked ``+e.seq``
        so SQLite walks the date index instead and stops after one page.
        """
        top = self._read("SELECT coalesce(max(seq), 0) FROM entries")[0][0]
        start = 0
        for index, clause in enumerate(clauses):
            count = clause.count("?")
            if clause.startswith("e.seq IN (SELECT") and top >= 2000:
                subquery = clause[len("e.seq IN (") : -1]
                # Counting stops at 1 in 20: a filter on a third of the journal need not be counted whole.
                matched = self._read(
                    f"SELECT count(*) FROM ({subquery} LIMIT ?)", [*params[start : start + count], top // 20]
                )[0][0]
                if matched * 20 >= top:
                    # Looked up per entry walked (a point lookup) rather than gathered whole first.
                    clauses[index] = _probed([clause])[0]
            start += count

    def search(
        self,
        text: str | q.Query = "",
        *,
        limit: int | None = None,
        offset: int = 0,
        trash: bool = False,
        order: str | None = None,
        descending: bool = True,
    ) -> list[Summary]:
        """Summaries matching the §3 query: by relevance when there is text, else newest first.

        ``order`` names a column of ``SORT_COLUMNS`` to sort by instead.
        """
        query = text if isinstance(text, q.Query) else q.parse(text)
        rows = self._select(
            query, _SUMMARY_COLUMNS, trash=trash, order=order, descending=descending, limit=limit, offset=offset
        )
        return [Summary(*row) for row in rows]

    def search_ids(
        self,
        text: str | q.Query = "",
        *,
        trash: bool = False,
        order: str | None = None,
        descending: bool = True,
        limit: int | None = None,
    ) -> list[str]:
        """Only the ids, in result order (the first ``limit`` of them): cheap enough for a 100,000-row table."""
        query = text if isinstance(text, q.Query) else q.parse(text)
        rows = self._select(query, "e.id", trash=trash, order=order, descending=descending, limit=limit)
        return [row[0] for row in rows]

    def order_ids(
        self,
        entry_ids: Sequence[str],
        *,
        trash: bool = False,
        order: str | None = None,
        descending: bool = True,
    ) -> list[str]:
        """Exactly these ids (those that exist, in or out of the trash), in list order: newest first by default."""
        if order in SORT_COLUMNS:
            order_by = f"{SORT_COLUMNS[order]} {'DESC' if descending else 'ASC'}, e.occurred_on DESC, e.seq DESC"
        else:
            order_by = "e.occurred_on DESC, e.seq DESC"
        # One JSON parameter instead of one per id: no limit on how many ids a pattern's evidence holds.
        rows = self._read(
            f"SELECT e.id FROM entries e WHERE e.id IN (SELECT value FROM json_each(?)) AND e.deleted = ? "
            f"ORDER BY {order_by}",
            (json.dumps(list(entry_ids)), int(trash)),
        )
        return [row[0] for row in rows]

    def count(self, text: str | q.Query = "", *, trash: bool = False) -> int:
        query = text if isinstance(text, q.Query) else q.parse(text)
        match = q.fts_match(query)
        clauses, params = q.where(query)
        if match and not clauses:
            # Text alone: FTS5 counts its own matches fast; subtract (or keep) the trashed ones.
            total = self._read("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ?", (match,))[0][0]
            trashed = self._read(
                "SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ? "
                "AND rowid IN (SELECT seq FROM entries WHERE deleted = 1)",
                (match,),
            )[0][0]
            return int(trashed if trash else total - trashed)
        clauses.insert(0, "e.deleted = ?")
        params.insert(0, int(trash))
        if match:
            clauses.insert(0, "e.seq IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
            params.insert(0, match)
        return int(self._read(f"SELECT count(*) FROM entries e WHERE {' AND '.join(clauses)}", params)[0][0])

    def labels(self, entry_ids: Sequence[str]) -> dict[str, Label]:
        """(id, title, occurred_on) by id: what a file name is made of.

        For many ids, one pass over the table beats looking each one up (10,000 of a
        10,000-entry journal: 0.02 s instead of 0.1 s).
        """
        if len(entry_ids) > LABEL_SCAN_FROM:
            wanted = set(entry_ids)
            rows = self._read("SELECT id, title, occurred_on FROM entries")
            return {row[0]: Label(*row) for row in rows if row[0] in wanted}
        sql = "SELECT id, title, occurred_on FROM entries WHERE id IN ({marks})"
        return {row[0]: Label(*row) for rows in self._chunks_by_id(sql, entry_ids) for row in rows}

    def summaries(self, entry_ids: Sequence[str]) -> dict[str, Summary]:
        """Summaries by id, for the rows a table is about to show."""
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM entries e WHERE e.id IN ({{marks}})"
        return {row[0]: Summary(*row) for rows in self._chunks_by_id(sql, entry_ids) for row in rows}

    def names(self, column: str) -> list[tuple[str, int]]:
        """Clients or accounts (or tags, causes) in use, with how many live entries have each."""
        if column in ("client", "account_key"):
            # Covered by the (name, deleted, …) indexes: no table rows are read.
            sql = (
                f"SELECT name, n FROM (SELECT min({column}) AS name, count(*) AS n FROM entries "
                f"WHERE {column} != '' AND deleted = 0 GROUP BY {column} COLLATE NOCASE) "
                "ORDER BY n DESC, name COLLATE NOCASE"
            )
        elif column in ("tags", "causes"):
            # Count every row from the name index, then take away the (few) trashed ones.
            sql = (
                "SELECT min(name), sum(n) FROM ("
                f"SELECT min(name) AS name, count(*) AS n FROM {column} GROUP BY name COLLATE NOCASE "
                f"UNION ALL SELECT min(x.name), -count(*) FROM entries e JOIN {column} x ON x.entry = e.seq "
                "WHERE e.deleted = 1 GROUP BY x.name COLLATE NOCASE"
                ") GROUP BY name COLLATE NOCASE HAVING sum(n) > 0 ORDER BY sum(n) DESC, min(name) COLLATE NOCASE"
            )
        return [(r[0], r[1]) for r in self._read(sql)]

    def status_counts(self) -> dict[str, int]:
        rows = self._read("SELECT status, count(*) FROM entries WHERE deleted = 0 GROUP BY status")
        counts = {str(r[0]): int(r[1]) for r in rows}
        counts["all"] = sum(counts.values())
        counts["trash"] = int(self._read("SELECT count(*) FROM entries WHERE deleted = 1")[0][0])
        return counts

    # --- health -------------------------------------------------------------------------------

    def check(self) -> list[str]:
        """Problems found by SQLite's integrity check and an FTS consistency check."""
        problems: list[str] = []
        for (line,) in self._read("PRAGMA integrity_check"):
            if line != "ok":
                problems.append(f"integrity: {line}")
        try:
            self.conn.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as error:
            problems.append(f"search index: {error}")
        missing = self._read(
            "SELECT count(*) FROM entries e WHERE NOT EXISTS (SELECT 1 FROM entries_fts f WHERE f.rowid = e.seq)"
        )[0][0]
        orphans = self._read(
            "SELECT count(*) FROM entries_fts f WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.seq = f.rowid)"
        )[0][0]
        if missing:
            problems.append(f"search index: {missing} entries are not indexed")
        if orphans:
            problems.append(f"search index: {orphans} index rows have no entry")
        strays = self._read(
            "SELECT count(*) FROM emotions x JOIN entries e ON e.seq = x.entry WHERE x.role != e.role"
        )[0][0]
        if strays:
            problems.append(f"feelings: {strays} feelings carry another role than their entry")
        for row in self._read("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: {tuple(row)}")
        return problems

    def entry_count(self) -> int:
        return int(self._read("SELECT count(*) FROM entries WHERE deleted = 0")[0][0])

