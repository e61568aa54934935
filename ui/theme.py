"""Display preferences of the terminal: a scalable font size (Ctrl+= / Ctrl+- / Ctrl+0) and a high-contrast theme,
applied to the whole application and remembered in the data directory (display.json)."""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtWidgets import QApplication

from ui.style import STYLE_SHEET

log = logging.getLogger(__name__)
BASE_POINT_SIZE = 10
MIN_POINT_SIZE, MAX_POINT_SIZE = 8, 24
PREFS_FILE = "display.json"

# Black ground, white text, yellow focus: WCAG AAA contrast for tired eyes and bright halls.
HIGH_CONTRAST = """
QWidget { background: black; color: white; }
QMainWindow, QDialog, QGroupBox, QTabWidget::pane, QScrollArea, QStatusBar { background: black; color: white; }
QLineEdit, QComboBox, QDateEdit, QSpinBox, QListWidget, QTableView, QTextEdit, QPlainTextEdit {
    background: black; color: white; border: 2px solid white; }
QLineEdit:focus, QComboBox:focus, QPushButton:focus, QListWidget:focus, QTableView:focus, QRadioButton:focus {
    border: 3px solid #ffd400; }
QPushButton { background: black; color: #ffd400; border: 2px solid #ffd400; font-weight: bold; }
QPushButton:disabled { color: #9e9e9e; border-color: #9e9e9e; }
QPushButton[primary="true"] { background: #ffd400; color: black; }
QListWidget::item:selected, QTableView::item:selected { background: #ffd400; color: black; }
QTabBar::tab { background: black; color: white; border: 1px solid white; }
QTabBar::tab:selected { background: #ffd400; color: black; }
QLabel[state="error"], QLabel[invalid="true"] { color: #ff8a80; font-weight: bold; }
QLabel[state="ok"] { color: #b9f6ca; }
QLabel[state="warn"] { color: #ffd740; }
QToolTip { background: black; color: white; border: 1px solid #ffd400; }
"""


@dataclass
class DisplayPrefs:
    point_size: int = BASE_POINT_SIZE
    high_contrast: bool = False

    @classmethod
    def load(cls, directory: Path | None) -> "DisplayPrefs":
        if directory is None:
            return cls()
        try:
            data = json.loads((Path(directory) / PREFS_FILE).read_text(encoding="utf-8"))
            prefs = cls(int(data.get("point_size", BASE_POINT_SIZE)), bool(data.get("high_contrast", False)))
        except (OSError, ValueError, TypeError):
            return cls()
        prefs.point_size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, prefs.point_size))
        return prefs

    def save(self, directory: Path | None) -> None:
        if directory is None:
            return
        try:
            Path(directory).mkdir(parents=True, exist_ok=True)
            (Path(directory) / PREFS_FILE).write_text(json.dumps(asdict(self)), encoding="utf-8")
        except OSError as exc:
            log.warning("display preferences not saved: %s", exc)


class Theme:
    """Applies DisplayPrefs to the QApplication; each change is saved."""

    def __init__(self, directory: Path | None = None, app: QApplication | None = None):
        self.directory = directory
        self.app = app or QApplication.instance()
        self.prefs = DisplayPrefs.load(directory)

    def apply(self) -> None:
        font = self.app.font()
        font.setPointSize(self.prefs.point_size)
        self.app.setFont(font)
        sheet = STYLE_SHEET + (HIGH_CONTRAST if self.prefs.high_contrast else "")
        if self.app.styleSheet() != sheet:
            self.app.setStyleSheet(sheet)

    def _changed(self) -> None:
        self.apply()
        self.prefs.save(self.directory)

    def bigger(self) -> int:
        self.prefs.point_size = min(MAX_POINT_SIZE, self.prefs.point_size + 1)
        self._changed()
        return self.prefs.point_size

    def smaller(self) -> int:
        self.prefs.point_size = max(MIN_POINT_SIZE, self.prefs.point_size - 1)
        self._changed()
        return self.prefs.point_size

    def reset_size(self) -> int:
        self.prefs.point_size = BASE_POINT_SIZE
        self._changed()
        return self.prefs.point_size

    def set_high_contrast(self, on: bool) -> None:
        self.prefs.high_contrast = bool(on)
        self._changed()

    def toggle_high_contrast(self) -> bool:
        self.set_high_contrast(not self.prefs.high_contrast)
        return self.prefs.high_contrast
