"""Redacted copies of post-mortems for sharing, and the scan that refuses a leaky one.

A redacted entry leaves out the private fields (DESIGN §2) and replaces every name
the journal knows — clients, accounts, follow-up owners, review-note authors, from
the whole journal, trash included — with a stable pseudonym (``Client A``,
``Person B``), in those fields and wherever the name or one of its parts occurs in
any text, tags and the title (so the file name) included:

* A name is matched as whole words, in any case and with or without diacritics
  (``Nörthwind`` = ``NORTHWIND``); ``Northwind's``, ``Priya’s`` and
  ``Northwind-Dental`` are found because an apostrophe or a hyphen ends a word.
* Each part of a name is replaced on its own too (``Priya`` of ``Priya Sharma``,
  ``Northwind`` of ``Northwind Dental Group``) by the pseudonym of the whole; a part
  shared by several names takes the pseudonym of the first one learned. Parts that
  name nothing (``NOT_PARTS``: pronouns, team words, particles, legal forms and
  generic business nouns such as ``Group``, ``Dental``, ``Services``), single
  letters and numbers are not parts; the whole name is still replaced.
* Words that are not names (``me``, ``I``, ``we``, ``the team``, ``the client``…)
  are never replaced: an owner ``me`` stays ``me``.
* A part that is also an ordinary word (``Bright`` of ``Bright Ideas``) is replaced
  everywhere: replacing too much is the price of never leaking.

``LeakScan`` is the second line: it looks for every part of every known name in
what is about to be written, on its own code path, and the export writes nothing
when it finds one (``LeakError``). A name the journal does not know cannot be found.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from journal.model import TABLE, TITLE_MAX, PostMortem

if TYPE_CHECKING:
    from journal.store import Store

# Values that are codes, not text a person wrote: never rewritten. The entry's own fields say so in
# the field table; these are the codes inside its records.
_CODES = frozenset(name for name, spec in TABLE.items() if spec.code) | frozenset(
    [
        "kind", "accepted", "due_on", "done_on", "check_on", "check_result", "state", "client_retained",
        "satisfaction", "written_at", "cost", "hours", "who", "intensity", "intensity_now", "status",
    ]
)

def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that never name anyone: an owner made only of these (``me``, ``the team``) is not a name.
NON_NAMES = _word_set(
    """
    i me my mine myself we us our ours ourselves you your yours yourself they them their theirs he him his
    she her hers it its self one someone somebody anyone anybody everyone everybody nobody noone none all
    both each other others team teams client clients customer customers person people staff colleague
    colleagues ops operations manager management boss lead owner account delivery quality sales support
    finance legal hr admin dev devs engineering qa pm tbd tbc tba na n unassigned unknown whoever
    """
)
# Particles and function words: part of many names, identifying none.
FUNCTION_WORDS = _word_set(
    """
    a an the and or of for in on at to by with from de del della der den des di du da la le les el van von
    y e et und s st mr mrs ms mx dr prof sir dame jr sr ceo cmo cto cfo coo vp director head chief officer
    """
)
# Generic company words (legal forms, sectors): not distinctive alone, so not parts.
GENERIC_COMPANY_WORDS = _word_set(
    """
    group groups inc incorporated ltd limited llc llp lp plc corp corporation co company companies gmbh ag
    sa sas sarl srl spa bv nv ab as oy pty pvt kk holding holdings international intl global worldwide
    national services service solutions systems technologies technology tech labs lab laboratories partners
    partnership associates consulting consultants consultancy agency studio studios works industries
    enterprises ventures capital bank banking financial insurance trust foundation fund health healthcare
    clinic clinics hospital medical dental pharmacy opticians care school schools college university academy
    council city county department ministry office supplies supply logistics freight cargo air shipping
    transport couriers courier hire rental hosting cloud software digital media marketing print printing
    shop store stores retail foods food catering restaurant restaurants cafe bakery hotel hotels hospitality
    events travel energy power utilities telecom communications networks architects architecture
    construction builders property properties estate law solicitors lawyers accountants accounting payroll
    wines wine timber fitness gym sports design creative publishing press subcontracting av
    """
)
NOT_PARTS = NON_NAMES | FUNCTION_WORDS | GENERIC_COMPANY_WORDS

# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, Japanese kana, CJK, Hangul):
# there, a name is looked for inside words, not only as one.
_UNSPACED_CHARS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
)
_UNSPACED = re.compile(f"[{_UNSPACED_CHARS}]")
# A word: letters and digits (an apostrophe, a hyphen or an underscore ends it), and a change
# between a script written with spaces and one without ("给Priya" is two words).
# Combining marks, and the invisible soft hyphen, zero-width spaces and joiners, word joiner, BOM.
_MARK_CHARS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad\u200b-\u200d\u2060\ufeff"
# They belong to their word and are dropped when comparing: "i" + U+0307 (what "İ".lower() gives)
# or "Pri" + soft hyphen + "ya" is one word.
WORD = re.compile(f"(?:[^\\W_{_UNSPACED_CHARS}]|[{_MARK_CHARS}])+|[{_UNSPACED_CHARS}]+")
# What the replacement writes; taken out before the scan, so a part such as "AB" is not found in "Client AB".
PSEUDONYM = re.compile(r"\b(?:Client|Person) [A-Z]{1,3}\b")
# Letters that do not decompose under NFKD but read as plain Latin ones.
_PLAIN = {
    "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l",
    "þ": "th", "Þ": "th", "ð": "d", "Ð": "d", "ı": "i", "ħ": "h", "Ħ": "h", "ŧ": "t", "Ŧ": "t",
}
_UNDECOMPOSED = re.compile("[" + "".join(_PLAIN) + "]")
_MARKS = re.compile(f"[{_MARK_CHARS}]")
# Preview marks (private-use characters): START pseudonym SPLIT original END.
MARK_START, MARK_SPLIT, MARK_END = "\ue000", "\ue001", "\ue002"
_SEPARATOR_MAX = 3  # characters between the words of one name written out ("Marlowe & Finch")


def fold(text: str) -> str:
    """``text`` for comparing names: case folded, diacritics dropped (``Nörthwind`` → ``northwind``)."""
    if text.isascii():
        return text.lower()
    if _UNDECOMPOSED.search(text):  # str.translate with a dict is slow on long texts
        text = _UNDECOMPOSED.sub(lambda m: _PLAIN[m.group()], text)
    text = unicodedata.normalize("NFKD", text)
    return _MARKS.sub("", text).casefold()


def words(name: str) -> list[str]:
    """The folded words of a name."""
    return WORD.findall(fold(name))


def is_name(name: str) -> bool:
    """Whether ``name`` names someone: ``me``, ``the team``, ``TBD`` or ``""`` do not."""
    return any(w not in NON_NAMES and w not in FUNCTION_WORDS for w in words(name))


def name_parts(name: str) -> list[str]:
    """The folded words of ``name`` that identify on their own (see the module docstring)."""
    if not is_name(name):
        return []
    return [w for w in words(name) if len(w) > 1 and not w.isdigit() and w not in NOT_PARTS]


def _letters(n: int) -> str:
    """0 → A, 25 → Z, 26 → AA: like spreadsheet columns."""
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def unspaced_pattern(parts: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern finding, inside words, the folded parts written in a script without spaces."""
    found = sorted((p for p in parts if _UNSPACED.search(p)), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, found))) if found else None


