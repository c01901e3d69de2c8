"""Reading the Markdown format (DESIGN §4): exact round trips, hand edits, foreign files, clear refusals."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.markdown import frontmatter as md_front
from journal.markdown import reader as md_reader
from journal.markdown import writer as md_writer
from journal.model import PostMortem
from tests.journal.markdown.texts import front_of
from tests.journal.pm_strategies import HOSTILE, post_mortems, simple

# --- round trip -----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(post_mortems())
def test_render_then_parse_gives_back_an_equal_entry(pm: PostMortem) -> None:
    text = md_writer.render(pm)
    parsed = md_reader.parse_full(text, "x.md")
    assert parsed.pm == pm
    assert parsed.warnings == []  # nothing "kept" or "differs": Hindsight's own file is all in its places


def test_hand_written_yaml_outside_our_own_style_is_read_by_libyaml() -> None:
    text = (
        "---\n# a comment\ntitle: \"Flow & anchors\"   # trailing comment\nrole: receiver\n"
        "tags: [a, b]\ncauses: [handoff]\nbreadsticks: {kind: refund, cost: 12}\n"
        "severity: 4\ndeleted: no\n---\n"
    )
    with pytest.raises(md_front.NotCanonical):
        md_front.fast_load(md_reader._split_front_matter(text)[0] or "")
    with pytest.raises(md_reader.FormatError, match="deleted must be true or false"):
        md_reader.parse(text, "x.md")
    pm = md_reader.parse(text.replace("deleted: no", "deleted: false"), "x.md")
    assert (pm.title, pm.tags, pm.causes, pm.breadsticks.cost, pm.severity) == (
        "Flow & anchors", ["a", "b"], ["handoff"], 12.0, 4
    )


@pytest.mark.parametrize("value", HOSTILE)
def test_yaml_hostile_strings_stay_strings_everywhere(value: str) -> None:
    pm = simple(
        client=value.strip(),
        account=value.strip(),
        what_happened=value,
        tags=[value],
        lessons=[value] if value.strip() else [],
        follow_ups=[{"text": f"do {value}", "owner": value}],
        breadsticks={"currency": value.strip(), "offered": value},
        review_notes=[{"author": value, "text": value, "written_at": "2024-05-02T10:00:00Z"}],
    )
    back = md_reader.parse(md_writer.render(pm), "x.md")
    assert back == pm
    assert back.follow_ups[0].owner == value
    assert isinstance(back.tags[0] if back.tags else "", str)


def test_a_one_megabyte_field_survives() -> None:
    big = ("A line of narrative with ## Impact and 🍕 inside.\n" * 21000)[: 1024 * 1024]
    pm = simple(what_happened=big, reflection=big[::-1])
    assert md_reader.parse(md_writer.render(pm), "big.md") == pm


def test_body_lines_that_look_like_headings_are_kept_as_text() -> None:
    text = "Before\n## Impact\n\\## Impact\n### Offered\n## Not a section\n"
    pm = simple(what_happened=text, impact="real impact")
    rendered = md_writer.render(pm)
    assert "\n\\## Impact\n" in rendered  # shown to a reader as a literal '## Impact'
    back = md_reader.parse(rendered, "x.md")
    assert back.what_happened == text
    assert back.impact == "real impact"


def test_windows_line_ends_from_a_git_checkout_read_the_same() -> None:
    pm = simple(what_happened="one\ntwo\n\nthree", impact="x")
    crlf = md_writer.render(pm).replace("\n", "\r\n")
    assert md_reader.parse(crlf, "x.md") == pm


def test_text_with_carriage_returns_goes_into_the_front_matter_exactly() -> None:
    pm = simple(impact="windows\r\nline\rends")
    text = md_writer.render(pm)
    assert "impact:" in front_of(text)
    assert md_reader.parse(text, "x.md").impact == "windows\r\nline\rends"


@pytest.mark.parametrize("line", ["=======", "<<<<<<< HEAD", ">>>>>>> theirs", "\\=======", "======= "])
def test_text_that_looks_like_a_git_conflict_marker_round_trips(line: str) -> None:
    pm = PostMortem.from_dict({"title": "Merge day", "role": "maker", "reflection": f"before\n{line}\nafter",
                               "what_happened": line})
    assert md_reader.parse(md_writer.render(pm), "x.md") == pm


@pytest.mark.parametrize("hours", [None, 0.0, 4.0, 26.5, 1e-3])
def test_hours_to_first_reply_go_through_the_front_matter(hours: float | None) -> None:
    pm = replace(simple(), first_response_hours=hours)
    text = md_writer.render(pm)
    assert ("first_response_hours: null" if hours is None else "first_response_hours: ") in front_of(text)
    assert md_reader.parse(text, "x.md") == pm
    assert md_reader.parse(md_writer.render(pm, redacted=True), "x.md").first_response_hours == hours  # not private


def test_a_hand_written_first_reply_is_read_and_a_bad_one_named() -> None:
    text = md_writer.render(simple())
    assert md_reader.parse(text.replace("first_response_hours: null", "first_response_hours: 3"), "x.md") \
        .first_response_hours == 3.0
    with pytest.raises(ValueError, match="first_response_hours must be a number"):
        md_reader.parse(text.replace("first_response_hours: null", "first_response_hours: soon"), "x.md")


# --- hand edits -----------------------------------------------------------------------------------


def test_body_edits_are_read_back_and_front_matter_wins() -> None:
    pm = simple()
    text = md_writer.render(pm).replace("We sent last month's file.", "We sent the March file, not April's.")
    text = text.replace("client: Acme Corp", "client: Acme Limited")
    back = md_reader.parse(text, "x.md")
    assert back.what_happened == "We sent the March file, not April's.\n"
    assert back.client == "Acme Limited"


def test_an_edited_view_is_not_read_back_but_warned_about() -> None:
    text = md_writer.render(simple()).replace("- [ ] Check attachments", "- [x] Check attachments")
    parsed = md_reader.parse_full(text, "x.md")
    assert parsed.pm.follow_ups[0].status == "open"
    assert any("Follow-ups" in w for w in parsed.warnings)


def test_hand_written_front_matter_with_yes_and_bare_dates_reads_as_meant() -> None:
    text = (
        "---\ntitle: Late invoice\nrole: receiver\noccurred_on: 2024-03-02\n"
        "breadsticks:\n  accepted: yes\nfollow_ups:\n- text: Call them\n  due_on: 2024-03-09\n---\n"
        "\n## What happened\n\nThe invoice came late.\n"
    )
    pm = md_reader.parse(text, "late.md")
    assert (pm.occurred_on, pm.breadsticks.accepted, pm.follow_ups[0].due_on) == ("2024-03-02", "yes", "2024-03-09")
    assert pm.what_happened == "The invoice came late."
    assert md_reader.parse(text, "late.md") == pm  # ids of records without one are stable


def test_unknown_fields_are_kept_in_the_text_and_reported() -> None:
    text = md_writer.render(simple()).replace("role: maker\n", "role: maker\naliases: [x, Late file]\n", 1)
    assert '"owner": "Sam"' in text
    text = text.replace('"owner": "Sam"', '"owner": "Sam", "priority": "high"', 1)
    parsed = md_reader.parse_full(text, "x.md")
    assert parsed.pm.what_happened == (
        "We sent last month's file.\n\n**Other fields**\n\n- aliases: x, Late file\n- follow_ups[0].priority: high\n"
    )
    assert "`aliases` kept in the text" in parsed.warnings
    assert "`follow_ups[0].priority` kept in the text" in parsed.warnings
    assert (parsed.pm.follow_ups[0].owner, parsed.pm.client) == ("Sam", "Acme Corp")


# --- plain notes ----------------------------------------------------------------------------------


def test_a_plain_note_becomes_a_draft_titled_from_its_heading() -> None:
    pm = md_reader.parse("# Call went badly\n\nThey were upset about the delay.\n", "notes/call.md")
    assert (pm.title, pm.status, pm.role) == ("Call went badly", "draft", "maker")
    assert pm.what_happened == "They were upset about the delay.\n"


def test_a_plain_note_without_heading_is_titled_from_its_file_name() -> None:
    pm = md_reader.parse("Just some text.\n", "2024-02-03-missed_the-handoff.md")
    assert pm.title == "Missed the handoff"
    assert pm.occurred_on == "2024-02-03"
    assert pm.what_happened == "Just some text.\n"


def test_the_same_plain_note_always_gets_the_same_id() -> None:
    assert md_reader.parse("x", "a/b.md").id == md_reader.parse("x", "a/b.md").id != md_reader.parse("x", "a/c.md").id


# --- bad files ------------------------------------------------------------------------------------


def test_broken_yaml_names_the_file_and_line() -> None:
    text = "---\ntitle: ok\nrole: maker\ncauses: [unclosed\nseverity: 2\n---\n"
    with pytest.raises(md_reader.FormatError, match=r"^bad\.md:\d+: the front matter is not valid YAML") as info:
        md_reader.parse(text, "bad.md")
    assert info.value.line in (4, 5, 6)


def test_a_wrong_type_names_the_field_and_its_line() -> None:
    text = md_writer.render(simple()).replace("severity: 2", "severity: very")
    line = text.split("\n").index("severity: very") + 1
    with pytest.raises(md_reader.FormatError, match=rf"^x\.md:{line}: severity must be a whole number"):
        md_reader.parse(text, "x.md")


def test_a_wrong_nested_type_points_at_the_nested_line() -> None:
    text = md_writer.render(simple())
    assert '"due_on": "2024-05-10"' in text
    text = text.replace('"due_on": "2024-05-10"', '"due_on": "someday"')
    line = next(i for i, x in enumerate(text.split("\n"), start=1) if '"due_on": "someday"' in x)
    with pytest.raises(md_reader.FormatError, match=rf"^x\.md:{line}: follow_ups\[0\]\.due_on"):
        md_reader.parse(text, "x.md")


# A file written before records became one-line flow mappings (block style inside records).
OLD_BLOCK_STYLE = """---
id: 0b7f9a52-3c1d-4e8f-9a6b-2d5c7e1f4a30
title: Old-style file
occurred_on: '2024-05-01'
role: receiver
client: Acme
account: ''
severity: 3
status: resolved
detection: self
causes: []
response_style: ''
emotions:
- name: angry
  intensity: 4
  intensity_now: 2
