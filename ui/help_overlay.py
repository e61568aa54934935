"""The shortcut help overlay (F1): a panel over the window listing every key of the counter's keymap; F1 or Esc
closes it, and focus returns where it was."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget


_translate = QCoreApplication.translate  # lupdate reads _translate("HelpOverlay", "…")


class HelpOverlay(QFrame):
    def __init__(self, host: QWidget, keys: list, form_keys: list[tuple[str, str]]):
        super().__init__(host)
        self.setObjectName("helpOverlay")
        self.setAccessibleName(_translate("HelpOverlay", "快捷键帮助"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet("#helpOverlay { background: rgba(20, 28, 38, 235); border-radius: 8px; }"
                           "#helpOverlay QLabel { color: white; }"
                           "#helpOverlay QLabel[role=\"key\"] { font-weight: bold; color: #ffd54f; }")
        self._return_focus: QWidget | None = None
        title = QLabel(_translate("HelpOverlay", "快捷键（F1 或 Esc 关闭）"))
        title.setObjectName("helpTitle")
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        self.rows: list[tuple[str, str]] = []
        for n, key in enumerate(keys):
            self._add(grid, n, 0, key.sequence, key.label)
        heading = QLabel(_translate("HelpOverlay", "办理业务时"))
        heading.setProperty("role", "key")
        grid.addWidget(heading, 0, 2, 1, 2)
        for n, (seq, text) in enumerate(form_keys, start=1):
            self._add(grid, n, 2, seq, text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(title)
        layout.addLayout(grid)
        self.hide()
        host.installEventFilter(self)

    def _add(self, grid: QGridLayout, row: int, col: int, seq: str, text: str) -> None:
        k = QLabel(seq)
        k.setProperty("role", "key")
        grid.addWidget(k, row, col)
        grid.addWidget(QLabel(text), row, col + 1)
        self.rows.append((seq, text))

    def toggle(self) -> None:
        self.close_overlay() if self.isVisible() else self.open_overlay()

    def open_overlay(self) -> None:
        from PySide6.QtWidgets import QApplication

        self._return_focus = QApplication.focusWidget()
        self._place()
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def close_overlay(self) -> None:
        self.hide()
        if self._return_focus is not None:
            self._return_focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._return_focus = None

    def _place(self) -> None:
        host = self.parentWidget()
        self.adjustSize()
        w, h = min(self.sizeHint().width(), host.width() - 40), min(self.sizeHint().height(), host.height() - 40)
        self.setGeometry((host.width() - w) // 2, (host.height() - h) // 2, w, h)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F1):
            self.close_overlay()
            return
        super().keyPressEvent(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False
