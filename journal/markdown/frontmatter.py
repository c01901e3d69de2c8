"""The YAML front matter of an entry file: a small writer for its fixed shape, and lenient readers.

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

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import fields
from json.encoder import encode_basestring as _json_string  # json's C quoting
from typing import Any

import yaml

from journal.model import (
    CANONICAL_UUID,
    RECOVERY_STEPS,
    PostMortem,
)
from journal.model import content_hash as content_hash  # the sync base; its home is the model

FORMAT_KEYS = ("redacted",)

_KNOWN = {f.name for f in fields(PostMortem)} | set(FORMAT_KEYS)

# --- YAML out: a small emitter for the fixed shape -----------------------------------------

_PLAIN = re.compile(r"[^\W\d_](?:[\w .,()/&+'!?-]*[\w.,()/&+'!?-])?")
_UUID = CANONICAL_UUID
_YAML_WORDS = frozenset(
    ["yes", "no", "true", "false", "on", "off", "null", "y", "n"]
)
# Characters YAML prints as they are inside quotes (no tab, no line or paragraph separator, no BOM).
_QUOTABLE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
_JSON_LEFTOVERS = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")



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
