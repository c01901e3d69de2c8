"""Front matter written by other tools (Obsidian, Jekyll, incident archives) read into an entry.

Hindsight's own keys are left as they are and always win. The common keys of other
tools are mapped: ``date``/``start_time``/``created`` to ``occurred_on`` (the date part
of a date-time), ``keywords``/``categories``/``category`` into ``tags``,
``company``/``customer`` to ``client``. ``summary`` and ``description`` become labelled
paragraphs for the top of *What happened*, and every other value a ``- key: value``
line of an "Other fields" list at its end: nothing a file says is dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

DATE_KEYS = ("date", "start_time", "created")  # in order of preference: when it happened, not when noted
TAG_KEYS = ("keywords", "categories", "category")
CLIENT_KEYS = ("company", "customer")
LEAD_KEYS = ("summary", "description")
OTHER_FIELDS = "**Other fields**"

_DATE_PART = re.compile(
    r"(\d{4}-\d{2}-\d{2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?[ \t]*(?:Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{2,5})?)?"
)


@dataclass
class Adopted:
    """What the front matter says that has no field of its own: text for *What happened*."""

    lead: list[str] = field(default_factory=list)  # labelled paragraphs, for its top
    other: list[str] = field(default_factory=list)  # ``- key: value`` lines, for its end

    def other_block(self) -> str:
        return f"{OTHER_FIELDS}\n\n" + "\n".join(self.other) if self.other else ""


def date_part(value: Any) -> str | None:
    """``YYYY-MM-DD`` of a date, a date-time or an ISO string with a time and zone; None if none."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    match = _DATE_PART.fullmatch(value.strip())
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def labels(value: Any) -> list[str] | None:
    """Tags from a list or a string (``"a, b"`` or Jekyll's ``"a b"``); None if not label-shaped."""
    if isinstance(value, str):
        parts = value.split(",") if "," in value else value.split()
    elif isinstance(value, list) and all(_scalar(v) and not isinstance(v, bool) for v in value):
        parts = [shown(v) for v in value if v is not None]
    elif _scalar(value) and not isinstance(value, bool) and value is not None:
        parts = [shown(value)]
    else:
        return None
    found = [_bare(p) for p in parts]
    return [p for p in found if p]


def _bare(label: str) -> str:
    """A label without Obsidian's ``#`` or the quotes of a hand-typed list: ``"#ops"`` is ``ops``."""
    label = label.strip()
    if len(label) >= 2 and label[0] == label[-1] and label[0] in "\"'":
        label = label[1:-1].strip()
    return label.lstrip("#").strip()


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, dt.date))


def shown(value: Any) -> str:
    """A front-matter value as text a person reads back."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list) and all(_scalar(v) for v in value):
        return ", ".join(shown(v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def field_line(key: str, value: Any) -> str:
    """``- key: value``; the lines of a long value indented under it."""
    return f"- {key}: " + shown(value).strip("\n").replace("\n", "\n  ")


def _adopt_tags(data: dict[str, Any], warnings: list[str]) -> None:
    tags = data.get("tags")
    merged: list[str] = []
    if tags is not None and not (type(tags) is list and all(type(t) is str for t in tags)):
        found = labels(tags)
        if found is None:
            return  # not label-shaped: the entry's own check names it
        merged = found
    elif tags:
        # A file without an id is not one Hindsight wrote: its ``#ops`` is Obsidian's way to write ``ops``.
        merged = list(tags) if "id" in data else [t for t in map(_bare, tags) if t]
    for key in TAG_KEYS:
        if key not in data:
            continue
        found = labels(data[key])
        if found is None:
            continue  # left for the "other fields"
        del data[key]
        merged += [t for t in found if t not in merged]
        warnings.append(f"`{key}` read as tags")
    if merged or tags is not None:
        data["tags"] = merged


def adopt(data: dict[str, Any], known: Collection[str], warnings: list[str]) -> Adopted:
    """Map or set aside what ``data`` holds that is not one of ``known`` (``data`` is changed in place)."""
    adopted = Adopted()
    title = data.get("title")
    if isinstance(title, (int, float, dt.date)) and not isinstance(title, bool):
        data["title"] = shown(title)  # ``title: 2019`` is a title, not a number
    occurred = data.get("occurred_on")
    if occurred is not None and not (type(occurred) is str and len(occurred) == 10):
        data["occurred_on"] = date_part(occurred) or occurred  # else the entry's own check names it
    _adopt_tags(data, warnings)
    if not occurred:
        for key in DATE_KEYS:
            day = date_part(data.get(key))
            if day is not None:
                data["occurred_on"] = day
                del data[key]
                warnings.append(f"`{key}` read as occurred_on")
                break
    if not str(data.get("client") or "").strip():
        for key in CLIENT_KEYS:
            value = data.get(key)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
                data["client"] = str(value).strip()
                del data[key]
                warnings.append(f"`{key}` read as client")
                break
    for key in LEAD_KEYS:
        value = data.get(key)
        if key in data and _scalar(value) and shown(value).strip():
            text = shown(value).strip("\n")
            label = f"**{key.capitalize()}:**"
            adopted.lead.append(f"{label} {text}" if "\n" not in text else f"{label}\n\n{text}")
            del data[key]
            warnings.append(f"`{key}` kept in the text")
    for key in [k for k in data if k not in known]:
        value = data.pop(key)
        if value is None or value == "" or value == [] or value == {}:
            continue  # an empty value says nothing that could be lost
        if key in DATE_KEYS and date_part(value) is None and value not in (None, ""):
            warnings.append(f"`{key}` is not a date; kept in the text")
        else:
            warnings.append(f"`{key}` kept in the text")
        adopted.other.append(field_line(str(key), value))
    return adopted
