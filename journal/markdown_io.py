"""The Markdown format of DESIGN §4: one post-mortem as one ``.md`` file, and back.

What lives where (so that ``parse(render(pm)) == pm`` exactly):

* **Front matter** (YAML between ``---`` lines) holds every structured field of §2
  under its §2 name, in §2 order: ``id``, ``title``, ``occurred_on``, ``role``,
  ``client``, ``account``, ``severity``, ``status``, ``detection``, ``causes``,
  ``response_style``, ``emotions``, ``recovery``, ``breadsticks`` (``kind``,
  ``cost``, ``currency``, ``hours``, ``accepted``), ``follow_ups``, ``lessons``,
  ``tags``, ``review_notes``, ``outcome``, ``created_at``, ``updated_at``,
  ``revision``, ``deleted``. Every top-level key is always written, in block
  style; each record is one JSON-style flow line (``- {"name": "angry",
  "intensity": 4}``, ``apology: {"state": "done"}``), which YAML reads too. Inside the
  records (an emotion, a recovery step, a follow-up, ...) a sub-field left at its
  default is left out, and ``recovery`` lists only the steps that are not a bare
  ``pending``. A missing key or sub-field means its default.
* **Body** holds the six Markdown (``md``) fields, each the exact text between
  its heading line and the next: ``## What happened``, ``## Impact``,
  ``## Contributing factors``, ``## Reflection``, and ``### Offered`` and
  ``### Wished for`` under ``## Breadsticks``. A body section is read back into
  its field. A section written as ``\\n{text}\\n\\n`` gives ``text`` back exactly.
* **Views**: the ``# title`` line, the summary line, and the sections
  ``## Recovery``, ``## Follow-ups`` (task lists), ``## Lessons`` and
  ``## Review notes`` are written for readers from the front matter. The front
  matter wins: edits to a view are not read back, and the parser warns about them.
* Text that is in none of these places (prose before the first heading, a section
  under another heading after a view, another tool's front-matter values) is kept
  in *What happened* under its own heading and counted in a warning
  ("kept N unknown sections"); see ``journal.transfer.foreign`` and docs/design-notes.md.
* A text line that would read as one of the structural headings above (also when
  it already starts with backslashes) gets one more leading ``\\`` on the way out
  and loses it on the way in, so ``## Impact`` inside *What happened* survives.
* A Markdown field the body cannot hold exactly (one with a ``\\r``) is written
  into the front matter instead, where it wins over the body.
* Redacted files (``redacted: true``) leave out the private fields and their
  sections.

Writing uses a small emitter for this fixed shape instead of ``yaml.safe_dump``:
PyYAML's Python representer costs about 1 ms an entry here, five times the whole
export budget. Every top-level scalar is written plain only when YAML 1.1 would
read it back as the same string; otherwise single-quoted, a literal block, or
double-quoted with escapes; records are quoted by ``json`` (in C). Reading: a
strict one-pass reader of exactly that output, then one of the earlier
block-style records, else libyaml; the property tests check them against
``yaml.safe_load``.
"""

from __future__ import annotations

import copy
import datetime as dt
import errno
import hashlib
import json
import operator
import os
import re
import stat
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from json.encoder import encode_basestring as _json_string  # json's C quoting
from pathlib import Path
from typing import Any, Protocol

import yaml

from journal.model import (
    CANONICAL_UUID,
    RECOVERY_STEPS,
    Breadsticks,
    Emotion,
    FollowUp,
    Outcome,
    PostMortem,
    RecoveryStep,
    ReviewNote,
    mend_text,
    today,
)
from journal.model import content_hash as content_hash  # the sync base; its home is the model
from journal.transfer import foreign

MAX_FILE_BYTES = 20 * 1024 * 1024
SLUG_MAX = 60
COMBINED_MARKER = "<!-- hindsight: combined export for reading; import the one-file-per-entry export instead -->"

# Body sections in file order: heading -> the field it holds ("" for a view).
SECTIONS = {
    "What happened": "what_happened",
    "Impact": "impact",
    "Contributing factors": "contributing_factors",
    "Recovery": "",
    "Breadsticks": "",
    "Follow-ups": "",
    "Lessons": "",
    "Reflection": "reflection",
    "Review notes": "",
}
BREADSTICK_SECTIONS = {"Offered": "offered", "Wished for": "wished_for"}
MD_FIELDS = ("what_happened", "impact", "contributing_factors", "reflection")
PRIVATE_SECTIONS = ("Reflection", "Review notes")
FORMAT_KEYS = ("redacted",)
_NAMESPACE = uuid.UUID("2f1c4a8e-6b7d-4c1e-9a53-6d0f3b8e5a21")


class FormatError(ValueError):
    """A file that cannot be read as a post-mortem; ``str()`` names the file and line."""

    def __init__(self, filename: str, line: int | None, message: str) -> None:
        where = f"{filename}:{line}" if line else filename
        super().__init__(f"{where}: {message}")
        self.filename = filename
        self.line = line
        self.reason = message


@dataclass
class Parsed:
    """A parsed file: the entry, what the reader should know, and whether it was redacted."""

    pm: PostMortem
    warnings: list[str] = field(default_factory=list)
    redacted: bool = False
    plain_note: bool = False


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


def _quotable(text: str) -> bool:
    """``_QUOTABLE.fullmatch(text)``: ASCII text is checked by ``str`` itself, at a tenth of the cost."""
    if text.isascii():
        return text.isprintable()  # for ASCII: no control character and no DEL, exactly
    return _QUOTABLE.fullmatch(text) is not None


def _has_leftovers(text: str) -> bool:
    """``_JSON_LEFTOVERS.search(text)``, with the same shortcut: in ASCII only DEL is one."""
    if text.isascii():
        return "\x7f" in text
    return _JSON_LEFTOVERS.search(text) is not None


def _escape_leftovers(quoted: str) -> str:
    """JSON-quoted text with what YAML may not hold raw written as ``\\uXXXX`` (see ``_flow``)."""
    if not _has_leftovers(quoted):
        return quoted
    return _JSON_LEFTOVERS.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


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


# --- YAML out: a small emitter for the fixed shape -----------------------------------------