class _Phrase(NamedTuple):
    words: tuple[str, ...]
    pseudonym: str
    original: str
    suffix: str  # a bracket the name ends with after its last word, e.g. ")" of "Sam (ops)"


class _Tables(NamedTuple):
    phrases: dict[str, list[_Phrase]]  # whole names by their first word, longest first
    parts: dict[str, _Phrase]  # a part → the whole name it was first learned from
    triggers: frozenset[str]  # the words that make a text worth a closer look
    unspaced: re.Pattern[str] | None  # unspaced_pattern(parts)


def _key(name: str) -> str:
    return " ".join(words(name))


class Pseudonyms:
    """Names → pseudonyms, stable for one export: the same name always gets the same one."""

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._names: list[str] = []
        self._seen: set[str] = set()  # every name given to ``add``, as given
        self._counts = {"Client": 0, "Person": 0}
        self._tables: _Tables | None = None

    def add(self, name: str, kind: str) -> None:
        """Learn ``name`` (a ``Client`` or a ``Person``); words that are not names are ignored."""
        if name in self._seen:  # every entry of an export names them again
            return
        self._seen.add(name)
        name = " ".join(name.split())
        if not is_name(name) or _key(name) in self._by_key:
            return
        self._by_key[_key(name)] = f"{kind} {_letters(self._counts[kind])}"
        self._names.append(name)
        self._counts[kind] += 1
        self._tables = None

    def learn(self, entries: Iterable[PostMortem]) -> Pseudonyms:
        """Give a pseudonym to every client, account, owner and author, in order of appearance."""
        for pm in entries:
            self.add(pm.client, "Client")
            self.add(pm.account, "Client")
            for f in pm.follow_ups:
                self.add(f.owner, "Person")
            for n in pm.review_notes:
                self.add(n.author, "Person")
        return self

    @classmethod
    def for_export(cls, store: Store, ids: Sequence[str]) -> Pseudonyms:
        """Every name the journal knows (trash included): those of ``ids`` first, in their order."""
        self = cls()
        for kind, name in known_names(store, ids):
            self.add(name, kind)
        return self

    def names(self) -> list[str]:
        """Every name learned, as first written."""
        return list(self._names)

    def __getitem__(self, name: str) -> str:
        return self._by_key[_key(name)]

    def _lookup(self) -> _Tables:
        """(whole names by first word, longest first; parts → their first whole; the words worth a look)."""
        if self._tables is None:
            phrases: dict[str, list[_Phrase]] = {}
            parts: dict[str, _Phrase] = {}
            triggers: set[str] = set()
            for name in self._names:
                found = list(WORD.finditer(name))
                folded = tuple(fold(m.group()) for m in found)
                suffix = name[found[-1].end() :].strip()
                phrase = _Phrase(folded, self._by_key[_key(name)], name, suffix if suffix in (")", "]") else "")
                phrases.setdefault(folded[0], []).append(phrase)
                for part in name_parts(name):
                    parts.setdefault(part, phrase)
                # Any word of the name that is not a particle makes a text worth a closer look.
                triggers.update([w for w in folded if w not in FUNCTION_WORDS] or folded)
            for found_phrases in phrases.values():
                found_phrases.sort(key=lambda p: len(p.words), reverse=True)
            self._tables = _Tables(phrases, parts, frozenset(triggers), unspaced_pattern(parts))
        return self._tables

    def text(self, value: str) -> str:
        """``value`` with every known name and name part replaced by its pseudonym."""
        return self._replace(value, mark=False)

    def marked(self, value: str) -> str:
        """``text(value)`` with each replacement as ``MARK_START pseudonym MARK_SPLIT original MARK_END``."""
        return self._replace(value, mark=True)

    def _replace(self, value: str, mark: bool) -> str:
        if not value or not self._names:
            return value
        phrases, parts, triggers, unspaced = self._lookup()
        folded_value = fold(value)
        if triggers.isdisjoint(WORD.findall(folded_value)) and not (unspaced and unspaced.search(folded_value)):
            return value  # the common case, decided at C speed
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)  # "o" + U+0308 is one word, "ö"
        found = list(WORD.finditer(value))
        folded = [fold(m.group()) for m in found]
        out: list[str] = []
        done = 0  # end of the text already copied or replaced
        i = 0
        while i < len(found):
            hit = self._phrase_at(value, found, folded, i, phrases)
            if hit is None:
                part = parts.get(folded[i])
                if part is None:
                    if unspaced is not None and unspaced.search(folded[i]):  # 王伟说: the name inside a word
                        out.append(value[done : found[i].start()])
                        out.append(self._inside(found[i].group(), unspaced, parts, mark))
                        done = found[i].end()
                    i += 1
                    continue
                hit = (1, part)
            count, phrase = hit
            end = found[i + count - 1].end()
            if count == len(phrase.words) and phrase.suffix and value.startswith(phrase.suffix, end):
                end += len(phrase.suffix)
            out.append(value[done : found[i].start()])
            original = value[found[i].start() : end]
            out.append(
                f"{MARK_START}{phrase.pseudonym}{MARK_SPLIT}{original}{MARK_END}" if mark else phrase.pseudonym
            )
            done = end
            i += count
        out.append(value[done:])
        return "".join(out)

    @staticmethod
    def _inside(word: str, unspaced: re.Pattern[str], parts: dict[str, _Phrase], mark: bool) -> str:
        """A word of a script written without spaces, each name part in it replaced."""

        def one(match: re.Match[str]) -> str:
            phrase = parts[fold(match.group())]
            return f"{MARK_START}{phrase.pseudonym}{MARK_SPLIT}{match.group()}{MARK_END}" if mark else phrase.pseudonym

        return unspaced.sub(one, word)

    @staticmethod
    def _phrase_at(
        value: str, found: list[re.Match[str]], folded: list[str], i: int, phrases: dict[str, list[_Phrase]]
    ) -> tuple[int, _Phrase] | None:
        """The longest whole name written out from word ``i`` on, with its length in words."""
        for phrase in phrases.get(folded[i], ()):
            count = len(phrase.words)
            if i + count > len(found) or tuple(folded[i : i + count]) != phrase.words:
                continue
            gaps = (value[found[j].end() : found[j + 1].start()] for j in range(i, i + count - 1))
            if all(len(gap) <= _SEPARATOR_MAX and "\n" not in gap for gap in gaps):
                return count, phrase
        return None

    def _walk(self, value: Any, key: str, mark: bool) -> Any:
        """``value`` with names replaced in every text but codes; records are copied, not rebuilt."""
        if key in _CODES:
            return value
        if isinstance(value, str):
            return self._replace(value, mark)
        if isinstance(value, list):
            return [self._walk(v, "", mark) for v in value]
        if isinstance(value, dict):
            return {k: self._walk(v, k, mark) for k, v in value.items()}
        if is_dataclass(value):
            out = copy.copy(value)
            for name in _field_names(type(value)):
                setattr(out, name, self._walk(getattr(value, name), name, mark))
            return out
        return value

    def _field(self, name: str, mark: bool) -> str:
        """A client, account or owner field: its pseudonym, or (not a name: ``me``) its text."""
        if not is_name(name):
            return self._replace(name, mark)
        pseudonym = self[name]
        return f"{MARK_START}{pseudonym}{MARK_SPLIT}{name}{MARK_END}" if mark else pseudonym

    def entry(self, pm: PostMortem, *, mark: bool = False) -> PostMortem:
        """A redacted copy of ``pm``: private fields emptied, names replaced everywhere.

        ``mark``: each replacement is marked for a preview (see ``marked``); never written.
        """
        self.learn([pm])  # a name missing from the store's list (an entry not saved yet) is still known
        shown = copy.copy(pm)
        for name, spec in TABLE.items():
            if spec.private:
                setattr(shown, name, copy.copy(getattr(_BLANK, name)))  # left out
            elif spec.names:  # a client's or provider's name
                value = getattr(pm, name)
                setattr(shown, name, self._field(value, mark) if value.strip() else value)
            else:
                setattr(shown, name, self._walk(getattr(pm, name), name, mark))
        for f, original in zip(shown.follow_ups, pm.follow_ups, strict=True):
            if original.owner.strip():
                f.owner = self._field(original.owner, mark)
        shown.title = shown.title[:TITLE_MAX].strip() or "Untitled"
        return shown


