"""Small pieces every business screen shares: the acting clerk, the message line, and keyboard focus helpers."""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QScrollArea, QWidget

from app.cases.service import Actor
from app.errors import ValidationFailed, YichuangError
from ui.style import set_state

log = logging.getLogger(__name__)


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


def show_save_failure(label: QLabel, exc: BaseException, doing: str) -> None:
    """受理 or 继续受理 came back refused or failed: the rules' own Chinese message, or the internal-error one, and a
    log line for support (`doing`: "saved", "resumed")."""
    if isinstance(exc, YichuangError):
        if not isinstance(exc, ValidationFailed):  # the rules' refusals are the clerk's business, not support's
            log.error("case could not be %s: %s", doing, exc.detail)
        show_message(label, exc.user_message, "error")
    else:
        log.error("unexpected error: case could not be %s", doing, exc_info=exc)
        show_message(label, QCoreApplication.translate("BusinessForm", "保存失败：系统内部错误，业务未受理。请联系管理员。"),
                     "error")


def focus_in(scroll: QScrollArea | None, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    if scroll is not None and scroll.widget() is not None and scroll.widget().isAncestorOf(widget):
        scroll.ensureWidgetVisible(widget)
    if isinstance(widget, QLineEdit):
        widget.selectAll()