_PLAIN = re.compile(r"[^\W\d_](?:[\w .,()/&+'!?-]*[\w.,()/&+'!?-])?")
_UUID = CANONICAL_UUID
_YAML_WORDS = frozenset(
    ["yes", "no", "true", "false", "on", "off", "null", "y", "n"]
)
# Characters YAML prints as they are inside quotes (no tab, no line or paragraph separator, no BOM).
_QUOTABLE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
_JSON_LEFTOVERS = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _scalar(value: Any) -> str:
    """One scalar, written so that ``yaml.safe_load`` reads back exactly ``value``."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text and "." not in text.split("e")[0]:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    text = str(value)
    if (_PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS) or _UUID.fullmatch(text):
        return text
    if "\n" not in text and _quotable(text):
        return "'" + text.replace("'", "''") + "'"
    return _double_quoted(text)


def _double_quoted(text: str) -> str:
    return _escape_leftovers(_json_string(text))


def _literal_ok(text: str) -> bool:
    if "\n" not in text or not _quotable(text.replace("\n", "")):
        return False
    lines = text.split("\n")
    first = next((line for line in lines if line), "")
    if not first or first[0] == " ":
        return False
    return not any(line.endswith(" ") for line in lines)


def _value(value: Any, indent: int) -> str:
    """The text after ``key:`` — a scalar on the same line, or a literal block below it."""
    if isinstance(value, str) and "\n" in value and _literal_ok(value):
        if value.endswith("\n\n"):
            chomp, body = "+", value[:-1]
        elif value.endswith("\n"):
            chomp, body = "", value[:-1]
        else:
            chomp, body = "-", value
        pad = " " * (indent + 2)
        return f" |{chomp}\n" + "\n".join(pad + line if line else "" for line in body.split("\n"))
    return " " + _scalar(value)


def _flow(data: Mapping[str, Any]) -> str:
    """A record of scalars as one JSON-style flow mapping: ``{"state": "done", "note": "..."}``.

    JSON is YAML here: keys and text are double-quoted with JSON's escapes (plus
    ``\\uXXXX`` for the characters YAML may not hold raw), numbers in YAML 1.1's
    spelling (``1.0e+20``, never ``1e+20``, which YAML 1.1 reads as text).
    """
    if not data:
        return "{}"
    line = "{" + ", ".join(
        [
            (_json_string(k) if type(k) is str else _flow_value(k))
            + ": "
            + (_json_string(v) if type(v) is str else _flow_value(v))
            for k, v in data.items()
        ]
    ) + "}"
    return _escape_leftovers(line)  # only quoted text can hold one: escaped there


def _flow_value(value: Any) -> str:
    if type(value) is str:
        return _escape_leftovers(_json_string(value))  # json's C quoting
    if isinstance(value, str):
        return _double_quoted(value)
    return _scalar(value)


def _mapping_lines(data: Mapping[str, Any], indent: int, out: list[str]) -> None:
    """Block style for the entry and ``recovery``; every record of scalars as one flow line."""
    pad = " " * indent
    for key, value in data.items():
        if isinstance(value, Mapping):
            if not value:
                out.append(f"{pad}{key}: {{}}")
            elif _all_scalars(value):
                out.append(f"{pad}{key}: {_flow(value)}")
            else:
                out.append(f"{pad}{key}:")
                _mapping_lines(value, indent + 2, out)
        elif isinstance(value, list):
            if not value:
                out.append(f"{pad}{key}: []")
                continue
            out.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, Mapping):
                    if not _all_scalars(item):
                        raise TypeError(f"{key}: a list item holds a nested record")
                    out.append(f"{pad}- {_flow(item)}")
                else:
                    out.append(f"{pad}-" + _value(item, indent + 2))
        else:
            out.append(f"{pad}{key}:" + _value(value, indent))


def _all_scalars(data: Mapping[str, Any]) -> bool:
    return all(not isinstance(value, (Mapping, list)) for value in data.values())


def dump_front_matter(data: Mapping[str, Any]) -> str:
    """YAML for a mapping of scalars, lists and mappings (the shape of a §2 entry)."""
    out: list[str] = []
    _mapping_lines(data, 0, out)
    return "\n".join(out) + "\n"


# --- YAML in: libyaml's parser, a lenient schema ----------------------------------------------

_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_DROPPED_TAGS = (_BOOL, "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value")


def _lenient_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    kept: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items():
        chosen = [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_TAGS]
        if chosen:
            kept[first] = chosen
    return kept


class _Loader(yaml.CSafeLoader):
    """YAML 1.1 safe loading, except that ``yes``/``no``/``on``/``off`` and dates stay text.

    People type ``accepted: yes`` and ``occurred_on: 2024-05-01`` by hand; both mean
    the string. ``true``/``false`` still read as booleans.
    """

    yaml_implicit_resolvers = _lenient_resolvers()


_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class _Resolver(yaml.resolver.Resolver):
    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


_RESOLVER = _Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_RESOLVED_FIRST = frozenset(_Loader.yaml_implicit_resolvers)


class _Unusual(Exception):
    """Anchors, tags, merge keys: left to PyYAML's full constructor."""


def _plain(value: str) -> Any:
    if value[:1] not in _RESOLVED_FIRST and value:
        return value
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        return _CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, value))
    raise _Unusual


MAX_YAML_DEPTH = 20  # Hindsight writes 3 levels; a deeper file is crafted, not written


class RefusedYaml(yaml.MarkedYAMLError):
    """YAML that Hindsight refuses before building anything: anchors, aliases, deep nesting."""


def _refuse_if_hostile(event: Any, depth: int) -> None:
    """Refuse an anchor or alias (an alias bomb expands a few bytes into gigabytes) or a nesting too deep."""
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
        raise RefusedYaml(
            problem="it uses a YAML anchor or alias (&name or *name), which Hindsight never writes nor reads; "
            "write the value out in full",
            problem_mark=event.start_mark,
        )
    if depth > MAX_YAML_DEPTH:
        raise RefusedYaml(
            problem=f"it nests lists or mappings more than {MAX_YAML_DEPTH} deep", problem_mark=event.start_mark
        )


