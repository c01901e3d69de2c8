"""The post-mortem and its parts, exactly as DESIGN.md §2 names them.

Plain dataclasses: the store, the CLI, the Markdown format and the UI all speak
them. ``PostMortem`` is the one field table: each §2 field is declared once, with
a ``FieldSpec`` in its metadata (``TABLE``), and validation, the fingerprint, the
store's row, the front matter, redaction and the form's labels are read from it.
``PostMortem.from_dict`` is the one gate that validates outside data; it raises
``ValueError`` naming the field and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, asdict, dataclass, field, fields, is_dataclass
from typing import Any

ROLES = ("maker", "receiver")
STATUSES = ("draft", "open", "resolved", "reviewed")
DETECTIONS = ("self", "colleague", "client", "escalation", "public", "other")
CAUSES = (
    "communication",
    "expectations",
    "capacity",
    "handoff",
    "process",
    "tooling",
    "attention",
    "knowledge",
    "external",
)
RESPONSE_STYLES = ("owned", "over_apologized", "deflected", "self_blamed", "")
EMOTION_WHO = ("me", "them")
RECOVERY_STEPS = (
    "responsibility",
    "apology",
    "correction",
    "compensation",
    "satisfaction_check",
    "acceptance",
)
RECOVERY_STATES = ("pending", "done", "skipped", "n/a")
BREADSTICK_KINDS = (
    "refund",
    "discount",
    "freebie",
    "extra_work",
    "personal_visit",
    "gesture",
    "none",
    "",
)
ACCEPTED = ("yes", "no", "pending", "")
FOLLOW_UP_STATUSES = ("open", "done", "dropped")
CHECK_RESULTS = ("held", "recurred", "")
RETAINED = ("yes", "no", "unknown")

TITLE_MAX = 200


def new_id() -> str:
    import uuid  # here, not at the top: uuid and hashlib load OpenSSL and platform (6 ms of the app's start)

    return str(uuid.uuid4())


def today() -> str:
    return dt.date.today().isoformat()


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --- validation helpers -------------------------------------------------------


def _choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or value not in allowed:
        shown = ", ".join(repr(a) if a == "" else a for a in allowed)
        raise ValueError(f"{name} must be one of {shown}; got {value!r}")
    return value


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def mend_text(text: str) -> str:
    """``text`` with each lone surrogate (an undecodable byte of argv or a file name) as U+FFFD.

    SQLite and UTF-8 files cannot hold a lone surrogate; the replacement character can.
    """
    return _LONE_SURROGATE.sub("\ufffd", text)


def _text(name: str, value: Any) -> str:
    if type(value) is str and "\x00" not in value and (value.isascii() or not _LONE_SURROGATE.search(value)):
        return value  # already clean, as our own readers give it: no copy
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"{name} must be text; got {type(value).__name__}")
    text = mend_text(str(value))
    if "\x00" in text:
        raise ValueError(f"{name} must not contain NUL characters")
    return text


def _int_range(name: str, value: Any, low: int, high: int, optional: bool = False) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got nothing")
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got {value!r}")
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an infinite float (hypothesis found it)
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got {value!r}") from None
    if isinstance(value, float) and value != number:
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got {value!r}")
    if not low <= number <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got {value!r}")
    return number


def _number(name: str, value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number; got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")) or number < 0:
        raise ValueError(f"{name} must be a number of zero or more; got {value!r}")
    return number


def parse_date(name: str, value: Any, optional: bool = False) -> str:
    """Return ``value`` as ``YYYY-MM-DD`` or raise naming the field."""
    if type(value) is str and value in _CANONICAL_DATES:
        return value
    if value is None or value == "":
        if optional:
            return ""
        raise ValueError(f"{name} must be a date like 2024-05-01; got nothing")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            if len(value) == 10:
                canonical = dt.date.fromisoformat(value).isoformat()
                if canonical == value and len(_CANONICAL_DATES) < 100_000:
                    _CANONICAL_DATES.add(value)
                return canonical
        except ValueError:
            pass
    raise ValueError(f"{name} must be a real date like 2024-05-01; got {value!r}")


# Dates ``parse_date`` has returned unchanged: the fast record paths below accept only these.
_CANONICAL_DATES: set[str] = set()
_FAST_RECORDS = True  # tests turn it off to compare with the full validation


def _plain_text(value: Any) -> bool:
    """``_text`` would return ``value`` itself (an ``str`` without NUL)."""
    return type(value) is str and "\x00" not in value and (value.isascii() or not _LONE_SURROGATE.search(value))


def _fast_date(value: Any) -> bool:
    """``parse_date(..., optional=True)`` would return ``value`` itself."""
    return value == "" or value in _CANONICAL_DATES if type(value) is str else False


def _timestamp(name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, str):
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return value
        except ValueError:
            pass
    raise ValueError(f"{name} must be an ISO-8601 time like 2024-05-01T09:30:00Z; got {value!r}")


def _str_list(name: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError(f"{name} must be a list of text")
    if _FAST_RECORDS and type(value) is list and all(_plain_text(v) for v in value):
        return list(value)
    return [_text(f"{name}[{i}]", v) for i, v in enumerate(value)]


def _labels(name: str, value: Any) -> list[str]:
    """Causes and tags: trimmed, no empties, no duplicates, order kept."""
    clean = type(value) is list and all(_plain_text(v) and v and v == v.strip() for v in value)
    if clean and len(set(value)) == len(value):
        return list(value)  # already clean, as our own readers give them
    seen: dict[str, None] = {}
    for item in _str_list(name, value):
        label = item.strip()
        if label:
            seen.setdefault(label, None)
    return list(seen)


def _mapping(name: str, value: Any) -> Mapping[str, Any]:
    if type(value) is dict:
        return value
    if value is None:
        return {}
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping of fields")
    return value


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _reject_unknown(name: str, data: Mapping[str, Any], cls: type) -> None:
    known = _FIELD_NAMES.get(cls)
    if known is None:
        known = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    if known.issuperset(data):
        return
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        raise ValueError(f"{name} has unknown field(s): {', '.join(unknown)}")


# --- the parts ----------------------------------------------------------------


@dataclass
class Emotion:
    who: str = "me"
    name: str = ""
    intensity: int = 3
    intensity_now: int | None = None

    @classmethod
    def from_dict(cls, data: Any, where: str = "emotions", index: int | None = None) -> Emotion:
        if _FAST_RECORDS and type(data) is dict and _EMOTION_KEYS.issuperset(data):
            # Already clean (as our own reader gives it): the same result without the checks' cost.
            get: Any = data.get  # Any: the checks below give each value its type
            who, name, intensity, now = get("who", "me"), get("name"), get("intensity", 3), get("intensity_now")
            if (
                _plain_text(name) and name == name.strip() and name
                and type(who) is str and who in EMOTION_WHO
                and type(intensity) is int and 1 <= intensity <= 5
                and (now is None or (type(now) is int and 1 <= now <= 5))
            ):
                return cls(who=who, name=name, intensity=intensity, intensity_now=now)
        where = where if index is None else f"{where}[{index}]"
        data = _mapping(where, data)
        _reject_unknown(where, data, cls)
        name = _text(f"{where}.name", data.get("name")).strip()
        if not name:
            raise ValueError(f"{where}.name must not be empty")
        return cls(
            who=_choice(f"{where}.who", data.get("who", "me"), EMOTION_WHO),
            name=name,
            intensity=_int_range(f"{where}.intensity", data.get("intensity", 3), 1, 5) or 3,
            intensity_now=_int_range(
                f"{where}.intensity_now", data.get("intensity_now"), 1, 5, optional=True
            ),
        )


@dataclass
class RecoveryStep:
    state: str = "pending"
    note: str = ""

    @classmethod
    def from_dict(cls, data: Any, where: str) -> RecoveryStep:
        if _FAST_RECORDS and type(data) is dict and _STEP_KEYS.issuperset(data):
            state, note = data.get("state", "pending"), data.get("note", "")
            if type(state) is str and state in RECOVERY_STATES and _plain_text(note):
                return cls(state=state, note=note)
        data = _mapping(where, data)
        _reject_unknown(where, data, cls)
        return cls(
            state=_choice(f"{where}.state", data.get("state", "pending"), RECOVERY_STATES),
            note=_text(f"{where}.note", data.get("note")),
        )


def default_recovery() -> dict[str, RecoveryStep]:
    return {step: RecoveryStep() for step in RECOVERY_STEPS}


@dataclass
class Breadsticks:
    offered: str = ""
    kind: str = ""
    cost: float | None = None
    currency: str = ""
    hours: float | None = None
    accepted: str = ""
    wished_for: str = ""

    @classmethod
    def from_dict(cls, data: Any, where: str = "breadsticks") -> Breadsticks:
        if _FAST_RECORDS and type(data) is dict and _BREADSTICKS_KEYS.issuperset(data):
            get: Any = data.get  # Any: the checks below give each value its type
            offered, kind, cost, currency = get("offered", ""), get("kind", ""), get("cost"), get("currency", "")
            hours, accepted, wished_for = get("hours"), get("accepted", ""), get("wished_for", "")
            if (
                _plain_text(offered) and _plain_text(wished_for)
                and _plain_text(currency) and currency == currency.strip()
                and type(kind) is str and kind in BREADSTICK_KINDS
                and type(accepted) is str and accepted in ACCEPTED
                and (cost is None or (type(cost) is float and 0 <= cost < _INFINITY))
                and (hours is None or (type(hours) is float and 0 <= hours < _INFINITY))
            ):
                return cls(offered, kind, cost, currency, hours, accepted, wished_for)
        data = _mapping(where, data)
        _reject_unknown(where, data, cls)
        return cls(
            offered=_text(f"{where}.offered", data.get("offered")),
            kind=_choice(f"{where}.kind", data.get("kind", ""), BREADSTICK_KINDS),
            cost=_number(f"{where}.cost", data.get("cost")),
            currency=_text(f"{where}.currency", data.get("currency")).strip(),
            hours=_number(f"{where}.hours", data.get("hours")),
            accepted=_choice(f"{where}.accepted", data.get("accepted", ""), ACCEPTED),
            wished_for=_text(f"{where}.wished_for", data.get("wished_for")),
        )

    def is_empty(self) -> bool:
        return self == Breadsticks()


@dataclass
class FollowUp:
    id: str = field(default_factory=new_id)
    text: str = ""
    owner: str = ""
    due_on: str = ""
    status: str = "open"
    done_on: str = ""
    check_on: str = ""
    check_result: str = ""
    note: str = ""

    @classmethod
    def from_dict(cls, data: Any, where: str = "follow_ups", index: int | None = None) -> FollowUp:
        if _FAST_RECORDS and type(data) is dict and _FOLLOW_UP_KEYS.issuperset(data):
            get: Any = data.get  # Any: the checks below give each value its type
            text, entry_id, owner = get("text"), get("id"), get("owner", "")
            status, result = get("status", "open"), get("check_result", "")
            due_on, done_on, check_on = get("due_on", ""), get("done_on", ""), get("check_on", "")
            note = get("note", "")
            if (
                _plain_text(text) and text.strip()
                and _plain_text(entry_id) and entry_id
                and _plain_text(owner) and _plain_text(note)
                and type(status) is str and status in FOLLOW_UP_STATUSES
                and type(result) is str and result in CHECK_RESULTS
                and _fast_date(due_on) and _fast_date(done_on) and _fast_date(check_on)
            ):
                return cls(
                    id=entry_id, text=text, owner=owner, due_on=due_on, status=status,
                    done_on=done_on, check_on=check_on, check_result=result, note=note,
                )
        where = where if index is None else f"{where}[{index}]"
        data = _mapping(where, data)
        _reject_unknown(where, data, cls)
        text = _text(f"{where}.text", data.get("text"))
        if not text.strip():
            raise ValueError(f"{where}.text must not be empty")
        return cls(
            id=_text(f"{where}.id", data.get("id")) or new_id(),
            text=text,
            owner=_text(f"{where}.owner", data.get("owner")),
            due_on=parse_date(f"{where}.due_on", data.get("due_on"), optional=True),
            status=_choice(f"{where}.status", data.get("status", "open"), FOLLOW_UP_STATUSES),
            done_on=parse_date(f"{where}.done_on", data.get("done_on"), optional=True),
            check_on=parse_date(f"{where}.check_on", data.get("check_on"), optional=True),
            check_result=_choice(
                f"{where}.check_result", data.get("check_result", ""), CHECK_RESULTS
            ),
            note=_text(f"{where}.note", data.get("note")),
        )

    def is_overdue(self, on: str | None = None) -> bool:
        return self.status == "open" and bool(self.due_on) and self.due_on < (on or today())


@dataclass
class ReviewNote:
    id: str = field(default_factory=new_id)
    author: str = ""
    written_at: str = field(default_factory=utc_now)
    text: str = ""

    @classmethod
    def from_dict(cls, data: Any, where: str = "review_notes", index: int | None = None) -> ReviewNote:
        where = where if index is None else f"{where}[{index}]"
        data = _mapping(where, data)
        _reject_unknown(where, data, cls)
        return cls(
            id=_text(f"{where}.id", data.get("id")) or new_id(),
            author=_text(f"{where}.author", data.get("author")),
            written_at=_timestamp(f"{where}.written_at", data.get("written_at")) or utc_now(),
            text=_text(f"{where}.text", data.get("text")),
        )


@dataclass
class Outcome:
    client_retained: str = "unknown"
    satisfaction: int | None = None

    @classmethod
    def from_dict(cls, data: Any, where: str = "outcome") -> Outcome:
        if _FAST_RECORDS and type(data) is dict and _OUTCOME_KEYS.issuperset(data):
            retained, satisfaction = data.get("client_retained", "unknown"), data.get("satisfaction")
            if (
                type(retained) is str and retained in RETAINED
                and (satisfaction is None or (type(satisfaction) is int and 1 <= satisfaction <= 5))
            ):
                return cls(retained, satisfaction)
        data = _mapping(where, data)
        _reject_unknown(where, data, cls)
        return cls(
            client_retained=_choice(
                f"{where}.client_retained", data.get("client_retained", "unknown"), RETAINED
            ),
            satisfaction=_int_range(
                f"{where}.satisfaction", data.get("satisfaction"), 1, 5, optional=True
            ),
        )


_BREADSTICKS_KEYS = frozenset(f.name for f in fields(Breadsticks))
_OUTCOME_KEYS = frozenset(f.name for f in fields(Outcome))
_INFINITY = float("inf")
_STEP_NAMES = frozenset(RECOVERY_STEPS)
_STEP_WHERE = {step: f"recovery.{step}" for step in RECOVERY_STEPS}
_EMOTION_KEYS = frozenset(f.name for f in fields(Emotion))
_STEP_KEYS = frozenset(f.name for f in fields(RecoveryStep))
_FOLLOW_UP_KEYS = frozenset(f.name for f in fields(FollowUp))


# A UUID as new_id() writes it: lowercase, with dashes.
CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# --- the one field table ------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """What the journal knows about one §2 field, beside its name, type and default.

    Validation, the fingerprint, the store's row, the front matter, the Markdown body,
    redaction, the form's labels and the test strategies are all read from these.
    """

    label: str  # the form's label, and the Markdown body's heading (a change there changes the file format)
    parse: Callable[[str, Any], Any]  # (field name, outside value) -> clean value; ValueError naming the field
    allowed: tuple[str, ...] = ()  # the values a choice may take
    private: bool = False  # left out of a redacted export (DESIGN §2)
    md: bool = False  # Markdown narrative: a section of the file's body (DESIGN §4)
    code: bool = False  # a code, date or number, never words: redaction leaves it as it is
    names: bool = False  # a client's or provider's name: redaction gives its pseudonym
    required: bool = False  # leaving it out is an error, not its default
    stamp: bool = False  # set by the store (times, revision): not part of the fingerprint
    since: int = 1  # the schema version it arrived in (journal.schema.SCHEMA_VERSION)


def _spec(label: str, parse: Callable[[str, Any], Any], **flags: Any) -> dict[str, FieldSpec]:
    """A field's metadata: ``field(default=..., metadata=_spec("Client", _parse_line, names=True))``."""
    return {"spec": FieldSpec(label, parse, **flags)}


