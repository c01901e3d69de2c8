"""The one-file export, written entry by entry: the same bytes as before, and nothing left on a leak."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from journal import transfer
from journal.markdown import files as md_files
from journal.markdown import writer as md_writer
from journal.redact import LeakError, Pseudonyms
from journal.store import Store
from journal.transfer import export_file, select_ids
from tests.journal.pm_strategies import simple


def whole_text(store: Store, ids: Sequence[str], title: str, redact: bool, day: str) -> str:
    """The file as the export built it before it streamed: one string, header and every entry."""
    pseudonyms = Pseudonyms.for_export(store, ids) if redact else None
    toc: list[str] = []
    parts: list[str] = []
    for pm in store.get_many(list(ids)):
        shown = pseudonyms.entry(pm) if pseudonyms else pm
        anchor = f"entry-{pm.id[:8]}"
        toc.append(f"{len(toc) + 1}. [{shown.occurred_on} — {md_files.escape_inline(shown.title)}](#{anchor})")
        parts.append(f'<a id="{anchor}"></a>\n\n{md_writer.render_body(shown, redacted=redact)}')
    header = [md_writer.COMBINED_MARKER, "", f"# {title}", "",
              f"{len(parts)} entries{' (redacted)' if redact else ''}, exported {day}.", "",
              "## Contents", "", *toc, ""]
    return "\n".join(header) + "".join(f"\n---\n\n{part}" for part in parts)


@pytest.mark.parametrize("redact", [False, True])
def test_the_streamed_file_holds_the_same_bytes_as_the_whole_text(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, redact: bool
) -> None:
    monkeypatch.setattr(transfer, "CHUNK", 3)  # several reads from the journal
    monkeypatch.setattr(transfer, "utc_now", lambda: "2026-12-06T07:00:00.000000Z")
    for number in range(8):
        store.save(simple(f"Entry {number} — “quoted” ünïcode", occurred_on=f"2024-0{number + 1}-01",
                          what_happened=f"Line one of {number}.\n\nLine two, with *emphasis*.\n"))
    ids = select_ids(store)
    out = tmp_path / "all.md"
    result = export_file(store, ids, out, redact=redact, title="Our post-mortems")
    assert not result.failed and len(result.written) == 8
    assert out.read_bytes() == whole_text(store, ids, "Our post-mortems", redact, "2026-12-06").encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "a.hindsight" and "hindsight" not in p.name) == [
        "all.md"
    ]


def test_a_leak_found_late_leaves_no_file_and_no_temporary_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(5):
        store.save(simple(f"Entry {number}", client="Northwind Traders"))
    out = tmp_path / "out" / "all.md"
    out.parent.mkdir()
    out.write_text("the export of last week\n")
    real = Pseudonyms.entry
    seen: list[str] = []

    def leaky_last(self: Pseudonyms, pm: object) -> object:
        shown = real(self, pm)  # type: ignore[arg-type]
        seen.append(shown.id)
        if len(seen) == 5:  # the last entry, after four were written to the temporary file
            from dataclasses import replace

            return replace(shown, what_happened="Northwind Traders called.\n")
        return shown

    monkeypatch.setattr(Pseudonyms, "entry", leaky_last)
    with pytest.raises(LeakError) as raised:
        export_file(store, select_ids(store), out, redact=True, replace=True)
    assert {leak.field for leak in raised.value.leaks} == {"what_happened"}
    assert out.read_text() == "the export of last week\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["all.md"]


def test_cancel_leaves_no_file_and_no_temporary_file(store: Store, tmp_path: Path) -> None:
    for number in range(3):
        store.save(simple(f"Entry {number}"))
    out = tmp_path / "out" / "all.md"
    out.parent.mkdir()
    asked: list[int] = []

    def cancel_second() -> bool:
        asked.append(1)
        return len(asked) >= 2

    result = export_file(store, select_ids(store), out, cancelled=cancel_second)
    assert result.cancelled
    assert list(out.parent.iterdir()) == []
