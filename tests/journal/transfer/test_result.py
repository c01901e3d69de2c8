"""What an export, import or sync reports: its one summary line, its warnings grouped by kind, its chunks."""

from __future__ import annotations

from pathlib import Path

from journal.store import Store
from journal.transfer.result import TransferResult, entries_in_chunks, never, no_progress, warning_lines
from tests.journal.pm_strategies import simple


def test_each_operation_sums_itself_up_in_one_line() -> None:
    exported = TransferResult("export", written=["a", "b"], unchanged=["c"], failed=[("x.md", "why")])
    assert exported.summary_line() == "exported 3: 2 written, 1 unchanged, 0 conflicts, 1 failed"
    imported = TransferResult("import", created=["a"], updated=["b"], unchanged=["c"], conflicts=[("d", "both")])
    assert imported.summary_line() == "imported 4: 1 created, 1 updated, 1 unchanged, 1 conflicts, 0 failed"
    synced = TransferResult("sync", created=["a"], written=["b", "c"], compared=10, cancelled=True)
    assert synced.summary_line() == (
        "synced 10: 1 created, 0 updated, 0 unchanged, 2 written to the folder, 0 conflicts, 0 failed (cancelled)"
    )


def test_a_kind_of_warning_only_one_file_has_names_that_file() -> None:
    lines = warning_lines([("a.md", "`url` kept in the text"), ("b.md", "`x` kept in the text"),
                           ("b.md", "`follow_ups[0].p` kept in the text"),
                           ("c.md", "`follow_ups[3].p` kept in the text")])
    assert lines == ["a.md: `url` kept in the text", "b.md: `x` kept in the text",
                     "2 files: `follow_ups[…].p` kept in the text"]
    many = warning_lines([(f"{i}.md", f"`k{i}` kept in the text") for i in range(30)], limit=5)
    assert many[-1] == "… and 25 more kinds of warning" and len(many) == 6

def test_kept_sections_of_many_files_are_added_up_in_one_line() -> None:
    lines = warning_lines([("a.md", "kept 2 unknown sections in What happened"),
                           ("b.md", "kept 1 unknown section in What happened")])
    assert lines == ["2 files: kept 3 unknown sections in What happened"]


def test_entries_come_in_chunks_in_the_order_asked(tmp_path: Path) -> None:
    with Store.open(tmp_path / "j.hindsight") as store:
        ids = [store.save(simple(f"Entry {i}"))[0].id for i in range(5)]
        assert [pm.id for pm in entries_in_chunks(store, ids, size=2)] == ids
        assert list(entries_in_chunks(store, [])) == []


def test_a_run_nobody_watches_is_never_cancelled() -> None:
    assert never() is False
    assert no_progress(1, 2) is None