def _choice_spec(label: str, allowed: tuple[str, ...], **flags: Any) -> dict[str, FieldSpec]:
    return _spec(label, _choice_of(allowed), allowed=allowed, code=True, **flags)


def _choice_of(allowed: tuple[str, ...]) -> Callable[[str, Any], str]:
    def parse(name: str, value: Any) -> str:
        return value if type(value) is str and value in allowed else _choice(name, value, allowed)

    return parse


def _whole_number(low: int, high: int) -> Callable[[str, Any], int | None]:
    def parse(name: str, value: Any) -> int | None:
        return value if type(value) is int and low <= value <= high else _int_range(name, value, low, high)

    return parse


def _parse_title(name: str, value: Any) -> str:
    title = _text(name, value).strip()
    if not title:
        raise ValueError(f"{name} must not be empty")
    if len(title) > TITLE_MAX:
        raise ValueError(f"{name} must be at most {TITLE_MAX} characters; got {len(title)}")
    if "\n" in title or "\r" in title:
        raise ValueError(f"{name} must be a single line")
    return title


def _parse_id(name: str, value: Any) -> str:
    if type(value) is str and CANONICAL_UUID.fullmatch(value):
        return value
    entry_id = _text(name, value).strip() or new_id()
    import uuid

    try:
        uuid.UUID(entry_id)
    except ValueError:
        raise ValueError(f"{name} must be a UUID; got {entry_id!r}") from None
    return entry_id


