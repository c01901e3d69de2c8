"""Reminders: the banner and the once-a-day notification, with the clock driven by the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from journal import followups
from journal.model import FollowUp, PostMortem
from journal.store import Store
from tests.ui.conftest import MakeWindow
from ui.followups.reminders import ReminderBanner, Reminders, next_monday, reminder_text

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")


class Clock:
    def __init__(self, day: str) -> None:
        self.day = day

    def __call__(self) -> str:
        return self.day


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    pm = PostMortem.from_dict({"title": "Invoice sent twice", "role": "maker", "client": "Acme"})
    pm.follow_ups = [
        FollowUp(id="aaaa1111", text="Call the billing team", due_on="2025-06-05"),
        FollowUp(id="bbbb2222", text="Fix the template", due_on="2025-06-08"),
        FollowUp(id="cccc3333", text="Add a check", status="done", done_on="2025-05-01", check_on="2025-06-09"),
    ]
    with Store.open(tmp_path / "r.hindsight") as opened:
        opened.insert_many([pm])
        yield opened


@pytest.fixture
def parts(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> tuple[Reminders, ReminderBanner, Clock, list[tuple[str, str]]]:
    banner = ReminderBanner()
    qtbot.addWidget(banner)
    clock = Clock("2025-06-10")  # a Tuesday
    sent: list[tuple[str, str]] = []
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    reminders = Reminders(store, settings, banner, key="j", notify=lambda t, x: sent.append((t, x)), today=clock)
    return reminders, banner, clock, sent


def test_the_banner_says_what_is_due_and_notifies_once_a_day(
    parts: tuple[Reminders, ReminderBanner, Clock, list[tuple[str, str]]]
) -> None:
    reminders, banner, clock, sent = parts
    reminders.start()
    assert not banner.isHidden()
    assert banner.label.text() == "2 follow-ups overdue, 1 check due."
    assert len(sent) == 1 and "2 follow-ups overdue, 1 check due" in sent[0][1]
    reminders.on_tick()  # same day: nothing new
    reminders.check()
    assert len(sent) == 1
    clock.day = "2025-06-11"  # the next day, still open: it repeats until dealt with
    reminders.on_tick()
    assert len(sent) == 2
    reminders.stop()


def test_dealt_with_the_banner_goes(
    parts: tuple[Reminders, ReminderBanner, Clock, list[tuple[str, str]]], store: Store
) -> None:
    reminders, banner, clock, _ = parts
    reminders.start()
    for ref in ("aaaa1111", "bbbb2222"):
        followups.done(store, ref, today=clock.day)
    followups.check(store, "cccc3333", "held")
    reminders.refresh()
    assert banner.isHidden()
    reminders.stop()


def test_snooze_until_monday_then_it_comes_back(
    parts: tuple[Reminders, ReminderBanner, Clock, list[tuple[str, str]]]
) -> None:
    reminders, banner, clock, sent = parts
    reminders.start()
    banner.snooze_button.click()
    assert banner.isHidden()
    for day in ("2025-06-11", "2025-06-14", "2025-06-15"):
        clock.day = day
        reminders.on_tick()
        assert banner.isHidden(), day
    assert len(sent) == 1
    clock.day = "2025-06-16"  # Monday
    reminders.on_tick()
    assert not banner.isHidden() and len(sent) == 2
    reminders.stop()


def test_not_today_hides_until_tomorrow(parts: tuple[Reminders, ReminderBanner, Clock, list[tuple[str, str]]]) -> None:
    reminders, banner, clock, _ = parts
    reminders.start()
    banner.close_button.click()
    reminders.check()
    assert banner.isHidden()
    clock.day = "2025-06-11"
    reminders.on_tick()
    assert not banner.isHidden()
    reminders.stop()


def test_words_and_mondays() -> None:
    assert reminder_text(1, 0) == "1 follow-up overdue"
    assert reminder_text(0, 3) == "3 checks due"
    assert reminder_text(0, 0) == ""
    assert reminder_text(10_020, 1) == "10,020 follow-ups overdue, 1 check due"  # as the sidebar writes it
    assert next_monday("2025-06-10") == "2025-06-16"
    assert next_monday("2025-06-16") == "2025-06-23"


def test_the_window_shows_the_banner_and_open_the_desk_goes_there(
    qtbot: QtBot, make_window: MakeWindow, store: Store
) -> None:
    window = make_window(store.path)
    window.show()
    banner = window.reminder_banner
    assert not banner.isVisible()  # counted after the window's first paint, which it must not delay
    qtbot.waitUntil(banner.isVisible)
    assert "2 follow-ups overdue, 1 check due" in banner.label.text()
    banner.open_button.click()
    assert window.view is not None and window.view.showing_followups
