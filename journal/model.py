"""The post-mortem and its parts, exactly as DESIGN.md §2 names them.

Plain dataclasses: the store, the CLI, the Markdown format and the UI all speak
them. ``PostMortem.from_dict`` is the one gate that validates outside data; it
raises ``ValueError`` naming the field and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, is_dataclass
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

PRIVATE_FIELDS = ("emotions", "reflection", "response_style", "review_notes")
TITLE_MAX = 200


def new_id() -> str:
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


# --- the post-mortem ----------------------------------------------------------


@dataclass
class PostMortem:
    title: str = ""
    role: str = "maker"
    id: str = field(default_factory=new_id)
    occurred_on: str = field(default_factory=today)
    client: str = ""
    account: str = ""
    severity: int = 2
    status: str = "draft"
    detection: str = "self"
    what_happened: str = ""
    impact: str = ""
    contributing_factors: str = ""
    causes: list[str] = field(default_factory=list)
    response_style: str = ""
    emotions: list[Emotion] = field(default_factory=list)
    recovery: dict[str, RecoveryStep] = field(default_factory=default_recovery)
    breadsticks: Breadsticks = field(default_factory=Breadsticks)
    follow_ups: list[FollowUp] = field(default_factory=list)
    lessons: list[str] = field(default_factory=list)
    reflection: str = ""
    tags: list[str] = field(default_factory=list)
    review_notes: list[ReviewNote] = field(default_factory=list)
    outcome: Outcome = field(default_factory=Outcome)
    created_at: str = ""
    updated_at: str = ""
    revision: int = 0
    deleted: bool = False

    @property
    def effective_account(self) -> str:
        """The account, which is the client when left empty (DESIGN §2)."""
        return self.account or self.client

    def validate(self) -> PostMortem:
        """Raise ``ValueError`` naming the first bad field; return self."""
        PostMortem.from_dict(self.to_dict())
        return self

    def to_dict(self) -> dict[str, Any]:
        """The §2 object: the same names as SQLite, JSON and the front matter."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, *, allow_unknown: bool = False) -> PostMortem:
        if _FAST_RECORDS and type(data) is dict and _POST_MORTEM_KEYS.issuperset(data):
            clean = _clean_post_mortem(data)
            if clean is not None:
                return clean
        data = _mapping("post-mortem", data)
        if not allow_unknown:
            _reject_unknown("post-mortem", data, cls)
        title = _text("title", data.get("title")).strip()
        if not title:
            raise ValueError("title must not be empty")
        if len(title) > TITLE_MAX:
            raise ValueError(f"title must be at most {TITLE_MAX} characters; got {len(title)}")
        if "\n" in title or "\r" in title:
            raise ValueError("title must be a single line")
        entry_id = _text("id", data.get("id")).strip() or new_id()
        try:
            uuid.UUID(entry_id)
        except ValueError:
            raise ValueError(f"id must be a UUID; got {entry_id!r}") from None

        recovery_in = _mapping("recovery", data.get("recovery"))
        unknown_steps = sorted(str(k) for k in recovery_in if k not in RECOVERY_STEPS)
        if unknown_steps:
            raise ValueError(
                f"recovery has unknown step(s): {', '.join(unknown_steps)}; "
                f"steps are {', '.join(RECOVERY_STEPS)}"
            )
        recovery = {
            step: RecoveryStep()  # a step left out is pending, which from_dict(None) also gives
            if recovery_in.get(step) is None
            else RecoveryStep.from_dict(recovery_in.get(step), _STEP_WHERE[step])
            for step in RECOVERY_STEPS
        }

        def items(name: str) -> Sequence[Any]:
            value = data.get(name)
            if value is None:
                return []
            if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence):
                raise ValueError(f"{name} must be a list")
            return value

        revision = _int_range("revision", data.get("revision", 0), 0, 2**62)
        deleted = data.get("deleted", False)
        if not isinstance(deleted, bool):
            if deleted in (0, 1):
                deleted = bool(deleted)
            else:
                raise ValueError(f"deleted must be true or false; got {deleted!r}")
        return cls(
            id=entry_id,
            title=title,
            occurred_on=parse_date("occurred_on", data.get("occurred_on") or today()),
            role=_choice("role", data.get("role"), ROLES),
            client=_text("client", data.get("client")).strip(),
            account=_text("account", data.get("account")).strip(),
            severity=_int_range("severity", data.get("severity", 2), 1, 5) or 2,
            status=_choice("status", data.get("status", "draft"), STATUSES),
            detection=_choice("detection", data.get("detection", "self"), DETECTIONS),
            what_happened=_text("what_happened", data.get("what_happened")),
            impact=_text("impact", data.get("impact")),
            contributing_factors=_text("contributing_factors", data.get("contributing_factors")),
            causes=_labels("causes", data.get("causes")),
            response_style=_choice(
                "response_style", data.get("response_style", ""), RESPONSE_STYLES
            ),
            emotions=[Emotion.from_dict(e, "emotions", i) for i, e in enumerate(items("emotions"))],
            recovery=recovery,
            breadsticks=Breadsticks.from_dict(data.get("breadsticks")),
            follow_ups=[FollowUp.from_dict(f, "follow_ups", i) for i, f in enumerate(items("follow_ups"))],
            lessons=[s for s in _str_list("lessons", data.get("lessons")) if s.strip()],
            reflection=_text("reflection", data.get("reflection")),
            tags=_labels("tags", data.get("tags")),
            review_notes=[ReviewNote.from_dict(n, "review_notes", i) for i, n in enumerate(items("review_notes"))],
            outcome=Outcome.from_dict(data.get("outcome")),
            created_at=_timestamp("created_at", data.get("created_at")),
            updated_at=_timestamp("updated_at", data.get("updated_at")),
            revision=revision or 0,
            deleted=deleted,
        )


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


