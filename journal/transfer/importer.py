"""Import Markdown files and folders into the journal: idempotent by id.

An import remembers, per entry and folder, what it exchanged (``sync_state``), so an
import updates an entry only when the file changed and the journal did not; when both
changed, the journal's copy is kept and the entry is marked as conflicted. Files are
read and parsed in chunks, spread over the machine's cores for a large import
(``journal.transfer.workers``); one bad file is reported by name and line, the rest go on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

from journal.markdown import files as md_files
from journal.markdown import reader as md_reader
from journal.model import PostMortem, content_hash, utc_now
from journal.rows import EntryRows, entry_rows
from journal.store import ConflictError, Store
from journal.transfer import sync_state, workers
from journal.transfer.folder import NOT_UTF8_NAME, markdown_files, not_utf8
from journal.transfer.result import CHUNK, Cancelled, Progress, TransferResult, never, no_progress


class _Read(NamedTuple):
    """One file as read and parsed, here or in a helper process; nothing touches the journal.

    ``rows`` are what the journal stores for it if it is new (metadata filled in), so a
    helper does that work too. A helper leaves out ``parsed`` (building the entry again
    here would cost as much as the parse): ``Incoming.entry`` parses the file again in
    the rare case it is needed, an update of an entry already in the journal.
    """

    entry_id: str
    digest: str
    warnings: list[str]
    redacted: bool
    rows: EntryRows | None  # None only with a reason
    parsed: md_reader.Parsed | None
    reason: str = ""  # why the file could not be read; then everything else is empty
    file_hash: str = ""  # the file_fingerprint of its bytes


class Incoming(NamedTuple):
    path: Path
    key: str
    read: _Read

    def entry(self) -> PostMortem:
        """The file's entry: kept from the reading, or read again (``FormatError`` if it changed meanwhile)."""
        if self.read.parsed is not None:
            return self.read.parsed.pm
        return known_as(_parse(self.path), self.read.entry_id).pm


def collect(paths: Sequence[Path], result: TransferResult) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if not_utf8(path):
            result.failed.append((str(path), NOT_UTF8_NAME))
        elif path.is_symlink():  # fail safe: name the file or folder itself, not a link to it
            result.failed.append((str(path), "is a symbolic link; not followed (give the file or folder it points to)"))
        elif path.is_dir():
            files.extend(markdown_files(path, result.failed))
        elif path.is_file():
            files.append(path)
        else:
            result.failed.append((str(path), "no such file or folder"))
    return files


def _resolved(path: Path) -> str:
    return str(path.resolve())


IMPORT_CHUNK = 200
TAIL_BATCH = 250  # files
CHECKPOINT_EVERY = 4000  # files


def _parse(path: Path) -> md_reader.Parsed:
    return _parse_printed(path)[0]


def _parse_printed(path: Path) -> tuple[md_reader.Parsed, str]:
    return md_files.parse_file_printed(path, str(path), identity=partial(_resolved, path))


class _Left(NamedTuple):
    """A file as it was last exported, imported or synced: its entry, base and bytes' fingerprint."""

    entry_id: str
    digest: str
    file_hash: str  # '' if not known
    held: bool  # the journal holds the entry


def _as_left(store: Store, files: Sequence[Path]) -> dict[Path, _Left]:
    """What the journal remembers of each file it exported, imported or synced before."""
    by_folder: dict[Path, list[Path]] = {}
    for path in files:
        by_folder.setdefault(path.parent, []).append(path)
    out: dict[Path, _Left] = {}
    for parent, paths in by_folder.items():
        names = {base.path: (entry_id, base) for entry_id, base in sync_state.bases(
            store, sync_state.folder_key(parent)).items()}
        if not names:
            continue
        held = store.fingerprints([entry_id for entry_id, _ in names.values()])
        for path in paths:
            found = names.get(path.name)
            if found is not None:
                out[path] = _Left(found[0], found[1].hash, found[1].file_hash, found[0] in held)
    return out


def known_as(parsed: md_reader.Parsed, entry_id: str | None) -> md_reader.Parsed:
    """A note without front matter keeps the id it was last exported, imported or synced under.

    Its id comes from where it is, and a team folder and an import name the same file
    differently (the path in the folder, the path on this machine): without this, a
    note imported first and synced later would become a second entry once edited.
    """
    if not parsed.plain_note or entry_id is None or parsed.pm.id == entry_id:
        return parsed
    return replace(parsed, pm=replace(parsed.pm, id=entry_id))