_BLANK = PostMortem(title="x", role="maker")


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def known_names(store: Store, ids: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(``Client`` | ``Person``, name) for every name in the journal, trash included.

    Names of the entries ``ids`` come first, in that order, so a small export gets
    ``Client A`` rather than ``Client Q``; then the rest of the journal, oldest first.
    """
    rows = store.conn.execute(
        """
        SELECT e.id, 'Client', e.client, e.occurred_on, e.seq, 0, 0 FROM entries e WHERE e.client != ''
        UNION ALL SELECT e.id, 'Client', e.account, e.occurred_on, e.seq, 1, 0 FROM entries e WHERE e.account != ''
        UNION ALL SELECT e.id, 'Person', f.owner, e.occurred_on, e.seq, 2, f.pos
            FROM follow_ups f JOIN entries e ON e.seq = f.entry WHERE f.owner != ''
        UNION ALL SELECT e.id, 'Person', r.author, e.occurred_on, e.seq, 3, r.pos
            FROM review_notes r JOIN entries e ON e.seq = r.entry WHERE r.author != ''
        ORDER BY 4, 5, 6, 7
        """
    ).fetchall()
    position = {entry_id: index for index, entry_id in enumerate(ids)}
    last = len(position)
    rows.sort(key=lambda row: position.get(row[0], last))  # stable: the rest stays oldest first
    return list(dict.fromkeys((str(row[1]), str(row[2])) for row in rows))  # each name once, where first seen


# --- the scan before writing ------------------------------------------------------------------------


@dataclass(frozen=True)
class Leak:
    """A name part found in what a redacted export was about to write."""

    entry_id: str
    field: str  # a §2 field (``follow_ups.2.text``: the second follow-up's text), or ``file name``
    part: str  # as the journal writes it, e.g. ``Priya``
    title: str = ""  # the entry's own title, to find it in the app (which has no search by id)

    def __str__(self) -> str:
        return f"redaction left {self.part!r} in entry {self.entry_id[:8]} field {self.field}; nothing was written"

    def with_title(self) -> str:
        """``str(self)`` with the entry's title after its id, for the app."""
        if not self.title:
            return str(self)
        return (
            f"redaction left {self.part!r} in entry {self.entry_id[:8]} (“{self.title}”) field {self.field}; "
            "nothing was written"
        )


class LeakError(ValueError):
    """A redacted export found a known name in its output and wrote nothing."""

    SHOWN = 20  # lines in the message; ``leaks`` holds all of them

    def __init__(self, leaks: Sequence[Leak]) -> None:
        self.leaks = list(leaks)
        lines = [leak.with_title() for leak in self.leaks[: self.SHOWN]]
        if len(self.leaks) > self.SHOWN:
            lines.append(f"… and {len(self.leaks) - self.SHOWN} more")
        super().__init__("\n".join(lines))


class LeakScan:
    """Finds any part of the given names in a text: case, diacritics and pseudonyms aside.

    Built from the names alone, apart from ``Pseudonyms``' tables, so a fault in the
    replacement cannot hide itself from the scan.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.parts: dict[str, str] = {}  # folded part → as written in the name
        wholes: list[str] = []  # names with no part of their own ("The Bank")
        for name in names:
            if not is_name(name):
                continue
            shown = {fold(w): w for w in WORD.findall(unicodedata.normalize("NFC", name))}
            parts = name_parts(name)
            for part in parts:
                self.parts.setdefault(part, shown.get(part, part))
            if not parts:
                wholes.append(name)
        # Words apart as the replacement takes them (``_SEPARATOR_MAX``, on one line).
        pieces = [r"(?:[^\w\n]|_){1,3}".join(map(re.escape, words(name))) for name in wholes]
        self._wholes = re.compile(r"(?<![^\W_])(?:" + "|".join(pieces) + r")(?![^\W_])") if pieces else None
        self._shown_wholes = {_key(name): name for name in wholes}
        self._unspaced = unspaced_pattern(self.parts)

    def __call__(self, text: str) -> list[str]:
        """The known name parts in ``text``, as the journal writes them, in order of first appearance."""
        if not text:
            return []
        folded = fold(PSEUDONYM.sub("\n", text))  # a line end: no name reads across a pseudonym
        found = [w for w in WORD.findall(folded) if w in self.parts]
        if self._unspaced is not None:
            found += self._unspaced.findall(folded)
        out = list(dict.fromkeys(self.parts[w] for w in found))
        if self._wholes is not None:
            for match in self._wholes.finditer(folded):
                out.append(self._shown_wholes.get(" ".join(WORD.findall(match.group())), match.group()))
        return out

    def entry(self, shown: PostMortem, rendered: str, file_name: str = "", title: str = "") -> list[Leak]:
        """The leaks in a redacted entry about to be written: in any field, its file and its name.

        ``title``: the entry's own (unredacted) title, for the message in the app.
        """
        texts = list(fields_of(shown))
        # One look at everything first (the usual answer is nothing); then where exactly.
        if not self("\n".join([rendered, file_name, *(text for _, text in texts)])):
            return []
        leaks = [Leak(shown.id, where, part, title) for where, text in texts for part in self(text)]
        leaks += [Leak(shown.id, "file name", part, title) for part in self(file_name)]
        named = {leak.part for leak in leaks}
        # What only the rendered file shows (it should be nothing: every field was scanned).
        leaks += [Leak(shown.id, "file", part, title) for part in self(rendered) if part not in named]
        return leaks


def fields_of(pm: PostMortem) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a person wrote in ``pm``; ``where`` as in ``Leak.field``."""

    def walk(value: Any, where: str) -> Iterator[tuple[str, str]]:
        if isinstance(value, str):
            if value:
                yield where, value
        elif isinstance(value, list):
            for index, item in enumerate(value, start=1):
                yield from walk(item, f"{where}.{index}")
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in _CODES:
                    yield from walk(item, f"{where}.{key}")
        elif is_dataclass(value):
            for name in _field_names(type(value)):
                if name not in _CODES:
                    yield from walk(getattr(value, name), f"{where}.{name}" if where else name)

    yield from walk(pm, "")


# --- the preview in the app -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """One entry as a redacted export writes it, each replacement marked (``MARK_*``)."""

    entry_id: str
    marked: str  # the Markdown body
    replaced: list[tuple[str, str]]  # (original, pseudonym), in order of first appearance

    def pieces(self) -> list[tuple[str, str | None]]:
        """The body as (text, original) pieces: ``original`` is None for text left as it was."""
        return pieces(self.marked)


def pieces(marked: str) -> list[tuple[str, str | None]]:
    """Split a marked text into (text, original or None) pieces."""
    out: list[tuple[str, str | None]] = []
    for plain_and_mark in marked.split(MARK_START):
        if MARK_END in plain_and_mark and MARK_SPLIT in plain_and_mark:
            inside, after = plain_and_mark.split(MARK_END, 1)
            pseudonym, original = inside.split(MARK_SPLIT, 1)
            out.append((pseudonym, original))
            if after:
                out.append((after, None))
        elif plain_and_mark:
            out.append((plain_and_mark, None))
    return out


def preview(store: Store, ids: Sequence[str], *, look_at: int = 200) -> Preview | None:
    """The entry among the first ``look_at`` of ``ids`` replacing the most names (None: no entries)."""
    from journal.markdown import writer as md_writer

    if not ids:
        return None
    pseudonyms = Pseudonyms.for_export(store, ids)
    best: tuple[tuple[int, int], Preview] | None = None
    for pm in store.get_many(list(ids[:look_at])):
        body = md_writer.render_body(pseudonyms.entry(pm, mark=True), redacted=True)
        replaced = [(original, text) for text, original in pieces(body) if original is not None]
        score = (len({pseudonym for _, pseudonym in replaced}), len(replaced))  # most names, then most places
        if best is None or score > best[0]:
            best = (score, Preview(pm.id, body, list(dict.fromkeys(replaced))))
    return best[1] if best is not None else None