def _parse_day(name: str, value: Any) -> str:
    return parse_date(name, value or today())  # an empty date is today, as in a new entry


def _parse_line(name: str, value: Any) -> str:
    return _text(name, value).strip()


def _parse_lessons(name: str, value: Any) -> list[str]:
    return [s for s in _str_list(name, value) if s.strip()]


def _items(name: str, value: Any) -> Sequence[Any]:
    if value is None:
        return []
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence):
        raise ValueError(f"{name} must be a list")
    return value


def _records_of(cls: Any) -> Callable[[str, Any], list[Any]]:
    """The parser of a list of ``cls`` records (emotions, follow-ups, review notes)."""
    return lambda name, value: [cls.from_dict(item, name, i) for i, item in enumerate(_items(name, value))]


def _record_of(cls: Any) -> Callable[[str, Any], Any]:
    return lambda name, value: cls.from_dict(value, name)


def _parse_recovery(name: str, value: Any) -> dict[str, RecoveryStep]:
    given = _mapping(name, value)
    unknown_steps = sorted(str(k) for k in given if k not in _STEP_NAMES)
    if unknown_steps:
        raise ValueError(
            f"{name} has unknown step(s): {', '.join(unknown_steps)}; steps are {', '.join(RECOVERY_STEPS)}"
        )
    return {
        step: RecoveryStep()  # a step left out is pending, which from_dict(None) also gives
        if given.get(step) is None
        else RecoveryStep.from_dict(given.get(step), _STEP_WHERE[step])
        for step in RECOVERY_STEPS
    }


