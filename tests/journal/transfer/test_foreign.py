"""Markdown from other tools (Obsidian notes, Jekyll posts, an incident archive) imports with no word lost."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from journal.markdown import files as md_files
from journal.markdown import reader as md_reader
from journal.markdown import writer as md_writer
from journal.model import PostMortem
from journal.store import Store
from journal.transfer import foreign
from journal.transfer.importer import import_paths
from journal.transfer.result import warning_lines
from tests.journal.pm_strategies import simple

SAMPLES = Path(__file__).parents[1] / "samples"
SAMPLE_FILES = sorted(SAMPLES.rglob("*.md"))


def all_text(pm: PostMortem) -> str:
    """Every text an entry holds, where a person would find a word again."""
    return "\n".join(
        [
            pm.title, pm.client, pm.account, pm.occurred_on, pm.what_happened, pm.impact,
            pm.contributing_factors, pm.reflection, pm.breadsticks.offered, pm.breadsticks.wished_for,
            *pm.tags, *pm.causes, *pm.lessons, *(f.text for f in pm.follow_ups),
        ]
    )


def words_lost(path: Path, pm: PostMortem) -> list[str]:
    """The non-empty lines of the file's body, and the front-matter values, that the entry does not hold.

    A heading line counts as kept when it became the title or names a field; a front-matter value when
    it is in the text, in the tags, the client, or (a date) the day it happened.
    """
    text = path.read_text(encoding="utf-8")
    front, body = text.split("---\n", 2)[1:] if text.startswith("---\n") else ("", text)
    held = all_text(pm)
    lost = []
    for line in body.split("\n"):
        line = line.strip()
        if not line or line in held:
            continue
        ours = (pm.title, *md_writer.SECTIONS, *md_writer.BREADSTICK_SECTIONS)
        if line.startswith("#") and line.lstrip("#").strip() in ours:
            continue  # the title, or a heading of Hindsight's own that names the field the text went to
        lost.append(line)
    for key, value in (yaml.safe_load(front) or {}).items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if foreign.date_part(item) == pm.occurred_on:
                continue  # the day it happened
            shown = foreign.shown(item).strip()
            if not shown:
                continue
            parts = [shown] if key not in ("tags", "categories", "keywords") else (foreign.labels(item) or [])
            for part in parts:
                if part.strip() not in held and all(line.strip() not in held for line in part.split("\n")):
                    lost.append(f"{key}: {part}")
    return lost


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[p.name for p in SAMPLE_FILES])
def test_no_word_of_another_tools_file_is_lost(path: Path) -> None:
    parsed = md_files.parse_file(path)
    assert words_lost(path, parsed.pm) == []
    assert parsed.pm.status == "draft"


def test_the_checker_would_notice_a_lost_line() -> None:
    path = SAMPLES / "incidents" / "webhooks-2021.md"
    pm = md_files.parse_file(path).pm
    cut = pm.what_happened.replace("Engineers rolled back the dispatcher", "")
    assert words_lost(path, PostMortem.from_dict({**pm.to_dict(), "what_happened": cut})) == [
        "Engineers rolled back the dispatcher at 16:40 and the backlog drained by 17:10."
    ]


def test_an_incident_archive_maps_its_dates_tags_client_and_keeps_summary_and_url() -> None:
    parsed = md_files.parse_file(SAMPLES / "incidents" / "webhooks-2021.md")
    pm = parsed.pm
    assert (pm.title, pm.occurred_on, pm.client, pm.tags) == (
        "Webhook deliveries delayed for four hours", "2021-08-17", "Ledgerly", ["payments", "queues"]
    )
    assert pm.what_happened.startswith(
        "**Summary:** Payment webhooks to merchants were delayed because a queue consumer stalled.\n\n"
        "At 13:05 UTC a deploy"
    )
    assert "\n# Detection\n" in pm.what_happened and "\n## Follow-up actions\n" in pm.what_happened
    assert pm.what_happened.endswith(
        "**Other fields**\n\n- url: https://status.example.org/incidents/8841\n- severity_label: major\n"
    )
    assert "kept 4 unknown sections in What happened" in parsed.warnings
    assert "`summary` kept in the text" in parsed.warnings
    assert "`url` kept in the text" in parsed.warnings
    assert "`start_time` read as occurred_on" in parsed.warnings


def test_a_multi_line_description_and_a_timezone_date_are_read() -> None:
    pm = md_files.parse_file(SAMPLES / "incidents" / "cdn-config-2022.md").pm
    assert (pm.occurred_on, pm.client, pm.tags) == ("2022-02-09", "Shopfront Co", ["cdn", "outage"])
    assert pm.what_happened.startswith(
        "**Description:**\n\nA malformed rule in a CDN configuration push returned errors for all requests.\n"
    )


def test_no_title_takes_the_first_heading_and_drops_only_that_line() -> None:
    pm = md_files.parse_file(SAMPLES / "incidents" / "no-title-db-failover.md").pm
    assert pm.title == "Database failover left replicas behind"
    assert "# Database failover" not in pm.what_happened
    assert pm.what_happened.startswith("**Summary:** The primary database failed over")


def test_a_jekyll_post_reads_its_date_with_offset_and_space_separated_categories() -> None:
    parsed = md_files.parse_file(SAMPLES / "jekyll" / "2019-05-03-backup-restore-drill.md")
    pm = parsed.pm
    assert (pm.occurred_on, pm.tags) == ("2019-05-03", ["incident", "postmortem"])
    assert pm.title == "The backup restore drill that restored nothing"
    assert "- layout: post\n- permalink: /2019/05/03/backup-restore-drill/\n" in pm.what_happened
    assert "- comments: true" in pm.what_happened


def test_an_obsidian_note_keeps_wikilinks_inline_tags_and_aliases() -> None:
    parsed = md_files.parse_file(SAMPLES / "obsidian" / "Missed handover to night shift.md")
    pm = parsed.pm
    assert (pm.title, pm.occurred_on, pm.tags) == ("Missed handover to night shift", "2024-03-12", ["handoff", "ops"])
    assert pm.what_happened.startswith("Quick note written right after the call with [[Dana Ruiz]]. #followup\n\n")
    assert "- aliases: Night shift miss, The Tuesday handover" in pm.what_happened
    assert "kept 3 unknown sections in What happened" in parsed.warnings
    daily = md_files.parse_file(SAMPLES / "obsidian" / "daily-2024-05-02.md").pm
    assert daily.tags == ["demo", "prep"]  # Obsidian's "#prep" is the tag prep


def test_hindsights_own_keys_win_over_the_mapped_ones() -> None:
    text = (
        "---\ntitle: T\noccurred_on: 2024-01-02\ndate: 2023-05-06\nclient: Ours\ncompany: Theirs\n"
        "tags: [a]\ncategories: [b, a]\n---\nBody.\n"
    )
    pm = md_reader.parse(text, "t.md")
    assert (pm.occurred_on, pm.client, pm.tags) == ("2024-01-02", "Ours", ["a", "b"])
    assert "- date: 2023-05-06\n- company: Theirs\n" in pm.what_happened


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2019-05-03 10:00:00 +0200", "2019-05-03"),
        ("2021-08-17T13:05:00Z", "2021-08-17"),
        ("2021-08-17T23:59:59.123+05:30", "2021-08-17"),
        ("2022-02-09 08:31", "2022-02-09"),
        (dt.datetime(2020, 1, 2, 3, 4), "2020-01-02"),
        (dt.date(2020, 1, 2), "2020-01-02"),
        ("2021-02-30", None),
        ("last Tuesday", None),
        (1620000000, None),
    ],
)
def test_date_part(value: object, day: str | None) -> None:
    assert foreign.date_part(value) == day


def test_a_date_that_is_not_one_is_kept_in_the_text_not_lost() -> None:
    parsed = md_reader.parse_full("---\ntitle: T\ndate: last Tuesday\n---\nBody.\n", "2024-06-01-t.md")
    assert parsed.pm.occurred_on == "2024-06-01"  # from the file name, as for a plain note
    assert "- date: last Tuesday" in parsed.pm.what_happened
    assert "`date` is not a date; kept in the text" in parsed.warnings


def test_importing_an_archive_twice_changes_nothing_and_warnings_are_grouped(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    for i in range(30):
        (folder / f"{i:02d}").mkdir(parents=True)
        shutil.copy(SAMPLES / "incidents" / "webhooks-2021.md", folder / f"{i:02d}" / "incident.md")
    with Store.open(tmp_path / "j.hindsight") as store:
        result = import_paths(store, [folder])
        assert len(result.created) == 30 and not result.failed
        lines = warning_lines(result.warnings)
        assert "30 files: `url` kept in the text" in lines
        assert "30 files: kept 120 unknown sections in What happened" in lines
        assert len(lines) == 7 and len(result.warnings) == 7 * 30
        again = import_paths(store, [folder])
        assert len(again.unchanged) == 30 and not again.created and not again.updated


def test_a_comment_in_a_code_block_is_kept_but_not_counted_as_a_section() -> None:
    text = "---\ntitle: T\nlayout: post\n---\nIntro.\n\n## Steps\n\n```sh\n# restart it\nsystemctl restart web\n```\n"
    parsed = md_reader.parse_full(text, "t.md")
    assert "```sh\n# restart it\nsystemctl restart web\n```" in parsed.pm.what_happened
    assert "kept 2 unknown sections in What happened" in parsed.warnings


def test_another_tools_values_for_hindsights_keys_are_kept_as_text_not_refused() -> None:
    text = "---\ntitle: Checkout down\nseverity: SEV-1\nstatus: published\nstart_time: 2022-03-04T10:00Z\n---\n"
    text += "It broke.\n"
    parsed = md_reader.parse_full(text, "checkout.md")
    pm = parsed.pm
    assert (pm.severity, pm.status, pm.occurred_on) == (2, "draft", "2022-03-04")
    assert pm.what_happened == "It broke.\n\n**Other fields**\n\n- severity: SEV-1\n- status: published\n"
    assert "`severity` is not in Hindsight's form; kept in the text" in parsed.warnings


def test_a_file_in_hindsights_form_with_a_bad_value_is_still_refused_with_its_line() -> None:
    text = md_writer.render(simple()).replace("severity: 2", "severity: 9")
    with pytest.raises(md_reader.FormatError, match=r"^x\.md:\d+: severity must be"):
        md_reader.parse(text, "x.md")
    by_hand = "---\ntitle: T\nrole: receiver\nseverity: SEV-1\n---\n"  # no id, but our keys: our form
    with pytest.raises(md_reader.FormatError, match=r"^y\.md:4: severity must be"):
        md_reader.parse(by_hand, "y.md")
