"""A row of mutually exclusive radio buttons (已收取/缺少/告知承诺, 符合/不符合) read and written by option key."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton, QWidget


class ChoiceButtons(QWidget):
    """Keys 1…n pick an option while one of the buttons has the focus; arrows move between them as usual."""

    changed = Signal(str)

    def __init__(self, options: list[tuple[str, str]], value: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[str, QRadioButton] = {}
        for key, text in options:
            button = QRadioButton(text, self)  # parented at once: no style re-resolution when laid out
            button.setObjectName(f"choice_{key}")
            self._group.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
            button.toggled.connect(lambda on, k=key: on and self.changed.emit(k))
        layout.addStretch(1)
        if value is not None:
            self.buttons[value].setChecked(True)

    def value(self) -> str | None:
        return next((key for key, b in self.buttons.items() if b.isChecked()), None)

    def set_value(self, key: str) -> None:
        self.buttons[key].setChecked(True)

    def focus_target(self) -> QWidget:
        """The button Tab would land on: the checked one, else the first."""
        return next((b for b in self.buttons.values() if b.isChecked()), next(iter(self.buttons.values())))

    def owns(self, widget: QObject) -> bool:
        return widget in self.buttons.values()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A radio button ignores digits, so they arrive here (no per-button event filter: cheaper to build).
        text, keys = event.text(), list(self.buttons)
        if event.modifiers() == Qt.KeyboardModifier.NoModifier and text.isdigit() and 1 <= int(text) <= len(keys):
            button = self.buttons[keys[int(text) - 1]]
            button.setChecked(True)
            button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().keyPressEvent(event)
