"""Long exports and imports spread over helper processes report exactly what one process would."""

from __future__ import annotations

import operator
import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from journal import demo
from journal.store import Store
from journal.transfer import workers
from journal.transfer.export import export_folder, select_ids
from journal.transfer.importer import import_paths
from journal.transfer.result import TransferResult


@pytest.fixture
def helpers_from_two(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[workers.Helpers]]:
    """Helpers for any job of two or more items, as on a machine with two cores; yields those used."""
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(workers, "cores", lambda: 2)
    used: list[workers.Helpers] = []

    class Watched(workers.Helpers):
        def __enter__(self) -> workers.Helpers:
            used.append(self)
            return super().__enter__()

    monkeypatch.setattr(workers, "Helpers", Watched)
    yield used


def test_results_come_back_in_chunk_order_from_helpers_and_from_here() -> None:
    chunks = list(range(40))
    seen: list[tuple[int, int]] = []
    with workers.Helpers(1) as helpers:
        finished = helpers.run(chunks, abs, lambda i, r: seen.append((i, r)), local=partial(operator.mul, 1))
    assert finished
    assert seen == [(i, i) for i in chunks]


def test_cancel_starts_no_new_chunk_and_reports_the_ones_under_way() -> None:
    seen: list[int] = []
    with workers.Helpers(1) as helpers:
        finished = helpers.run(list(range(100)), abs, lambda i, r: seen.append(r), cancelled=lambda: len(seen) >= 3)
    assert not finished
    assert 3 <= len(seen) < 100
    assert seen == list(range(len(seen)))  # nothing skipped in between


def _die(chunk: int) -> int:
    os._exit(9)  # as the out-of-memory killer would end it


def test_a_helper_that_dies_ends_the_job_with_a_clear_error_not_a_wait() -> None:
    seen: list[int] = []
    stopped = pytest.raises(workers.HelperStopped, match="helper process stopped before the work was done")
    with stopped, workers.Helpers(1) as helpers:
        helpers.run(list(range(10)), _die, lambda i, r: seen.append(r))
    assert seen == []


def test_without_helpers_everything_runs_here() -> None:
    seen: list[int] = []
    with workers.Helpers(0) as helpers:
        assert helpers.run([1, -2, 3], abs, lambda i, r: seen.append(r))
    assert seen == [1, 2, 3]


def test_small_jobs_get_no_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "cores", lambda: 8)
    assert workers.helper_count(workers.PARALLEL_FROM - 1) == 0
    assert workers.helper_count(workers.PARALLEL_FROM) == workers.MAX_HELPERS
    monkeypatch.setattr(workers, "cores", lambda: 2)
    assert workers.helper_count(10**6) == 1  # this process takes chunks too
    assert workers.helper_count(10**6, busy_here=False) == 2  # this process only writes the journal
    monkeypatch.setattr(workers, "cores", lambda: 1)
    assert workers.helper_count(10**6) == 0
    assert workers.helper_count(10**6, busy_here=False) == 0


@pytest.mark.parametrize("count", [0, 1, 7, 60, 2001])
@pytest.mark.parametrize("helpers", [0, 1, 3])
def test_chunks_hold_every_item_once_in_order_and_end_small(count: int, helpers: int) -> None:
    items = list(range(count))
    chunks = workers.cut(items, 250, helpers)
    assert [item for chunk in chunks for item in chunk] == items
    assert all(chunks) and all(len(chunk) <= 250 for chunk in chunks)
    if helpers and count > 250:
        assert len(chunks[-1]) == 50  # the processes finish within a small chunk of each other


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _shape(result: TransferResult) -> tuple[object, ...]:
    return (result.created, result.updated, result.unchanged, result.written, result.conflicts, result.failed,
            result.warnings, result.cancelled)


def test_export_and_import_with_helpers_match_one_process(
    tmp_path: Path, helpers_from_two: list[workers.Helpers], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("journal.transfer.export.EXPORT_CHUNK", 7)
    monkeypatch.setattr("journal.transfer.importer.IMPORT_CHUNK", 5)
    with Store.open(tmp_path / "source.hindsight") as store:
        demo.populate(store, entries=60, seed=3)
        ids = select_ids(store)
        progress: list[tuple[int, int]] = []
        together = export_folder(store, ids, tmp_path / "together", progress=lambda d, t: progress.append((d, t)))
        monkeypatch.setattr(workers, "PARALLEL_FROM", 10**9)
        alone = export_folder(store, ids, tmp_path / "alone")
    assert [h.count for h in helpers_from_two] == [1, 0]
    assert _files(tmp_path / "together") == _files(tmp_path / "alone")
    assert len(together.written) == 60 and not together.failed
    assert [Path(p).name for p in together.written] == [Path(p).name for p in alone.written]
    assert progress[-1] == (60, 60) and [d for d, _ in progress] == sorted(d for d, _ in progress)

    (tmp_path / "together" / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    with Store.open(tmp_path / "alone.hindsight") as first:
        one = import_paths(first, [tmp_path / "together"])
        monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
        with Store.open(tmp_path / "together.hindsight") as second:
            many = import_paths(second, [tmp_path / "together"])
            chunks = len(workers.cut(range(61), 5, 2))
            # This process reads only while the helpers start; they read the rest.
            assert helpers_from_two[-1].count == 2 and 0 < helpers_from_two[-1].helped <= chunks
            assert _shape(many) == _shape(one)
            assert len(many.created) == 60 and [Path(p).name for p, _ in many.failed] == ["broken.md"]
            assert list(second.iter_entries()) == list(first.iter_entries())
