"""Writing the Markdown format of DESIGN §4: one post-mortem as the text of one ``.md`` file.

The format itself (what lives in the front matter, the body sections and the views) is
described in ``journal/markdown/__init__.py``.
"""

from __future__ import annotations

import operator
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from json.encoder import encode_basestring as _json_string  # json's C quoting
from typing import Any

from journal.markdown.frontmatter import _escape_leftovers, _flow_value, _remember, _scalar, _value
from journal.model import MD_FIELDS as MD_FIELDS  # the body's fields; their home is the field table
from journal.model import (
    RECOVERY_STEPS,
    TABLE,
    Breadsticks,
    Emotion,
    FollowUp,
    Outcome,
    PostMortem,
    RecoveryStep,
    ReviewNote,
    field_default,
)
from journal.model import content_hash as content_hash  # the sync base; its home is the model

COMBINED_MARKER = "<!-- hindsight: combined export for reading; import the one-file-per-entry export instead -->"

# Views: sections written for readers from the front matter, never read back.
_VIEWS = ("recovery", "breadsticks", "follow_ups", "lessons", "review_notes")
# Body sections in file order (the table's): heading (the field's label) -> the field it holds ("" for a view).
SECTIONS = {spec.label: name if spec.md else "" for name, spec in TABLE.items() if spec.md or name in _VIEWS}
BREADSTICK_SECTIONS = {"Offered": "offered", "Wished for": "wished_for"}
PRIVATE_SECTIONS = tuple(TABLE[name].label for name in (*MD_FIELDS, *_VIEWS) if TABLE[name].private)
_NAMESPACE = uuid.UUID("2f1c4a8e-6b7d-4c1e-9a53-6d0f3b8e5a21")


# --- structural lines and their escaping ---------------------------------------------

_HEADING_NAMES = "|".join(re.escape(h) for h in SECTIONS)
_SUB_NAMES = "|".join(re.escape(h) for h in BREADSTICK_SECTIONS)
# Lines that would change how the file reads back: our headings, and git's conflict
# markers (a file holding one is refused as an unfinished merge).
_STRUCTURAL = re.compile(
    rf"(?:##[ \t]+(?:{_HEADING_NAMES})|###[ \t]+(?:{_SUB_NAMES})|<{{7}} .*|>{{7}} .*|={{7}})[ \t\r]*",
    re.IGNORECASE,
)
_SECTION_LINE = re.compile(rf"^##[ \t]+({_HEADING_NAMES})[ \t\r]*$", re.IGNORECASE | re.MULTILINE)
_SUB_LINE = re.compile(rf"^###[ \t]+({_SUB_NAMES})[ \t\r]*$", re.IGNORECASE | re.MULTILINE)
_CANONICAL = {h.lower(): h for h in [*SECTIONS, *BREADSTICK_SECTIONS]}
_MAYBE_STRUCTURAL = re.compile(r"^\\*(?:###?[ \t]|<{7} |>{7} |={7})", re.MULTILINE)



def _is_escaped_form(line: str) -> bool:
    return _STRUCTURAL.fullmatch(line.lstrip("\\")) is not None


def escape_text(text: str) -> str:
    """Give every line that would read as a structural heading one more leading backslash."""
    # Every such line holds one of these; ``in`` finds them far quicker than a regex steps through the text.
    if not ("#" in text or "<<<<<<< " in text or ">>>>>>> " in text or "=======" in text):
        return text
    if not _MAYBE_STRUCTURAL.search(text):
        return text
    return "\n".join("\\" + line if _is_escaped_form(line) else line for line in text.split("\n"))


def unescape_text(text: str) -> str:
    if "\\" not in text:
        return text
    return "\n".join(
        line[1:] if line.startswith("\\") and _is_escaped_form(line) else line for line in text.split("\n")
    )


# --- render -------------------------------------------------------------------------------------


_ALWAYS = ("id", "text", "name")


def _table(default: Any, skip: tuple[str, ...] = ()) -> tuple[tuple[str, str, Any, bool], ...]:
    """Per record class, once: (field, its flow key, its default, always written)."""
    return tuple(
        (f.name, _flow_value(f.name) + ": ", getattr(default, f.name), f.name in _ALWAYS)
        for f in fields(default)
        if f.name not in skip
    )