def _read_chunk(
    paths: Sequence[Path], now: str, keep: bool = True, left: Sequence[_Left | None] = ()
) -> list[_Read]:
    """Read and parse files, and build a new entry's rows; ``keep``: keep the parsed entries too.

    ``left``: for each path, what it held when last exported or imported, if known; a
    file that still holds those bytes is not parsed (its ``rows`` are then None).
    """
    out: list[_Read] = []
    for index, path in enumerate(paths):
        was = left[index] if left else None
        if was is not None:
            try:
                data = md_files.read_bytes(path, str(path))[0]
            except md_reader.FormatError:
                data = b""
            if was.held and data and md_files.file_fingerprint(data) == was.file_hash:
                out.append(_Read(was.entry_id, was.digest, [], False, None, None, file_hash=was.file_hash))
                continue
        try:
            parsed, file_hash = _parse_printed(path)
        except md_reader.FormatError as error:
            where = "" if error.line is None else f"line {error.line}: "
            out.append(_Read("", "", [], False, None, None, where + error.reason))
            continue
        parsed = known_as(parsed, was.entry_id if was is not None else None)
        pm = parsed.pm
        digest = content_hash(pm)
        if pm.revision < 1 or not pm.created_at or not pm.updated_at:  # a note, or a hand-made file
            pm = replace(pm, revision=max(pm.revision, 1), created_at=pm.created_at or now,
                         updated_at=pm.updated_at or now)
        rows = entry_rows(pm, digest)
        out.append(
            _Read(pm.id, digest, parsed.warnings, parsed.redacted, rows, parsed if keep else None, file_hash=file_hash)
        )
    return out


