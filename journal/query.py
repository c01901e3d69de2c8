"""The search syntax of DESIGN.md §3: one parser for the app and the CLI.

Any input is valid. What cannot be read as syntax is searched as text, and text
reaches FTS5 only as double-quoted phrases, so no user input can change the
meaning of the SQL or of the FTS5 expression.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from journal.model import DETECTIONS, ROLES, STATUSES, mend_text

TEXT_FIELDS = ("client", "account", "tag", "cause", "emotion")
HAS_VALUES = ("overdue", "open-followups", "response")
_SEVERITY = re.compile(r"^(>=|<=|>|<|=)?([1-5])$")
# ``response:>24h``: hours to the first reply; ``h`` may be left out, ``d`` counts days.
_HOURS = re.compile(r"^(>=|<=|>|<|=)?(\d{1,6}(?:[.,]\d+)?)([hd]?)$")
_FIELD = re.compile(r"^(-?)([a-z_]+):(.*)$", re.DOTALL)


@dataclass(frozen=True)
class TextTerm:
    text: str
    negated: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Filter:
    field: str
    op: str
    value: str | int | float
    negated: bool = False


@dataclass(frozen=True)
class Query:
    raw: str = ""
    terms: tuple[TextTerm, ...] = ()
    filters: tuple[Filter, ...] = field(default_factory=tuple)
    # Something was typed, but no word and no filter came of it (only punctuation, like '"((*'):
    # such a query matches nothing, rather than everything as an empty one would.
    nothing_to_search: bool = False

    @property
    def has_text(self) -> bool:
        return any(not t.negated for t in self.terms)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.filters


def _has_token_chars(text: str) -> bool:
    """True when FTS5's tokenizer (see migrations.FTS_TOKENIZE) sees a token."""
    return any(unicodedata.category(ch)[0] in "LNM" or unicodedata.category(ch) in ("Co", "So")
               for ch in text)


def _tokens(raw: str) -> list[tuple[str, bool, bool]]:
    """Split into (text, negated, quoted) tokens; ``field:"a b"`` stays one token."""
    return [token for _start, _end, token in _token_spans(raw)]


def _token_spans(raw: str) -> list[tuple[int, int, tuple[str, bool, bool]]]:
    """The tokens of ``_tokens`` with where each starts and ends in ``raw``."""
    out: list[tuple[int, int, tuple[str, bool, bool]]] = []
    i, n = 0, len(raw)
    while i < n:
        if raw[i].isspace():
            i += 1
            continue
        begin = i
        negated = False
        if raw[i] == "-" and i + 1 < n and not raw[i + 1].isspace():
            negated = True
            i += 1
        if raw[i] == '"':
            end = raw.find('"', i + 1)
            end = n if end < 0 else end
            out.append((begin, min(n, end + 1), (raw[i + 1 : end], negated, True)))
            i = end + 1
            continue
        start = i
        while i < n and not raw[i].isspace() and raw[i] != '"':
            i += 1
        word = raw[start:i]
        if i < n and raw[i] == '"' and word.endswith(":"):
            end = raw.find('"', i + 1)
            end = n if end < 0 else end
            word += raw[i + 1 : end]
            i = end + 1
            out.append((begin, min(n, i), (word, negated, True)))
            continue
        out.append((begin, i, (word, negated, False)))
    return out


def _date_bound(value: str, *, end: bool) -> str | None:
    """``2024``, ``2024-05`` or ``2024-05-01`` as the first (or the day after the last) day."""
    try:
        if re.fullmatch(r"\d{4}", value):
            year = int(value)
            return dt.date(year + 1 if end else year, 1, 1).isoformat()
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = int(value[:4]), int(value[5:])
            first = dt.date(year, month, 1)
            if end:
                first = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return first.isoformat()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
            return (day + dt.timedelta(days=1) if end else day).isoformat()
    except ValueError:
        return None
    return None


def _filter(name: str, value: str, negated: bool) -> Filter | None:
    """Read one ``name:value``; None when it is not valid syntax (then it is text)."""
    low = value.lower()
    if name in TEXT_FIELDS:
        return Filter(name, "=", value, negated) if value.strip() else None
    if name == "role":
        aliases = {"made": "maker", "me": "maker", "received": "receiver", "them": "receiver"}
        low = aliases.get(low, low)
        return Filter(name, "=", low, negated) if low in ROLES else None
    if name == "status":
        return Filter(name, "=", low, negated) if low in STATUSES else None
    if name == "detection":
        return Filter(name, "=", low, negated) if low in DETECTIONS else None
    if name == "severity":
        match = _SEVERITY.match(value.replace(" ", ""))
        if not match:
            return None
        return Filter(name, match.group(1) or "=", int(match.group(2)), negated)
    if name == "response":
        match = _HOURS.match(low.replace(" ", ""))
        if not match:
            return None
        hours = float(match.group(2).replace(",", ".")) * (24 if match.group(3) == "d" else 1)
        return Filter("first_response_hours", match.group(1) or "=", hours, negated)
    if name == "after":
        bound = _date_bound(value, end=False)
        return Filter("occurred_on", ">=", bound, negated) if bound else None
    if name == "before":
        bound = _date_bound(value, end=False)
        return Filter("occurred_on", "<", bound, negated) if bound else None
    if name == "has":
        return Filter(name, "=", low, negated) if low in HAS_VALUES else None
    return None


