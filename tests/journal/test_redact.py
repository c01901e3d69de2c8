"""Redaction that fails closed: every known name and its parts go, non-names stay, a leak writes nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from journal import cli, demo, model, redact
from journal.markdown import writer as md_writer
from journal.model import PostMortem
from journal.redact import LeakError, LeakScan, Pseudonyms, fold, name_parts
from journal.store import Store
from journal.transfer.export import export_file, export_folder, select_ids
from tests.journal.pm_strategies import EVERY_FIELD, simple


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "j.hindsight") as s:
        yield s


def add(store: Store, *entries: PostMortem) -> list[PostMortem]:
    return [store.save(pm)[0] for pm in entries]


def northwind(**changes: Any) -> PostMortem:
    """Client Northwind Dental Group; follow-up owner Priya Sharma; review note by Ruth Okafor."""
    data: dict[str, Any] = {
        "client": "Northwind Dental Group",
        "follow_ups": [{"text": "Resend the pack", "owner": "Priya Sharma", "due_on": "2024-05-10"}],
        "review_notes": [{"author": "Ruth Okafor", "text": "ok", "written_at": "2024-05-02T10:00:00Z"}],
    }
    data.update(changes)
    return simple(**data)


def redacted_text(store: Store, pm: PostMortem) -> str:
    pseudonyms = Pseudonyms.for_export(store, [pm.id])
    return md_writer.render(pseudonyms.entry(pm), redacted=True)


# What the issue saw leak, each in the field it was written in.
LEAKS = [
    ("title", "Priya forgot the attachment", "Priya"),
    ("what_happened", "Priya sent it late.\n", "Priya"),
    ("what_happened", "Northwind's CMO called.\n", "Northwind"),
    ("what_happened", "NORTHWIND called.\n", "Northwind"),
    ("impact", "Nörthwind lost a day.\n", "Northwind"),
    ("impact", "The Northwind-Dental team waited.\n", "Northwind"),
    ("contributing_factors", "Priya’s inbox was full.\n", "Priya"),
    ("contributing_factors", "Sharma was away.\n", "Sharma"),
    ("lessons", ["Call Priya before sending"], "Priya"),
    ("tags", ["northwind"], "Northwind"),
    ("causes", ["priya-handoff"], "Priya"),
    ("breadsticks", {"offered": "A visit to Northwind", "kind": "personal_visit"}, "Northwind"),
    ("recovery", {"apology": {"state": "done", "note": "Ruth called them"}}, "Ruth"),
]


@pytest.mark.parametrize(("field", "value", "name"), LEAKS)
def test_a_name_part_is_replaced_in_every_field(store: Store, field: str, value: Any, name: str) -> None:
    (pm,) = add(store, northwind(**{field: value}))
    text = redacted_text(store, pm)
    assert fold(name) not in fold(text)
    assert "Client A" in text or "Person " in text


def test_a_part_takes_the_pseudonym_of_its_whole(store: Store) -> None:
    (pm,) = add(store, northwind(what_happened="Priya Sharma wrote; later Priya wrote again; Northwind's CMO.\n"))
    shown = Pseudonyms.for_export(store, [pm.id]).entry(pm)
    assert shown.client == "Client A"
    assert shown.follow_ups[0].owner == "Person A"
    assert shown.what_happened == "Person A wrote; later Person A wrote again; Client A's CMO.\n"


def test_words_that_are_not_names_are_never_replaced(store: Store) -> None:
    (pm,) = add(store, simple(
        what_happened="They asked me to resend; I did it myself, and we told the team and the client.\n",
        follow_ups=[{"text": "Resend", "owner": "me"}, {"text": "Review", "owner": "the team"},
                    {"text": "Check", "owner": "I"}],
    ))
    shown = Pseudonyms.for_export(store, [pm.id]).entry(pm)
    assert shown.what_happened == pm.what_happened
    assert [f.owner for f in shown.follow_ups] == ["me", "the team", "I"]


def test_generic_company_words_are_not_parts_but_distinctive_ones_are() -> None:
    assert name_parts("Northwind Dental Group") == ["northwind"]
    assert name_parts("Priya Sharma") == ["priya", "sharma"]
    assert name_parts("Sam (ops)") == ["sam"]
    assert name_parts("Bright Ideas Ltd") == ["bright", "ideas"]  # fail closed: common words go too
    assert name_parts("me") == name_parts("the team") == []


def test_a_name_inside_another_word_is_left_alone() -> None:
    pseudonyms = Pseudonyms()
    pseudonyms.add("Ann Lee", "Person")
    assert pseudonyms.text("Ann sent the annual report to Lee; ANN agreed.") == (
        "Person A sent the annual report to Person A; Person A agreed."
    )


def test_the_preview_marks_each_replacement(store: Store) -> None:
    (pm,) = add(store, northwind(what_happened="Priya called Northwind.\n"))
    preview = redact.preview(store, [pm.id])
    assert preview is not None and preview.entry_id == pm.id
    assert ("Priya", "Person A") in preview.replaced and ("Northwind", "Client A") in preview.replaced
    assert ("Person A", "Priya") in preview.pieces()
    assert "".join(text for text, _ in preview.pieces()) == md_writer.render_body(
        Pseudonyms.for_export(store, [pm.id]).entry(pm), redacted=True
    )


# --- names come from the whole journal -----------------------------------------------------------


def test_names_of_entries_not_exported_are_replaced_too(store: Store, tmp_path: Path) -> None:
    other, shared = add(
        store,
        simple("Other", client="Kestrel Freight", follow_ups=[{"text": "x", "owner": "Tomás Ruiz"}]),
        simple("Tomas and Kestrel", client="Acme Corp", what_happened="Tomás asked Kestrel.\n"),
    )
    store.trash([other.id])  # the trash too
    export_folder(store, [shared.id], tmp_path / "out", redact=True)
    (written,) = (tmp_path / "out").iterdir()
    assert "kestrel" not in fold(written.read_text()) and "tomas" not in fold(written.read_text())
    assert "kestrel" not in written.name and "tomas" not in written.name


def test_file_names_are_redacted(store: Store, tmp_path: Path) -> None:
    add(store, northwind(title="Priya's late reply to Northwind"))
    export_folder(store, select_ids(store), tmp_path / "out", redact=True)
    (written,) = (tmp_path / "out").iterdir()
    assert written.name.startswith("2024-05-01-person-a-s-late-reply-to-client-a-")


# --- fail closed ---------------------------------------------------------------------------------


def missing_priya(monkeypatch: pytest.MonkeyPatch) -> None:
    """Break the replacer: it no longer knows the word "Priya" (the scan must still)."""
    real = Pseudonyms._replace

    def broken(self: Pseudonyms, value: str, mark: bool) -> str:
        return real(self, value.replace("Priya", "\0"), mark).replace("\0", "Priya")

    monkeypatch.setattr(Pseudonyms, "_replace", broken)


def test_a_leak_writes_nothing_and_names_entry_and_field(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clean, leaky = add(store, northwind(title="Clean"), northwind(title="Leaky", what_happened="Priya called.\n"))
    missing_priya(monkeypatch)
    with pytest.raises(LeakError) as raised:
        export_folder(store, select_ids(store), tmp_path / "out", redact=True)
    assert [str(leak) for leak in raised.value.leaks] == [
        f"redaction left 'Priya' in entry {leaky.id[:8]} field what_happened; nothing was written"
    ]
    assert not (tmp_path / "out").exists()
    with pytest.raises(LeakError):
        export_file(store, select_ids(store), tmp_path / "all.md", redact=True)
    assert not (tmp_path / "all.md").exists()


def test_a_leak_in_the_title_is_named_for_the_file_name_too(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (pm,) = add(store, northwind(title="Priya was late"))
    missing_priya(monkeypatch)
    with pytest.raises(LeakError) as raised:
        export_folder(store, [pm.id], tmp_path / "out", redact=True)
    assert {leak.field for leak in raised.value.leaks} == {"title", "file name"}


def test_a_leak_into_a_folder_already_holding_an_export_changes_nothing_there(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (pm,) = add(store, northwind())
    export_folder(store, [pm.id], tmp_path / "out", redact=True)
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    store.save(md_writer.with_metadata_of(northwind(id=pm.id, what_happened="Priya called.\n"), store.get(pm.id)))
    missing_priya(monkeypatch)
    with pytest.raises(LeakError):
        export_folder(store, [pm.id], tmp_path / "out", redact=True)
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before


def test_the_command_line_prints_one_line_per_leak_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = tmp_path / "j.hindsight"
    with Store.open(journal) as s:
        first, second = add(s, northwind(lessons=["Ask Priya"]), northwind(impact="Priya waited.\n"))
    missing_priya(monkeypatch)
    for target in (["--out-dir", str(tmp_path / "out")], ["--out", str(tmp_path / "all.md")]):
        code = cli.main(["--journal", str(journal), "export", *target, "--redact"])
        out, err = capsys.readouterr()
        assert code == 1 and out == ""
        assert sorted(err.splitlines()) == sorted([
            f"hindsight: redaction left 'Priya' in entry {first.id[:8]} field lessons.1; nothing was written",
            f"hindsight: redaction left 'Priya' in entry {second.id[:8]} field impact; nothing was written",
        ])
    assert not (tmp_path / "out").exists() and not (tmp_path / "all.md").exists()


def test_the_scan_sees_through_case_diacritics_and_pseudonyms() -> None:
    scan = LeakScan(["Priya Sharma", "Northwind Dental Group", "me", "AB Foods"])
    assert scan("Client AB met PRIYA and Nörthwind’s CMO; me and the dental group") == ["Priya", "Northwind"]
    assert scan("Person A and Client B") == []


# --- the demo journal: a leak scan over a whole redacted export -----------------------------------


def test_a_redacted_export_of_the_demo_journal_holds_no_known_name(store: Store, tmp_path: Path) -> None:
    demo.populate(store, entries=300, seed=11)
    export_folder(store, select_ids(store), tmp_path / "out", redact=True)
    export_file(store, select_ids(store), tmp_path / "all.md", redact=True)
    parts = {part for _, name in redact.known_names(store) for part in name_parts(name)}
    assert {"priya", "brightwater", "kestrel", "ostfold", "ruth"} <= parts  # the scan knows what to look for
    files = [*(tmp_path / "out").iterdir(), tmp_path / "all.md"]
    assert len(files) == 301
    hits = [
        (path.name, word)
        for path in files
        for word in redact.WORD.findall(fold(path.name + "\n" + path.read_text(encoding="utf-8")))
        if word in parts
    ]
    assert hits == []
    owners_me = sum(f.owner == "me" for pm in store.iter_entries() for f in pm.follow_ups)
    mine = sum(text.count("— me") for text in (p.read_text(encoding="utf-8") for p in files[:-1]))
    assert owners_me and mine >= owners_me  # "me" is kept as the owner, not turned into a person


def test_the_redacted_export_leaves_private_files_alone(store: Store, tmp_path: Path) -> None:
    add(store, northwind(reflection="I felt awful about Priya"))
    export_folder(store, select_ids(store), tmp_path / "out", redact=True)
    (written,) = os.listdir(tmp_path / "out")
    assert "awful" not in (tmp_path / "out" / written).read_text()


def test_progress_only_moves_forward_and_cancel_while_checking_writes_nothing(store: Store, tmp_path: Path) -> None:
    demo.populate(store, entries=600, seed=3)
    seen: list[tuple[int, int]] = []
    export_folder(store, select_ids(store), tmp_path / "out", redact=True, progress=lambda d, t: seen.append((d, t)))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1] == (600, 600)
    result = export_folder(store, select_ids(store), tmp_path / "other", redact=True, cancelled=lambda: True)
    assert result.cancelled and not (tmp_path / "other").exists()


def test_in_a_script_written_without_spaces_a_name_is_found_inside_words() -> None:
    pseudonyms = Pseudonyms()
    pseudonyms.add("王伟", "Person")
    pseudonyms.add("Priya Sharma", "Person")
    assert pseudonyms.text("王伟说他会打电话给Priya。") == "Person A说他会打电话给Person B。"
    assert LeakScan(pseudonyms.names())("昨天王伟说") == ["王伟"]


@pytest.mark.parametrize(
    "written",
    ["i̇lker said so", "Pri\u00adya said so", "Pri\u200bya said so", "ZOE\u0308 said so", "Ｐｒｉｙａ said so"],
)
def test_invisible_and_combining_characters_do_not_hide_a_name(written: str) -> None:
    pseudonyms = Pseudonyms()
    for name in ("İlker Demir", "Priya Sharma", "Zoë Adams"):
        pseudonyms.add(name, "Person")
    out = pseudonyms.text(written)
    assert out.endswith(" said so") and out.startswith("Person ")
    assert LeakScan(pseudonyms.names())(out) == []


# --- what the field table says is private ------------------------------------------------------------


def _rich() -> PostMortem:
    return PostMortem.from_dict(EVERY_FIELD)


def test_every_field_the_table_marks_private_is_left_out_and_every_other_kept() -> None:
    pm = _rich()
    shown = Pseudonyms().entry(pm)
    for name, spec in model.TABLE.items():
        if spec.private:
            assert getattr(pm, name) != model.field_default(name), f"the sample leaves {name} empty"
            assert getattr(shown, name) == model.field_default(name), name
        elif not spec.names and name != "follow_ups":  # follow-up owners get pseudonyms
            assert getattr(shown, name) == getattr(pm, name), name


def test_a_field_declared_private_is_left_out_without_a_word_in_redact(monkeypatch: pytest.MonkeyPatch) -> None:
    pm = _rich()
    for name in ("lessons", "impact", "tags"):
        monkeypatch.setitem(model.TABLE, name, replace(model.TABLE[name], private=True))
    shown = Pseudonyms().entry(pm)
    assert (shown.lessons, shown.impact, shown.tags) == ([], "", [])
    assert shown.what_happened == pm.what_happened


def test_names_inside_other_words_are_left_alone() -> None:
    pseudonyms = Pseudonyms()
    pseudonyms.add("Ann", "Person")
    text = pseudonyms.text("Ann sent the annual report; ANN agreed.")
    assert text == "Person A sent the annual report; Person A agreed."