def _screen(text: str) -> None:
    """Walk libyaml's events once, refusing hostile YAML before PyYAML composes anything from it."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        _refuse_if_hostile(event, depth)


def _node(event: Any, events: Iterator[Any], depth: int = 1) -> Any:
    _refuse_if_hostile(event, depth)
    if isinstance(event, yaml.ScalarEvent):
        if event.tag is not None and event.tag != "!":
            raise _Unusual
        if not event.style and event.implicit[0]:
            return _plain(event.value)
        return event.value
    if getattr(event, "tag", None) is not None:
        raise _Unusual
    if isinstance(event, yaml.SequenceStartEvent):
        items: list[Any] = []
        for inner in events:
            if isinstance(inner, yaml.SequenceEndEvent):
                return items
            items.append(_node(inner, events, depth + 1))
    if isinstance(event, yaml.MappingStartEvent):
        mapping: dict[Any, Any] = {}
        for inner in events:
            if isinstance(inner, yaml.MappingEndEvent):
                return mapping
            if not isinstance(inner, yaml.ScalarEvent):
                raise _Unusual
            key = _node(inner, events, depth + 1)
            if key == "<<" and not inner.style:
                raise _Unusual
            mapping[key] = _node(next(events), events, depth + 1)
    raise _Unusual


def load_front_matter(text: str) -> Any:
    """The front matter as Python data; raises ``yaml.YAMLError`` with marks.

    Our own output is read by ``fast_load`` (a strict reader of exactly what
    ``dump_front_matter`` writes, 10× quicker than building libyaml's events);
    anything else, e.g. a hand-edited file with comments or flow lists, goes
    through libyaml.
    """
    try:
        return fast_load(text)
    except NotCanonical:
        pass
    events = iter(yaml.parse(text, Loader=_Loader))
    try:
        result = None
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                result = _node(next(events), events)
        return result
    except _Unusual:
        _screen(text)  # the full loader expands aliases: refuse them (and deep nesting) first
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: safe


class NotCanonical(Exception):
    """Not exactly what ``dump_front_matter`` writes: read it with libyaml instead."""


_KEY_LINE = re.compile(r"([a-z_]+):(?: (.*))?")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+(?:e[-+][0-9]+)?")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB]")
_LITERALS = {"|": "", "|-": "-", "|+": "+"}


def fast_load(text: str) -> Any:
    """Read the canonical front matter ``dump_front_matter`` writes; ``NotCanonical`` otherwise."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    try:
        return _fast_flat(lines)
    except NotCanonical:
        pass  # e.g. records in the earlier block style: the general reader below
    end, value = _fast_mapping(lines, 0, 0)
    if end != len(lines) or not value:
        raise NotCanonical
    return value


_KEY = re.compile(r"[a-z_]+")


def _fast_flat(lines: list[str]) -> dict[str, Any]:
    """Today's layout in one pass: top-level keys, ``- `` items, and ``recovery``'s indented flow records."""
    data: dict[str, Any] = {}
    count = len(lines)
    i = 0
    while i < count:
        key, colon, rest = lines[i].partition(":")
        i += 1
        if not colon or key in data or (key not in _KNOWN and not _KEY.fullmatch(key)):
            raise NotCanonical
        if rest:
            if rest[0] != " ":
                raise NotCanonical
            rest = rest[1:]
            if rest[:2] == '{"':
                data[key] = _fast_flow(rest)
            elif rest in _LITERALS:
                i, data[key] = _fast_literal(lines, i, 2, _LITERALS[rest])
            else:
                data[key] = _fast_scalar(rest)
        elif i < count and lines[i][:2] == "- ":
            items: list[Any] = []
            while i < count and lines[i][:2] == "- ":
                item = lines[i][2:]
                i += 1
                if item[:2] == '{"':
                    items.append(_fast_flow(item))
                elif item in _LITERALS:
                    i, text = _fast_literal(lines, i, 4, _LITERALS[item])
                    items.append(text)
                elif _KEY_LINE.fullmatch(item):
                    raise NotCanonical  # a record in the earlier block style
                else:
                    items.append(_fast_scalar(item))
            data[key] = items
        elif i < count and lines[i][:2] == "  ":
            records: dict[str, Any] = {}
            while i < count and lines[i][:2] == "  ":
                name, sep, flow = lines[i][2:].partition(": ")
                i += 1
                if not sep or flow[:2] != '{"' or name in records or (
                    name not in RECOVERY_STEPS and not _KEY.fullmatch(name)
                ):
                    raise NotCanonical
                records[name] = _fast_flow(flow)
            data[key] = records
        else:
            raise NotCanonical
    if not data:
        raise NotCanonical
    return data


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _fast_mapping(lines: list[str], i: int, indent: int) -> tuple[int, dict[str, Any]]:
    mapping: dict[str, Any] = {}
    while i < len(lines):
        line = lines[i]
        found = _indent_of(line)
        if found < indent or not line:
            break
        if found > indent:
            raise NotCanonical
        match = _KEY_LINE.fullmatch(line, indent)
        if not match or match.group(1) in mapping:
            raise NotCanonical
        key, rest = match.group(1), match.group(2)
        i += 1
        if rest is None:
            following = lines[i] if i < len(lines) else ""
            if following.startswith(" " * indent + "- "):
                i, mapping[key] = _fast_sequence(lines, i, indent)
            elif following and _indent_of(following) == indent + 2:
                i, mapping[key] = _fast_mapping(lines, i, indent + 2)
            else:
                raise NotCanonical
        elif rest in _LITERALS:
            i, mapping[key] = _fast_literal(lines, i, indent + 2, _LITERALS[rest])
        elif rest[:2] == '{"':
            mapping[key] = _fast_flow(rest)
        else:
            mapping[key] = _fast_scalar(rest)
    return i, mapping


def _fast_sequence(lines: list[str], i: int, indent: int) -> tuple[int, list[Any]]:
    items: list[Any] = []
    dash = " " * indent + "- "
    while i < len(lines) and lines[i].startswith(dash):
        rest = lines[i][indent + 2 :]
        if rest[:2] == '{"':
            items.append(_fast_flow(rest))
            i += 1
        elif rest in _LITERALS:
            i, value = _fast_literal(lines, i + 1, indent + 4, _LITERALS[rest])
            items.append(value)
        elif _KEY_LINE.fullmatch(rest) and rest != "{}":
            lines[i] = " " * (indent + 2) + rest
            i, item = _fast_mapping(lines, i, indent + 2)
            items.append(item)
        else:
            items.append(_fast_scalar(rest))
            i += 1
    return i, items


def _fast_literal(lines: list[str], i: int, indent: int, chomp: str) -> tuple[int, str]:
    pad = " " * indent
    body: list[str] = []
    while i < len(lines) and (lines[i] == "" or lines[i].startswith(pad)):
        body.append(lines[i][indent:])
        i += 1
    first = next((line for line in body if line), "")
    if not first or first[0] == " " or (chomp != "+" and body[-1] == ""):
        raise NotCanonical
    text = "\n".join(body)
    if not _quotable(text.replace("\n", "")):
        raise NotCanonical
    return i, text if chomp == "-" else text + "\n"


# Caches of repeated small values (enums, names, dates, common records) are bounded:
# past this many keys a cache starts again, so a long job never grows one without end.
CACHE_LIMIT = 20_000


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    cache[key] = value


_FLOW_TYPES = (str, int, float, bool, type(None))


def _fast_flow(text: str) -> dict[str, Any]:
    """A record ``_flow`` wrote, read by ``json``; accepted only if ``_flow`` gives back the same text.

    So the strict reader takes exactly our own spelling (which the property tests
    check against ``yaml.safe_load``); any other spelling goes to libyaml.
    """
    known = _FLOW_CACHE.get(text)
    if known is not None:
        return dict(known)  # callers may add ids or drop unknown keys: never share one dict
    try:
        value = _json_decode(text)
    except ValueError:
        raise NotCanonical from None
    if type(value) is not dict:
        raise NotCanonical
    floats = False
    for item in value.values():
        if type(item) is float:
            floats = True
        elif not isinstance(item, _FLOW_TYPES):
            raise NotCanonical
    # json's C encoder writes what _flow writes, but for floats (YAML 1.1 spelling) and the
    # characters _flow escapes: when it gives back the text, so would _flow, at a fifth the cost.
    if (floats or _json_flow(value) != text or _has_leftovers(text)) and _flow(value) != text:
        raise NotCanonical
    if len(text) <= 200:  # recovery steps, emotions, outcomes repeat across entries
        _remember(_FLOW_CACHE, text, dict(value))
    return value


_FLOW_CACHE: dict[str, dict[str, Any]] = {}
_json_decode = json.JSONDecoder().decode
_json_flow = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), check_circular=False).encode
_READ_CACHE: dict[str, Any] = {}
_MISSING = object()


