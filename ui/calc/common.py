"""Small widgets the calculator screens share (kept here so the screens do not depend on business-form internals)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ui.style import set_state


def message_label(parent: QWidget | None = None) -> QLabel:
    """The message line under a screen's title; ui.style colours error/ok/busy, amber for warnings."""
    label = QLabel(parent)
    label.setObjectName("calcMessage")
    label.setProperty("role", "message")
    label.setWordWrap(True)
    label.setContentsMargins(10, 4, 10, 4)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_message(label: QLabel, text: str, state: str) -> None:
    label.setText(text)
    set_state(label, state=state)
    label.show()
