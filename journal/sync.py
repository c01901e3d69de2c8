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
from dataclasses import dataclass, replace
from pathlib import Path

from journal import markdown_io as mio
from journal import sync_state
from journal.model import PostMortem
from journal.store import Changes, ConflictError, EntryNotFound, Store
from journal.sync_state import Conflict, list_conflicts
from journal.transfer import (
    Cancelled,
    NameBook,
    Progress,
    TransferResult,
    _never,
    _no_progress,
    make_folder,
    markdown_files,
    take_version,
    write_atomic,
)

__all__ = ["Conflict", "list_conflicts", "resolve_conflict", "sync_folder"]


@dataclass
class _FolderCopy:
    path: Path
    rel: str
    text: str
    pm: PostMortem
    digest: str


def _read_folder(
    folder: Path, result: TransferResult, progress: Progress, cancelled: Cancelled, total: list[int]
) -> dict[str, _FolderCopy] | None:
    files = markdown_files(folder)
    total[0] = len(files)
    found: dict[str, _FolderCopy] = {}
    for done, path in enumerate(files, start=1):
        if cancelled():
            return None
        rel = path.relative_to(folder).as_posix()
        try:
            text = mio.read_text(path, rel)
            parsed = mio.parse_full(text, rel, identity=f"team-folder/{rel}", fallback_date=mio.file_date(path))
        except mio.FormatError as error:
            where = "" if error.line is None else f"line {error.line}: "
            result.failed.append((str(path), where + error.reason))
        else:
            result.warnings.extend((str(path), w) for w in parsed.warnings)
            entry_id = parsed.pm.id
            if entry_id in found:
                result.failed.append((str(path), f"has the same id as {found[entry_id].rel}; left alone"))
            else:
                found[entry_id] = _FolderCopy(path, rel, text, parsed.pm, mio.content_hash(parsed.pm))
        progress(done, total[0] + total[1])
    return found