def _fast_scalar(text: str) -> Any:
    """One scalar of our own spelling; short ones are remembered (dates, enums and names repeat)."""
    value = _READ_CACHE.get(text, _MISSING)
    if value is not _MISSING:
        return value
    value = _fast_scalar_uncached(text)
    if len(text) <= 80 and not isinstance(value, (dict, list)):
        _remember(_READ_CACHE, text, value)
    return value


def _fast_scalar_uncached(text: str) -> Any:
    if _PLAIN.fullmatch(text):
        if text.lower() not in _YAML_WORDS:
            return text
    elif _UUID.fullmatch(text):
        return text
    if text == "null":
        return None
    if text in ("true", "false"):
        return text == "true"
    if text == "{}":
        return {}
    if text == "[]":
        return []
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if text.startswith("'"):
        match = _SINGLE.fullmatch(text)
        if match and _quotable(match.group(1)):
            return match.group(1).replace("''", "'")
    elif text.startswith('"') and text.endswith('"') and len(text) >= 2:
        inner = text[1:-1]
        if _quotable(inner) and not _SURROGATE_ESCAPE.search(inner):
            try:
                value = json.loads(text)
            except ValueError:
                raise NotCanonical from None
            if isinstance(value, str):
                return value
    raise NotCanonical


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


def _front_text(pm: PostMortem, *, redacted: bool = False) -> str:
    """``dump_front_matter(front_matter_data(pm, redacted=...))``, written straight from ``pm``.

    The export's hot path: no intermediate dicts, one flow line per record. A
    property test holds it to the generic pair.
    """
    out = [
        "id:" + _text_value(pm.id, 0),
        "title:" + _text_value(pm.title, 0),
        "occurred_on:" + _text_value(pm.occurred_on, 0),
        "role:" + _text_value(pm.role, 0),
        "client:" + _text_value(pm.client, 0),
        "account:" + _text_value(pm.account, 0),
        "severity:" + _number_value(pm.severity),
        "status:" + _text_value(pm.status, 0),
        "detection:" + _text_value(pm.detection, 0),
    ]
    _list_lines("causes", pm.causes, out)
    if not redacted:
        out.append("response_style:" + _text_value(pm.response_style, 0))
        _record_lines("emotions", pm.emotions, _TABLES[Emotion], out, _repeating_record)
    # Not ``s != _STEP_DEFAULT``: a dataclass compares by building two tuples, six times an entry.
    steps = [_step_line(step, s.state, s.note) for step, s in pm.recovery.items() if s.state != "pending" or s.note]
    if steps:
        out.append("recovery:")
        out.extend(steps)
    else:
        out.append("recovery: {}")
    b = pm.breadsticks
    extra = ", ".join(
        [f'"{name}": ' + _flow_value(getattr(b, name)) for name in _MD_SUBFIELDS if "\r" in getattr(b, name)]
    )
    flow = _flow_record(b, _BREADSTICKS_TABLE, extra) if extra else _repeating_record(b, _BREADSTICKS_TABLE)
    out.append("breadsticks: " + flow)
    _record_lines("follow_ups", pm.follow_ups, _TABLES[FollowUp], out)
    _list_lines("lessons", pm.lessons, out)
    _list_lines("tags", pm.tags, out)
    if not redacted:
        _record_lines("review_notes", pm.review_notes, _TABLES[ReviewNote], out)
    out += [
        "outcome: " + _repeating_record(pm.outcome, _TABLES[Outcome]),
        "created_at:" + _text_value(pm.created_at, 0),
        "updated_at:" + _text_value(pm.updated_at, 0),
        "revision:" + _number_value(pm.revision),
        "deleted:" + (" true" if pm.deleted is True else " false" if pm.deleted is False else _value(pm.deleted, 0)),
    ]
    for name in MD_FIELDS:
        value = getattr(pm, name)
        if "\r" in value and not (redacted and name == "reflection"):
            out.append(f"{name}:" + _value(value, 0))
    if redacted:
        out.append("redacted: true")
    return "\n".join(out) + "\n"


def front_matter_data(pm: PostMortem, *, redacted: bool = False) -> dict[str, Any]:
    """The front matter of ``pm`` as plain data, in §2 order (see the module docstring)."""
    breadsticks = _record(pm.breadsticks, _BREADSTICKS_DEFAULT)
    breadsticks.pop("offered", None)
    breadsticks.pop("wished_for", None)
    data: dict[str, Any] = {
        "id": pm.id,
        "title": pm.title,
        "occurred_on": pm.occurred_on,
        "role": pm.role,
        "client": pm.client,
        "account": pm.account,
        "severity": pm.severity,
        "status": pm.status,
        "detection": pm.detection,
        "causes": list(pm.causes),
        "response_style": pm.response_style,
        "emotions": [_record(e, _EMOTION_DEFAULT) for e in pm.emotions],
        "recovery": {
            step: _record(s, _STEP_DEFAULT) for step, s in pm.recovery.items() if s != _STEP_DEFAULT
        },
        "breadsticks": breadsticks,
        "follow_ups": [_record(f, _FOLLOW_UP_DEFAULT) for f in pm.follow_ups],
        "lessons": list(pm.lessons),
        "tags": list(pm.tags),
        "review_notes": [_record(n, _NOTE_DEFAULT) for n in pm.review_notes],
        "outcome": _record(pm.outcome, _OUTCOME_DEFAULT),
        "created_at": pm.created_at,
        "updated_at": pm.updated_at,
        "revision": pm.revision,
        "deleted": pm.deleted,
    }
    for name in MD_FIELDS:
        if "\r" in getattr(pm, name):
            data[name] = getattr(pm, name)
    for name in ("offered", "wished_for"):
        if "\r" in getattr(pm.breadsticks, name):
            breadsticks[name] = getattr(pm.breadsticks, name)
    if redacted:
        from journal.model import PRIVATE_FIELDS

        for name in PRIVATE_FIELDS:
            data.pop(name, None)
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