def import_paths(
    store: Store,
    paths: Sequence[Path],
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> TransferResult:
    """Import Markdown files and folders (recursively): idempotent by id (see the module docstring).

    Files are read and parsed in chunks, spread over the machine's cores for a large
    import (``journal.transfer.workers``), and applied to the journal here, in file order.
    """
    progress = progress or no_progress
    cancelled = cancelled or never
    result = TransferResult("import")
    files = collect(paths, result)
    helper_count = workers.helper_count(len(files), busy_here=False)
    size = IMPORT_CHUNK if helper_count else 1  # alone, Cancel and progress act file by file
    left = _as_left(store, files)
    chunks = workers.cut([(path, left.get(path)) for path in files], size, helper_count)
    seen: dict[str, Path] = {}
    batch: list[Incoming] = []
    keys: dict[Path, str] = {}
    done = 0
    written = 0  # files written to the journal
    now = utc_now()

    def take(index: int, reads: list[_Read]) -> None:
        nonlocal batch, done, written
        for (path, _), read in zip(chunks[index], reads, strict=True):
            if read.reason:
                result.failed.append((str(path), read.reason))
                continue
            result.warnings.extend((str(path), w) for w in read.warnings)
            if read.entry_id in seen:
                result.failed.append((str(path), f"has the same id as {seen[read.entry_id]}; skipped"))
                continue
            seen[read.entry_id] = path
            key = keys.get(path.parent) or keys.setdefault(path.parent, sync_state.folder_key(path.parent))
            batch.append(Incoming(path, key, read))
        done += len(reads)
        # Written a thousand at a time; the last thousand a few hundred at a time as they
        # come, so little is left to write once the helpers are done. Not smaller: every
        # write adds a segment to the full-text index, and sixteen make FTS5 merge them.
        if len(batch) >= CHUNK or (len(files) - done < CHUNK and (len(batch) >= TAIL_BATCH or done == len(files))):
            apply_incoming(store, batch, result)
            before, written = written, written + len(batch)
            batch = []
            if written // CHECKPOINT_EVERY > before // CHECKPOINT_EVERY:
                # While the helpers go on parsing: the final checkpoint then has less to
                # copy and flush to disk after the last file.
                store.checkpoint()
        progress(done, len(files))

    with workers.Helpers(helper_count) as helpers, store.bulk_load():
        # bulk_load: into an empty journal, indexes are built once at the end. The helpers
        # read and parse; this process writes what they read to the journal.
        work = partial(_read_pairs, now=now, keep=helper_count == 0)
        result.cancelled = not helpers.run(
            chunks, work, take, local=work, local_until_helped=True, cancelled=cancelled
        )
        apply_incoming(store, batch, result)
    return result


def _read_pairs(pairs: Sequence[tuple[Path, _Left | None]], now: str, keep: bool) -> list[_Read]:
    """``_read_chunk`` of (path, what it held when last seen) pairs."""
    return _read_chunk([path for path, _ in pairs], now, keep, [was for _, was in pairs])


def take_version(store: Store, mine: PostMortem, theirs: PostMortem) -> PostMortem:
    """Save a file's version of an entry over the journal's ``mine``; return what was saved.

    A file that another Hindsight wrote at a later revision keeps that revision and
    its ``updated_at``, so the journals of a team hold the same version and, should
    two of them write the file again, write the same bytes (not a git conflict over
    a time stamp). A file edited by hand becomes the next revision, stamped now.
    """
    if theirs.revision > mine.revision and theirs.updated_at:
        return store.save_version(theirs, mine.revision)[0]
    return store.save(replace(theirs, revision=mine.revision))[0]


def apply_incoming(store: Store, batch: list[Incoming], result: TransferResult) -> None:
    """Create, update or keep each parsed file's entry; mark conflicts; remember bases."""
    if not batch:
        return
    unread = [i.read.entry_id for i in batch if i.read.rows is None]  # files left as they were
    held = store.fingerprints(unread) if unread else {}
    local = {
        pm.id: (pm, digest)
        for pm, digest in store.get_many_hashed([i.read.entry_id for i in batch if i.read.rows is not None])
    }
    known: dict[tuple[str, str], sync_state.Base] = {}
    for key in {i.key for i in batch}:
        ids = [i.read.entry_id for i in batch if i.key == key]
        known.update({(entry_id, key): base for entry_id, base in sync_state.bases(store, key, ids).items()})
    new: list[EntryRows] = []
    agreed: dict[str, list[tuple[str, str, str, str]]] = {}
    for item in batch:
        read = item.read
        entry_id = read.entry_id
        found = local.get(entry_id)
        base = known.get((entry_id, item.key))
        name = item.path.name
        if read.rows is None and entry_id in held:
            # The bytes last exported or imported: the base itself. Whether the journal
            # moved on since or not, there is nothing to take from the file.
            result.unchanged.append(entry_id)
            continue
        if found is None:
            if read.rows is None:  # left unread as the base of an entry purged since: read it now
                (read,) = _read_chunk([item.path], utc_now())
                if read.reason or read.rows is None:
                    result.failed.append((str(item.path), read.reason or "changed while it was imported"))
                    continue
                entry_id = read.entry_id
                if store.exists(entry_id):
                    result.failed.append((str(item.path), "changed while it was imported; import it again"))
                    continue
            new.append(read.rows)
            agreed.setdefault(item.key, []).append((entry_id, read.digest, name, read.file_hash))
            continue
        mine, ours = found
        if ours == read.digest:
            result.unchanged.append(entry_id)
            if base is None or (base.hash, base.path, base.file_hash) != (ours, name, read.file_hash):
                agreed.setdefault(item.key, []).append((entry_id, ours, name, read.file_hash))
        elif read.redacted:
            result.unchanged.append(entry_id)
            result.warnings.append((str(item.path), "a redacted copy never replaces an entry; kept the journal's"))
        elif base is not None and base.hash == ours:
            try:
                take_version(store, mine, item.entry())
            except (ConflictError, md_reader.FormatError) as error:
                result.failed.append((str(item.path), str(error)))
                continue
            result.updated.append(entry_id)
            agreed.setdefault(item.key, []).append((entry_id, read.digest, name, read.file_hash))
        elif base is not None and base.hash == read.digest:
            result.unchanged.append(entry_id)  # the file is what was exported; the journal moved on
        else:
            sync_state.add_conflict(store, entry_id, item.key, str(item.path.resolve()), "", False)
            result.conflicts.append((entry_id, str(item.path)))
    if new:
        result.created.extend(store.insert_rows(new).created)
    for key, rows in agreed.items():
        sync_state.set_bases(store, key, rows)
