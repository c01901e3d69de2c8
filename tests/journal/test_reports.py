"""Account review packets: the summary an account team reads, and what stays the author's own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from journal import redact, reports
from journal.cli import main
from journal.model import Breadsticks, Emotion, FollowUp, PostMortem, RecoveryStep, ReviewNote, default_recovery
from journal.store import Store


def _entry(title: str, occurred_on: str, **kw: object) -> PostMortem:
    data: dict[str, object] = {"client": "Acme Corp", "status": "open", "role": "maker"}
    data.update(kw)
    return PostMortem(title=title, occurred_on=occurred_on, **data)  # type: ignore[arg-type]


def _skipped(*steps: str) -> dict[str, RecoveryStep]:
    recovery = default_recovery()
    for step in steps:
        recovery[step] = RecoveryStep("skipped", "")
    return recovery


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        store.insert_many(
            [
                _entry("Missed the launch call", "2024-03-02", severity=4, causes=["handoff", "capacity"],
                       recovery=_skipped("apology", "compensation"),
                       breadsticks=Breadsticks(offered="A month free", kind="refund", cost=200, currency="EUR",
                                               accepted="yes"),
                       emotions=[Emotion("me", "ashamed", 4)], reflection="I felt sick all evening.",
                       response_style="self_blamed",
                       follow_ups=[FollowUp(text="Shared calendar for launches", owner="Dana",
                                            due_on="2024-03-20", status="done", done_on="2024-03-18",
                                            check_on="2024-05-01", check_result="recurred")],
                       review_notes=[ReviewNote(author="Lee", text="Talk to Acme Corp ops about handoffs")]),
                _entry("Invoice sent twice", "2024-01-10", severity=2, causes=["handoff"],
                       recovery=_skipped("apology"),
                       breadsticks=Breadsticks(offered="Discount", kind="discount", cost=50, currency="EUR",
                                               accepted="no"),
                       follow_ups=[FollowUp(text="Check invoices", owner="Sam", due_on="2024-02-01")]),
                _entry("Their API broke our import", "2024-05-05", role="receiver", account="acme corp",
                       client="Acme Hosting", severity=3),
                _entry("Outside the period", "2023-12-31", severity=1),
                _entry("Another client", "2024-02-02", client="Globex"),
            ]
        )
    return path


def test_summary_counts_what_the_team_reads_first(acme: Path) -> None:
    with Store.open(acme, create=False) as store:
        review = reports.account_review(store, "ACME corp", "2024-01-01", "2025-01-01", today_is="2024-06-01")
    assert [pm.title for pm in review.entries] == [
        "Invoice sent twice", "Missed the launch call", "Their API broke our import"
    ]  # oldest first; the receiver entry matches through its account
    assert review.by_severity == {1: 0, 2: 1, 3: 1, 4: 1, 5: 0}
    assert review.by_role == {"maker": 2, "receiver": 1}
    assert review.recurring_causes == [("handoff", 2)]
    assert review.most_skipped_step == ("apology", 2)
    assert (review.make_goods_offered, review.make_goods_accepted, review.make_goods_refused) == (2, 1, 1)
    assert review.cost_offered == {"EUR": 250} and review.cost_accepted == {"EUR": 200}
    assert (review.followups_open, review.followups_overdue, review.followups_done) == (1, 1, 1)
    assert [f.text for f in review.fixes_not_held] == ["Shared calendar for launches"]


def test_dates_after_inclusive_before_exclusive(acme: Path) -> None:
    with Store.open(acme, create=False) as store:
        review = reports.account_review(store, "Acme Corp", "2024-01-10", "2024-03-02")
    assert [pm.title for pm in review.entries] == ["Invoice sent twice"]
    assert review.period_text == "2024-01-10 to 2024-03-01"
    assert reports.date_bound("2024-03", "before") == "2024-03-01"
    with pytest.raises(ValueError, match="--after takes a date"):
        reports.date_bound("next tue", "after")


def test_packet_leaves_out_the_authors_own_notes_unless_private(acme: Path) -> None:
    with Store.open(acme, create=False) as store:
        shared = reports.render_markdown(reports.account_review(store, "acme corp"))
        private = reports.render_markdown(reports.account_review(store, "acme corp", private=True))
    for text in (shared, private):
        assert text.startswith("# Account review: Acme Corp\n")
        assert "### 1. Outside the period" in text and "Talk to Acme Corp ops" in text
        assert "- [x] Shared calendar for launches — Dana, due 2024-03-20" in text
    assert "I felt sick" not in shared and "ashamed" not in shared and "blamed myself" not in shared
    assert "I felt sick all evening." in private and "ashamed 4 of 5" in private and "blamed myself" in private


def test_redacted_packet_uses_pseudonyms_everywhere(acme: Path) -> None:
    with Store.open(acme, create=False) as store:
        text = reports.render_markdown(reports.account_review(store, "acme corp", redact=True))
    assert "# Account review: Client A" in text
    assert "Acme" not in text and "Dana" not in text and "I felt sick" not in text
    with Store.open(acme, create=False) as store, pytest.raises(ValueError, match="contradict"):
        reports.account_review(store, "acme corp", redact=True, private=True)


def test_unknown_account_suggests_the_closest(acme: Path) -> None:
    with Store.open(acme, create=False) as store, pytest.raises(reports.UnknownAccount, match='"Acme Corp"'):
        reports.account_review(store, "Acme Crop")


def test_cli_writes_markdown_and_refuses_what_it_must(acme: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "acme.md"
    j = ["--journal", str(acme)]
    assert main([*j, "review", "acme corp", "--after", "2024", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "**Entries:** 3, 0 reviewed" in text and "I felt sick" not in text
    assert main([*j, "review", "acme corp", "--out", str(out)]) == 1
    assert "already exists; add --force" in capsys.readouterr().err
    assert main([*j, "review", "acme corp", "--out", str(out), "--force", "--private"]) == 0
    assert "I felt sick" in out.read_text(encoding="utf-8")
    missing = tmp_path / "none.md"
    assert main([*j, "review", "Initech", "--out", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Initech" in err and not missing.exists()
    disguised = tmp_path / "journal-copy.md"
    shutil.copyfile(acme, disguised)  # a journal under a Markdown name is still never replaced
    assert main([*j, "review", "acme corp", "--out", str(disguised), "--force"]) == 1
    assert "is a Hindsight journal" in capsys.readouterr().err
    assert main([*j, "review", "acme corp", "--out", str(acme)]) == 1
    assert "must end in .md or .pdf" in capsys.readouterr().err
    empty = tmp_path / "empty.md"
    assert main([*j, "review", "globex", "--after", "2025-01-01", "--out", str(empty)]) == 0
    assert "No entries for Globex in this period." in empty.read_text(encoding="utf-8")
    assert main([*j, "review", "acme corp", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "PDF" in capsys.readouterr().err
    assert main(["--journal", str(tmp_path / "nope.hindsight"), "review", "x", "--out", str(empty)]) == 1
    assert not (tmp_path / "nope.hindsight").exists()


def test_patterns_are_scoped_to_the_account(tmp_path: Path) -> None:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        store.insert_many(
            [_entry(f"Slip {i}", f"2024-01-{i + 1:02d}", causes=["handoff"]) for i in range(8)]
            + [_entry(f"Other {i}", f"2024-02-{i + 1:02d}", client="Globex", causes=["tooling"]) for i in range(8)]
        )
        review = reports.account_review(store, "acme corp")
    assert review.patterns
    evidence = {e for p in review.patterns for e in p.evidence}
    assert evidence <= {pm.id for pm in review.entries}


def test_a_quote_in_the_account_name_still_gives_a_packet(tmp_path: Path) -> None:
    with Store.open(tmp_path / "j.hindsight") as store:
        store.insert_many([_entry(f"Slip {i}", f"2024-01-{i + 1:02d}", client='The "Best" Bakery') for i in range(6)])
        review = reports.account_review(store, 'the "best" bakery')
    text = reports.render_markdown(review)
    assert len(review.entries) == 6 and "holds a double quote" in text


def test_a_redacted_packet_still_holding_a_name_is_refused(acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def scan(names: list[str]) -> object:
        seen.append(list(names))
        return lambda text: ["Dana"] if "Client A" in text else []  # as if a replacement had missed her

    monkeypatch.setattr(redact, "LeakScan", scan, raising=False)
    with Store.open(acme, create=False) as store:
        review = reports.account_review(store, "acme corp", redact=True)
        with pytest.raises(ValueError, match="redaction left 'Dana' in the packet; nothing was written"):
            reports.render_markdown(review)
        reports.render_markdown(reports.account_review(store, "acme corp"))  # not redacted: not scanned
    assert len(seen) == 1 and {"Acme Corp", "Dana", "Lee"} <= set(seen[0])