def _parse_flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in (0, 1):
        return bool(value)
    raise ValueError(f"{name} must be true or false; got {value!r}")


_SEVERITY = _whole_number(1, 5)
_REVISION = _whole_number(0, 2**62)


# --- the post-mortem ----------------------------------------------------------


# The one field table: every §2 field once, in §2 order (the front matter's and the fingerprint's).
@dataclass(kw_only=True)
class PostMortem:
    id: str = field(default_factory=new_id, metadata=_spec("Id", _parse_id, code=True))
    title: str = field(default="", metadata=_spec("Title", _parse_title, required=True))
    occurred_on: str = field(default_factory=today, metadata=_spec("When", _parse_day, code=True))
    role: str = field(default="maker", metadata=_choice_spec("Whose mistake", ROLES, required=True))
    client: str = field(default="", metadata=_spec("Client", _parse_line, names=True))
    account: str = field(default="", metadata=_spec("Account", _parse_line, names=True))
    severity: int = field(default=2, metadata=_spec("Severity", _SEVERITY, code=True))
    status: str = field(default="draft", metadata=_choice_spec("Status", STATUSES))
    detection: str = field(default="self", metadata=_choice_spec("How it surfaced", DETECTIONS))
    what_happened: str = field(default="", metadata=_spec("What happened", _text, md=True))
    impact: str = field(default="", metadata=_spec("Impact", _text, md=True))
    contributing_factors: str = field(default="", metadata=_spec("Contributing factors", _text, md=True))
    causes: list[str] = field(default_factory=list, metadata=_spec("Causes", _labels))
    # Hours from learning of the mistake to the first reply to the client (as receiver: until they
    # first replied to me); None: not known.
    first_response_hours: float | None = field(
        default=None, metadata=_spec("Hours to first reply", _number, code=True, since=9)
    )
    response_style: str = field(
        default="", metadata=_choice_spec("How I first responded", RESPONSE_STYLES, private=True)
    )
    emotions: list[Emotion] = field(
        default_factory=list, metadata=_spec("Feelings", _records_of(Emotion), private=True)
    )
    recovery: dict[str, RecoveryStep] = field(
        default_factory=default_recovery, metadata=_spec("Recovery", _parse_recovery)
    )
    breadsticks: Breadsticks = field(
        default_factory=Breadsticks, metadata=_spec("Breadsticks", _record_of(Breadsticks))
    )
    follow_ups: list[FollowUp] = field(default_factory=list, metadata=_spec("Follow-ups", _records_of(FollowUp)))
    lessons: list[str] = field(default_factory=list, metadata=_spec("Lessons", _parse_lessons))
    reflection: str = field(default="", metadata=_spec("Reflection", _text, md=True, private=True))
    tags: list[str] = field(default_factory=list, metadata=_spec("Tags", _labels))
    review_notes: list[ReviewNote] = field(
        default_factory=list, metadata=_spec("Review notes", _records_of(ReviewNote), private=True)
    )
    outcome: Outcome = field(default_factory=Outcome, metadata=_spec("Outcome", _record_of(Outcome)))
    created_at: str = field(default="", metadata=_spec("Created", _timestamp, code=True, stamp=True))
    updated_at: str = field(default="", metadata=_spec("Updated", _timestamp, code=True, stamp=True))
    revision: int = field(default=0, metadata=_spec("Revision", _REVISION, code=True, stamp=True))
    deleted: bool = field(default=False, metadata=_spec("In the trash", _parse_flag, code=True))

    @property
    def effective_account(self) -> str:
        """The account, which is the client when left empty (DESIGN §2)."""
        return self.account or self.client

    def validate(self) -> PostMortem:
        """Raise ``ValueError`` naming the first bad field; return self."""
        PostMortem.from_dict(self.to_dict())
        return self

    def to_dict(self) -> dict[str, Any]:
        """The §2 object: the same names as SQLite, JSON and the front matter.

        Title and role first, then the table's order: the key order ``--json`` has always printed.
        """
        data = asdict(self)
        return {"title": data.pop("title"), "role": data.pop("role"), **data}

    @classmethod
    def from_dict(cls, data: Any, *, allow_unknown: bool = False) -> PostMortem:
        """The one gate for outside data: each field's ``FieldSpec.parse``; a field left out is its default."""
        data = _mapping("post-mortem", data)
        if not allow_unknown:
            _reject_unknown("post-mortem", data, cls)
        values = {}
        for name, parse, required in _PARSERS:
            if name in data:
                values[name] = parse(name, data[name])
            elif required:
                values[name] = parse(name, None)  # says what is missing
        return cls(**values)


