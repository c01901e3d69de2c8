"""Export to a folder and to one file: names inside the folder, nothing edited since lost, the one file streamed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from journal.markdown import files as md_files
from journal.markdown import reader as md_reader
from journal.markdown import writer as md_writer
from journal.model import PostMortem
from journal.redact import LeakError, Pseudonyms
from journal.store import Store
from journal.transfer import export
from journal.transfer.export import export_file, export_folder, select_ids
from journal.transfer.importer import import_paths
from tests.journal.pm_strategies import simple


def add(store: Store, *entries: PostMortem) -> list[PostMortem]:
    return [store.save(pm)[0] for pm in entries]


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
    monkeypatch.setattr(export, "CHUNK", 3)  # several reads from the journal
    monkeypatch.setattr(export, "utc_now", lambda: "2026-12-06T07:00:00.000000Z")
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


# --- to a folder -------------------------------------------------------------------------------------


def test_hostile_titles_stay_inside_the_folder_and_colliding_names_both_survive(store: Store, tmp_path: Path) -> None:
    same = "0000aaaa-0000-4000-8000-00000000000"
    entries = add(
        store,
        simple("../../etc/passwd"),
        simple("CON"),
        simple("a/b\\c:d*?"),
        simple("Twin", id=same + "1"),
        simple("Twin", id=same + "2"),
    )
    out = tmp_path / "deep" / "out"
    result = export_folder(store, [e.id for e in entries], out)
    assert not result.failed
    files = sorted(out.iterdir())
    assert len(files) == 5
    assert all(f.parent == out for f in files)
    assert not (tmp_path / "etc").exists()
    with Store.open(tmp_path / "b.hindsight") as other:
        assert len(import_paths(other, [out]).created) == 5


def test_export_does_not_overwrite_a_file_edited_since(store: Store, tmp_path: Path) -> None:
    (pm,) = add(store, simple())
    export_folder(store, [pm.id], tmp_path / "out")
    (path,) = (tmp_path / "out").iterdir()
    path.write_text(path.read_text().replace("## Impact\n", "## Impact\n\nonly in the file\n"))
    store.save(replace(pm, impact="only in the app"))
    result = export_folder(store, [pm.id], tmp_path / "out")
    assert result.failed and "edited since" in result.failed[0][1]
    assert "only in the file" in path.read_text()
    assert export_folder(store, [pm.id], tmp_path / "out2").written  # elsewhere is fine


def test_re_export_rewrites_only_what_changed(store: Store, tmp_path: Path) -> None:
    a, b = add(store, simple("A"), simple("B"))
    export_folder(store, [a.id, b.id], tmp_path / "out")
    store.save(replace(a, impact="new"))
    result = export_folder(store, [a.id, b.id], tmp_path / "out")
    assert (len(result.written), result.unchanged) == (1, [b.id])


def test_re_export_reads_no_file_it_left_as_it_was(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = add(store, simple("A"), simple("B"))
    export_folder(store, [a.id, b.id], tmp_path / "out")
    store.save(replace(a, impact="new"))

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file was parsed")

    monkeypatch.setattr(md_reader, "parse_full", no_parsing)
    result = export_folder(store, [a.id, b.id], tmp_path / "out")
    assert (len(result.written), result.unchanged, result.failed) == (1, [b.id], [])
    monkeypatch.undo()
    assert "new" in next(p for p in (tmp_path / "out").iterdir() if a.id[:8] in p.name).read_text()


def test_one_file_export_has_a_table_of_contents(store: Store, tmp_path: Path) -> None:
    add(store, simple("First", occurred_on="2024-01-01"), simple("Second", occurred_on="2024-02-01"))
    out = tmp_path / "all.md"
    export_file(store, select_ids(store), out)
    text = out.read_text()
    assert "## Contents" in text
    assert text.index("[2024-01-01 — First]") < text.index("[2024-02-01 — Second]")
    assert text.count("## What happened") == 2
    assert import_paths(store, [out]).failed  # for reading, not importing


def test_redacted_export_names_and_text_hold_no_client(store: Store, tmp_path: Path) -> None:
    add(store, simple("Acme Corp lost the file", client="Acme Corp", what_happened="Acme Corp called.\n"))
    export_folder(store, select_ids(store), tmp_path / "r", redact=True)
    export_file(store, select_ids(store), tmp_path / "r.md", redact=True)
    for path in [*(tmp_path / "r").iterdir(), tmp_path / "r.md"]:
        assert "acme" not in path.name.lower()
        assert "acme" not in path.read_text().lower()
        assert "Client A" in path.read_text()


def test_an_export_folder_that_is_a_file_is_reported(store: Store, tmp_path: Path) -> None:
    (pm,) = add(store, simple())
    blocker = tmp_path / "notes"
    blocker.write_text("I am a file")
    result = export_folder(store, [pm.id], blocker)
    assert result.failed and "cannot create the folder" in result.failed[0][1]
    assert blocker.read_text() == "I am a file"