_POST_MORTEM_KEYS = frozenset(f.name for f in fields(PostMortem))
# A UUID as new_id() writes it: lowercase, with dashes.
CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_MD_NAMES = ("what_happened", "impact", "contributing_factors", "reflection")


def _trimmed(value: Any) -> bool:
    return _plain_text(value) and value == value.strip()


def _clean_list(value: Any, labels: bool) -> list[str] | None:
    """``_labels`` (or the lessons' filter) would return exactly these items; None if unsure."""
    if value is None:
        return []
    if type(value) is not list:
        return None
    for item in value:
        if not _plain_text(item) or not (item and item == item.strip() if labels else item.strip()):
            return None
    if labels and len(set(value)) != len(value):
        return None
    return list(value)


def _clean_post_mortem(data: dict[str, Any]) -> PostMortem | None:
    """``PostMortem.from_dict`` for data that is already clean (as our reader gives it), else None.

    None hands the data to the full validation, which then gives the result or the
    error; a property test holds the two to the same result.
    """
    get = data.get
    title, entry_id, occurred_on, role = get("title"), get("id"), get("occurred_on"), get("role")
    client, account, severity = get("client", ""), get("account", ""), get("severity", 2)
    status, detection, style = get("status", "draft"), get("detection", "self"), get("response_style", "")
    revision, deleted = get("revision", 0), get("deleted", False)
    texts = [get(name) for name in _MD_NAMES]
    if not (
        _trimmed(title) and title and len(title) <= TITLE_MAX and "\n" not in title and "\r" not in title
        and type(entry_id) is str and CANONICAL_UUID.fullmatch(entry_id)
        and type(occurred_on) is str and occurred_on in _CANONICAL_DATES
        and type(role) is str and role in ROLES
        and _trimmed(client) and _trimmed(account)
        and type(severity) is int and 1 <= severity <= 5
        and type(status) is str and status in STATUSES
        and type(detection) is str and detection in DETECTIONS
        and type(style) is str and style in RESPONSE_STYLES
        and type(revision) is int and 0 <= revision <= 2**62
        and type(deleted) is bool
        and all(text is None or _plain_text(text) for text in texts)
    ):
        return None
    causes, tags = _clean_list(get("causes"), True), _clean_list(get("tags"), True)
    lessons = _clean_list(get("lessons"), False)
    recovery_in = get("recovery")
    if causes is None or tags is None or lessons is None or not (
        recovery_in is None or (type(recovery_in) is dict and _STEP_NAMES.issuperset(recovery_in))
    ):
        return None
    lists = [get(name) for name in ("emotions", "follow_ups", "review_notes")]
    if not all(value is None or type(value) is list for value in lists):
        return None
    emotions, follow_ups, notes = (value or [] for value in lists)
    recovery_in = recovery_in or {}
    try:
        recovery = {
            step: RecoveryStep() if recovery_in.get(step) is None
            else RecoveryStep.from_dict(recovery_in[step], _STEP_WHERE[step])
            for step in RECOVERY_STEPS
        }
        what_happened, impact, contributing_factors, reflection = (text or "" for text in texts)
        return PostMortem(
            id=entry_id, title=title, occurred_on=occurred_on, role=role, client=client, account=account,
            severity=severity, status=status, detection=detection, what_happened=what_happened, impact=impact,
            contributing_factors=contributing_factors, causes=causes, response_style=style,
            emotions=[Emotion.from_dict(e, "emotions", i) for i, e in enumerate(emotions)],
            recovery=recovery,
            breadsticks=Breadsticks.from_dict(get("breadsticks")),
            follow_ups=[FollowUp.from_dict(f, "follow_ups", i) for i, f in enumerate(follow_ups)],
            lessons=lessons, reflection=reflection, tags=tags,
            review_notes=[ReviewNote.from_dict(n, "review_notes", i) for i, n in enumerate(notes)],
            outcome=Outcome.from_dict(get("outcome")),
            created_at=_timestamp("created_at", get("created_at")),
            updated_at=_timestamp("updated_at", get("updated_at")),
            revision=revision, deleted=deleted,
        )
    except ValueError:
        return None  # the full validation names the field


