"""Adding and reading entries at the command line: add, list, search, show, demo; text that is not UTF-8."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from journal import cli
from journal import query as q
from journal.markdown import reader as md_reader
from journal.store import Store
from tests.journal.cli.running import add, run


def test_a_query_with_lone_surrogates_is_searched_as_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    journal = str(tmp_path / "j.hindsight")
    run(capsys, "--journal", journal, "add", "--title", "Cold pizza", "--role", "maker")
    for query in ("client:\udcfe", "\udcfe", "pizza \ud800", '"\udcff"'):
        code, _, err = run(capsys, "--journal", journal, "search", query)
        assert code == 0, err
        assert "codec" not in err
    assert q.parse("client:\udcfe").filters[0].value == "\ufffd"


def test_a_title_with_undecodable_bytes_is_saved_with_a_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    journal = str(tmp_path / "j.hindsight")
    code, out, err = run(capsys, "--journal", journal, "add", "--title", "Caf\udce9 order", "--role", "maker",
                         "--tag", "ok", "--tag", "b\udcffd")
    assert code == 0, err
    assert "--title held bytes that are not UTF-8" in err and "--tag held" in err
    with Store.open(Path(journal), create=False) as store:
        pm = store.get(out.strip())
    assert (pm.title, pm.tags) == ("Caf\ufffd order", ["ok", "b\ufffdd"])
    code, out, _ = run(capsys, "--journal", journal, "search", "Caf\udce9")
    assert code == 0 and "Caf\ufffd order" in out


def test_add_then_show_json(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    entry_id = add(
        capsys, jpath, "--title", "Pizza arrived cold", "--role", "receiver", "--client", "Luigi's",
        "--what", "Forty minutes late.", "--occurred-on", "2024-05-01", "--severity", "3",
        "--tag", "food", "--cause", "external", "--emotion", "me:angry:4",
    )
    code, out, _ = run(capsys, "--journal", jpath, "show", entry_id[:8], "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["id"] == entry_id
    assert shown["title"] == "Pizza arrived cold"
    assert shown["role"] == "receiver" and shown["client"] == "Luigi's"
    assert shown["occurred_on"] == "2024-05-01" and shown["severity"] == 3
    assert shown["emotions"] == [{"who": "me", "name": "angry", "intensity": 4, "intensity_now": None}]
    assert shown["revision"] == 1 and set(shown["recovery"]) >= {"apology", "acceptance"}


def test_search_for_only_punctuation_lists_nothing_and_says_why(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    add(capsys, jpath, "--title", "Wrong invoice", "--role", "maker")
    code, out, err = run(capsys, "--journal", jpath, "search", '"((*')
    assert (code, out) == (0, "")
    assert err.strip() == 'nothing to search for in “"((*”: it has no letters or numbers'
    code, out, err = run(capsys, "--journal", jpath, "search", '"((*', "--json")
    assert (code, out.strip()) == (0, "[]") and "nothing to search for" in err


def test_list_and_search_print_summaries(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    add(capsys, jpath, "--title", "Wrong invoice", "--role", "maker", "--client", "Acme")
    add(capsys, jpath, "--title", "Late courier", "--role", "receiver")
    code, out, _ = run(capsys, "--journal", jpath, "list", "--json")
    listed = json.loads(out)
    assert code == 0 and len(listed) == 2
    assert set(listed[0]) == {"id", "title", "occurred_on", "role", "client", "severity", "status"}
    code, out, _ = run(capsys, "--journal", jpath, "search", "client:acme", "--json")
    assert [r["title"] for r in json.loads(out)] == ["Wrong invoice"]
    code, out, _ = run(capsys, "--journal", jpath, "search", "courier")
    assert code == 0 and "Late courier" in out
    code, out, _ = run(capsys, "--journal", jpath, "list", "--limit", "1")
    assert len(out.strip().splitlines()) == 1


def test_search_with_no_match_is_not_an_error(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    Store.open(jpath).close()
    code, out, err = run(capsys, "--journal", jpath, "search", "nothing-here")
    assert code == 0 and out == "" and "no entries match" in err


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--title", "", "--role", "maker"], "title"),
        (["--title", "x", "--role", "bystander"], "role"),
        (["--title", "x", "--role", "maker", "--severity", "9"], "severity"),
        (["--title", "x", "--role", "maker", "--occurred-on", "2025-13-45"], "occurred_on"),
        (["--title", "x", "--role", "maker", "--emotion", "angry"], "--emotion"),
        (["--title", "x", "--role", "maker", "--emotion", "me:angry:9"], "intensity"),
        (["--role", "maker"], "--title"),
    ],
)
def test_bad_input_exits_1_naming_the_field(
    capsys: pytest.CaptureFixture[str], jpath: str, args: list[str], named: str
) -> None:
    code, out, err = run(capsys, "--journal", jpath, "add", *args)
    assert code == 1 and out == ""
    assert named in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_show_unknown_or_ambiguous_id(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    add(capsys, jpath, "--title", "A", "--role", "maker")
    code, _, err = run(capsys, "--journal", jpath, "show", "zzzz")
    assert code == 1 and "no entry" in err


def test_limit_must_be_positive(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    code, _, err = run(capsys, "--journal", jpath, "list", "--limit", "0")
    assert code == 1 and "limit" in err


def test_demo_writes_a_new_journal_and_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "demo.hindsight"
    code, out, _ = run(capsys, "demo", str(path), "--entries", "60", "--seed", "3")
    assert code == 0 and "60" in out
    code, out, _ = run(capsys, "--journal", str(path), "list", "--json", "--limit", "100")
    assert len(json.loads(out)) == 60
    with Store.open(path, create=False) as store:  # freed pages go back to the disk (design-notes)
        assert store.conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2
    code, _, err = run(capsys, "demo", str(path))
    assert code == 1 and "already exists" in err


def test_an_empty_journal_says_how_to_start(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    Store.open(jpath).close()  # a journal with no entries yet (a missing one is "no journal")
    code, out, err = run(capsys, "--journal", jpath, "list")
    assert code == 0 and out == "" and "hindsight add" in err


def test_cli_show_markdown_prints_the_file_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = str(tmp_path / "a.hindsight")
    cli.main(["--journal", journal, "add", "--title", "Shown", "--role", "receiver"])
    entry_id = capsys.readouterr().out.strip()
    assert cli.main(["--journal", journal, "show", entry_id[:8], "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"---\nid: {entry_id}\n") and "\n# Shown\n" in out
    assert md_reader.parse(out, "shown.md").id == entry_id


def test_show_json_holds_hours_to_first_reply(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    known = add(capsys, jpath, "--title", "Slow reply", "--role", "maker")
    unknown = add(capsys, jpath, "--title", "Reply not noted", "--role", "maker")
    with Store.open(jpath) as store:
        store.save(replace(store.get(known), first_response_hours=26.5))
    code, out, _ = run(capsys, "--journal", jpath, "show", known, "--json")
    assert code == 0 and json.loads(out)["first_response_hours"] == 26.5
    code, out, _ = run(capsys, "--journal", jpath, "show", unknown, "--json")
    assert code == 0 and json.loads(out)["first_response_hours"] is None
