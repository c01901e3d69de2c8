"""The Follow-ups place in the window: the sidebar line and its count, the desk, back to an entry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journal.model import FollowUp, PostMortem
from journal.store import Store
from tests.ui.conftest import MakeWindow
from ui.browse.sidebar import FOLLOWUPS

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")


def day(offset: int) -> str:
    return (dt.date.today() + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def journal(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "place.hindsight"
    pm = PostMortem.from_dict({"title": "Invoice sent twice", "role": "maker", "client": "Acme"})
    pm.follow_ups = [
        FollowUp(id="aaaa1111", text="Call the billing team", owner="Sam", due_on=day(-2)),
        FollowUp(id="bbbb2222", text="Add a check", status="done", done_on=day(-30), check_on=day(-1)),
        FollowUp(id="cccc3333", text="Write it down", due_on=day(5)),
    ]
    with Store.open(path) as store:
        store.insert_many([pm])
    return path, pm.id


def test_the_sidebar_counts_what_is_due_and_opens_the_desk(
    qtbot: QtBot, make_window: MakeWindow, journal: tuple[Path, str]
) -> None:
    path, entry_id = journal
    window = make_window(path)
    view = window.view
    assert view is not None
    window.show()
    qtbot.waitUntil(lambda: view.sidebar.count_of(FOLLOWUPS) == 2)  # 1 overdue + 1 check due
    window.followups_action.trigger()
    assert view.showing_followups and view.desk is not None
    desk = view.desk
    assert desk.current_item() is not None and desk.current_item().id == "aaaa1111"  # type: ignore[union-attr]
    with qtbot.waitSignal(desk.changed):
        desk.desk_actions["done"].trigger()
    assert view.sidebar.count_of(FOLLOWUPS) == 1
    desk.select("cccc3333")
    desk.desk_actions["open"].trigger()
    assert not view.showing_followups
    assert view.current_entry_id() == entry_id