# --- identity of content -----------------------------------------------------------------------


def _same_number(value: float | None) -> float | int | None:
    # 4.0 from SQLite and 4 from a hand-written file are the same hours.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _fingerprint(pm: PostMortem) -> tuple[Any, ...]:
    """Every field but the metadata, as plain tuples (``asdict`` deep-copies: 3× slower)."""
    b, o = pm.breadsticks, pm.outcome
    return (
        pm.id, pm.title, pm.occurred_on, pm.role, pm.client, pm.account, pm.severity, pm.status, pm.detection,
        pm.what_happened, pm.impact, pm.contributing_factors, tuple(pm.causes), pm.response_style,
        tuple([(e.who, e.name, e.intensity, e.intensity_now) for e in pm.emotions]),
        tuple([(step, s.state, s.note) for step, s in sorted(pm.recovery.items())]),
        (b.offered, b.kind, _same_number(b.cost), b.currency, _same_number(b.hours), b.accepted, b.wished_for),
        tuple(
            # The note only when written: fingerprints stored before it existed stay true.
            [(f.id, f.text, f.owner, f.due_on, f.status, f.done_on, f.check_on, f.check_result)
             + ((f.note,) if f.note else ()) for f in pm.follow_ups]
        ),
        tuple(pm.lessons), pm.reflection, tuple(pm.tags),
        tuple([(n.id, n.author, n.written_at, n.text) for n in pm.review_notes]),
        (o.client_retained, o.satisfaction), pm.deleted,
    )


# A field added to §2 must be added to the fingerprint, or sync would not see it change.
# The journal stores every entry's fingerprint (entries.content_hash): a change to what
# goes into it needs a migration that sets that column to NULL, so it is computed anew.
_FINGERPRINTED = 24
if len(fields(PostMortem)) - 3 != _FINGERPRINTED:
    raise RuntimeError("PostMortem gained or lost a field: update model._fingerprint")


def content_hash(pm: PostMortem) -> str:
    """A fingerprint of what a person wrote: every field but revision and timestamps.

    Stored with each entry and as the sync base. Adding a field to §2 changes every
    fingerprint; a sync then sees "both changed" only where the two copies really differ.
    """
    return hashlib.sha256(repr(_fingerprint(pm)).encode("utf-8", "surrogatepass")).hexdigest()