_EMOTION_DEFAULT = Emotion()
_STEP_DEFAULT = RecoveryStep()
_BREADSTICKS_DEFAULT = Breadsticks()
_FOLLOW_UP_DEFAULT = FollowUp(id="")
_NOTE_DEFAULT = ReviewNote(id="", written_at="")
_OUTCOME_DEFAULT = Outcome()
_TABLES: dict[type, tuple[tuple[str, str, Any, bool], ...]] = {
    type(d): _table(d)
    for d in (
        _EMOTION_DEFAULT, _STEP_DEFAULT, _BREADSTICKS_DEFAULT, _FOLLOW_UP_DEFAULT, _NOTE_DEFAULT, _OUTCOME_DEFAULT
    )
}
_MD_SUBFIELDS = ("offered", "wished_for")
_BREADSTICKS_TABLE = _table(_BREADSTICKS_DEFAULT, skip=("offered", "wished_for"))


def _record(obj: Any, defaults: Any) -> dict[str, Any]:
    """A record's fields that differ from their default, in declaration order."""
    return {
        name: getattr(obj, name)
        for name, _, default, always in _TABLES[type(obj)]
        if always or getattr(obj, name) != default
    }


def _flow_record(obj: Any, table: tuple[tuple[str, str, Any, bool], ...], extra: str = "") -> str:
    """``_flow(_record(obj, ...))`` without the dict in between."""
    parts = []
    for name, key, default, always in table:
        value = getattr(obj, name)
        if always or value != default:
            parts.append(key + (_json_string(value) if type(value) is str else _flow_value(value)))
    if extra:
        parts.append(extra)
    if not parts:
        return "{}"
    return _escape_leftovers("{" + ", ".join(parts) + "}")  # only quoted text can hold one: escaped there


_FLOW_LINES: dict[Any, str] = {}
_FIELDS_OF = {
    cls: operator.attrgetter(*(name for name, *_ in table))
    for cls, table in ((Emotion, _TABLES[Emotion]), (Outcome, _TABLES[Outcome]), (Breadsticks, _BREADSTICKS_TABLE))
}


def _repeating_record(obj: Emotion | Outcome | Breadsticks, table: tuple[tuple[str, str, Any, bool], ...]) -> str:
    """``_flow_record`` for the small records that repeat from entry to entry, remembered.

    The key holds each value's type as well: 1, 1.0 and True are equal keys but are
    written differently. Nor is a zero float remembered (0.0 and -0.0 are equal too).
    """
    values = _FIELDS_OF[type(obj)](obj)
    key = (type(obj), values, tuple(map(type, values)))
    line = _FLOW_LINES.get(key)
    if line is None:
        line = _flow_record(obj, table)
        if all(len(v) <= 80 if type(v) is str else not (type(v) is float and v == 0) for v in values):
            _remember(_FLOW_LINES, key, line)
    return line


_SCALAR_CACHE: dict[str, str] = {}


def _text_value(text: str, indent: int) -> str:
    """``_value`` for text, remembering short one-line values (enums, dates, names repeat a lot)."""
    found = _SCALAR_CACHE.get(text)
    if found is not None:
        return found
    if type(text) is not str or "\n" in text:
        return _value(text, indent)
    out = " " + _scalar(text)
    if len(text) <= 80:
        _remember(_SCALAR_CACHE, text, out)
    return out


def _number_value(value: Any) -> str:
    """``_value`` for a whole number (a bool is not one here: it goes the long way)."""
    return f" {value}" if type(value) is int else _value(value, 0)


def _list_lines(key: str, items: list[str], out: list[str]) -> None:
    if not items:
        out.append(f"{key}: []")
        return
    out.append(f"{key}:")
    for item in items:
        out.append("-" + _text_value(item, 2))


def _record_lines(
    key: str,
    records: Sequence[Any],
    table: tuple[tuple[str, str, Any, bool], ...],
    out: list[str],
    line: Callable[[Any, tuple[tuple[str, str, Any, bool], ...]], str] = _flow_record,
) -> None:
    """A list of records, one flow mapping a line (``_list_lines`` for records)."""
    if not records:
        out.append(f"{key}: []")
        return
    out.append(f"{key}:")
    out.extend(["- " + line(record, table) for record in records])