- who: them
  name: worried
recovery:
  apology:
    state: done
    note: |-
      Called them
      and wrote
  correction:
    state: skipped
breadsticks:
  kind: refund
  cost: 12.5
  currency: EUR
  hours: 2.0
  accepted: 'yes'
follow_ups:
- id: 5d0c3e0a-8f61-4f4e-b1f0-6a3c2b7e9d11
  text: Check attachments
  owner: Sam
  due_on: '2024-05-10'
lessons: []
tags: []
review_notes:
- id: 9a1e2b3c-4d5e-4f60-8a7b-1c2d3e4f5a6b
  author: Kim
  written_at: '2024-05-02T10:00:00Z'
  text: |-
    Good catch.
    Keep it.
outcome:
  client_retained: 'yes'
  satisfaction: 4
created_at: '2024-05-01T09:00:00Z'
updated_at: '2024-05-02T10:00:00Z'
revision: 3
deleted: false
---

# Old-style file

## Breadsticks

### Offered

A refund.

"""


def test_a_file_in_the_earlier_block_style_still_imports_exactly() -> None:
    front = front_of(OLD_BLOCK_STYLE)
    assert md_front.fast_load(front) == yaml.safe_load(front)  # still read by the strict reader
    pm = md_reader.parse(OLD_BLOCK_STYLE, "old.md")
    assert [(e.who, e.name, e.intensity, e.intensity_now) for e in pm.emotions] == [
        ("me", "angry", 4, 2), ("them", "worried", 3, None)
    ]
    assert (pm.recovery["apology"].state, pm.recovery["apology"].note) == ("done", "Called them\nand wrote")
    assert pm.recovery["correction"].state == "skipped" and pm.recovery["acceptance"].state == "pending"
    b = pm.breadsticks
    assert (b.kind, b.cost, b.currency, b.hours, b.accepted, b.offered) == (
        "refund", 12.5, "EUR", 2.0, "yes", "A refund.\n"
    )
    assert (pm.follow_ups[0].text, pm.follow_ups[0].owner, pm.follow_ups[0].due_on) == (
        "Check attachments", "Sam", "2024-05-10"
    )
    assert (pm.review_notes[0].author, pm.review_notes[0].text) == ("Kim", "Good catch.\nKeep it.")
    assert (pm.outcome.client_retained, pm.outcome.satisfaction, pm.revision) == ("yes", 4, 3)
    assert md_reader.parse(md_writer.render(pm), "new.md") == pm  # and writes back in today's style


def test_old_block_style_errors_and_unknown_fields_still_point_at_their_line() -> None:
    text = OLD_BLOCK_STYLE.replace("  due_on: '2024-05-10'", "  due_on: someday")
    line = text.split("\n").index("  due_on: someday") + 1
    with pytest.raises(md_reader.FormatError, match=rf"^old\.md:{line}: follow_ups\[0\]\.due_on"):
        md_reader.parse(text, "old.md")
    with_priority = OLD_BLOCK_STYLE.replace("  owner: Sam\n", "  owner: Sam\n  priority: high\n")
    parsed = md_reader.parse_full(with_priority, "old.md")
    assert any("follow_ups[0].priority" in w for w in parsed.warnings)
    assert parsed.pm.follow_ups[0].owner == "Sam"


def test_front_matter_that_is_not_a_mapping_or_never_closes_is_refused() -> None:
    with pytest.raises(md_reader.FormatError, match="mapping of fields"):
        md_reader.parse("---\n- a\n- b\n---\n", "x.md")
    with pytest.raises(md_reader.FormatError, match="no closing '---'"):
        md_reader.parse("---\ntitle: x\n", "x.md")


def test_git_conflict_markers_are_refused_with_their_line() -> None:
    conflicted = "<<<<<<< HEAD\nstatus: open\n=======\nstatus: done\n>>>>>>> b"
    text = md_writer.render(simple()).replace("status: open", conflicted)
    line = text.split("\n").index("<<<<<<< HEAD") + 1
    with pytest.raises(md_reader.FormatError, match=rf"x\.md:{line}: has unresolved git merge conflict markers"):
        md_reader.parse(text, "x.md")


def test_a_combined_export_is_not_imported_as_one_giant_note() -> None:
    with pytest.raises(md_reader.FormatError, match="combined export"):
        md_reader.parse(md_writer.COMBINED_MARKER + "\n# x\n", "all.md")


# --- what another hand added: every word kept -----------------------------------------------------


PROSE = st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.;:!?()'\-]{0,40}[A-Za-z0-9.!?)]", fullmatch=True)


FOREIGN_HEADING = st.tuples(
    st.sampled_from(["#", "##", "###"]),
    st.from_regex(r"[A-Z][a-z]{2,12}(?: [a-z]{2,8})?", fullmatch=True).filter(
        lambda h: h.lower() not in {k.lower() for k in [*md_writer.SECTIONS, *md_writer.BREADSTICK_SECTIONS]}
    ),
).map(" ".join)


# Where a block is added: after the summary line, or before a heading that ends a view section, or at the end.
PLACES = ["preamble", "## Breadsticks", "### Offered", "## Lessons", "## Reflection", "end"]


@st.composite
def additions(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Blocks of prose, some under a heading of their own, each with where it goes."""
    out = []
    for place in draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=4, unique=True)):
        lines = draw(st.lists(PROSE, min_size=1, max_size=3))
        heading = draw(st.none() | FOREIGN_HEADING)
        block = "\n\n".join(lines) if heading is None else f"{heading}\n\n" + "\n".join(lines)
        out.append((place, block))
    return out


