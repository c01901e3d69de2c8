"""Writing the Markdown format (DESIGN §4): front matter in our one style, a file a person reads, escapes."""

from __future__ import annotations

from dataclasses import replace

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from journal.markdown import frontmatter as md_front
from journal.markdown import reader as md_reader
from journal.markdown import writer as md_writer
from journal.model import Breadsticks, Emotion, FollowUp, PostMortem
from journal.redact import Pseudonyms, is_name
from tests.journal.markdown.texts import front_of
from tests.journal.pm_strategies import post_mortems, simple

# --- front matter ---------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(post_mortems())
def test_front_matter_reads_the_same_with_standard_pyyaml(pm: PostMortem) -> None:
    """Any YAML 1.1 reader (here plain ``yaml.safe_load``) sees the same data as we do."""
    front = front_of(md_writer.render(pm))
    expected = md_writer.front_matter_data(pm)
    assert yaml.safe_load(front) == expected
    assert md_front.fast_load(front) == expected  # our own output never needs the slow path
    assert md_front._fast_flat(front.split("\n")[:-1]) == expected  # nor the general block reader


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(post_mortems(), st.booleans())
def test_the_fast_front_matter_writer_matches_the_generic_one(pm: PostMortem, redacted: bool) -> None:
    """The export writes front matter straight from the entry; it must be byte for byte the generic dump."""
    assert md_writer._front_text(pm, redacted=redacted) == md_front.dump_front_matter(
        md_writer.front_matter_data(pm, redacted=redacted)
    )
    # and the export writes the file's bytes a piece at a time: the same bytes as the whole text
    assert md_writer.render_bytes(pm, redacted=redacted) == md_writer.render(pm, redacted=redacted).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(codec="utf-8"), max_size=30)
    | st.text(st.characters(max_codepoint=0x7F), max_size=30)
    | st.lists(st.sampled_from(["## ", "### ", "#", "\n", "\\", "<<<<<<< ", ">>>>>>> ", "=======", "Impact", "Offered",
                                "x", " \t", "\x7f", "é"]), max_size=12).map("".join)
)
def test_the_quick_character_checks_say_what_the_regexes_say(text: str) -> None:
    # ASCII text skips the regexes: the shortcut must agree with them on every string.
    assert md_front._quotable(text) == (md_front._QUOTABLE.fullmatch(text) is not None)
    assert md_front._has_leftovers(text) == (md_front._JSON_LEFTOVERS.search(text) is not None)
    assert md_writer.escape_text(text) == (
        "\n".join("\\" + line if md_writer._is_escaped_form(line) else line for line in text.split("\n"))
    )


def test_remembered_record_lines_keep_equal_values_of_other_types_apart() -> None:
    # 1, 1.0 and True are equal (and so are 0.0 and -0.0), but each is written its own way.
    base = simple()
    variants = [
        replace(base, breadsticks=Breadsticks(cost=cost, kind="discount")) for cost in (1.0, 1, 0.0, -0.0, 0, 1.0)
    ] + [replace(base, emotions=[Emotion(intensity=value)]) for value in (1, True, 1)]
    for pm in variants:
        assert md_writer._front_text(pm) == md_front.dump_front_matter(md_writer.front_matter_data(pm))


def test_records_are_one_readable_line_each() -> None:
    front = front_of(md_writer.render(simple(emotions=[{"name": "embarrassed", "intensity": 4}])))
    assert '- {"name": "embarrassed", "intensity": 4}' in front.split("\n")
    assert "outcome: {}" in front.split("\n")


# --- what a reader sees ---------------------------------------------------------------------------


def test_rendered_file_reads_like_a_post_mortem() -> None:
    pm = simple(
        follow_ups=[
            {"text": "Check attachments", "owner": "Sam", "due_on": "2024-05-10"},
            {"text": "Add a template", "status": "done", "done_on": "2024-05-12"},
        ]
    )
    text = md_writer.render(pm)
    assert text.startswith("---\nid: ")
    for heading in md_writer.SECTIONS:
        assert f"\n## {heading}\n" in text
    assert "- [ ] Check attachments — Sam, due 2024-05-10" in text
    assert "- [x] Add a template — done 2024-05-12" in text
    assert "# Sent the wrong file\n" in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_every_structured_field_is_in_the_front_matter_under_its_name() -> None:
    data = yaml.safe_load(front_of(md_writer.render(simple())))
    structured = {f for f in PostMortem().to_dict() if f not in md_writer.MD_FIELDS}
    assert structured <= set(data)