_STEP_LINES: dict[tuple[str, str, str], str] = {}


def _step_line(step: str, state: str, note: str) -> str:
    """A recovery step's line; most are one of a few dozen (a state, no note), so they are remembered."""
    key = (step, state, note)
    line = _STEP_LINES.get(key)
    if line is None:
        line = f"  {step}: " + _flow_record(RecoveryStep(state, note), _TABLES[RecoveryStep])
        if len(note) <= 80:
            _remember(_STEP_LINES, key, line)
    return line


def _emotions_lines(pm: PostMortem, out: list[str]) -> None:
    _record_lines("emotions", pm.emotions, _TABLES[Emotion], out, _repeating_record)


def _recovery_front_lines(pm: PostMortem, out: list[str]) -> None:
    # Not ``s != _STEP_DEFAULT``: a dataclass compares by building two tuples, six times an entry.
    steps = [_step_line(step, s.state, s.note) for step, s in pm.recovery.items() if s.state != "pending" or s.note]
    if steps:
        out.append("recovery:")
        out.extend(steps)
    else:
        out.append("recovery: {}")


def _breadsticks_line(pm: PostMortem, out: list[str]) -> None:
    b = pm.breadsticks
    extra = ", ".join(
        [f'"{name}": ' + _flow_value(getattr(b, name)) for name in _MD_SUBFIELDS if "\r" in getattr(b, name)]
    )
    flow = _flow_record(b, _BREADSTICKS_TABLE, extra) if extra else _repeating_record(b, _BREADSTICKS_TABLE)
    out.append("breadsticks: " + flow)


def _follow_ups_lines(pm: PostMortem, out: list[str]) -> None:
    _record_lines("follow_ups", pm.follow_ups, _TABLES[FollowUp], out)


def _review_notes_lines(pm: PostMortem, out: list[str]) -> None:
    _record_lines("review_notes", pm.review_notes, _TABLES[ReviewNote], out)


def _outcome_line(pm: PostMortem, out: list[str]) -> None:
    out.append("outcome: " + _repeating_record(pm.outcome, _TABLES[Outcome]))


# The fields that are records, each written its own way; every other field is written by its type.
_RECORD_WRITERS: dict[str, Callable[[PostMortem, list[str]], None]] = {
    "emotions": _emotions_lines,
    "recovery": _recovery_front_lines,
    "breadsticks": _breadsticks_line,
    "follow_ups": _follow_ups_lines,
    "review_notes": _review_notes_lines,
    "outcome": _outcome_line,
}


def _flag_value(value: Any) -> str:
    return " true" if value is True else " false" if value is False else _value(value, 0)


def _plain_writer(name: str) -> Callable[[PostMortem, list[str]], None]:
    """The front-matter line(s) of a field that is text, a list of text, a number or a flag."""
    get = operator.attrgetter(name)
    key = f"{name}:"
    default = field_default(name)
    if type(default) is list:
        return lambda pm, out: _list_lines(name, get(pm), out)
    if type(default) is bool:
        return lambda pm, out: out.append(key + _flag_value(get(pm)))
    if type(default) is int:
        return lambda pm, out: out.append(key + _number_value(get(pm)))
    if type(default) is str:
        return lambda pm, out: out.append(key + _text_value(get(pm), 0))
    return lambda pm, out: out.append(key + _value(get(pm), 0))  # a number or null


# Every structured field of the table, in its order: (private, writer).
_FRONT_WRITERS = tuple(
    (spec.private, _RECORD_WRITERS.get(name) or _plain_writer(name)) for name, spec in TABLE.items() if not spec.md
)


def _front_text(pm: PostMortem, *, redacted: bool = False) -> str:
    """``dump_front_matter(front_matter_data(pm, redacted=...))``, written straight from ``pm``.

    The export's hot path: no intermediate dicts, one flow line per record. A
    property test holds it to the generic pair.
    """
    out: list[str] = []
    for private, write in _FRONT_WRITERS:
        if not (redacted and private):
            write(pm, out)
    for name in MD_FIELDS:
        value = getattr(pm, name)
        if "\r" in value and not (redacted and TABLE[name].private):
            out.append(f"{name}:" + _value(value, 0))
    if redacted:
        out.append("redacted: true")
    return "\n".join(out) + "\n"