@dataclass(frozen=True)
class Summary:
    """One row of a list or search: what the CLI's ``--json`` list prints."""

    id: str
    title: str
    occurred_on: str
    role: str
    client: str
    severity: int
    status: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# The table, read back: name -> FieldSpec, in §2 order.
TABLE: dict[str, FieldSpec] = {f.name: f.metadata["spec"] for f in fields(PostMortem)}
PRIVATE_FIELDS = tuple(name for name, spec in TABLE.items() if spec.private)
_PARSERS = tuple((name, spec.parse, spec.required) for name, spec in TABLE.items())
MD_FIELDS = tuple(name for name, spec in TABLE.items() if spec.md)


def field_default(name: str) -> Any:
    """A new entry's value of ``name`` (a fresh list or record where the default is one)."""
    f = _DATACLASS_FIELDS[name]
    return f.default_factory() if f.default_factory is not MISSING else f.default


def default_type(name: str) -> type:
    """The type of a new entry's ``name`` (without making a fresh id, which would load uuid at start)."""
    if _DATACLASS_FIELDS[name].default_factory is new_id:
        return str
    return type(field_default(name))


_DATACLASS_FIELDS = {f.name: f for f in fields(PostMortem)}


# --- identity of content -----------------------------------------------------------------------


def _same_number(value: Any) -> Any:
    # 4.0 from SQLite and 4 from a hand-written file are the same hours.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _record_key(record: Any) -> tuple[Any, ...]:
    values = _KEY_GETTERS[type(record)](record)
    return tuple([_same_number(v) for v in values]) if type(record) is Breadsticks else values


