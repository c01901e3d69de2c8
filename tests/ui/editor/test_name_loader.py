"""The names offered for completion (clients, accounts, causes, tags) come from the journal, most used first."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal.model import PostMortem
from journal.store import JournalError, Store
from ui.editor.name_loader import NameLoader


def test_the_names_come_from_the_journal_most_used_first(tmp_path: Path) -> None:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        store.save(PostMortem(title="Late quote", client="Acme", causes=["handoff"], tags=["pricing"]))
        store.save(PostMortem(title="Wrong invoice", client="Acme", account="Acme Group", causes=["handoff"]))
        store.save(PostMortem(title="Lost samples", role="receiver", client="Courier Co", tags=["pricing", "q3"]))
    loader = NameLoader(path)
    try:
        names = loader.request().result(timeout=30)
    finally:
        loader.close()
    assert names.clients == ["Acme", "Courier Co"]
    assert set(names.accounts) == {"Acme", "Acme Group", "Courier Co"}
    assert names.causes == ["handoff"]
    assert names.tags == ["pricing", "q3"]


def test_a_journal_that_went_away_is_an_error_and_nothing_is_created(tmp_path: Path) -> None:
    path = tmp_path / "gone.hindsight"
    loader = NameLoader(path)
    try:
        with pytest.raises(JournalError):
            loader.request().result(timeout=30)
    finally:
        loader.close()
    assert not path.exists()
