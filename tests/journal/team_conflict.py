"""A sync conflict made as people make one: two journals, one team folder, the same entry edited on both."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from journal.store import Store
from journal.transfer import sync
from tests.journal.pm_strategies import simple


@dataclass
class TeamConflict:
    mine: Path  # the journal that found the conflict (it kept its own version)
    theirs: Path  # the teammate's journal, whose version is in the conflict copy
    folder: Path
    entry_id: str


def make_conflict(root: Path) -> TeamConflict:
    """Alice and Bob share ``root/team``; both edit one entry; Bob syncs last and meets the conflict."""
    folder = root / "team"
    alice_path, bob_path = root / "alice.hindsight", root / "bob.hindsight"
    with Store.open(alice_path) as alice, Store.open(bob_path) as bob:
        pm = alice.save(simple("Quote sent with old rates", what_happened="I sent the quote.\nIt had old rates.\n",
                               severity=2, tags=["quotes"]))[0]
        sync.sync_folder(alice, folder)
        sync.sync_folder(bob, folder)
        alice.save(replace(alice.get(pm.id), what_happened="I sent the quote on Friday.\nIt had old rates.\n",
                           severity=3))
        bob.save(replace(bob.get(pm.id), what_happened="I sent the quote.\nIt had the 2023 rates.\n",
                         tags=["quotes", "pricing"]))
        sync.sync_folder(alice, folder)
        result = sync.sync_folder(bob, folder)
        assert [c[0] for c in result.conflicts] == [pm.id]
    return TeamConflict(bob_path, alice_path, folder, pm.id)
