"""Team folders: make a folder of Markdown files and the journal agree (``hindsight sync DIR``).

A team shares the folder through git (Hindsight never runs git). Per entry,
against the base remembered from the last sync with this folder:

* changed on one side only → copied to the other side;
* changed on both → the journal's version is kept and written to the folder
  file, the folder's version is written next to it as
  ``<name>.conflict-<hash>.md`` and the entry is marked (``list_conflicts``);
* a file missing from the folder is **not** a deletion: the journal's entry is
  written back. A deletion travels only as ``deleted: true`` in the front matter
  (the trash); an entry purged here marks its file ``deleted: true``;
* new files become entries; a trashed entry never shared stays private.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from journal import atomic
from journal.changes import Changes
from journal.markdown import files as md_files
from journal.markdown import reader as md_reader
from journal.markdown import writer as md_writer
from journal.model import PostMortem, content_hash
from journal.private_files import PRIVATE_MODE
from journal.store import ConflictError, EntryNotFound, Store
from journal.transfer import sync_state
from journal.transfer.folder import NOT_UTF8_NAME, NameBook, make_folder, markdown_files, not_utf8, write_markdown
from journal.transfer.importer import known_as, take_version
from journal.transfer.result import Cancelled, Progress, TransferResult, entries_in_chunks, never, no_progress
from journal.transfer.sync_state import Conflict, list_conflicts

__all__ = ["Conflict", "Settled", "find_conflict", "list_conflicts", "settle", "sync_folder"]


class _FolderCopy:
    """One file of the folder, its entry's id and the ``content_hash`` of what it holds.

    A file whose bytes are those the last sync left (its base's ``file_hash``) is not
    read as Markdown: it holds the base. Its text and entry are read only if asked for.
    """

    def __init__(
        self, path: Path, rel: str, entry_id: str, digest: str, file_hash: str, parsed: tuple[str, PostMortem] | None
    ) -> None:
        self.path = path
        self.rel = rel
        self.entry_id = entry_id
        self.digest = digest
        self.file_hash = file_hash
        self._parsed = parsed

    def read(self) -> tuple[str, PostMortem]:
        if self._parsed is None:
            text = md_files.read_text(self.path, self.rel)
            self._parsed = (text, _parse(text, self.path, self.rel, self.entry_id).pm)
        return self._parsed

    @property
    def text(self) -> str:
        return self.read()[0]

    @property
    def pm(self) -> PostMortem:
        return self.read()[1]


def _parse(text: str, path: Path, rel: str, known_id: str | None) -> md_reader.Parsed:
    """A folder file as an entry; a note without front matter keeps ``known_id`` (``known_as``)."""
    parsed = md_reader.parse_full(text, rel, identity=f"team-folder/{rel}", fallback_date=md_files.file_date(path))
    return known_as(parsed, known_id)


def _read_folder(
    folder: Path,
    known: dict[str, sync_state.Base],
    result: TransferResult,
    progress: Progress,
    cancelled: Cancelled,
    total: list[int],
) -> dict[str, _FolderCopy] | None:
    files = markdown_files(folder, result.failed)
    total[0] = len(files)
    as_left = {base.path: (entry_id, base) for entry_id, base in known.items()}
    found: dict[str, _FolderCopy] = {}
    for done, path in enumerate(files, start=1):
        if cancelled():
            return None
        rel = path.relative_to(folder).as_posix()
        try:
            data = md_files.read_bytes(path, rel)[0]
            file_hash = md_files.file_fingerprint(data)
            left = as_left.get(rel)
            if left is not None and left[1].file_hash == file_hash:
                copy = _FolderCopy(path, rel, left[0], left[1].hash, file_hash, None)
            else:
                text = md_files.decode(data, rel)
                parsed = _parse(text, path, rel, left[0] if left is not None else None)
                result.warnings.extend((str(path), w) for w in parsed.warnings)
                pm = parsed.pm
                copy = _FolderCopy(path, rel, pm.id, content_hash(pm), file_hash, (text, pm))
        except md_reader.FormatError as error:
            where = "" if error.line is None else f"line {error.line}: "
            result.failed.append((str(path), where + error.reason))
        else:
            if copy.entry_id in found:
                result.failed.append((str(path), f"has the same id as {found[copy.entry_id].rel}; left alone"))
            else:
                found[copy.entry_id] = copy
        progress(done, total[0] + total[1])
    return found


def sync_folder(
    store: Store,
    folder: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> TransferResult:
    """Two-way sync of the journal with ``folder`` (see the module docstring).

    An entry whose stored fingerprint is its file's is left alone without being
    loaded; only the others are read from the journal, in chunks.
    """
    progress = progress or no_progress
    cancelled = cancelled or never
    result = TransferResult("sync")
    if not_utf8(folder.expanduser().absolute()):
        result.failed.append((str(folder), NOT_UTF8_NAME))
        return result
    if not make_folder(folder, result):
        return result
    key = sync_state.folder_key(folder)
    stored = store.fingerprints()
    known = sync_state.bases(store, key)
    total = [0, len(stored)]
    files = _read_folder(folder, known, result, progress, cancelled, total)
    if files is None:
        result.cancelled = True
        return result
    failed_paths = {p for p, _ in result.failed}
    names = NameBook(folder)
    agreed: list[tuple[str, str, str, str]] = []
    ids = sorted(set(stored) | set(files))
    total[1] = len(ids)
    result.compared = len(ids)
    alike = {i for i, copy in files.items() if stored.get(i) == copy.digest}
    journal = {pm.id: pm for pm in entries_in_chunks(store, [i for i in ids if i in stored and i not in alike])}
    for done, entry_id in enumerate(ids, start=1):
        if cancelled():
            result.cancelled = True
            break
        progress(total[0] + done, total[0] + total[1])
        mine = journal.get(entry_id)
        theirs = files.get(entry_id)
        base = known.get(entry_id)
        try:
            if theirs is not None and entry_id in alike:
                result.unchanged.append(entry_id)
                if not _agrees(base, theirs.digest, theirs):
                    agreed.append((entry_id, theirs.digest, theirs.rel, theirs.file_hash))
            elif mine is not None and theirs is not None:
                _both(store, folder, key, mine, theirs, base, result, agreed)
            elif mine is not None:
                if mine.deleted and base is None:
                    continue  # trashed before it was ever shared: stays private
                if base is not None and base.path and str(folder / base.path) in failed_paths:
                    continue  # its file is there but unreadable: reported, not overwritten
                name = names.name_for(mine)
                target = md_files.inside(folder, name)
                file_hash = write_markdown(target, md_writer.render(mine))
                result.written.append(str(target))
                agreed.append((entry_id, content_hash(mine), name, file_hash))
            elif theirs is not None and entry_id not in stored:
                _only_in_folder(store, theirs, base, result, agreed)
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            result.failed.append((entry_id, reason))
    sync_state.set_bases(store, key, agreed)
    return result


def _agrees(base: sync_state.Base | None, digest: str, theirs: _FolderCopy) -> bool:
    """Whether the remembered base is already this entry at this file, with these bytes."""
    return base is not None and (base.hash, base.path, base.file_hash) == (digest, theirs.rel, theirs.file_hash)


def _both(
    store: Store,
    folder: Path,
    key: str,
    mine: PostMortem,
    theirs: _FolderCopy,
    base: sync_state.Base | None,
    result: TransferResult,
    agreed: list[tuple[str, str, str, str]],
) -> None:
    ours = content_hash(mine)
    if ours == theirs.digest:
        result.unchanged.append(mine.id)
        if not _agrees(base, ours, theirs):
            agreed.append((mine.id, ours, theirs.rel, theirs.file_hash))
    elif base is not None and base.hash == ours:
        # The file claims to be the journal's own version, yet says something else.
        by_hand = (theirs.pm.revision, theirs.pm.updated_at) == (mine.revision, mine.updated_at)
        try:
            saved = take_version(store, mine, theirs.pm)
        except ConflictError as error:
            result.failed.append((str(theirs.path), str(error)))
            return
        result.updated.append(mine.id)
        file_hash = theirs.file_hash
        if by_hand:  # the file now says which revision it became, so a teammate takes that very version
            file_hash = write_markdown(theirs.path, md_writer.render(saved))
            result.written.append(str(theirs.path))
        agreed.append((mine.id, theirs.digest, theirs.rel, file_hash))
    elif base is not None and base.hash == theirs.digest:
        file_hash = write_markdown(theirs.path, md_writer.render(mine))
        result.written.append(str(theirs.path))
        agreed.append((mine.id, ours, theirs.rel, file_hash))
    else:
        copy = _file_copy(theirs)
        file_hash = write_markdown(theirs.path, md_writer.render(mine))
        result.written.append(str(theirs.path))
        sync_state.add_conflict(store, mine.id, key, str(copy), str(theirs.path), True)
        result.conflicts.append((mine.id, str(copy)))
        agreed.append((mine.id, ours, theirs.rel, file_hash))


def _file_copy(theirs: _FolderCopy) -> Path:
    """Write the folder's version next to its file as ``NAME.conflict-HASH8.md``, never over another file.

    The same version filed before is reused; a different file of that name (made by
    hand, or edited) is left alone and the copy gets ``-2``, ``-3``… in its name.
    """
    data = theirs.text.encode("utf-8")
    stem = f"{theirs.path.name[:-3]}.conflict-{theirs.digest[:8]}"
    for n in range(1, 100):
        copy = theirs.path.with_name(f"{stem}{'' if n == 1 else f'-{n}'}.md")
        try:
            atomic.write_new(copy, data, PRIVATE_MODE)  # a teammate's words, kept here until settled: owner only
        except FileExistsError:
            if not copy.is_symlink() and copy.is_file() and copy.read_bytes() == data:
                return copy
            continue
        return copy
    raise OSError(f"{theirs.path.name}: too many conflict copies already; settle some first")


def _only_in_folder(
    store: Store,
    theirs: _FolderCopy,
    base: sync_state.Base | None,
    result: TransferResult,
    agreed: list[tuple[str, str, str, str]],
) -> None:
    pm = theirs.pm
    if base is None:
        if pm.deleted:
            return  # someone's trash we never had
        store.insert_many([replace(pm, revision=max(pm.revision, 1))])
        result.created.append(pm.id)
        agreed.append((pm.id, theirs.digest, theirs.rel, theirs.file_hash))
    elif base.hash == theirs.digest:
        if not pm.deleted:  # purged here since the last sync: let the deletion travel
            gone = replace(pm, deleted=True)
            file_hash = write_markdown(theirs.path, md_writer.render(gone))
            result.written.append(str(theirs.path))
            agreed.append((pm.id, content_hash(gone), theirs.rel, file_hash))
    else:  # purged here, but changed in the folder since: someone still cares
        store.insert_many([replace(pm, revision=max(pm.revision, 1))])
        result.created.append(pm.id)
        agreed.append((pm.id, theirs.digest, theirs.rel, theirs.file_hash))


_COPY_NAME = re.compile(r"\.conflict-([0-9a-f]{8})(?:-[0-9]+)?\.md$")


@dataclass(frozen=True)
class Settled:
    """What settling a conflict did: the journal's change record, and each conflict copy
    removed from the folder or left there (with the reason, for the person to decide)."""

    entry_id: str
    kept: str
    changes: Changes
    removed: tuple[str, ...] = ()
    left: tuple[tuple[str, str], ...] = ()


def find_conflict(store: Store, prefix: str) -> str:
    """The id of the one conflicted entry whose id starts with ``prefix`` (as ``Store.resolve_id``)."""
    prefix = prefix.strip().lower()
    if len(prefix) < 4:
        raise EntryNotFound(f"give at least 4 characters of the id; got {prefix!r}")
    ids = sorted({c.entry_id for c in list_conflicts(store) if c.entry_id.startswith(prefix)})
    if not ids:
        raise EntryNotFound(f"no conflict for an entry whose id starts with {prefix!r} (see 'hindsight conflicts')")
    if len(ids) > 1:
        raise EntryNotFound(f"more than one conflicted entry has an id starting with {prefix!r}; give more of it")
    return ids[0]


def _not_our_copy(conflict: Conflict) -> str:
    """Why the file of ``conflict`` is not a conflict copy Hindsight wrote ('' if it is one).

    Ours: recorded as a copy, named ``….conflict-HASH8[-N].md`` inside the folder, a
    plain file, and still holding that very version (its fingerprint starts with HASH8).
    """
    path = Path(conflict.path)
    match = _COPY_NAME.search(path.name)
    if not conflict.is_copy or match is None:
        return "it is the folder's own file, not a conflict copy"
    if path.is_symlink() or not path.is_file():
        return "it is not a plain file"
    if not path.resolve().is_relative_to(Path(conflict.folder)):
        return "it is outside the team folder"
    try:
        pm = known_as(md_files.parse_file(path), conflict.entry_id).pm
    except md_reader.FormatError:
        return "it no longer reads as this entry"
    if pm.id != conflict.entry_id or not content_hash(pm).startswith(match.group(1)):
        return "it was edited after Hindsight wrote it"
    return ""


def settle(store: Store, entry_id: str, keep: str = "journal") -> Settled:
    """Settle a conflict: keep the journal's version, or take the folder's ("folder").

    Keeping the folder's saves it as the newest revision and writes it to the
    folder file; keeping the journal's leaves the journal as it is (the folder gets
    it at the next sync). Either way the conflict copy is removed, but only a copy
    Hindsight wrote and nobody changed since (``_not_our_copy``); any other file is
    left where it is and named in ``Settled.left``.
    """
    if keep not in ("journal", "folder"):
        raise ValueError(f"keep must be 'journal' or 'folder'; got {keep!r}")
    rows = [c for c in list_conflicts(store) if c.entry_id == entry_id]
    if not rows:
        raise EntryNotFound(f"entry {entry_id[:8]} has no conflict to settle")
    changes = Changes()
    removed: list[str] = []
    left: list[tuple[str, str]] = []
    for conflict in rows:
        other = Path(conflict.path)
        why_not = _not_our_copy(conflict)  # judged before the folder's version is saved anywhere
        if keep == "folder":
            try:
                parsed = known_as(md_files.parse_file(other), entry_id)
            except md_reader.FormatError as error:
                raise ValueError(f"the folder's version cannot be read: {error}") from None
            mine = store.get(entry_id)
            saved, changed = store.save(replace(parsed.pm, revision=mine.revision))
            changes = changes | changed
            if conflict.main_path:
                main = Path(conflict.main_path)
                file_hash = write_markdown(main, md_writer.render(saved))
                rel = Path(os.path.relpath(main, conflict.folder)).as_posix()
                sync_state.set_bases(store, conflict.folder, [(entry_id, content_hash(saved), rel, file_hash)])
            else:
                sync_state.set_bases(
                    store, conflict.folder, [(entry_id, content_hash(saved), other.name, "")]
                )
        if why_not:
            if conflict.is_copy and other.exists():
                left.append((str(other), why_not))
        else:
            with contextlib.suppress(FileNotFoundError):
                other.unlink()
            removed.append(str(other))
        sync_state.drop_conflict(store, entry_id, conflict.folder)
    return Settled(entry_id, keep, changes, tuple(removed), tuple(left))
