"""The journal file: open it safely, save and load post-mortems, search, trash.

One SQLite file in WAL mode, through Python's sqlite3; sqlite-utils runs the
migrations, and is loaded only when a journal needs them. A file that is not a
journal (or is a journal from a newer Hindsight) is refused before a single byte
of it is written. Every write runs in one transaction and returns a ``Changes``
record so a screen can decide whether it concerns it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.bulk import BULK_PENDING, BulkLoading
from journal.changes import Changes
from journal.model import (
    PostMortem,
    content_hash,
    utc_now,
)
from journal.private_files import create_private, make_private
from journal.rows import ADDED_IN, ENTRY_COLUMNS, ENTRY_FIELDS, assemble, delete_rows, insert_entry
from journal.safety import SQLITE_MAGIC, no_journal_at
from journal.schema import APPLICATION_ID, SCHEMA_VERSION
from journal.search import Searching

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_S = 5.0
ENV_VAR = "HINDSIGHT_JOURNAL"
_READONLY_ROLLBACK = 776  # SQLITE_READONLY_ROLLBACK: a hot journal that a read-only connection cannot undo


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


class Store(Searching, BulkLoading):
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
            if not current and not conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
                # A new journal gives freed pages back (give_back_free_pages); only before the first table and WAL.
                conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
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
            if store.read("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (BULK_PENDING,)):
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
            wanted = {name for name in ENTRY_FIELDS if ADDED_IN.get(name, 1) <= version}
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


    # --- ids ------------------------------------------------------------------------

    def resolve_id(self, prefix: str) -> str:
        """A full id from a unique prefix (as git does for commits)."""
        prefix = prefix.strip().lower()
        if len(prefix) < 4:
            raise EntryNotFound(f"give at least 4 characters of the id; got {prefix!r}")
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.read(
            "SELECT id FROM entries WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (escaped + "%",)
        )
        if not rows:
            raise EntryNotFound(f"no entry has an id starting with {prefix!r}")
        if len(rows) > 1:
            raise EntryNotFound(f"more than one entry has an id starting with {prefix!r}; give more of it")
        return str(rows[0][0])

    def exists(self, entry_id: str) -> bool:
        return bool(self.read("SELECT 1 FROM entries WHERE id = ?", (entry_id,)))

    # --- reading ----------------------------------------------------------------------

    def get(self, entry_id: str) -> PostMortem:
        rows = self.read(f"SELECT seq, {ENTRY_COLUMNS} FROM entries WHERE id = ?", (entry_id,))
        if not rows:
            raise EntryNotFound(f"no entry with id {entry_id}")
        return assemble(self.read, [rows[0]])[0]

    def get_many(self, entry_ids: Sequence[str]) -> list[PostMortem]:
        """Entries in the order asked; unknown ids are left out."""
        return [pm for _, pm in self._get_many(entry_ids)]

    def fingerprints(self, entry_ids: Sequence[str] | None = None) -> dict[str, str | None]:
        """Each entry's ``content_hash`` as stored (None: not known), by id; every entry, trashed
        ones too, when ``entry_ids`` is None."""
        if entry_ids is None:
            return {row[0]: row[1] for row in self.read("SELECT id, content_hash FROM entries")}
        sql = "SELECT id, content_hash FROM entries WHERE id IN ({marks})"
        return {row[0]: row[1] for rows in self._chunks_by_id(sql, entry_ids) for row in rows}

    def get_many_hashed(self, entry_ids: Sequence[str]) -> list[tuple[PostMortem, str]]:
        """``get_many``, each entry with its ``content_hash`` as stored (worked out where none is)."""
        return [(pm, row[-1] or content_hash(pm)) for row, pm in self._get_many(entry_ids)]

    def _get_many(self, entry_ids: Sequence[str]) -> list[tuple[Any, PostMortem]]:
        """(entries row, entry) in the order asked, all read in one snapshot."""
        found: dict[str, tuple[Any, PostMortem]] = {}
        sql = f"SELECT seq, {ENTRY_COLUMNS} FROM entries WHERE id IN ({{marks}})"
        with self._snapshot():
            for rows in self._chunks_by_id(sql, entry_ids):
                for row, pm in zip(rows, assemble(self.read, rows), strict=True):
                    found[pm.id] = (row, pm)
        return [found[i] for i in entry_ids if i in found]

    def _chunks_by_id(self, sql: str, entry_ids: Sequence[str], before: Sequence[Any] = ()) -> Iterator[list[Any]]:
        """The rows of ``sql`` (its ``{marks}`` the placeholders of an IN list), 500 ids at a time.

        ``before``: the values of any placeholders ahead of the list.
        """
        for start in range(0, len(entry_ids), 500):
            chunk = entry_ids[start : start + 500]
            yield self.read(sql.format(marks=", ".join("?" * len(chunk))), [*before, *chunk])

    def iter_entries(self, *, include_deleted: bool = False, batch: int = 1000) -> Iterator[PostMortem]:
        """Every entry, oldest first, loaded a batch at a time."""
        last = 0
        where = "" if include_deleted else "AND deleted = 0"
        while True:
            rows = self.read(
                f"SELECT seq, {ENTRY_COLUMNS} FROM entries WHERE seq > ? {where} ORDER BY seq LIMIT ?",
                (last, batch),
            )
            if not rows:
                return
            yield from assemble(self.read, rows)
            last = rows[-1][0]


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
                delete_rows(conn, [row[0]])
            insert_entry(conn, saved, seq=row[0] if row else None)
        if row:
            return saved, Changes(updated=(pm.id,))
        return saved, Changes(created=(pm.id,))


    def checkpoint(self) -> None:
        """Copy what the write-ahead log holds into the journal file (never waits for readers)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def forget_deleted_folders(self) -> None:
        """``sync_state.prune_on_open``, for the app (once per journal shown) and each writing command.

        With no folder remembered it is one index seek and loads no transfer code (the app's start).
        """
        try:
            if not self.read("SELECT 1 FROM sync_state LIMIT 1"):
                return
        except JournalError:  # busy or damaged: the next opening tries again, or says so
            return
        from journal.transfer import sync_state  # here: sync_state imports this module

        sync_state.prune_on_open(self)

    def give_back_free_pages(self) -> None:
        """Return the journal's free pages to the file system, when it was made with ``auto_vacuum = INCREMENTAL``.

        A journal made before keeps them for reuse (switching needs a VACUUM). The file
        shrinks at the next checkpoint; a busy journal keeps them until the next time.
        """
        if self.conn.in_transaction:  # executescript would commit the caller's transaction
            return
        with contextlib.suppress(sqlite3.Error):
            if self.conn.execute("PRAGMA freelist_count").fetchone()[0]:  # else the write lock for nothing
                # executescript steps it to the end; execute() stops after its first page.
                self.conn.executescript("PRAGMA incremental_vacuum")


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
                delete_rows(conn, chunk)
                conn.execute(f"DELETE FROM entries WHERE seq IN ({', '.join('?' * len(chunk))})", chunk)
        if rows:
            self.give_back_free_pages()
        return Changes(purged=tuple(r[1] for r in rows))


    # --- health -------------------------------------------------------------------------------

    def compact(self) -> None:
        """Rewrite the journal without its free pages (``VACUUM``), giving freed pages back from then on.

        A journal made before ``auto_vacuum = INCREMENTAL`` switches only this way. It needs
        as much free disk again as the journal; a failure leaves the journal as it was.
        """
        try:
            self.conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # takes effect with the VACUUM
            self.conn.execute("VACUUM")
        except sqlite3.Error as error:
            raise _known_error(self.path, error) or JournalError(f"cannot compact {self.path} ({error})") from None
        with contextlib.suppress(sqlite3.Error):  # the file shrinks now, not at the next checkpoint
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def check(self) -> list[str]:
        """Problems found by SQLite's integrity check and an FTS consistency check."""
        problems: list[str] = []
        for (line,) in self.read("PRAGMA integrity_check"):
            if line != "ok":
                problems.append(f"integrity: {line}")
        try:
            self.conn.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as error:
            problems.append(f"search index: {error}")
        missing = self.read(
            "SELECT count(*) FROM entries e WHERE NOT EXISTS (SELECT 1 FROM entries_fts f WHERE f.rowid = e.seq)"
        )[0][0]
        orphans = self.read(
            "SELECT count(*) FROM entries_fts f WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.seq = f.rowid)"
        )[0][0]
        if missing:
            problems.append(f"search index: {missing} entries are not indexed")
        if orphans:
            problems.append(f"search index: {orphans} index rows have no entry")
        strays = self.read(
            "SELECT count(*) FROM emotions x JOIN entries e ON e.seq = x.entry WHERE x.role != e.role"
        )[0][0]
        if strays:
            problems.append(f"feelings: {strays} feelings carry another role than their entry")
        for row in self.read("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: {tuple(row)}")
        return problems

    def entry_count(self) -> int:
        return int(self.read("SELECT count(*) FROM entries WHERE deleted = 0")[0][0])

