"""The Patterns view: what keeps recurring, as cards to read and charts to look at.

The analysis runs on a ``ui.background`` lane with its own ``Store`` (a store
belongs to one thread), so the window never waits for it; a newer request makes
the older result stale and it is dropped, and an analysis that fails says why
in place of "Looking for patterns…". Clicking a card or a bar asks the shell, through
``evidence_requested``, to filter its list to those entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal.insight import patterns
from journal.insight.patterns import Chart, Pattern
from ui.background import Background, Task
from ui.insight.charts import BarChart
from ui.theme import use_stylesheet

PERIODS = (("all", "All time"), ("year", "Last 12 months"), ("90d", "Last 90 days"))


@dataclass
class Report:
    """What the analysis hands back to the GUI thread: plain data only."""

    query: str
    period: str
    found: list[Pattern] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    needed: int = 0
    error: str = ""


def analyse(task: Task, query: str, period: str, today: str | None) -> Report:
    """The patterns of the entries matching ``query`` in ``period``, their charts, or how many entries are missing."""
    report = Report(query, period)
    store = task.store
    report.found = patterns.analyse(store, query, period, today)
    if report.found:
        report.charts = patterns.charts(store, query, period, today)
    else:
        report.needed = patterns.entries_needed(store, query, period, today)
    return report


def evidence_text(count: int) -> str:
    """How many entries a click shows; evidence lists are capped at the newest, so say so."""
    if count >= patterns.EVIDENCE_CAP:
        return f"the {count:,} most recent entries"
    return "1 entry" if count == 1 else f"{count:,} entries"


class PatternCard(QFrame):
    """One pattern sentence; a click asks for its evidence."""

    clicked = Signal(list)
    chosen = Signal(list, str)  # the evidence and the sentence it supports

    def __init__(self, pattern: Pattern, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pattern = pattern
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setObjectName("patternCard")
        self.setToolTip(f"Show {evidence_text(len(pattern.evidence))} behind this")
        layout = QVBoxLayout(self)
        sentence = QLabel(pattern.sentence)
        sentence.setWordWrap(True)
        sentence.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(sentence)
        dots = max(1, round(pattern.strength * 5))
        meter = QLabel(f"{'●' * dots}{'○' * (5 - dots)}   {evidence_text(len(pattern.evidence))}")
        meter.setToolTip("How strongly the entries show it")
        meter.setEnabled(False)  # drawn in the palette's muted text colour
        layout.addWidget(meter)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(list(self.pattern.evidence))
            self.chosen.emit(list(self.pattern.evidence), self.pattern.sentence)


class PatternsView(QWidget):
    """Cards ordered by strength, then charts; computed off the GUI thread."""

    evidence_requested = Signal(list)
    evidence_chosen = Signal(list, str)  # the ids and what they are the evidence of
    finished = Signal()
    started = Signal()

    def __init__(self, journal_path: str | Path, parent: QWidget | None = None, *, today: str | None = None) -> None:
        super().__init__(parent)
        self.journal_path = Path(journal_path)
        self.today = today
        self.query = ""
        self._analysis = Background(self, "hindsight-patterns", journal=self.journal_path)
        self.report: Report | None = None
        use_stylesheet(self, "patterns")

        self.period = QComboBox()
        for key, label in PERIODS:
            self.period.addItem(label, key)
        self.period.currentIndexChanged.connect(lambda _: self.refresh())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.period.setAccessibleName("Period")
        self.period.setToolTip("Which entries to look at, by the date they happened")
        self.narrowed = QLabel()
        self.narrowed.setObjectName("quiet")
        self.narrowed.setEnabled(False)  # muted, like the other quiet notes
        self.narrowed.setTextFormat(Qt.TextFormat.PlainText)
        self.narrowed.hide()
        title = QLabel("Patterns")
        title.setObjectName("patternsTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        title.setFont(font)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(self.narrowed)
        header.addStretch(1)
        header.addWidget(QLabel("Period:"))
        header.addWidget(self.period)

        self._content = QWidget()
        # Sentences on the left, charts beside them: both are in sight on a normal window.
        self._cards = QVBoxLayout()
        self._cards.setSpacing(8)
        self._charts = QGridLayout()
        self._charts.setVerticalSpacing(14)
        columns = QHBoxLayout()
        columns.setSpacing(18)
        cards_column = QVBoxLayout()
        cards_column.addLayout(self._cards)
        cards_column.addStretch(1)
        charts_column = QVBoxLayout()
        charts_column.addLayout(self._charts)
        charts_column.addStretch(1)
        columns.addLayout(cards_column, 3)
        columns.addLayout(charts_column, 2)
        inner = QVBoxLayout(self._content)
        inner.addWidget(self.status)
        inner.addLayout(columns, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._content)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(scroll)

    # --- computing -----------------------------------------------------------------------------------

    def set_query(self, query: str, *, refresh: bool = True) -> None:
        """Narrow the analysis by a §3 search query ("" for the whole journal)."""
        self.query = query
        self.narrowed.setText(f"Only entries matching your search “{query}”" if query.strip() else "")
        self.narrowed.setVisible(bool(query.strip()))
        if refresh:
            self.refresh()

    def refresh(self) -> None:
        """Start a new analysis; an older one still running is ignored when it ends."""
        self.status.setText("Looking for patterns…")
        query, period, today = self.query, str(self.period.currentData()), self.today
        self._analysis.submit(
            lambda task: analyse(task, query, period, today),
            on_result=self._show,
            on_error=lambda message: self._show(Report(query, period, error=message)),
        )
        self.started.emit()

    def wait(self) -> None:
        """Stop analysing (the journal is closing): an analysis under way is dropped and the thread ends."""
        self._analysis.stop()

    def _show(self, report: Report) -> None:
        self.report = report
        self._clear()
        if report.error:
            self.status.setText(f"Patterns could not be computed: {report.error}")
        elif not report.found and report.needed:
            narrowed = bool(self.query.strip()) or self.period.currentData() != "all"
            self.status.setText(patterns.waiting_text(report.needed, narrowed).replace("\n", "\n\n"))
        elif not report.found:
            self.status.setText("No pattern stands out yet: nothing recurs clearly enough to be worth saying.")
        elif any(patterns.COUNTED in p.sentence for p in report.found):
            self.status.setText(
                "Strongest first. Click a card or a bar to see the entries behind it. With fewer than "
                f"{patterns.TESTED_FROM} entries these are plain counts; from {patterns.TESTED_FROM}, Hindsight "
                "also tests whether they are more than chance."
            )
        else:
            self.status.setText("Strongest first. Click a card or a bar to see the entries behind it.")
        for pattern in report.found:
            card = PatternCard(pattern)
            card.clicked.connect(self.evidence_requested)
            card.chosen.connect(self.evidence_chosen)
            self._cards.addWidget(card)
        for index, chart in enumerate(report.charts):
            widget = BarChart(chart)
            widget.bar_clicked.connect(self.evidence_requested)
            widget.bar_chosen.connect(self.evidence_chosen)
            self._charts.addWidget(widget, index, 0)
        self.finished.emit()

    def _clear(self) -> None:
        for layout in (self._cards, self._charts):
            while layout.count():
                item = layout.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.setParent(None)
                    widget.deleteLater()

    def cards(self) -> list[PatternCard]:
        return [w for w in self._content.findChildren(PatternCard) if w.parent() is self._content]

    def chart_widgets(self) -> list[BarChart]:
        return [w for w in self._content.findChildren(BarChart) if w.parent() is self._content]