def parse(raw: str) -> Query:
    """Parse what a person typed. Never raises."""
    raw = mend_text(raw.replace("\x00", " "))  # undecodable bytes are searched as U+FFFD, never an error
    tokens = _tokens(raw)
    terms: list[TextTerm] = []
    filters: list[Filter] = []
    for index, (text, negated, quoted) in enumerate(tokens):
        match = _FIELD.match(text)
        if match and not match.group(1):
            parsed = _filter(match.group(2).lower(), match.group(3), negated)
            if parsed is not None:
                filters.append(parsed)
                continue
        text = unicodedata.normalize("NFC", text)
        if not _has_token_chars(text):
            continue
        is_last = index == len(tokens) - 1
        prefix = is_last and not quoted and not negated and not raw[-1:].isspace()
        terms.append(TextTerm(text, negated, prefix))
    unsearchable = bool(tokens) and not terms and not filters
    return Query(raw, tuple(terms), tuple(filters), unsearchable)


def fts_phrase(term: TextTerm) -> str:
    """One term as an FTS5 string literal: nothing inside it is syntax."""
    return '"' + term.text.replace('"', '""') + '"' + ("*" if term.prefix else "")


def fts_match(query: Query, negated: bool = False) -> str | None:
    """The FTS5 expression for the positive (or, with ``negated``, the excluded) terms."""
    phrases = [fts_phrase(t) for t in query.terms if t.negated == negated]
    if not phrases:
        return None
    return (" OR " if negated else " AND ").join(phrases)


def where(query: Query, today: str | None = None) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``entries e`` for the field filters and excluded words.

    Every value is a bound parameter; only fixed column names are interpolated.
    """
    today = today or dt.date.today().isoformat()
    clauses: list[str] = []
    params: list[Any] = []
    if query.nothing_to_search:
        clauses.append("0")  # typed, but nothing searchable in it: no entry matches (SQLite skips the scan)
    for f in query.filters:
        # Child-table filters are IN-subqueries: SQLite builds the set once from an index,
        # which is several times faster than a correlated EXISTS on 100,000 entries.
        if f.field == "client":
            clause, value = "e.client = ? COLLATE NOCASE", [f.value]
        elif f.field == "account":
            clause, value = "e.account_key = ? COLLATE NOCASE", [f.value]
        elif f.field in ("tag", "cause", "emotion"):
            table = {"tag": "tags", "cause": "causes", "emotion": "emotions"}[f.field]
            clause, value = f"e.seq IN (SELECT entry FROM {table} WHERE name = ? COLLATE NOCASE)", [f.value]
        elif f.field in ("role", "status", "detection"):
            clause, value = f"e.{f.field} = ?", [f.value]
        elif f.field == "severity":
            clause, value = f"e.severity {f.op} ?", [f.value]
        elif f.field == "occurred_on":
            clause, value = f"e.occurred_on {f.op} ?", [f.value]
        elif f.field == "first_response_hours":
            # Not known is no match, and ``-response:>24h`` keeps it (NOT of a NULL would drop it).
            clause = f"(e.first_response_hours IS NOT NULL AND e.first_response_hours {f.op} ?)"
            value = [f.value]
        elif f.value == "response":
            clause, value = "e.first_response_hours IS NOT NULL", []
        elif f.value == "overdue":
            clause = (
                "e.seq IN (SELECT entry FROM follow_ups WHERE status = 'open' AND due_on != '' AND due_on < ?)"
            )
            value = [today]
        else:
            clause, value = "e.seq IN (SELECT entry FROM follow_ups WHERE status = 'open')", []
        clauses.append(f"NOT ({clause})" if f.negated else clause)
        params.extend(value)
    excluded = fts_match(query, negated=True)
    if excluded:
        clauses.append("e.seq NOT IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
        params.append(excluded)
    return clauses, params


def unsearchable_reason(query: Query) -> str | None:
    """Why a query finds nothing before any entry is looked at; None when it can be searched."""
    if not query.nothing_to_search:
        return None
    return f"nothing to search for in “{query.raw.strip()}”: it has no letters or numbers"


def without_last_filter(raw: str) -> str | None:
    """``raw`` with its last ``field:value`` filter taken out; None when it has no filter."""
    spans = _token_spans(raw)
    for start, end, (text, negated, _quoted) in reversed(spans):
        match = _FIELD.match(text)
        if match and not match.group(1) and _filter(match.group(2).lower(), match.group(3), negated) is not None:
            return " ".join(part for part in (raw[:start].strip(), raw[end:].strip()) if part)
    return None


def last_filter_text(raw: str) -> str | None:
    """The last ``field:value`` filter as typed (for a button that offers to drop it)."""
    spans = _token_spans(raw)
    for start, end, (text, negated, _quoted) in reversed(spans):
        match = _FIELD.match(text)
        if match and not match.group(1) and _filter(match.group(2).lower(), match.group(3), negated) is not None:
            return raw[start:end]
    return None
