"""Light and dark palettes: follow the system unless the View menu says otherwise.

Widgets' stylesheets are ``.qss`` files in ``resources/styles``; ``palette(...)`` in
them follows the palette by itself, and a ``${name}`` is filled from these colours.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from string import Template

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

MODES = ("system", "light", "dark")
SETTINGS_KEY = "view/appearance"

# Calm, warm neutrals; one teal accent used sparingly.
_LIGHT = {
    "window": "#F5F3EF",
    "base": "#FFFFFF",
    "alternate": "#FAF8F5",
    "text": "#24292E",
    "muted": "#6A737D",
    "button": "#ECE9E4",
    "highlight": "#2F7A73",
    "highlighted_text": "#FFFFFF",
    "link": "#1F6A9A",
    "tooltip_base": "#FFFBEA",
    "mid": "#D6D2CB",
    "maker": "#B45309",
    "receiver": "#1D5FA0",
    "inline_message": "#A4541A",  # what the form says under a field it cannot take as typed
    "date_problem": "#B3261E",  # a follow-up's date that cannot be read
}
_DARK = {
    "window": "#1F2124",
    "base": "#17181A",
    "alternate": "#1C1D20",
    "text": "#E6E3DE",
    "muted": "#9BA1A8",
    "button": "#2B2E32",
    "highlight": "#3A8F87",
    "highlighted_text": "#FFFFFF",
    "link": "#7DB8E8",
    "tooltip_base": "#2B2E32",
    "mid": "#3A3D42",
    "maker": "#F0A45D",
    "receiver": "#7EB6F0",
    "inline_message": "#A4541A",  # as in the light palette: unchanged since it was a constant
    "date_problem": "#B3261E",  # as in the light palette
}


# One colour per role, everywhere (list, toolbar, charts, editor): the "maker" and "receiver" keys above.
ROLES = ("maker", "receiver")
ROLE_TEXT = {"maker": "I made it", "receiver": "It landed on me"}
ROLE_COLOUR_NAMES = {"maker": "orange", "receiver": "blue"}  # how the legend names them, in both palettes


def role_color(role: str, dark: bool) -> str:
    """The colour of ``role`` in the light or dark palette (the muted text colour for anything else)."""
    return colors(dark)[role if role in ROLES else "muted"]


def role_legend() -> str:
    """What the role colours mean, in words: 'Orange: “I made it” · Blue: “It landed on me”'."""
    return " · ".join(f"{ROLE_COLOUR_NAMES[r].capitalize()}: “{ROLE_TEXT[r]}”" for r in ROLES)


def is_dark(palette: QPalette) -> bool:
    """Whether a palette is a dark one (custom-drawn widgets pick their colours by it)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colors(dark: bool) -> dict[str, str]:
    """The named colours of a palette (for icons and the few custom-drawn bits)."""
    return dict(_DARK if dark else _LIGHT)


def palette(dark: bool) -> QPalette:
    c = colors(dark)
    p = QPalette()
    role = QPalette.ColorRole
    for r, key in (
        (role.Window, "window"),
        (role.WindowText, "text"),
        (role.Base, "base"),
        (role.AlternateBase, "alternate"),
        (role.Text, "text"),
        (role.Button, "button"),
        (role.ButtonText, "text"),
        (role.Highlight, "highlight"),
        (role.HighlightedText, "highlighted_text"),
        (role.Link, "link"),
        (role.ToolTipBase, "tooltip_base"),
        (role.ToolTipText, "text"),
        (role.PlaceholderText, "muted"),
        (role.Mid, "mid"),
        (role.Midlight, "mid"),
        (role.Light, "base"),
        (role.Dark, "mid"),
        (role.Shadow, "mid"),
        (role.BrightText, "highlighted_text"),
    ):
        p.setColor(r, QColor(c[key]))
    disabled = QColor(c["muted"])
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, disabled)
    return p


@cache
def stylesheet(name: str, dark: bool) -> str:
    """``resources/styles/<name>.qss`` with its ``${colour}`` names filled from the light or dark colours."""
    text = files("resources").joinpath("styles", f"{name}.qss").read_text(encoding="utf-8")
    return Template(text).substitute(colors(dark))  # a name with no colour raises KeyError: a bug, found by tests


class _Restyle(QObject):
    """Keeps a widget's stylesheet filled for its palette: refilled when the palette turns light or dark."""

    def __init__(self, widget: QWidget, name: str) -> None:
        super().__init__(widget)
        self._widget = widget
        self._name = name
        self.refill()
        widget.installEventFilter(self)

    def refill(self) -> None:
        text = stylesheet(self._name, is_dark(self._widget.palette()))
        if self._widget.styleSheet() != text:  # setting it again would re-polish every child for nothing
            self._widget.setStyleSheet(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.refill()
        return False


def use_stylesheet(widget: QWidget, name: str) -> None:
    """Style ``widget`` and its children with ``resources/styles/<name>.qss``, in the palette it has."""
    _Restyle(widget, name)


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


class Theme(QObject):
    """Which palette is in use; ``changed`` fires when it switches (icons re-tint then)."""

    changed = Signal()

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        value = str(settings.value(SETTINGS_KEY, "system"))
        self._mode = value if value in MODES else "system"
        self._dark: bool | None = None
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_change)

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def dark(self) -> bool:
        if self._mode == "system":
            return system_is_dark()
        return self._mode == "dark"

    def colors(self) -> dict[str, str]:
        return colors(self.dark)

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"appearance must be one of {', '.join(MODES)}; got {mode!r}")
        self._mode = mode
        self._settings.setValue(SETTINGS_KEY, mode)
        self.apply()

    def apply(self) -> None:
        dark = self.dark
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(palette(dark))
        if dark != self._dark:
            self._dark = dark
            self.changed.emit()

    def _on_system_change(self, _scheme: Qt.ColorScheme) -> None:
        if self._mode == "system":
            self.apply()