# --- parse ---------------------------------------------------------------------------------------


_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t\r]*$", re.MULTILINE)


def _line_starts(text: str, prefix: str, start: int = 0) -> Iterator[int]:
    """Where the lines that begin with ``prefix`` begin, from ``start`` (itself a line start).

    ``str.find`` skips to the candidates; a MULTILINE regex search would step through
    every character of the text.
    """
    if text.startswith(prefix, start):
        yield start
    needle = "\n" + prefix
    found = text.find(needle, start)
    while found >= 0:
        yield found + 1
        found = text.find(needle, found + 1)


def _closing_at(text: str, opening: int) -> re.Match[str] | None:
    """The first ``---`` or ``...`` line from ``opening`` on: what ``_CLOSING.search`` finds."""
    first: re.Match[str] | None = None
    for marker in ("---", "..."):
        for line in _line_starts(text, marker, opening):
            if first is not None and line > first.start():
                break
            match = _CLOSING.match(text, line)
            if match:
                first = match
                break
    return first


def _split_front_matter(text: str) -> tuple[str | None, str]:
    """(front matter or None, body)."""
    if not (text.startswith("---\n") or text.startswith("---\r\n")):
        return None, text
    opening = text.index("\n") + 1
    closing = _closing_at(text, opening)
    if closing is None:
        raise ValueError("the front matter that starts on line 1 has no closing '---' line")
    end = text.find("\n", closing.end())
    body = "" if end < 0 else text[end + 1 :]
    return text[opening : closing.start()], body


def _section_text(raw: str) -> str:
    """Undo ``_section``: ``raw`` is the lines under a heading joined by ``\\n``; drop the
    blank line after the heading and the one before the next heading (or the file's end)."""
    if raw.startswith("\n"):
        raw = raw[1:]
    if raw.endswith("\n"):
        raw = raw[:-1]
    return unescape_text(raw)


def _split_sections(
    body: str, prefix: str, pattern: re.Pattern[str]
) -> tuple[str, list[tuple[str, str]]]:
    """(text before the first heading, [(canonical heading, the lines under it joined by \\n)]).

    ``pattern`` matches a whole heading line; ``prefix`` is how every such line begins.
    """
    matches = [m for line in _line_starts(body, prefix) if (m := pattern.match(body, line))]
    if not matches:
        return body, []
    preamble = body[: matches[0].start()]
    sections = []
    for index, match in enumerate(matches):
        start = match.end() + 1
        stop = matches[index + 1].start() - 1 if index + 1 < len(matches) else len(body)
        sections.append((_CANONICAL[match.group(1).lower()], body[start:stop] if start <= stop else ""))
    return preamble[:-1] if preamble.endswith("\n") else preamble, sections


def _first_heading(text: str) -> tuple[str, int] | None:
    """The first ``# heading`` (any level) and its line index."""
    for index, line in enumerate(text.split("\n")):
        match = re.match(r"#{1,6}[ \t]+(.+?)[ \t\r]*(?:#+[ \t\r]*)?$", line)
        if match:
            return match.group(1).strip(), index
    return None


def _title_from_name(filename: str) -> str:
    stem = Path(filename.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}[-_ ]*", "", stem)
    title = re.sub(r"[-_]+", " ", stem).strip()
    return title[:1].upper() + title[1:] if title else "Untitled note"


def _date_from_name(filename: str) -> str:
    match = re.match(r"(\d{4}-\d{2}-\d{2})", Path(filename.replace("\\", "/")).name)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            pass
    return ""


def stable_id(identity: str) -> str:
    """An id for a file that has none, the same on every machine and every import."""
    if not identity.isascii() and mend_text(identity) != identity:  # a path that is not UTF-8: its own bytes
        try:
            raw = identity.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = identity.encode("utf-8", "surrogatepass")
        identity = raw.decode("utf-8", "backslashreplace")
    return str(uuid.uuid5(_NAMESPACE, identity))


_KNOWN = {f.name for f in fields(PostMortem)} | set(FORMAT_KEYS)
_RECORDS: dict[str, type] = {
    "emotions": Emotion,
    "follow_ups": FollowUp,
    "review_notes": ReviewNote,
}


_RECORD_FIELDS: dict[type, frozenset[str]] = {
    cls: frozenset(f.name for f in fields(cls))
    for cls in (Emotion, FollowUp, ReviewNote, RecoveryStep, Breadsticks, Outcome)
}


def _keep_known(data: dict[str, Any], warnings: list[str]) -> foreign.Adopted:
    """Map, or set aside as text, the fields this version does not know, at every level."""
    adopted = (
        foreign.adopt(data, _KNOWN, warnings)
        if not _KNOWN.issuperset(data)
        or type(data.get("tags")) is not list
        or type(data.get("occurred_on")) is not str
        or type(data.get("title")) is not str
        else foreign.Adopted()
    )

    def prune(value: Any, cls: type, name: str, index: int | str | None = None) -> None:
        if isinstance(value, dict) and not _RECORD_FIELDS[cls].issuperset(value):
            known = _RECORD_FIELDS[cls]
            where = name if index is None else f"{name}[{index}]" if isinstance(index, int) else f"{name}.{index}"
            for key in [k for k in value if k not in known]:
                warnings.append(f"`{where}.{key}` kept in the text")
                adopted.other.append(foreign.field_line(f"{where}.{key}", value.pop(key)))

    for name, cls in _RECORDS.items():
        if isinstance(data.get(name), list):
            for i, item in enumerate(data[name]):
                prune(item, cls, name, i)
    if isinstance(data.get("recovery"), dict):
        for step, value in data["recovery"].items():
            prune(value, RecoveryStep, "recovery", step)
    prune(data.get("breadsticks"), Breadsticks, "breadsticks")
    prune(data.get("outcome"), Outcome, "outcome")
    return adopted


def _fill_stable_ids(data: dict[str, Any], entry_id: str) -> None:
    """Give records without an id one derived from the entry, so re-imports are idempotent."""
    base: uuid.UUID | None = None  # made only for a record without an id: most have one
    for name in ("follow_ups", "review_notes"):
        items = data.get(name)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, dict) and not item.get("id"):
                base = base or uuid.UUID(entry_id)
                item["id"] = str(uuid.uuid5(base, f"{name}/{i}"))
            if name == "review_notes" and isinstance(item, dict) and not item.get("written_at"):
                item["written_at"] = data.get("created_at") or f"{data.get('occurred_on') or today()}T00:00:00Z"