def _add(text: str, place: str, block: str) -> str:
    if place == "end":
        return text + "\n" + block + "\n"
    if place == "preamble":
        summary = re.search(r"^\*\d{4}-.*\*$", text, re.MULTILINE)
        assert summary is not None
        return text[: summary.end()] + "\n\n" + block + text[summary.end() :]
    at = text.index("\n" + place + "\n") + 1
    return text[:at] + block + "\n\n" + text[at:]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(post_mortems(), additions())
def test_prose_and_sections_added_to_an_exported_file_are_all_kept(
    pm: PostMortem, added: list[tuple[str, str]]
) -> None:
    text = md_writer.render(pm)
    for place, block in added:
        text = _add(text, place, block)
    parsed = md_reader.parse_full(text, "x.md")
    back = parsed.pm
    for _, block in added:
        for line in block.split("\n"):
            assert line in back.what_happened.split("\n"), line
    assert pm.what_happened.strip("\n") in back.what_happened
    assert replace(back, what_happened=pm.what_happened) == pm  # every other field as it was
    assert any(re.fullmatch(r"kept \d+ unknown sections? in What happened", w) for w in parsed.warnings)
    assert not any("differs" in w for w in parsed.warnings)
    again = md_reader.parse(md_writer.render(back), "x.md")
    assert again == back  # and it stays so: exported again, it reads back the same


def test_an_edited_section_still_reads_back_beside_added_ones() -> None:
    text = md_writer.render(simple()).replace("We sent last month's file.", "We sent the March file.")
    text = text.replace("\n## Lessons\n", "\n## Notes\n\nThey were kind about it.\n\n## Lessons\n")
    text += "\nOne more thing I noticed.\n"
    parsed = md_reader.parse_full(text, "x.md")
    assert parsed.pm.what_happened == (
        "We sent the March file.\n\n## Notes\n\nThey were kind about it.\n\nOne more thing I noticed.\n"
    )
    assert parsed.pm.lessons == ["Preview before sending"]
    assert "kept 2 unknown sections in What happened" in parsed.warnings


def test_another_tools_section_named_like_a_view_is_kept_not_taken_for_one() -> None:
    text = "---\ntitle: Outage\n---\n## Lessons\n\n- Test the retry path.\n\n## Follow-ups\n\n- [ ] Unmute alarm\n"
    parsed = md_reader.parse_full(text, "x.md")
    assert parsed.pm.what_happened == "## Lessons\n\n- Test the retry path.\n\n## Follow-ups\n\n- [ ] Unmute alarm\n"
    assert not any("differs" in w for w in parsed.warnings)
