"""The entry editor: one post-mortem on screen, saved as you type, never a word lost.

Saving: every edit restarts a short timer; when typing pauses the form is
collected and handed to an in-order ``ui.background`` lane with its own store
(``hindsight-save``), so a save of a huge entry never freezes the cursor; saves
run in the order they were asked for. ``flush`` saves at once and waits.
Switching entries, clearing and closing flush first; if that cannot be done
(a full disk, a conflict the user put off), the editor stays on the unsaved
entry and says why.

Conflicts: the form remembers the revision it was loaded at. When someone else
saved a newer one, the user chooses (``ask_conflict``, injectable): keep mine
on top, or take theirs after mine has been kept as a separate draft. When the
other save changed nothing the form shows (the entry was only moved to or out
of the trash), the editor simply carries on from the newer revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from journal.changes import Changes
from journal.insight.similar import Draft
from journal.model import TITLE_MAX, PostMortem, new_id
from journal.store import ConflictError, EntryNotFound, JournalError, Store
from journal.transfer import sync_state  # journal.transfer.sync (and the transfer code) only when a conflict is settled
from ui.background import Background, Task, describe
from ui.editor.empty_state import EMPTY_TEXT, style_empty_state
from ui.editor.form import EntryForm
from ui.editor.name_loader import Names, load_names
from ui.editor.preview import UrlOpener
from ui.editor.rows import clean_text
from ui.editor.similar_panel import SimilarPanel
from ui.shell import conflict_dialog
from ui.shell.banners import ConflictBar
from ui.shell.conflict_dialog import Conflict, ConflictChoice, SyncChoice
from ui.theme import use_stylesheet

if TYPE_CHECKING:  # imported when a conflict is shown, not to start the app
    from journal.transfer.conflict_diff import ConflictDiff

AUTOSAVE_MS = 700  # after the last keystroke; a save then takes well under 300 ms even for 5 MB
SIMILAR_MS = 600  # "you have seen this before" is looked up once typing pauses this long
NAMES_MAX_AGE_S = 60.0
MY_VERSION = " (my unsaved version)"
THEIR_VERSION = " (version saved elsewhere)"
BEFORE_FOLDER = " (my version before the team folder's)"



SaveResult = tuple[PostMortem, Changes]


def save_entry(task: Task, pm: PostMortem) -> SaveResult:
    """Runs on the save lane: a 5 MB narrative takes about 0.2 s to save (mostly FTS5 indexing)."""
    return task.store.save(pm)


@dataclass
class _Pending:
    request: int
    edits: int  # how many edits the saved form contained
    pm: PostMortem
    future: Future[SaveResult]


def _same_content(a: PostMortem, b: PostMortem) -> bool:
    """Equal in everything a person wrote (not in revision, timestamps or the trash flag)."""
    ignore = {"revision": 0, "created_at": "", "updated_at": "", "deleted": False}
    return replace(a, **ignore) == replace(b, **ignore)  # type: ignore[arg-type]


class EntryEditor(QWidget):
    """Shows one entry from ``store`` and saves every change to it."""

    saved = Signal(object)  # journal.changes.Changes after each successful save
    status_changed = Signal(str)  # "Saved", "Saving…", "Could not save: …"
    open_requested = Signal(str)  # a similar entry was clicked: the shell opens it (after this one is saved)
    conflict_resolved = Signal()  # a sync conflict was settled here: the sidebar's Conflicts count changes

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._saves = Background(self, "hindsight-save", journal=store.path, passphrase=store.passphrase,
                                 keep_store=True, newest_wins=False)
        self.ask_conflict: Callable[[QWidget | None, Conflict], ConflictChoice] = conflict_dialog.ask
        self.compare_conflict: Callable[[QWidget | None, ConflictDiff, bool], SyncChoice] = conflict_dialog.compare
        self._base: PostMortem | None = None  # the version the form started from (last loaded or saved)
        self._is_new = False  # a draft not in the journal yet
        self._edits = 0
        self._saved_edits = 0
        self._pending: _Pending | None = None
        self._requests = 0
        self._save_again = False
        self._resolving = False
        self._status = ""
        self._names = Background(self, "hindsight-names", journal=store.path, passphrase=store.passphrase,
                                 keep_store=True)
        self._names_loaded_at: float | None = None

        use_stylesheet(self, "editor")
        self.form = EntryForm()
        self.similar = SimilarPanel(store.path)
        self.similar.setObjectName("similarPanel")
        self.similar.setAccessibleName("You have seen this before")
        self.form.add_aside(self.similar)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.form)
        self.form.setMaximumWidth(900)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Notice")
        self.notice.hide()
        self.empty = QLabel(EMPTY_TEXT)
        style_empty_state(self.empty)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.scroll_area)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.conflict_bar = ConflictBar()
        layout.addWidget(self.conflict_bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.pages)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self._autosave)
        self.form.changed.connect(self._on_edit)
        self._similar_timer = QTimer(self)
        self._similar_timer.setSingleShot(True)
        self._similar_timer.setInterval(SIMILAR_MS)
        self._similar_timer.timeout.connect(self._look_up_similar)
        self.similar.open_requested.connect(self.open_requested)
        self.conflict_bar.keep_mine_clicked.connect(self.keep_journal_version)
        self.conflict_bar.take_folder_clicked.connect(self.take_folder_version)
        self.conflict_bar.compare_clicked.connect(self.compare_versions)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_quit)

    # --- the interface the window uses ----------------------------------------------------

    def load(self, entry_id: str) -> None:
        """Show the entry ``entry_id``, after saving the pending edits of the one on screen."""
        if not self._leave():
            return
        try:
            pm = self._store.get(entry_id)
        except EntryNotFound:
            self._show_nothing()
            self._set_status("That entry is no longer in the journal")
            return
        except JournalError as error:
            self._show_nothing()
            self._set_status(f"Could not open the entry: {error}")
            return
        self._show(pm, is_new=False)

    def new_entry(self, role: str = "maker") -> None:
        """A fresh draft; it joins the journal once it has a title."""
        if not self._leave():
            return
        self._show(PostMortem(title="", role="receiver" if role == "receiver" else "maker"), is_new=True)
        self.form.title.setFocus()

    def flush(self) -> bool:
        """Save pending edits now and wait for it; False (with the reason shown) if they could not be saved."""
        return self._flush()

    def current_id(self) -> str | None:
        """The id of the entry on screen; None when nothing is shown or a new draft has no title yet."""
        if self._base is None or self._is_new:
            return None
        return self._base.id

    def clear(self) -> None:
        """Show nothing (e.g. the entry was trashed), after saving pending edits."""
        if self._leave():
            self._show_nothing()

    # --- extras for the window and tests --------------------------------------------------------

    @property
    def autosave_ms(self) -> int:
        return self._timer.interval()

    @autosave_ms.setter
    def autosave_ms(self, value: int) -> None:
        self._timer.setInterval(value)

    def set_link_opener(self, open_url: UrlOpener) -> None:
        """Where a clicked http(s)/mailto link in a preview goes (the system browser by default)."""
        self.form.set_open_url(open_url)

    def has_unsaved_changes(self) -> bool:
        return self._base is not None and self._edits != self._saved_edits

    def status(self) -> str:
        return self._status

    def shutdown(self) -> None:
        """Save what is pending and stop the save thread (the window calls this when it closes)."""
        self._flush(fallback_title=self._untitled_title())
        self._similar_timer.stop()
        self.similar.wait()
        self._saves.stop()
        self._names.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    # --- showing ------------------------------------------------------------------------------

    def _show(self, pm: PostMortem, *, is_new: bool) -> None:
        self._timer.stop()
        self._base = pm
        self._is_new = is_new
        self._edits = self._saved_edits = 0
        self._save_again = False
        self._refresh_names()
        self.form.set_entry(pm)
        self.notice.hide()
        self.pages.setCurrentWidget(self.scroll_area)
        self.scroll_area.verticalScrollBar().setValue(0)
        self.similar.clear()
        self._similar_timer.start()
        self._show_conflict(pm)

    def _show_nothing(self) -> None:
        self._timer.stop()
        self._base = None
        self._is_new = False
        self._edits = self._saved_edits = 0
        self.notice.hide()
        self.pages.setCurrentWidget(self.empty)
        self.conflict_bar.hide()
        self._similar_timer.stop()
        self.similar.clear()

    def _refresh_names(self) -> None:
        """Ask for fresh completion names when they are older than a minute or our saves changed them."""
        now = dt.datetime.now().timestamp()
        fresh = self._names_loaded_at is not None and now - self._names_loaded_at < NAMES_MAX_AGE_S
        if fresh or self._names.busy:
            return
        self._names_loaded_at = now
        self._names.submit(lambda task: load_names(task.store), on_result=self._on_names, on_error=self._names_failed)

    def _on_names(self, names: Names) -> None:
        self.form.set_suggestions(names.clients, names.accounts, names.causes, names.tags)

    def _names_failed(self, _message: str) -> None:
        self._names_loaded_at = None  # completion is a convenience: try again on the next entry

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def _set_status(self, text: str) -> None:
        if text != self._status:
            self._status = text
            self.status_changed.emit(text)

    @staticmethod
    def _untitled_title() -> str:
        return f"Untitled draft, {dt.datetime.now():%Y-%m-%d %H:%M}"

    # --- saving -------------------------------------------------------------------------------

    def _on_edit(self) -> None:
        if self._base is None:
            return
        self._edits += 1
        self._timer.start()
        self._similar_timer.start()

    def draft(self) -> Draft:
        """What the form says so far, looked up exactly as ``hindsight similar`` looks up a saved entry."""
        assert self._base is not None
        form = self.form
        return Draft.of(replace(
            self._base,
            title=" ".join(clean_text(form.title.text()).splitlines()).strip(),
            what_happened=clean_text(form.what_happened.text()),
            impact=clean_text(form.impact.text()),
            contributing_factors=clean_text(form.contributing_factors.text()),
            client=clean_text(form.client.text()).strip(),
            account=clean_text(form.account.text()).strip(),
            causes=form.causes.labels(),
            tags=form.tags.labels(),
            occurred_on=form.occurred_on.date().toString("yyyy-MM-dd"),
        ))

    def _look_up_similar(self) -> None:
        if self._base is not None:
            self.similar.set_draft(self.draft())
            self.similar.look_up_now()

    def _autosave(self) -> None:
        if self._base is None or self._resolving:
            return
        if self._pending is not None:
            self._save_again = True  # saved as soon as the running save is done
            return
        self._start_save()

    def _start_save(self, *, fallback_title: str = "") -> bool:
        """Hand the form to the save thread; False when it cannot be saved (the reason is shown)."""
        assert self._base is not None
        base = self._base
        pm, _problems = self.form.collect(base, is_new=self._is_new, fallback_title=fallback_title)
        if pm is None:
            self._set_status("Not saved yet: give it a title")
            return False
        if self._is_new and not self.form.title.text().strip():
            ignore = {"title": "", "role": "maker"}
            if replace(pm, **ignore) == replace(base, **ignore):  # type: ignore[arg-type]
                self._saved_edits = self._edits  # typed and erased again: no entry to create
                return True
        if fallback_title and pm.title == fallback_title:
            self._show_notice(f"This draft had no title, so it was saved as “{fallback_title}”. Rename it any time.")
        self._requests += 1
        request = self._requests
        future = self._saves.submit(lambda task: save_entry(task, pm),
                                    on_result=lambda _saved: self._on_save_done(request),
                                    on_error=lambda _message: self._on_save_done(request))
        self._pending = _Pending(request, self._edits, pm, future)
        self._set_status("Saving…")
        return True

    def _on_save_done(self, request: int) -> None:
        if self._pending is not None and self._pending.request == request:
            self._finish_pending()

    def _finish_pending(self) -> bool:
        """Take the running save's result (waiting for it if needed); False if it failed."""
        pending = self._pending
        assert pending is not None
        self._pending = None
        try:
            saved, changes = pending.future.result()
        except ConflictError:
            return self._resolve_conflict(pending)
        except Exception as error:  # the lane logged a bug's traceback; the text stays on screen, unsaved
            self._set_status(f"Could not save: {describe(error)}")
            return False
        self._after_save(saved, changes, pending.edits)
        return True

    def _after_save(self, saved: PostMortem, changes: Changes, edits: int) -> None:
        base = self._base
        names = ("client", "account", "causes", "tags")
        if base is None or any(getattr(base, n) != getattr(saved, n) for n in names):
            self._names_loaded_at = None
        self._base = saved
        self._is_new = False
        self._saved_edits = edits
        self.saved.emit(changes)
        if not self.has_unsaved_changes():
            self._set_status("Saved")
        elif self._save_again or not self._timer.isActive():
            self._save_again = False
            self._start_save()

    def _flush(self, *, fallback_title: str = "") -> bool:
        self._timer.stop()
        while True:
            if self._pending is not None:
                if not self._finish_pending():
                    return False
                continue
            if not self.has_unsaved_changes():
                return True
            if not self._start_save(fallback_title=fallback_title):
                return False

    def _leave(self) -> bool:
        """Save before the form shows something else; False keeps the unsaved entry on screen."""
        if self._base is None:
            return True
        if self._flush(fallback_title=self._untitled_title()):
            return True
        self._show_notice(
            "Your latest changes are not saved yet, so this entry stays open. "
            f"{self._status.rstrip('.')}. Your text is still here; try again in a moment."
        )
        return False

    def _on_quit(self) -> None:
        self.shutdown()

    # --- sync conflicts (the entry changed here and in a team folder) ------------------------------------

    def _sync_conflicts(self, entry_id: str) -> list[sync_state.Conflict]:
        try:
            return [c for c in sync_state.list_conflicts(self._store) if c.entry_id == entry_id]
        except JournalError:
            return []

    def _show_conflict(self, pm: PostMortem) -> None:
        found = self._sync_conflicts(pm.id) if not self._is_new else []
        if found:
            self.conflict_bar.show_for(Path(found[0].path).name)
        else:
            self.conflict_bar.hide()

    def compare_versions(self) -> None:
        """"Compare…": both versions field by field, then keep one, or edit here and keep that."""
        if self._base is None or not self._flush():  # the journal's side is what the form shows
            return
        found = self._sync_conflicts(self._base.id)
        if not found:
            self.conflict_bar.hide()
            return
        try:
            from journal.transfer.conflict_diff import conflict_diff  # here: the Markdown parser only for a conflict

            diff = conflict_diff(self._store, found[0])
        except (JournalError, ValueError, OSError) as error:
            self._show_notice(f"The folder's version cannot be read ({error}); keep yours to settle the conflict.")
            return
        choice = self.compare_conflict(self, diff, True)
        if choice == "journal":
            self.keep_journal_version()
        elif choice == "folder":
            self.take_folder_version()
        elif choice == "edit":
            self._show_notice(
                "Change the entry as you want it kept, then press “Keep mine”. "
                "“Compare…” shows the folder's version again until then."
            )

    def keep_journal_version(self) -> None:
        """"Keep mine": the journal's version stays; the folder gets it at the next sync."""
        if self._base is None or not self._flush():
            return
        from journal.transfer import sync

        try:
            settled = sync.settle(self._store, self._base.id, keep="journal")
        except (JournalError, ValueError, OSError) as error:
            self._show_notice(f"The conflict could not be settled: {error}")
            return
        self.conflict_bar.hide()
        if settled.changes:
            self.saved.emit(settled.changes)
        self.conflict_resolved.emit()
        self._set_status("Kept your version")
        if settled.left:
            path, why = settled.left[0]
            self._show_notice(f"Kept your version. {Path(path).name} was left in the team folder: {why}.")

    def take_folder_version(self) -> None:
        """"Take the folder's version": shown and saved as the newest; the journal's is kept as a draft."""
        if self._base is None or not self._flush():
            return
        entry_id = self._base.id
        kept = self._keep_aside(self._base, BEFORE_FOLDER)
        if kept is None:
            self._show_notice("Nothing was changed: your version could not be kept aside first.")
            return
        self.saved.emit(kept[1])
        from journal.transfer import sync

        try:
            changes = sync.settle(self._store, entry_id, keep="folder").changes
            pm = self._store.get(entry_id)
        except (JournalError, ValueError, OSError) as error:
            self._show_notice(f"The folder's version could not be taken: {error}. Yours is unchanged.")
            return
        self._show(pm, is_new=False)
        if changes:
            self.saved.emit(changes)
        self.conflict_resolved.emit()
        self._show_notice(f"Showing the team folder's version. Yours is kept as a separate draft, “{kept[0].title}”.")

    # --- conflicts --------------------------------------------------------------------------------

    def _resolve_conflict(self, pending: _Pending) -> bool:
        assert self._base is not None
        try:
            theirs = self._store.get(pending.pm.id)
        except EntryNotFound:
            # Emptied from the trash elsewhere: keep the words by saving them again as a new entry.
            self._base = replace(self._base, revision=0, created_at="", deleted=False)
            self._show_notice("This entry was removed from the journal elsewhere; what you see was saved again.")
            return self._start_save()
        except JournalError as error:
            self._set_status(f"Could not save: {error}")
            return False
        if _same_content(theirs, self._base):
            # Only its revision or trash flag moved (e.g. trashed from the list): nothing of theirs to lose.
            self._base = replace(self._base, revision=theirs.revision, deleted=theirs.deleted)
            return self._start_save()

        self._timer.stop()
        self._resolving = True
        try:
            choice = self.ask_conflict(
                self,
                Conflict(
                    title=pending.pm.title,
                    my_revision=self._base.revision,
                    their_revision=theirs.revision,
                    their_updated_at=theirs.updated_at,
                    their_title=theirs.title,
                ),
            )
        finally:
            self._resolving = False
        if choice == "mine":
            return self._keep_mine(theirs)
        if choice == "theirs":
            return self._take_theirs(theirs, pending.pm)
        self._set_status("Not saved: this entry changed elsewhere; edit again or save to choose")
        return False

    def _keep_aside(self, pm: PostMortem, suffix: str) -> tuple[PostMortem, Changes] | None:
        """Save ``pm`` as a new draft entry titled with ``suffix``; None (reason shown) if that failed."""
        title = pm.title[: TITLE_MAX - len(suffix)].rstrip() + suffix
        copy = replace(
            pm,
            id=new_id(),
            title=title,
            status="draft",
            revision=0,
            created_at="",
            updated_at="",
            deleted=False,
            follow_ups=[replace(f, id=new_id()) for f in pm.follow_ups],
            review_notes=[replace(n, id=new_id()) for n in pm.review_notes],
        )
        try:
            return self._saves.submit(lambda task: save_entry(task, copy)).result()
        except Exception as error:  # the lane logged a bug's traceback
            self._set_status(f"Could not save: {describe(error)}")
            return None

    def _keep_mine(self, theirs: PostMortem) -> bool:
        """Their version becomes a separate draft; the form is saved on top of it as the newest revision."""
        assert self._base is not None
        kept = self._keep_aside(theirs, THEIR_VERSION)
        if kept is None:
            self._show_notice("Nothing was saved: the other version could not be kept aside. Your text is still here.")
            return False
        self.saved.emit(kept[1])
        self._show_notice(f"Your version is saved. The one saved elsewhere is kept as a draft, “{kept[0].title}”.")
        # Rebase rather than force: a third save made while the dialog was up is asked about too.
        self._base = replace(self._base, revision=theirs.revision, deleted=theirs.deleted)
        return self._start_save()

    def _take_theirs(self, theirs: PostMortem, fallback: PostMortem) -> bool:
        """Keep the form as a new draft entry, then show their version."""
        assert self._base is not None
        mine, _problems = self.form.collect(self._base, is_new=False)
        kept = self._keep_aside(mine or fallback, MY_VERSION)
        if kept is None:
            self._show_notice("Their version is not shown: yours could not be kept aside. Your text is still here.")
            return False
        self._show(theirs, is_new=False)
        self.saved.emit(kept[1])
        self._show_notice(f"Showing the version saved elsewhere. Yours is kept as a separate draft, “{kept[0].title}”.")
        self._set_status("Saved")
        return True
