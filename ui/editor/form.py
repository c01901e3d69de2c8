"""Every field of a post-mortem (DESIGN §2), laid out in the order a person tells it.

The form only shows and gathers: ``set_entry`` fills it without reporting an
edit, ``changed`` fires on every user edit (forwarded by Qt from the field's own
signal, so typing costs no Python-side emit), and ``collect`` turns what is on
screen into a ``PostMortem`` plus the problems to show next to the fields. A
value that is not valid yet (a cost of "a lot") never reaches the store: the
last saved value is used for it until it is fixed, and the typed text stays on
screen. The editor decides when to save.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import replace

from PySide6.QtCore import QDate, QMargins, QStringListModel, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal.model import CAUSES, RECOVERY_STEPS, TABLE, TITLE_MAX, Breadsticks, Outcome, PostMortem
from ui.editor.chips import ChipSet
from ui.editor.followups_table import FollowUpCards
from ui.editor.hints import HintHighlighter
from ui.editor.markdown_field import MarkdownField
from ui.editor.preview import UrlOpener
from ui.editor.rows import EmotionRow, LessonRow, RecoveryRow, ReviewNoteRow, RowList, clean_text
from ui.reflow import FlowRow

SEVERITY_WORDS = {
    1: "Small slip",
    2: "Noticed, quickly fixed",
    3: "Client upset",
    4: "Trust shaken",
    5: "Relationship lost",
}
STATUS_LABELS = {"draft": "Draft", "open": "Open", "resolved": "Resolved", "reviewed": "Reviewed"}
DETECTION_LABELS = {
    "self": "I noticed it myself",
    "colleague": "A colleague spotted it",
    "client": "The other side told us",
    "escalation": "It was escalated",
    "public": "It became public",
    "other": "Some other way",
}
RESPONSE_LABELS = {
    "": "Not sure yet",
    "owned": "Owned it and got to work",
    "over_apologized": "Kept apologizing",
    "deflected": "Pointed elsewhere",
    "self_blamed": "Was hard on myself",
}
KIND_LABELS = {
    "": "—",
    "refund": "Refund",
    "discount": "Discount",
    "freebie": "Something free",
    "extra_work": "Extra work",
    "personal_visit": "A personal visit",
    "gesture": "A gesture",
    "none": "Nothing offered",
}
ACCEPTED_LABELS = {"": "—", "yes": "Accepted", "no": "Declined", "pending": "Waiting to hear"}
RETAINED_LABELS = {"unknown": "Not known yet", "yes": "Still working together", "no": "We parted ways"}

WIDE_MARGINS = (28, 20, 28, 40)
NARROW_MARGINS = (10, 12, 10, 40)
NARROW_BELOW = 440  # form width (px) under which the margins shrink

# Wording that changes with who made the mistake: (maker, receiver).
ROLE_WORDS = {
    "client_label": ("Client", "Provider"),
    "client_hint": ("Who was on the receiving end?", "Whose service let you down?"),
    "offered_label": ("What I offered", "What they offered me"),
    "offered_hint": (
        "What you did or gave to make up for it, even if it was small",
        "What they did or gave to make up for it, if anything",
    ),
    "wished_label": ("What they wished for", "What would have made it right for me"),
    "wished_hint": (
        "If you asked them, what would have made it right? Their words are worth keeping.",
        "Be specific; it is a good guide for the day you are the one making amends.",
    ),
    "breadsticks_intro": (
        "The make-good: what you offered to put things right, and how it was received.",
        "The make-good: what they offered you, and what would really have helped.",
    ),
}

PLACEHOLDERS = {
    "title": "A few words to find it again",
    "account": "Same as the client if left empty",
    "what_happened": (
        "The facts, in the order they happened: what was expected, what happened instead, "
        "who noticed and when. No verdicts needed; you can refine this later."
    ),
    "impact": "Who felt it, and how: time lost, money, a missed deadline, trust.",
    "contributing_factors": (
        "What made this likely? Workload, an unclear handover, a tool that hid something. Conditions, not culprits."
    ),
    "reflection": "Anything you want to say to yourself about this. It stays with you.",
    "currency": "e.g. EUR",
    "cost": "amount",
    "hours": "hours spent",
}


def _label(name: str) -> str:
    """A field's label from the field table (``journal.model.TABLE``)."""
    return TABLE[name].label


