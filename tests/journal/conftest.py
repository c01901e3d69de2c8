from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from journal.store import Store


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.hindsight"


@pytest.fixture
def store(journal_path: Path) -> Iterator[Store]:
    with Store.open(journal_path) as opened:
        yield opened