def _follow_up_key(f: FollowUp) -> tuple[Any, ...]:
    # The note only when written: fingerprints stored before it existed (schema 6) stay true.
    key = (f.id, f.text, f.owner, f.due_on, f.status, f.done_on, f.check_on, f.check_result)
    return (*key, f.note) if f.note else key


def _list_key(value: list[Any]) -> tuple[Any, ...]:
    if not value or type(value[0]) is str:
        return tuple(value)
    if type(value[0]) is FollowUp:
        return tuple([_follow_up_key(f) for f in value])
    return tuple([_record_key(v) for v in value])


def _recovery_key(value: dict[str, RecoveryStep]) -> tuple[Any, ...]:
    return tuple([(step, s.state, s.note) for step, s in sorted(value.items())])


# Records that go into the fingerprint as the tuple of their fields (every field has 2 or more).
_KEY_GETTERS = {
    cls: operator.attrgetter(*(f.name for f in fields(cls))) for cls in (Emotion, Breadsticks, ReviewNote, Outcome)
}


def _key_of(name: str) -> Callable[[Any], Any] | None:
    """How a field's value goes into the fingerprint, by its type: None where it goes as it is."""
    if default_type(name) is str:
        return None
    default = field_default(name)
    if type(default) is list:
        return _list_key
    if type(default) is dict:
        return _recovery_key
    if type(default) in _KEY_GETTERS:
        return _record_key
    if default is None or type(default) is float:
        return _same_number
    return None