def _field_line(front: str, message: str) -> int | None:
    """The line (1-based, within the front matter) of the field an error message names."""
    match = re.match(r"([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?", message)
    if not match:
        return None
    try:
        node = yaml.compose(front, Loader=_Loader)
    except yaml.YAMLError:
        return None
    line = None
    path: list[str | int] = [match.group(1)]
    if match.group(2) is not None:
        path.append(int(match.group(2)))
    if match.group(3):
        path.append(match.group(3))
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            found = next(((k, v) for k, v in node.value if k.value == step), None)
            if found is None:
                break
            line = found[0].start_mark.line + 1
            node = found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line


def parse(text: str, filename: str = "<text>", *, identity: str | None = None, fallback_date: str = "") -> PostMortem:
    """The entry in ``text`` (see the module docstring); ``FormatError`` names file and line."""
    return parse_full(text, filename, identity=identity, fallback_date=fallback_date).pm


def _conflict_marker_line(text: str) -> int | None:
    if "<<<<<<< " not in text and ">>>>>>> " not in text and "=======" not in text:
        return None
    for match in re.finditer(r"^(?:<{7} |>{7} |={7}$)", text, re.MULTILINE):
        return text.count("\n", 0, match.start()) + 1
    return None


def parse_full(
    text: str,
    filename: str = "<text>",
    *,
    identity: str | Callable[[], str] | None = None,
    fallback_date: str = "",
) -> Parsed:
    """Like ``parse``, with the warnings (unknown fields, edited views) and the file's kind."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise FormatError(filename, None, "is not a text file (it contains NUL bytes)")
    marker = _conflict_marker_line(text)
    if marker:
        raise FormatError(filename, marker, "has unresolved git merge conflict markers; finish the merge first")
    if text.startswith(COMBINED_MARKER):
        raise FormatError(filename, 1, "is a combined export for reading; import the one-file-per-entry export")
    try:
        front, body = _split_front_matter(text)
    except ValueError as error:
        raise FormatError(filename, 1, str(error)) from None
    body = body.replace("\r\n", "\n")
    warnings: list[str] = []

    def date() -> str:  # asked only for a note without a date
        return _date_from_name(filename) or fallback_date or today()

    if front is None:
        return _parse_plain_note(body, filename, _identity(identity, filename), date())

    try:
        data = load_front_matter(front)
    except RefusedYaml as error:
        line = error.problem_mark.line + 2 if error.problem_mark else 2
        raise FormatError(filename, line, f"the front matter was refused: {error.problem}") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 2
        raise FormatError(filename, line, f"the front matter is not valid YAML: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise FormatError(filename, 2, f"the front matter is not valid YAML: {error}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FormatError(filename, 2, "the front matter must be a mapping of fields like 'title: ...'")
    # Written in Hindsight's form (by it, or by hand): a value it cannot read is an error to fix, not text.
    in_our_form = bool(data.get("id")) or not _OTHER_TOOLS_KEYS.issuperset(k for k in data if k in _KNOWN)
    adopted = _keep_known(data, warnings)
    redacted = data.pop("redacted", False) is True
    ours = bool(data.get("id"))  # Hindsight wrote it (or one like it): its views show the front matter

    preamble, sections = _split_sections(body, "##", _SECTION_LINE)
    before: list[str] = []  # text outside Hindsight's places, bound for What happened: above its own text
    after: list[str] = []  # ... and below it, in file order
    kept = 0  # how many such pieces (prose before the first heading, or a section under its own heading)
    views: list[tuple[int, str, str]] = []  # (its slot in ``after``, heading, text): known once the entry is
    if data.get("title") in (None, ""):
        heading_found = _first_heading(preamble)
        data["title"] = heading_found[0] if heading_found else _title_from_name(filename)
        lead = _lead_text(preamble, heading_found[1] if heading_found else None)
    else:
        head, gap, summary = preamble.strip("\n").partition("\n\n")  # ours: "# title", blank, the summary line
        if gap and head[:2] == "# " and "\n" not in head and "\n" not in summary and _SUMMARY_VIEW.fullmatch(summary):
            lead = ""
        else:
            lead = _lead_text(preamble, _title_view_lines(preamble, data["title"]))
    if lead:
        before.append(lead)
        kept += _pieces(lead)
    seen: set[str] = set()
    for heading, raw in sections:
        if heading in seen:
            warnings.append(f"section '## {heading}' appears twice; the second one is kept in What happened")
            after.append(f"## {heading}\n\n{_section_text(raw)}".rstrip("\n"))
            kept += 1
            continue
        seen.add(heading)
        name = SECTIONS[heading]
        if name:
            text = _section_text(raw)
            if name not in data:
                data[name] = text
            elif text.strip() and text != data[name]:  # the front matter holds it: keep the body's too
                after.append(f"## {heading}\n\n{text}".rstrip("\n"))
                kept += 1
            continue
        # A view holds no heading: one starts text of someone else's (Breadsticks' own come after its view).
        shown, rest = _split_foreign(raw) if heading != "Breadsticks" else (raw, "")
        if heading == "Breadsticks":
            top, subs = _split_sections(shown, "###", _SUB_LINE)
            shown, rest = _split_foreign(top)  # nothing of ours between the view and "### Offered"
            breadsticks = data.setdefault("breadsticks", {})
            subs_seen: set[str] = set()
            for sub, sub_raw in subs:
                sub_name = BREADSTICK_SECTIONS[sub]
                text = _section_text(sub_raw)
                if isinstance(breadsticks, dict) and sub not in subs_seen and sub_name not in breadsticks:
                    breadsticks[sub_name] = text
                elif text.strip() and not (isinstance(breadsticks, dict) and text == breadsticks.get(sub_name)):
                    after.append(f"### {sub}\n\n{text}".rstrip("\n"))
                    kept += 1
                subs_seen.add(sub)
        if not (redacted and heading in PRIVATE_SECTIONS):  # a redacted file shows none: nothing to compare
            views.append((len(after), heading, shown))
            after.append("")  # filled in below, once the entry it shows is known
        if rest:
            after.append(rest)
            kept += _pieces(rest)

    if not data.get("id"):
        data["id"] = stable_id(_identity(identity, filename))
    data.setdefault("role", "maker")
    if not data.get("occurred_on"):
        data["occurred_on"] = date()
    # Another tool's records as written, should they have to be kept as text (ids get filled in next).
    as_written = {} if ours else {n: copy.deepcopy(data[n]) for n in ("follow_ups", "review_notes") if n in data}
    try:
        entry_id = str(data["id"])
        if not _UUID.fullmatch(entry_id):  # the usual spelling needs no UUID to check it
            uuid.UUID(entry_id)
        _fill_stable_ids(data, entry_id)
    except ValueError:
        pass  # from_dict names the bad id
    while True:
        try:
            pm = PostMortem.from_dict(data, allow_unknown=False)
            break
        except ValueError as error:
            named = _NAMED_FIELD.match(str(error))
            name = named.group(1) if named else ""
            if in_our_form or name in ("", "id", "title") or name not in data:
                found_line = _field_line(front, str(error))
                hint = ""
                if "must be" in str(error) and ("got True" in str(error) or "got False" in str(error)):
                    hint = " (put the value in quotes)"
                raise FormatError(filename, found_line + 1 if found_line else 2, f"{error}{hint}") from None
            # Another tool's ``severity: SEV-1`` or ``status: published``: its words, not a value of ours.
            value = data.pop(name)
            adopted.other.append(foreign.field_line(name, as_written.get(name, value)))
            warnings.append(f"`{name}` is not in Hindsight's form; kept in the text")
            if name == "occurred_on":
                data["occurred_on"] = date()
            elif name == "role":
                data["role"] = "maker"
    for slot, heading, raw in views:
        shown = _section_text(raw).strip()
        expected = (VIEWS[heading](pm) if heading in VIEWS else _breadsticks_view(pm.breadsticks)).strip()
        if shown == expected:
            continue
        if shown.startswith(expected + "\n"):  # prose added under a view: kept, the view is still the view
            after[slot] = shown[len(expected) :].strip("\n")
        elif not ours and shown:  # another tool's section of this name: its text, not a view of ours
            after[slot] = f"## {heading}\n\n{shown}"
        elif heading in VIEWS:
            warnings.append(
                f"the '## {heading}' section differs from the front matter, which wins; "
                f"edit {heading.lower()} in the front matter"
            )
            continue
        else:
            continue
        kept += 1
    if kept:
        warnings.append(f"kept {kept} unknown section{'' if kept == 1 else 's'} in What happened")
    before[:0] = adopted.lead
    if adopted.other:
        after.append(adopted.other_block())
    if before or any(after):
        own = pm.what_happened.strip("\n")
        pm = replace(pm, what_happened="\n\n".join([part for part in (*before, own, *after) if part]) + "\n")
    return Parsed(pm, warnings, redacted)


# Keys of ours that other tools' front matter uses too; any other key of ours marks a file in our form.
_OTHER_TOOLS_KEYS = frozenset(["title", "tags", "status", "severity", "client", "created_at", "updated_at"])
_NAMED_FIELD = re.compile(r"([a-z_]+)[ .\[]")  # the top-level field an entry's error names
_ANY_HEADING = re.compile(r"^#{1,6}[ \t]", re.MULTILINE)
_SUMMARY_VIEW = re.compile(
    r"\*\d{4}-\d{2}-\d{2} · (?:I made it|It landed on me) · .*severity \d+ · \w+(?: · in the trash)?\*[ \t\r]*"
)


def _split_foreign(raw: str) -> tuple[str, str]:
    """(a view section's own lines, the rest from the first heading that is not ours): views hold none."""
    if "#" not in raw:
        return raw, ""
    match = _ANY_HEADING.search(raw)
    if match is None:
        return raw, ""
    return raw[: match.start()], raw[match.start() :].strip("\n")


_FENCE = re.compile(r"^[ ]{0,3}(?:```|~~~)", re.MULTILINE)


def _pieces(text: str) -> int:
    """Prose before the first heading counts one, and each heading one: what a person calls sections.

    A ``# comment`` inside a fenced code block is not a heading.
    """
    if _FENCE.search(text):
        text = "\n".join(part for i, part in enumerate(_FENCE.split(text)) if i % 2 == 0)
    first = _ANY_HEADING.search(text)
    count = len(_ANY_HEADING.findall(text))
    return count + (1 if (text if first is None else text[: first.start()]).strip() else 0)


def _title_view_lines(preamble: str, title: Any) -> tuple[int, ...] | None:
    """The lines of the preamble that show the front matter's title (and the summary line under it).

    Our own files start ``# title`` and the summary line: views of the front matter,
    even when the title was edited since. Another tool's heading is one only if it
    says the title.
    """
    if not preamble:
        return None
    lines = preamble.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not _ANY_HEADING.match(lines[first]):
        return None
    following = next((i for i in range(first + 1, len(lines)) if lines[i].strip()), None)
    if lines[first].startswith("# ") and following is not None and _SUMMARY_VIEW.fullmatch(lines[following]):
        return (first, following)
    found = _first_heading(lines[first])
    if found and isinstance(title, str) and _flat(found[0]) == _flat(title):
        return (first,)
    return None


def _lead_text(preamble: str, skip: int | tuple[int, ...] | None) -> str:
    """The preamble without the lines that became the title (or show it); '' if nothing else is there."""
    if not preamble.strip():
        return ""
    lines = preamble.split("\n")
    if skip is not None:
        gone = {skip} if isinstance(skip, int) else set(skip)
        for i in sorted(gone):  # a blank line left on both sides of a removed line: one is enough
            if 0 < i < len(lines) - 1 and not lines[i - 1].strip() and not lines[i + 1].strip():
                gone.add(i + 1)
        lines = [line for i, line in enumerate(lines) if i not in gone]
    text = "\n".join(lines).strip("\n")
    return text if text.strip() else ""


def _identity(identity: str | Callable[[], str] | None, filename: str) -> str:
    """What a file without an id is known by; a callable is asked only then (resolving paths costs)."""
    if callable(identity):
        identity = identity()
    return identity or filename


def _parse_plain_note(body: str, filename: str, identity: str, date: str) -> Parsed:
    """A Markdown note without front matter: a draft titled from its first heading or file name."""
    found = _first_heading(body)
    lines = body.split("\n")
    if found:
        title, index = found
        del lines[index]
        if index < len(lines) and not lines[index].strip():
            del lines[index]
    else:
        title = _title_from_name(filename)
    title = _flat(title)[:200] or "Untitled note"
    text = "\n".join(lines).strip("\n")
    try:
        pm = PostMortem.from_dict(
            {
                "id": stable_id(identity),
                "title": title,
                "role": "maker",
                "status": "draft",
                "occurred_on": date,
                "what_happened": text + "\n" if text else "",
            }
        )
    except ValueError as error:
        raise FormatError(filename, 1, str(error)) from None
    return Parsed(pm, [], plain_note=True)


# --- files ------------------------------------------------------------------------------------


def read_text(path: Path | str, shown: str | None = None) -> str:
    """A file's text, or ``FormatError``: too large, not UTF-8, or unreadable."""
    shown = shown or str(path)
    return decode(read_bytes(path, shown)[0], shown)


def file_fingerprint(data: bytes) -> str:
    """A fingerprint of a file's bytes (not of what they say, as ``content_hash`` is)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _too_big(size: int) -> str:
    """Why a file of ``size`` bytes is refused, in sizes that never read as equal to the limit."""
    limit = MAX_FILE_BYTES // 2**20
    megabytes = f"{size / 2**20:.1f}".removesuffix(".0")
    if float(megabytes) <= limit:  # 20.03 MB would round to the limit itself
        return f"is just over {limit} MB, the most one entry may hold"
    return f"is {megabytes} MB; one entry may be at most {limit} MB"


# Never through a link, never blocking on a FIFO: a shared folder's files cannot reach outside it.
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ_ONLY_HERE = os.O_RDONLY | getattr(os, "O_BINARY", 0) | _NO_FOLLOW | getattr(os, "O_NONBLOCK", 0)


def read_bytes(path: Path | str, shown: str) -> tuple[bytes, float]:
    """(bytes, modification time) of a regular file that is not too large, or ``FormatError``.

    A symbolic link is refused, not followed, and so is anything but a regular file.
    """
    try:
        try:
            if not _NO_FOLLOW and os.path.islink(path):  # no O_NOFOLLOW here (Windows): ask first
                raise OSError(errno.ELOOP, "is a symbolic link")
            fd = os.open(path, _READ_ONLY_HERE)
        except OSError as error:
            if error.errno == errno.ELOOP or os.path.islink(path):  # O_NOFOLLOW refused a link
                raise FormatError(shown, None, "is a symbolic link; not followed") from None
            raise
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):  # a FIFO would block, a device would never end
                raise FormatError(shown, None, "is not a regular file (a pipe, device or socket); not read")
            size = info.st_size
            if size > MAX_FILE_BYTES:
                raise FormatError(shown, None, _too_big(size))
            chunks = []
            total = 0
            wanted = max(size + 1, 65536)
            while True:  # read to the end, even if the file grew since fstat
                chunk = os.read(fd, wanted)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if len(chunk) < wanted and total >= size:  # all of it: no second read for the usual file
                    break
                if total > MAX_FILE_BYTES:
                    raise FormatError(shown, None, f"is over {MAX_FILE_BYTES // 2**20} MB, the most one entry may be")
            data = chunks[0] if len(chunks) == 1 else b"".join(chunks)  # b"" for an empty file
        finally:
            os.close(fd)
    except OSError as error:
        raise FormatError(shown, None, f"cannot be read ({error.strerror or error})") from None
    return data, info.st_mtime


def decode(data: bytes, shown: str) -> str:
    """A file's bytes as text, or ``FormatError``: binary, or not UTF-8."""
    if b"\x00" in data:
        raise FormatError(shown, None, "is not a text file (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FormatError(shown, line, "is not UTF-8 text; save it as UTF-8 and import it again") from None


def parse_file(
    path: Path, shown: str | None = None, *, identity: str | Callable[[], str] | None = None
) -> Parsed:
    """Read and parse one file; the date of a plain note falls back to the file's date."""
    return parse_file_printed(path, shown, identity=identity)[0]


def parse_file_printed(
    path: Path, shown: str | None = None, *, identity: str | Callable[[], str] | None = None
) -> tuple[Parsed, str]:
    """``parse_file``, and the ``file_fingerprint`` of the bytes it read."""
    shown = shown or str(path)
    data, mtime = read_bytes(path, shown)
    parsed = parse_full(decode(data, shown), shown, identity=identity or path.name, fallback_date=_day_of(mtime))
    return parsed, file_fingerprint(data)


def _day_of(mtime: float) -> str:
    """The day of a file's modification time ('' if the time is out of range)."""
    try:
        return dt.date.fromtimestamp(mtime).isoformat()
    except (OverflowError, OSError, ValueError):
        return ""


def file_date(path: Path) -> str:
    """The day a file was last changed: the date of a note that gives none."""
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
    except OSError:
        return ""


# --- names -------------------------------------------------------------------------------------

_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))]
)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_HEX = re.compile(r"[^0-9a-f]")