def test_follow_up_line_format() -> None:
    line = md_writer.follow_up_line(FollowUp(text="Fix it", owner="Sam", due_on="2024-05-01"))
    assert line == "- [ ] Fix it — Sam, due 2024-05-01"


# --- redaction ------------------------------------------------------------------------------------


_NAME_CHARS = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüéñøåłžÆ"))


_WORD = st.lists(_NAME_CHARS, min_size=2, max_size=8).map("".join)


NAMES = st.lists(_NAME_CHARS, min_size=3, max_size=12).map("".join) | st.tuples(_WORD, _WORD).map(" & ".join)


SEPARATORS = st.sampled_from([" ", ", ", ".\n", "(", ")", " — ", "'s ", ": ", "\n## ", "\n- "])


def _with_names(names: list[str], seps: list[str]) -> PostMortem:
    client, account, owner, author = names
    variants = [n for name in names for n in (name, name.lower(), name.upper())]
    text = "".join(f"{sep}{name}" for sep, name in zip(seps * len(variants), variants, strict=False)) + "."
    return simple(
        id="00000000-0000-4000-8000-000000000001",
        title=f"Call with {client.upper()} about {owner}",
        client=client,
        account=account,
        what_happened=text,
        impact=f"{account} was upset; {author} noted it",
        tags=[client.lower()],
        follow_ups=[
            {"id": "00000000-0000-4000-8000-000000000002", "text": f"Ask {client} and {author}", "owner": owner}
        ],
        lessons=[f"{owner} should call {account}"],
        breadsticks={"offered": f"A discount for {client}", "kind": "discount"},
        recovery={"apology": {"state": "done", "note": f"Called {account}"}},
        review_notes=[{"author": author, "text": f"{owner} did well", "written_at": "2024-05-02T10:00:00Z"}],
        created_at="2024-05-02T10:00:00Z",
        updated_at="2024-05-02T10:00:00Z",
        reflection=f"I was afraid of {client}",
        emotions=[{"name": "embarrassed", "intensity": 4}],
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(NAMES, min_size=4, max_size=4), st.lists(SEPARATORS, min_size=1, max_size=4))
def test_redacted_output_never_contains_a_name(names: list[str], seps: list[str]) -> None:
    pm = _with_names(names, seps)
    neutral = _with_names(["Qxqa", "Qxqb", "Qxqc", "Qxqd"], seps)
    boiler = md_writer.render(Pseudonyms().learn([neutral]).entry(neutral), redacted=True).lower()
    for name in names:
        assume(name.lower() not in boiler and is_name(name))  # "all", "one": words, never replaced
    pseudonyms = Pseudonyms().learn([pm])
    redacted = pseudonyms.entry(pm)
    text = md_writer.render(redacted, redacted=True)
    for name in names:
        assert name.lower() not in text.lower()


def test_redaction_is_stable_and_drops_private_fields() -> None:
    pm = _with_names(["Acme Corp", "Acme Group", "Sam", "Kim"], [" "])
    pseudonyms = Pseudonyms().learn([pm, replace(pm, client="Beta Ltd")])
    redacted = pseudonyms.entry(pm)
    assert (redacted.client, redacted.account) == ("Client A", "Client B")
    assert redacted.follow_ups[0].owner == "Person A"
    assert "Client A" in redacted.what_happened and "Person B" in redacted.impact
    text = md_writer.render(redacted, redacted=True)
    data = yaml.safe_load(front_of(text))
    assert data["redacted"] is True
    for private in ("emotions", "reflection", "response_style", "review_notes"):
        assert private not in data
    assert "## Reflection" not in text and "## Review notes" not in text
    assert "afraid" not in text
    parsed = md_reader.parse_full(text, "r.md")
    assert parsed.redacted and parsed.pm.reflection == ""
