"""Reading the Markdown format of DESIGN §4 back into a post-mortem, keeping every word.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from journal.markdown.frontmatter import _KNOWN, RefusedYaml, _Loader, load_front_matter
from journal.markdown.writer import (
    _CANONICAL,
    _NAMESPACE,
    _SECTION_LINE,
    _SUB_LINE,
    BREADSTICK_SECTIONS,
    COMBINED_MARKER,
    PRIVATE_SECTIONS,
    SECTIONS,
    VIEWS,
    _breadsticks_view,
    _flat,
    unescape_text,
)
from journal.model import CANONICAL_UUID as _UUID
from journal.model import (
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