def _marked_label(name: str) -> str:
    """The label, with "(private)" where a redacted export leaves the field out."""
    return f"{_label(name)} (private)" if TABLE[name].private else _label(name)


def _combo(labels: dict[str, str] | dict[int, str], name: str) -> QComboBox:
    combo = QComboBox()
    for value, text in labels.items():
        combo.addItem(text, value)
    combo.setAccessibleName(name)
    return combo


def _select(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _quiet(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("quiet")
    label.setWordWrap(True)
    return label


def _message() -> QLabel:
    label = QLabel()
    label.setObjectName("inlineMessage")
    label.setWordWrap(True)
    label.hide()
    return label


def _parse_amount(text: str) -> float | None:
    """'12.50', '12,50' or '' (None); raises ValueError for anything else or a negative number."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        raise ValueError(text)
    return value


def _amount_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


def focusable_in_order(layout: QLayout) -> list[QWidget]:
    """The widgets Tab should visit, in the order the layouts show them."""
    found: list[QWidget] = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        widget = item.widget() if item is not None else None
        if widget is not None:
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                found.append(widget)
            inner = widget.layout()
            if inner is not None:
                found.extend(focusable_in_order(inner))
        elif item is not None:
            child = item.layout()
            if child is not None:
                found.extend(focusable_in_order(child))
    return found


class EntryForm(QWidget):
    """The scrollable content of the editor: sections, fields, prompts and inline messages."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._role = "maker"
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(*WIDE_MARGINS)
        self._layout.setSpacing(10)
        self._build_incident()
        self._build_story()
        self._build_feelings()
        self._build_recovery()
        self._build_breadsticks()
        self._build_follow_ups()
        self._build_lessons()
        self._build_reflection()
        self._build_review_notes()
        self._build_outcome()
        self._layout.addStretch(1)
        self._apply_role("maker")
        self.chain_tab_order()
        # Blameless hints: underlines with advice on hover, never a block (only visible paragraphs are read).
        self.hinters = {
            name: HintHighlighter(field.edit.document(), name, editor=field.edit)
            for name, field in (
                ("what_happened", self.what_happened),
                ("impact", self.impact),
                ("contributing_factors", self.contributing_factors),
                ("breadsticks.offered", self.offered),
                ("breadsticks.wished_for", self.wished_for),
                ("reflection", self.reflection),
            )
        }

    # --- building -------------------------------------------------------------------

    def _section(self, title: str, intro: str = "", *, private: bool = False) -> QVBoxLayout:
        heading = QLabel(title)
        heading.setObjectName("sectionHeading")
        head = QHBoxLayout()
        head.setContentsMargins(0, 18, 0, 0)
        head.addWidget(heading)
        head.addStretch(1)
        if private:
            mark = QLabel("private")
            mark.setObjectName("privateMark")
            mark.setToolTip("Only in your journal; left out of redacted exports")
            head.addWidget(mark)
        self._layout.addLayout(head)
        body = QVBoxLayout()
        body.setSpacing(8)
        if intro:
            intro_label = _quiet(intro)
            body.addWidget(intro_label)
            body.intro = intro_label  # type: ignore[attr-defined]
        self._layout.addLayout(body)
        return body

    def _field_section(self, name: str, intro: str = "") -> QVBoxLayout:
        """The section of a field of the table: its label as the heading, marked when private."""
        return self._section(_label(name), intro, private=TABLE[name].private)

    def _labelled(self, text: str, widget: QWidget) -> QVBoxLayout:
        label = QLabel(text)
        label.setObjectName("fieldLabel")
        label.setWordWrap(True)  # a long label takes two lines on a narrow editor instead of widening it
        label.setBuddy(widget)
        box = QVBoxLayout()
        box.setSpacing(4)
        box.addWidget(label)
        box.addWidget(widget)
        box.label = label  # type: ignore[attr-defined]
        return box

    def _field(self, text: str, widget: QWidget) -> QWidget:
        """A label over its field, as one widget a ``FlowRow`` can place (and wrap)."""
        holder = QWidget()
        box = self._labelled(text, widget)
        box.setContentsMargins(0, 0, 0, 0)
        holder.setLayout(box)
        holder.label = box.label  # type: ignore[attr-defined]
        return holder

    def _build_incident(self) -> None:
        body = self._section(
            "Incident", "Start with the basics. Everything is kept as you type; nothing has to be finished today."
        )
        self.title = _line(_label("title"), PLACEHOLDERS["title"])
        self.title.setObjectName("titleEdit")
        self.title.setToolTip("For example: “Quote sent with last year's prices”")
        self.title.setMaxLength(TITLE_MAX)
        self.title_message = _message()
        body.addLayout(self._labelled(_label("title"), self.title))
        body.addWidget(self.title_message)

        self.occurred_on = QDateEdit()
        self.occurred_on.setCalendarPopup(True)
        self.occurred_on.setDisplayFormat("yyyy-MM-dd")
        self.occurred_on.setAccessibleName("Date it happened")
        self.maker_button = QPushButton("I made it")
        self.receiver_button = QPushButton("It landed on me")
        self.role_group = QButtonGroup(self)
        for button, role, description in (
            (self.maker_button, "maker", "I made the mistake"),
            (self.receiver_button, "receiver", "Someone else's mistake landed on me"),
        ):
            button.setObjectName("segment")
            button.setCheckable(True)
            button.setAccessibleName(f"Role: {button.text()}")
            button.setAccessibleDescription(description)
            button.setToolTip(description)
            button.setProperty("role_value", role)
            self.role_group.addButton(button)
        self.maker_button.setChecked(True)
        role_box = QHBoxLayout()
        role_box.setSpacing(0)
        role_box.addWidget(self.maker_button)
        role_box.addWidget(self.receiver_button)
        role_box.addStretch(1)
        role_widget = QWidget()
        role_widget.setLayout(role_box)
        role_box.setContentsMargins(0, 0, 0, 0)

        self.client = _line("Client", ROLE_WORDS["client_hint"][0])
        self.account = _line(_label("account"), PLACEHOLDERS["account"])
        self._client_names = QStringListModel(self)
        self._account_names = QStringListModel(self)
        for edit, model in ((self.client, self._client_names), (self.account, self._account_names)):
            completer = QCompleter(model, edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)

        self.severity = _combo({n: f"{n} · {w}" for n, w in SEVERITY_WORDS.items()}, _label("severity"))
        self.severity.setToolTip("1 small slip … 3 client upset … 5 relationship lost")
        self.status = _combo(STATUS_LABELS, _label("status"))
        self.detection = _combo(DETECTION_LABELS, _label("detection"))

        # Three short rows that stack their fields when the editor is narrow (no sideways scrolling).
        em = self.fontMetrics().averageCharWidth()
        when_row = FlowRow(spacing=16)
        when_row.add(self._field(_label("occurred_on"), self.occurred_on), 1, 16 * em)
        role_field = self._field(_label("role"), role_widget)
        role_field.label.setBuddy(self.maker_button)  # type: ignore[attr-defined]
        when_row.add(role_field, 2)
        self._client_box = self._field("Client", self.client)
        names_row = FlowRow(spacing=16)
        names_row.add(self._client_box, 2, 24 * em)
        names_row.add(self._field(_label("account"), self.account), 1, 24 * em)
        kind_row = FlowRow(spacing=16)
        for name, combo in (("severity", self.severity), ("status", self.status), ("detection", self.detection)):
            kind_row.add(self._field(_label(name), combo), 1)
        for row in (when_row, names_row, kind_row):
            body.addLayout(row)

        self.title.textChanged.connect(self.changed)
        self.occurred_on.dateChanged.connect(self.changed)
        self.role_group.buttonToggled.connect(self._role_toggled)
        self.role_group.idToggled.connect(self.changed)
        self.client.textChanged.connect(self.changed)
        self.account.textChanged.connect(self.changed)
        for combo in (self.severity, self.status, self.detection):
            combo.currentIndexChanged.connect(self.changed)

    def _build_story(self) -> None:
        body = self._section("Story", "Facts first, in order. Describe the conditions, not the culprits.")
        self.what_happened = MarkdownField(_label("what_happened"), PLACEHOLDERS["what_happened"], lines=12)
        self.impact = MarkdownField(_label("impact"), PLACEHOLDERS["impact"], lines=4)
        self.contributing_factors = MarkdownField(
            _label("contributing_factors"), PLACEHOLDERS["contributing_factors"], lines=5
        )
        self.causes = ChipSet("Cause", CAUSES, add_placeholder="Another cause, then Enter")
        self.tags = ChipSet("Tag", (), add_placeholder="Add a tag, then Enter")
        for field in (self.what_happened, self.impact, self.contributing_factors):
            body.addWidget(field)
            field.changed.connect(self.changed)
        self._story = body
        body.addLayout(self._labelled("Causes (pick any that fit)", self.causes))
        body.addLayout(self._labelled(_label("tags"), self.tags))
        self.causes.changed.connect(self.changed)
        self.tags.changed.connect(self.changed)

    def _build_feelings(self) -> None:
        body = self._field_section(
            "emotions",
            "Naming a feeling takes a little of its heat away. Rate how strong it was then; "
            "when you look back later, rate it again.",
        )
        self.feelings: RowList[EmotionRow] = RowList("Add a feeling", EmotionRow)
        self.feelings_message = _message()
        body.addWidget(self.feelings)
        body.addWidget(self.feelings_message)
        self.feelings.changed.connect(self.changed)
        self.feelings.rows_changed.connect(self.chain_tab_order)

    def _build_recovery(self) -> None:
        body = self._field_section("recovery", "Six steps that usually repair trust. Mark where each one stands.")
        self.response_style = _combo(RESPONSE_LABELS, _label("response_style"))
        self.response_style.setToolTip("An honest look back at your first reaction; private")
        # Beside it, how long the first reply took: empty is "not known".
        self.first_response = _line(_label("first_response_hours"), "not known")
        self.first_response.setToolTip(
            "Hours from learning of the mistake to your first reply; if it landed on you, until they first replied"
        )
        em = self.fontMetrics().averageCharWidth()
        self.first_response.setFixedWidth(11 * em)
        hours = QHBoxLayout()
        hours.setSpacing(4)
        hours.addWidget(self.first_response)
        hours.addWidget(QLabel("h"))
        hours_widget = QWidget()
        hours_widget.setLayout(hours)
        hours.setContentsMargins(0, 0, 0, 0)
        # A row that wraps: on a narrow editor the hours go under the response, never sideways.
        response_row = FlowRow(spacing=16)
        response_row.add(self._field(_marked_label("response_style"), self.response_style), 0)
        hours_field = self._field(_label("first_response_hours"), hours_widget)
        hours_field.label.setBuddy(self.first_response)  # type: ignore[attr-defined]
        response_row.add(hours_field, 0)
        body.addLayout(response_row)
        self.first_response_message = _message()
        body.addWidget(self.first_response_message)
        self.recovery: dict[str, RecoveryRow] = {}
        for step in RECOVERY_STEPS:
            self.recovery[step] = RecoveryRow(step, self)
        # Each step is a row: name, state, note; the note drops under them when the editor is narrow.
        label_width = max(item.label.sizeHint().width() for item in self.recovery.values())
        state_width = max(item.state.sizeHint().width() for item in self.recovery.values())
        em = self.fontMetrics().averageCharWidth()
        for item in self.recovery.values():
            row = FlowRow(spacing=12, line_spacing=4)
            row.add(item.label, 0, label_width)
            row.add(item.state, 0, state_width)
            row.add(item.note, 1, 30 * em)
            body.addLayout(row)
            item.changed.connect(self.changed)
        self.response_style.currentIndexChanged.connect(self.changed)
        self.first_response.textChanged.connect(self.changed)

    def _build_breadsticks(self) -> None:
        body = self._field_section("breadsticks", ROLE_WORDS["breadsticks_intro"][0])
        self._breadsticks_intro: QLabel = body.intro  # type: ignore[attr-defined]
        self.offered = MarkdownField("What I offered", ROLE_WORDS["offered_hint"][0], lines=3)
        self.kind = _combo(KIND_LABELS, "Kind of make-good")
        self.accepted = _combo(ACCEPTED_LABELS, "Was it accepted")
        self.cost = _line("Cost", PLACEHOLDERS["cost"])
        self.currency = _line("Currency", PLACEHOLDERS["currency"])
        self.currency.setMaxLength(12)
        self.hours = _line("Hours spent", PLACEHOLDERS["hours"])
        self.wished_for = MarkdownField("What they wished for", ROLE_WORDS["wished_hint"][0], lines=3)
        self.breadsticks_message = _message()
        body.addWidget(self.offered)
        em = self.fontMetrics().averageCharWidth()
        row = FlowRow(spacing=16)
        row.add(self._field("Kind", self.kind), 2)
        row.add(self._field("Accepted?", self.accepted), 2)
        row.add(self._field("Cost", self.cost), 1, 10 * em)
        row.add(self._field("Currency", self.currency), 1, 10 * em)
        row.add(self._field("Hours", self.hours), 1, 10 * em)
        body.addLayout(row)
        body.addWidget(self.breadsticks_message)
        body.addWidget(self.wished_for)
        for field in (self.offered, self.wished_for):
            field.changed.connect(self.changed)
        for combo in (self.kind, self.accepted):
            combo.currentIndexChanged.connect(self.changed)
        for edit in (self.cost, self.currency, self.hours):
            edit.textChanged.connect(self.changed)

    def _build_follow_ups(self) -> None:
        body = self._field_section(
            "follow_ups",
            "Small, concrete actions, each with a name and a date. A check date is when to see whether the fix held.",
        )
        self.follow_ups = FollowUpCards()
        body.addWidget(self.follow_ups)
        self.follow_ups.changed.connect(self.changed)
        self.follow_ups.rows_changed.connect(self.chain_tab_order)

    def _build_lessons(self) -> None:
        body = self._field_section("lessons", "One per line, short enough to remember next time.")
        self.lessons: RowList[LessonRow] = RowList("Add a lesson", LessonRow)
        body.addWidget(self.lessons)
        self.lessons.changed.connect(self.changed)
        self.lessons.rows_changed.connect(self.chain_tab_order)

    def _build_reflection(self) -> None:
        body = self._field_section("reflection", "Only in your journal, and left out of redacted exports.")
        self.reflection = MarkdownField(_label("reflection"), PLACEHOLDERS["reflection"], lines=5)
        self.reflection.label.hide()
        body.addWidget(self.reflection)
        self.reflection.changed.connect(self.changed)

    def _build_review_notes(self) -> None:
        body = self._field_section(
            "review_notes", "For the account team when you sit down together. A note is dated when it is started."
        )
        self.review_notes: RowList[ReviewNoteRow] = RowList("Add a review note", ReviewNoteRow)
        body.addWidget(self.review_notes)
        self.review_notes.changed.connect(self.changed)
        self.review_notes.rows_changed.connect(self.chain_tab_order)

    def _build_outcome(self) -> None:
        body = self._field_section("outcome", "How it ended, once you know.")
        self.client_retained = _combo(RETAINED_LABELS, "Did the relationship continue")
        self.satisfaction = _combo({0: "—", **{n: f"{n} of 5" for n in range(1, 6)}}, "Their satisfaction, 1 to 5")
        row = FlowRow(spacing=16)
        row.add(self._field("Relationship", self.client_retained), 0)
        row.add(self._field("Their satisfaction", self.satisfaction), 0)
        body.addLayout(row)
        self.client_retained.currentIndexChanged.connect(self.changed)
        self.satisfaction.currentIndexChanged.connect(self.changed)

    # --- behaviour ------------------------------------------------------------------------

    def chain_tab_order(self) -> None:
        """Tab follows the page from top to bottom, also through rows added later."""
        widgets = focusable_in_order(self._layout)
        for first, second in itertools.pairwise(widgets):
            QWidget.setTabOrder(first, second)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Narrow editors (a small screen, large text) give the margins back to the fields.
        narrow = event.size().width() < NARROW_BELOW
        margins = NARROW_MARGINS if narrow else WIDE_MARGINS
        if self._layout.contentsMargins() != QMargins(*margins):
            self._layout.setContentsMargins(*margins)
            for field in self.markdown_fields():  # a long label may wrap only when it would widen the editor
                field.label.setWordWrap(narrow)
        super().resizeEvent(event)

    def add_aside(self, widget: QWidget) -> None:
        """A quiet panel right under "What happened" (the editor puts "You have seen this before" there)."""
        self._story.insertWidget(self._story.indexOf(self.what_happened) + 1, widget)

    def markdown_fields(self) -> list[MarkdownField]:
        return [
            self.what_happened, self.impact, self.contributing_factors, self.offered, self.wished_for, self.reflection
        ]

    def set_open_url(self, open_url: UrlOpener) -> None:
        for field in self.markdown_fields():
            field.set_open_url(open_url)

    def set_suggestions(
        self, clients: Iterable[str], accounts: Iterable[str], causes: Iterable[str], tags: Iterable[str]
    ) -> None:
        self._client_names.setStringList(list(clients))
        self._account_names.setStringList(list(accounts))
        self.causes.set_suggestions(c for c in causes if c not in CAUSES)
        self.tags.set_suggestions(tags)

    def role(self) -> str:
        return "receiver" if self.receiver_button.isChecked() else "maker"

    def set_role(self, role: str) -> None:
        """Select a role as the user would by clicking its button."""
        (self.receiver_button if role == "receiver" else self.maker_button).click()

    def _role_toggled(self, button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._apply_role(str(button.property("role_value")))

    def _apply_role(self, role: str) -> None:
        self._role = role
        pick = 1 if role == "receiver" else 0
        label = ROLE_WORDS["client_label"][pick]
        self._client_box.label.setText(label)  # type: ignore[attr-defined]
        self.client.setAccessibleName(label)
        self.client.setPlaceholderText(ROLE_WORDS["client_hint"][pick])
        self.offered.set_label(ROLE_WORDS["offered_label"][pick], ROLE_WORDS["offered_hint"][pick])
        self.wished_for.set_label(ROLE_WORDS["wished_label"][pick], ROLE_WORDS["wished_hint"][pick])
        self._breadsticks_intro.setText(ROLE_WORDS["breadsticks_intro"][pick])

    # --- in and out ------------------------------------------------------------------------

    def set_entry(self, pm: PostMortem) -> None:
        """Show ``pm``; no ``changed`` is reported for it."""
        self.blockSignals(True)
        try:
            self.title.setText(pm.title)
            self.title.setCursorPosition(0)  # show how a long title starts, not how it ends
            date = QDate.fromString(pm.occurred_on, "yyyy-MM-dd")
            self.occurred_on.setDate(date if date.isValid() else QDate.currentDate())
            (self.receiver_button if pm.role == "receiver" else self.maker_button).setChecked(True)
            self._apply_role(pm.role)
            self.client.setText(pm.client)
            self.account.setText(pm.account)
            _select(self.severity, pm.severity)
            _select(self.status, pm.status)
            _select(self.detection, pm.detection)
            self.what_happened.set_text(pm.what_happened)
            self.impact.set_text(pm.impact)
            self.contributing_factors.set_text(pm.contributing_factors)
            self.causes.set_labels(pm.causes)
            self.tags.set_labels(pm.tags)
            self.feelings.set_rows([EmotionRow(e) for e in pm.emotions])
            _select(self.response_style, pm.response_style)
            self.first_response.setText(_amount_text(pm.first_response_hours))
            for step, row in self.recovery.items():
                row.set_value(pm.recovery[step])
            b = pm.breadsticks
            self.offered.set_text(b.offered)
            _select(self.kind, b.kind)
            _select(self.accepted, b.accepted)
            self.cost.setText(_amount_text(b.cost))
            self.currency.setText(b.currency)
            self.hours.setText(_amount_text(b.hours))
            self.wished_for.set_text(b.wished_for)
            self.follow_ups.model.set_follow_ups(pm.follow_ups)
            self.lessons.set_rows([LessonRow(lesson) for lesson in pm.lessons])
            self.reflection.set_text(pm.reflection)
            self.review_notes.set_rows([ReviewNoteRow(note) for note in pm.review_notes])
            _select(self.client_retained, pm.outcome.client_retained)
            _select(self.satisfaction, pm.outcome.satisfaction or 0)
            for field in self.markdown_fields():
                field.set_previewing(False)
            self.show_problems({})
        finally:
            self.blockSignals(False)

    def collect(
        self, base: PostMortem, *, is_new: bool, fallback_title: str = ""
    ) -> tuple[PostMortem | None, dict[str, list[str]]]:
        """What the form holds, as an entry to save over ``base`` (None: not savable yet), and the problems.

        Problems are keyed by where they are shown: title, feelings, first_response, breadsticks, follow_ups.
        """
        problems: dict[str, list[str]] = {}
        # A pasted title may hold line breaks, which a title cannot: they become spaces.
        title = " ".join(clean_text(self.title.text()).splitlines()).strip()
        if not title:
            if is_new and fallback_title:
                title = fallback_title
            elif is_new:
                problems["title"] = ["Give it a short title and it will be kept; nothing is saved before that."]
            else:
                problems["title"] = ["A title helps you find this again; the previous one is kept until you write one."]
                title = base.title

        emotions = []
        for number, row in enumerate(self.feelings.rows(), start=1):
            emotion = row.value()
            if emotion.name:
                emotions.append(emotion)
            elif (emotion.who, emotion.intensity, emotion.intensity_now) != ("me", 3, None):
                problems.setdefault("feelings", []).append(f"Feeling {number} needs a word before it is kept.")

        breadsticks_problems: list[str] = []

        def amount(edit: QLineEdit, previous: float | None, what: str) -> float | None:
            try:
                return _parse_amount(edit.text())
            except ValueError:
                breadsticks_problems.append(
                    f"{what} should be a number like 40 or 12.50; “{edit.text()}” is kept on screen."
                )
                return previous

        breadsticks = Breadsticks(
            offered=clean_text(self.offered.text()),
            kind=str(self.kind.currentData()),
            cost=amount(self.cost, base.breadsticks.cost, "The cost"),
            currency=clean_text(self.currency.text()).strip(),
            hours=amount(self.hours, base.breadsticks.hours, "Hours"),
            accepted=str(self.accepted.currentData()),
            wished_for=clean_text(self.wished_for.text()),
        )
        if breadsticks_problems:
            problems["breadsticks"] = breadsticks_problems

        try:
            first_response = _parse_amount(self.first_response.text())
        except ValueError:
            first_response = base.first_response_hours
            problems["first_response"] = [
                f"Hours to the first reply should be a number like 4 or 1.5 (empty: not known); "
                f"“{self.first_response.text()}” is kept on screen."
            ]

        follow_ups, follow_up_problems = self.follow_ups.model.for_save({f.id: f for f in base.follow_ups})
        follow_ups = [replace(f, text=clean_text(f.text), owner=clean_text(f.owner).strip()) for f in follow_ups]
        if follow_up_problems:
            problems["follow_ups"] = follow_up_problems

        self.show_problems(problems)
        if not title:
            return None, problems
        satisfaction = self.satisfaction.currentData()
        pm = replace(
            base,
            title=title,
            occurred_on=self.occurred_on.date().toString("yyyy-MM-dd"),
            role=self.role(),
            client=clean_text(self.client.text()).strip(),
            account=clean_text(self.account.text()).strip(),
            severity=int(self.severity.currentData()),
            status=str(self.status.currentData()),
            detection=str(self.detection.currentData()),
            what_happened=clean_text(self.what_happened.text()),
            impact=clean_text(self.impact.text()),
            contributing_factors=clean_text(self.contributing_factors.text()),
            causes=self.causes.labels(),
            tags=self.tags.labels(),
            response_style=str(self.response_style.currentData()),
            first_response_hours=first_response,
            emotions=emotions,
            recovery={step: row.value() for step, row in self.recovery.items()},
            breadsticks=breadsticks,
            follow_ups=follow_ups,
            lessons=[text for text in (row.value() for row in self.lessons.rows()) if text],
            reflection=clean_text(self.reflection.text()),
            review_notes=[row.value() for row in self.review_notes.rows() if not row.is_blank()],
            outcome=Outcome(
                client_retained=str(self.client_retained.currentData()),
                satisfaction=int(satisfaction) if satisfaction else None,
            ),
        )
        return pm, problems

    def show_problems(self, problems: dict[str, list[str]]) -> None:
        for key, label in (
            ("title", self.title_message),
            ("feelings", self.feelings_message),
            ("breadsticks", self.breadsticks_message),
            ("first_response", self.first_response_message),
        ):
            label.setText(" ".join(problems.get(key, [])))
            label.setVisible(bool(problems.get(key)))
        self.follow_ups.show_problems(problems.get("follow_ups", []))