def _breadsticks_data(pm: PostMortem) -> dict[str, Any]:
    breadsticks = _record(pm.breadsticks, _BREADSTICKS_DEFAULT)
    for name in _MD_SUBFIELDS:  # in the body, unless it holds a \r (see _front_text)
        breadsticks.pop(name, None)
        if "\r" in getattr(pm.breadsticks, name):
            breadsticks[name] = getattr(pm.breadsticks, name)
    return breadsticks


# The records' front-matter data; every other field is its value (a list copied).
_RECORD_DATA: dict[str, Callable[[PostMortem], Any]] = {
    "emotions": lambda pm: [_record(e, _EMOTION_DEFAULT) for e in pm.emotions],
    "recovery": lambda pm: {
        step: _record(s, _STEP_DEFAULT) for step, s in pm.recovery.items() if s != _STEP_DEFAULT
    },
    "breadsticks": _breadsticks_data,
    "follow_ups": lambda pm: [_record(f, _FOLLOW_UP_DEFAULT) for f in pm.follow_ups],
    "review_notes": lambda pm: [_record(n, _NOTE_DEFAULT) for n in pm.review_notes],
    "outcome": lambda pm: _record(pm.outcome, _OUTCOME_DEFAULT),
}


def front_matter_data(pm: PostMortem, *, redacted: bool = False) -> dict[str, Any]:
    """The front matter of ``pm`` as plain data, in the field table's order (see ``journal.markdown``)."""
    data: dict[str, Any] = {}
    for name, spec in TABLE.items():
        if spec.md or (redacted and spec.private):
            continue
        if name in _RECORD_DATA:
            data[name] = _RECORD_DATA[name](pm)
        else:
            value = getattr(pm, name)
            data[name] = list(value) if type(value) is list else value
    for name in MD_FIELDS:
        if "\r" in getattr(pm, name) and not (redacted and TABLE[name].private):
            data[name] = getattr(pm, name)
    if redacted:
        data["redacted"] = True
    return data


def _flat(text: str) -> str:
    return " ".join(text.split())


def _summary_line(pm: PostMortem) -> str:
    role = "I made it" if pm.role == "maker" else "It landed on me"
    parts = [pm.occurred_on, role]
    if pm.client:
        parts.append(_flat(pm.client))
    parts += [f"severity {pm.severity}", pm.status]
    if pm.deleted:
        parts.append("in the trash")
    return "*" + " · ".join(parts) + "*"


_RECOVERY_VIEWS: dict[tuple[tuple[str, str], ...], str] = {}


def _recovery_view(pm: PostMortem) -> str:
    """The six steps as a task list; a few hundred combinations cover most entries, so they are remembered."""
    recovery = pm.recovery
    key = tuple([(recovery[step].state, recovery[step].note) for step in RECOVERY_STEPS])
    view = _RECOVERY_VIEWS.get(key)
    if view is None:
        view = _recovery_lines(pm)
        if sum(len(note) for _, note in key) <= 200:
            _remember(_RECOVERY_VIEWS, key, view)
    return view


def _recovery_lines(pm: PostMortem) -> str:
    lines = []
    for step in RECOVERY_STEPS:
        s = pm.recovery[step]
        mark = "x" if s.state == "done" else " "
        label = step.replace("_", " ").capitalize()
        state = "" if s.state in ("done", "pending") else f" ({s.state})"
        note = f" — {_flat(s.note)}" if s.note.strip() else ""
        lines.append(f"- [{mark}] {label}{state}{note}")
    return "\n".join(lines)


def _breadsticks_view(b: Breadsticks) -> str:
    parts = []
    if b.kind:
        parts.append(f"Kind: {b.kind.replace('_', ' ')}")
    if b.cost is not None:
        parts.append(f"cost: {b.cost:g} {_flat(b.currency)}".rstrip())
    if b.hours is not None:
        parts.append(f"hours: {b.hours:g}")
    if b.accepted:
        parts.append(f"accepted: {b.accepted}")
    return " · ".join(parts) if parts else "_Nothing offered yet._"