# Fields in the fingerprint: all but what the store stamps, in the table's order. A field that arrived
# after the first schema comes last and only when set, as (name, value): fingerprints stored before it
# existed stay true.
_FIRST = [name for name, spec in TABLE.items() if not spec.stamp and spec.since == 1]
_first_values = operator.attrgetter(*_FIRST)
_FIRST_KEYS = tuple(_key_of(name) for name in _FIRST)
_LATER = tuple(
    (name, field_default(name), _key_of(name) or (lambda v: v))
    for name, spec in TABLE.items()
    if not spec.stamp and spec.since > 1
)


def _fingerprint(pm: PostMortem) -> tuple[Any, ...]:
    """Every field but the metadata, as plain tuples (``asdict`` deep-copies: 3× slower)."""
    out = [value if key is None else key(value) for value, key in zip(_first_values(pm), _FIRST_KEYS, strict=True)]
    for name, default, key in _LATER:
        value = getattr(pm, name)
        if value != default:
            out.append((name, key(value)))
    return tuple(out)


def content_hash(pm: PostMortem) -> str:
    """A fingerprint of what a person wrote: every field but revision and timestamps.

    Stored with each entry and as the sync base. A field added to §2 later counts only
    where it is set, so the fingerprints already stored stay true.
    """
    import hashlib

    return hashlib.sha256(repr(_fingerprint(pm)).encode("utf-8", "surrogatepass")).hexdigest()
