"""Reminders: a quiet banner (and one system notification a day) when follow-ups are overdue or checks due.

No background service and no network: the window asks the journal on start and
again when the day changes while it is open. "Snooze until Monday" and "not
today" are kept in the settings, per journal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QPushButton, QToolButton, QWidget

from journal import followups
from journal.model import today as _today
from journal.store import JournalError, Store
from ui.shell.banners import _Bar

CHECK_EVERY_MS = 30 * 60 * 1000  # the day can change while the window is open: look twice an hour
Notify = Callable[[str, str], None]


def reminder_text(overdue: int, checks: int) -> str:
    """"2 follow-ups overdue, 1 check due" (empty when nothing is due)."""
    parts = []
    if overdue:
        parts.append(f"{overdue:,} follow-up{'s' if overdue != 1 else ''} overdue")
    if checks:
        parts.append(f"{checks:,} check{'s' if checks != 1 else ''} due")
    return ", ".join(parts)


def next_monday(day: str) -> str:
    """The Monday after ``day`` (a week on when ``day`` is a Monday)."""
    date = dt.date.fromisoformat(day)
    return (date + dt.timedelta(days=7 - date.weekday())).isoformat()


class ReminderBanner(_Bar):
    """"2 follow-ups overdue, 1 check due — [Open the desk] [Snooze until Monday] ×"."""

    open_clicked = Signal()
    snooze_clicked = Signal()
    dismiss_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("reminderBanner", parent)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setAccessibleName("Follow-up reminder")
        self.open_button = QPushButton("Open the desk", self)
        self.open_button.setObjectName("reminderOpen")
        self.open_button.setToolTip("Show the Follow-ups desk (Ctrl+Shift+U)")
        self.snooze_button = QPushButton("Snooze until Monday", self)
        self.snooze_button.setObjectName("reminderSnooze")
        self.snooze_button.setToolTip("No reminder before Monday; it comes back then if something is still due")
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName("Not today")
        self.close_button.setToolTip("Hide until tomorrow")
        for widget in (self.open_button, self.snooze_button, self.close_button):
            self.row.addWidget(widget)
        self.open_button.clicked.connect(self.open_clicked)
        self.snooze_button.clicked.connect(self.snooze_clicked)
        self.close_button.clicked.connect(self.dismiss_clicked)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()


def tray_notifier(parent: QObject) -> Notify | None:
    """A system notification through the desktop's tray, where it has one (None: it has not)."""
    from PySide6.QtWidgets import QSystemTrayIcon  # asked once reminders start, after the first paint

    if not QSystemTrayIcon.isSystemTrayAvailable() or not QSystemTrayIcon.supportsMessages():
        return None
    from ui.icons import app_icon

    tray = QSystemTrayIcon(app_icon(), parent)
    tray.setToolTip("Hindsight")

    def notify(title: str, text: str) -> None:
        tray.show()
        tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)

    return notify


class Reminders(QObject):
    """Decides when the banner shows and the notification goes out; the clock is injected (``today``)."""

    open_desk = Signal()

    def __init__(
        self,
        store: Store,
        settings: QSettings,
        banner: ReminderBanner,
        *,
        key: str,
        notify: Notify | None = None,
        today: Callable[[], str] = _today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.banner = banner
        self.notify = notify
        self.today = today
        self._prefix = f"journals/{key}/reminders"
        self._checked_on = ""
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.on_tick)
        banner.open_clicked.connect(self.open_desk)
        banner.snooze_clicked.connect(self.snooze)
        banner.dismiss_clicked.connect(self.dismiss)

    def start(self) -> None:
        self.check()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.banner.hide()

    def _setting(self, name: str) -> str:
        value = self.settings.value(f"{self._prefix}/{name}", "")
        return value if isinstance(value, str) else ""

    def on_tick(self) -> None:
        """Once a day while open: only a new day asks again."""
        if self.today() != self._checked_on:
            self.check()

    def check(self) -> None:
        """Show (or hide) the banner for what is due today; notify once a day."""
        today = self.today()
        self._checked_on = today
        try:
            overdue, checks = followups.due_counts(self.store, today)
        except JournalError:
            return
        text = reminder_text(overdue, checks)
        quiet = self._setting("snoozed_until") > today or self._setting("dismissed_on") == today
        if not text or quiet:
            self.banner.hide()
            return
        self.banner.label.setText(f"{text}.")
        self.banner.show()
        if self.notify is not None and self._setting("notified_on") != today:
            self.settings.setValue(f"{self._prefix}/notified_on", today)
            self.notify("Hindsight: follow-ups", f"{text}. Open Hindsight's Follow-ups desk to deal with them.")

    def refresh(self) -> None:
        """After a change in the journal: the banner goes once nothing is due (never re-notifies)."""
        if self.banner.isVisible():
            notify, self.notify = self.notify, None
            self.check()
            self.notify = notify

    def snooze(self) -> None:
        self.settings.setValue(f"{self._prefix}/snoozed_until", next_monday(self.today()))
        self.banner.hide()

    def dismiss(self) -> None:
        self.settings.setValue(f"{self._prefix}/dismissed_on", self.today())
        self.banner.hide()