def follow_up_line(f: FollowUp) -> str:
    """``- [ ] text — owner, due 2024-05-01`` (DESIGN §4)."""
    mark = "x" if f.status == "done" else " "
    text = _flat(f.text)
    if f.status == "dropped":
        text = f"~~{text}~~"
    extra = [_flat(f.owner)] if f.owner.strip() else []
    if f.due_on:
        extra.append(f"due {f.due_on}")
    if f.done_on:
        extra.append(f"done {f.done_on}")
    if f.status == "dropped":
        extra.append("dropped")
    if f.check_on:
        extra.append(f"check {f.check_on}" + (f": {f.check_result}" if f.check_result else ""))
    elif f.check_result:
        extra.append(f"check: {f.check_result}")
    return f"- [{mark}] {text}" + (f" — {', '.join(extra)}" if extra else "")


def _follow_ups_view(pm: PostMortem) -> str:
    return "\n".join(follow_up_line(f) for f in pm.follow_ups) or "_No follow-ups._"


def _lessons_view(pm: PostMortem) -> str:
    return "\n".join(f"- {_flat(lesson)}" for lesson in pm.lessons) or "_No lessons yet._"


def _review_notes_view(pm: PostMortem) -> str:
    blocks = []
    for note in pm.review_notes:
        who = _flat(note.author) or "Someone"
        quoted = "\n".join(f"> {line}".rstrip() for line in note.text.split("\n"))
        blocks.append(f"**{who}**, {note.written_at[:10]}:\n\n{quoted}")
    return "\n\n".join(blocks) or "_No review notes._"


VIEWS: dict[str, Callable[[PostMortem], str]] = {
    "Recovery": _recovery_view,
    "Follow-ups": _follow_ups_view,
    "Lessons": _lessons_view,
    "Review notes": _review_notes_view,
}


def _section(heading: str, text: str, level: str = "##") -> str:
    """Heading, blank line, text, blank line: reads back as exactly ``text``."""
    if not text:
        return f"{level} {heading}\n\n"
    return f"{level} {heading}\n\n{text}\n\n"


def render_body(pm: PostMortem, *, redacted: bool = False, title_level: str = "#") -> str:
    """The Markdown body: title, summary line and the nine sections (seven when redacted)."""
    return "".join(_body_parts(pm, redacted, title_level))


def _body_parts(pm: PostMortem, redacted: bool, title_level: str) -> list[str]:
    """``render_body`` in pieces, the last one ending in exactly one newline."""
    parts = [f"{title_level} {pm.title}\n\n{_summary_line(pm)}\n\n"]
    for heading, name in SECTIONS.items():
        if redacted and heading in PRIVATE_SECTIONS:
            continue
        if name:
            value = getattr(pm, name)
            parts.append(_section(heading, "" if "\r" in value else escape_text(value)))
        elif heading == "Breadsticks":
            b = pm.breadsticks
            parts.append(f"## Breadsticks\n\n{_breadsticks_view(b)}\n\n")
            for sub, sub_name in BREADSTICK_SECTIONS.items():
                value = getattr(b, sub_name)
                parts.append(_section(sub, "" if "\r" in value else escape_text(value), "###"))
        else:
            parts.append(_section(heading, VIEWS[heading](pm)))
    parts[-1] = parts[-1].rstrip("\n") + "\n"  # a section, never only newlines: the same as stripping the whole
    return parts


def _file_pieces(pm: PostMortem, redacted: bool) -> list[str]:
    """One entry's file: front matter between its fences, then the body's pieces."""
    return ["---\n", _front_text(pm, redacted=redacted), "---\n\n", *_body_parts(pm, redacted, "#")]


def render(pm: PostMortem, *, redacted: bool = False) -> str:
    """One entry as one Markdown file (DESIGN §4). ``redacted`` expects an already redacted entry."""
    return "".join(_file_pieces(pm, redacted))


def render_bytes(pm: PostMortem, *, redacted: bool = False) -> bytes:
    """``render(pm).encode("utf-8")``, a piece at a time: a dash or a name with an accent in one
    section then no longer makes the whole file a wide string to build and to encode."""
    return b"".join([piece.encode("utf-8") for piece in _file_pieces(pm, redacted)])


# --- identity of content -------------------------------------------------------------------------


def with_metadata_of(pm: PostMortem, other: PostMortem) -> PostMortem:
    """``pm``'s content with ``other``'s revision and timestamps."""
    return replace(pm, revision=other.revision, created_at=other.created_at, updated_at=other.updated_at)
