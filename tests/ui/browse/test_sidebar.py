"""The sidebar: a line per status, place, client and account, with counts; a click filters the list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from pytestqt.qtbot import QtBot

from journal import query as q
from ui.browse.query_runner import Counts
from ui.browse.sidebar import ALL, CONFLICTS, FOLLOWUPS, PATTERNS, TRASH, Sidebar, ViewFilter

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")

COUNTS = Counts(
    statuses={"all": 6, "draft": 1, "open": 2, "resolved": 2, "reviewed": 1, "trash": 1},
    clients=[("Acme", 4), ("Courier Co", 2)],
    accounts=[("acme", 4), ("Northern Group", 3)],
)


@pytest.fixture
def sidebar(qtbot: QtBot) -> Sidebar:
    widget = Sidebar(lambda name: QIcon())
    qtbot.addWidget(widget)
    widget.set_counts(COUNTS)
    return widget


def lines(sidebar: Sidebar) -> list[str]:
    return [sidebar.item(row).text() for row in range(sidebar.count())]


def spoken(sidebar: Sidebar, text: str) -> str:
    item = next(sidebar.item(r) for r in range(sidebar.count()) if sidebar.item(r).text() == text)
    return str(item.data(Qt.ItemDataRole.AccessibleTextRole))


def test_a_line_adds_its_filter_to_the_search() -> None:
    assert ViewFilter("status", "open").filters() == (q.Filter("status", "=", "open"),)
    assert ViewFilter("client", "Acme").filters() == (q.Filter("client", "=", "Acme"),)
    assert ALL.filters() == TRASH.filters() == PATTERNS.filters() == ()
    assert TRASH.trash and not ALL.trash
    assert (ViewFilter("status", "draft").label, ViewFilter("account", "Northern Group").label) == (
        "Drafts", "Northern Group"
    )


def test_statuses_then_places_then_clients_and_accounts_not_named_twice(sidebar: Sidebar) -> None:
    assert lines(sidebar) == [
        "All entries", "Drafts", "Open", "Resolved", "Reviewed", "Trash", "Patterns", "Follow-ups",
        "CLIENTS", "Acme", "Courier Co", "ACCOUNTS", "Northern Group",
    ]  # the account "acme" is the client Acme: listed once
    assert sidebar.count_of(ViewFilter("status", "open")) == 2
    assert sidebar.count_of(ViewFilter("client", "Acme")) == 4
    assert sidebar.count_of(PATTERNS) is None and sidebar.count_of(FOLLOWUPS) is None
    assert spoken(sidebar, "Reviewed") == "Reviewed, 1 entry" and spoken(sidebar, "Acme") == "Acme, 4 entries"


def test_follow_ups_due_are_counted_only_when_there_are_some(sidebar: Sidebar) -> None:
    sidebar.set_followups_due(3)
    assert sidebar.count_of(FOLLOWUPS) == 3 and spoken(sidebar, "Follow-ups") == "Follow-ups, 3 due"
    sidebar.set_followups_due(0)
    assert sidebar.count_of(FOLLOWUPS) is None


def test_a_click_chooses_a_line_and_a_second_click_is_said_apart(sidebar: Sidebar, qtbot: QtBot) -> None:
    acme = ViewFilter("client", "Acme")
    with qtbot.waitSignal(sidebar.filter_chosen) as chosen, qtbot.assertNotEmitted(sidebar.reselected):
        sidebar.select(acme)
    assert chosen.args == [acme] and sidebar.current_filter == acme
    with qtbot.waitSignal(sidebar.reselected) as again, qtbot.assertNotEmitted(sidebar.filter_chosen):
        sidebar.select(acme)
    assert again.args == [acme]


def test_conflicts_show_while_there_are_some_and_while_looked_at(sidebar: Sidebar) -> None:
    assert "Conflicts" not in lines(sidebar)
    sidebar.set_counts(Counts(statuses=COUNTS.statuses, conflicts=["id-1", "id-2"]))
    assert sidebar.count_of(CONFLICTS) == 2
    sidebar.select(CONFLICTS)
    sidebar.set_counts(Counts(statuses=COUNTS.statuses))  # all settled while the person looks at the line
    assert sidebar.count_of(CONFLICTS) == 0 and sidebar.current_filter == CONFLICTS


def test_the_client_looked_at_stays_when_its_last_entry_goes(sidebar: Sidebar) -> None:
    courier = ViewFilter("client", "Courier Co")
    sidebar.select(courier)
    sidebar.set_counts(Counts(statuses=COUNTS.statuses, clients=[("Acme", 4)]))
    assert sidebar.count_of(courier) == 0 and sidebar.currentItem().text() == "Courier Co"