def slugify(text: str, limit: int = SLUG_MAX) -> str:
    """ASCII, lowercase, dashes; never empty, never a reserved device name."""
    if text.isascii():  # NFKD leaves ASCII as it is
        ascii_text = text
    else:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut[limit // 2 :] else cut).strip("-")
    if not slug or slug in _WINDOWS_RESERVED:
        slug = f"entry-{slug}" if slug else "entry"
    return slug


class Named(Protocol):
    """What a file name is made of: an entry or its summary."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def occurred_on(self) -> str: ...


def file_name(pm: Named, *, id_chars: int = 8) -> str:
    """``YYYY-MM-DD-<slug>-<first 8 of id>.md`` — safe on Windows, macOS and Linux."""
    entry_id = pm.id
    hex_id = entry_id.replace("-", "") if _UUID.fullmatch(entry_id) else _NOT_HEX.sub("", entry_id.lower())
    short = hex_id[:id_chars] or "noid"
    date = pm.occurred_on if _DATE.fullmatch(pm.occurred_on) else "0000-00-00"
    return f"{date}-{slugify(pm.title)}-{short}.md"


def inside(folder: Path, name: str) -> Path:
    """``folder/name``, refusing any name that could lead outside ``folder``.

    A plain name (no separator, not ``.``/``..``, no drive colon) cannot leave the
    folder; a symlink planted under that name is not followed, because new files
    are created exclusively and existing ones are replaced by ``os.replace``.
    """
    return folder / safe_name(name)


def safe_name(name: str) -> str:
    """``name`` if it is a plain file name (see ``inside``), else ``ValueError``."""
    if not name or name in (".", "..") or any(c in name for c in "/\\:\x00") or name != name.strip():
        raise ValueError(f"unsafe file name {name!r}")
    return name


def escape_inline(text: str) -> str:
    """Text safe inside a Markdown link label."""
    return re.sub(r"([\\\[\]*_`<>])", r"\\\1", text)


# --- identity of content -------------------------------------------------------------------------


def with_metadata_of(pm: PostMortem, other: PostMortem) -> PostMortem:
    """``pm``'s content with ``other``'s revision and timestamps."""
    return replace(pm, revision=other.revision, created_at=other.created_at, updated_at=other.updated_at)
