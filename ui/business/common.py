"""Small pieces every business screen shares: the acting clerk, the message line, and keyboard focus helpers."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QScrollArea, QWidget

from app.cases.service import Actor
from ui.style import set_state


def actor_for(runtime, session) -> Actor:
    terminal = runtime.settings.terminal
    return Actor(session.operator_id, session.name, session.primary_role, terminal.terminal_id,
                 terminal.agency_code, roles=tuple(session.roles))


def message_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setProperty("role", "message")
    label.setWordWrap(True)
    label.setContentsMargins(10, 4, 10, 4)  # margins, not QSS padding: word-wrap height honours them
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_message(label: QLabel, text: str, state: str) -> None:
    label.setText(text)
    set_state(label, state=state)
    label.show()


def focus_in(scroll: QScrollArea | None, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    if scroll is not None and scroll.widget() is not None and scroll.widget().isAncestorOf(widget):
        scroll.ensureWidgetVisible(widget)
    if isinstance(widget, QLineEdit):
        widget.selectAll()