def sync_folder(
    store: Store,
    folder: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> TransferResult:
    """Two-way sync of the journal with ``folder`` (see the module docstring)."""
    progress = progress or _no_progress
    cancelled = cancelled or _never
    result = TransferResult("sync")
    if not make_folder(folder, result):
        return result
    key = sync_state.folder_key(folder)
    journal = {pm.id: pm for pm in store.iter_entries(include_deleted=True)}
    total = [0, 0]
    total[1] = len(journal)
    files = _read_folder(folder, result, progress, cancelled, total)
    if files is None:
        result.cancelled = True
        return result
    failed_paths = {p for p, _ in result.failed}
    known = sync_state.bases(store, key)
    names = NameBook(folder)
    agreed: list[tuple[str, str, str]] = []
    ids = sorted(set(journal) | set(files))
    total[1] = len(ids)
    result.compared = len(ids)
    for done, entry_id in enumerate(ids, start=1):
        if cancelled():
            result.cancelled = True
            break
        progress(total[0] + done, total[0] + total[1])
        mine = journal.get(entry_id)
        theirs = files.get(entry_id)
        base = known.get(entry_id)
        try:
            if mine is not None and theirs is not None:
                _both(store, folder, key, mine, theirs, base, result, agreed)
            elif mine is not None:
                if mine.deleted and base is None:
                    continue  # trashed before it was ever shared: stays private
                if base is not None and base.path and str(folder / base.path) in failed_paths:
                    continue  # its file is there but unreadable: reported, not overwritten
                name = names.name_for(mine)
                target = mio.inside(folder, name)
                write_atomic(target, mio.render(mine))
                result.written.append(str(target))
                agreed.append((entry_id, mio.content_hash(mine), name))
            elif theirs is not None:
                _only_in_folder(store, theirs, base, result, agreed)
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            result.failed.append((entry_id, reason))
    sync_state.set_bases(store, key, agreed)
    return result


def _both(
    store: Store,
    folder: Path,
    key: str,
    mine: PostMortem,
    theirs: _FolderCopy,
    base: sync_state.Base | None,
    result: TransferResult,
    agreed: list[tuple[str, str, str]],
) -> None:
    ours = mio.content_hash(mine)
    if ours == theirs.digest:
        result.unchanged.append(mine.id)
        if base is None or base.hash != ours or base.path != theirs.rel:
            agreed.append((mine.id, ours, theirs.rel))
    elif base is not None and base.hash == ours:
        # The file claims to be the journal's own version, yet says something else.
        by_hand = (theirs.pm.revision, theirs.pm.updated_at) == (mine.revision, mine.updated_at)
        try:
            saved = take_version(store, mine, theirs.pm)
        except ConflictError as error:
            result.failed.append((str(theirs.path), str(error)))
            return
        result.updated.append(mine.id)
        agreed.append((mine.id, theirs.digest, theirs.rel))
        if by_hand:  # the file now says which revision it became, so a teammate takes that very version
            write_atomic(theirs.path, mio.render(saved))
            result.written.append(str(theirs.path))
    elif base is not None and base.hash == theirs.digest:
        write_atomic(theirs.path, mio.render(mine))
        result.written.append(str(theirs.path))
        agreed.append((mine.id, ours, theirs.rel))
    else:
        copy = theirs.path.with_name(f"{theirs.path.name[:-3]}.conflict-{theirs.digest[:8]}.md")
        if not copy.exists():
            write_atomic(copy, theirs.text)
        write_atomic(theirs.path, mio.render(mine))
        result.written.append(str(theirs.path))
        sync_state.add_conflict(store, mine.id, key, str(copy), str(theirs.path), True)
        result.conflicts.append((mine.id, str(copy)))
        agreed.append((mine.id, ours, theirs.rel))


def _only_in_folder(
    store: Store,
    theirs: _FolderCopy,
    base: sync_state.Base | None,
    result: TransferResult,
    agreed: list[tuple[str, str, str]],
) -> None:
    pm = theirs.pm
    if base is None:
        if pm.deleted:
            return  # someone's trash we never had
        store.insert_many([replace(pm, revision=max(pm.revision, 1))])
        result.created.append(pm.id)
        agreed.append((pm.id, theirs.digest, theirs.rel))
    elif base.hash == theirs.digest:
        if not pm.deleted:  # purged here since the last sync: let the deletion travel
            gone = replace(pm, deleted=True)
            write_atomic(theirs.path, mio.render(gone))
            result.written.append(str(theirs.path))
            agreed.append((pm.id, mio.content_hash(gone), theirs.rel))
    else:  # purged here, but changed in the folder since: someone still cares
        store.insert_many([replace(pm, revision=max(pm.revision, 1))])
        result.created.append(pm.id)
        agreed.append((pm.id, theirs.digest, theirs.rel))


def resolve_conflict(store: Store, entry_id: str, keep: str = "journal") -> Changes:
    """Settle a conflict: keep the journal's version, or take the folder's ("folder").

    Keeping the folder's saves it as the newest revision and writes it to the
    folder file. A conflict copy Hindsight wrote is removed either way; an
    imported file that was not kept is left where it is.
    """
    if keep not in ("journal", "folder"):
        raise ValueError(f"keep must be 'journal' or 'folder'; got {keep!r}")
    rows = [c for c in list_conflicts(store) if c.entry_id == entry_id]
    if not rows:
        raise EntryNotFound(f"entry {entry_id[:8]} has no conflict to resolve")
    changes = Changes()
    for conflict in rows:
        other = Path(conflict.path)
        if keep == "folder":
            try:
                parsed = mio.parse_file(other)
            except mio.FormatError as error:
                raise ValueError(f"the folder's version cannot be read: {error}") from None
            mine = store.get(entry_id)
            saved, changed = store.save(replace(parsed.pm, revision=mine.revision))
            changes = changes | changed
            if conflict.main_path:
                main = Path(conflict.main_path)
                write_atomic(main, mio.render(saved))
                rel = os.path.relpath(main, conflict.folder)
                sync_state.set_bases(store, conflict.folder, [(entry_id, mio.content_hash(saved), rel)])
            else:
                sync_state.set_bases(
                    store, conflict.folder, [(entry_id, mio.content_hash(saved), other.name)]
                )
        if conflict.is_copy and ".conflict-" in other.name:
            with contextlib.suppress(FileNotFoundError):
                other.unlink()
        sync_state.drop_conflict(store, entry_id, conflict.folder)
    return changes
