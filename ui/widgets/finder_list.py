"""The finder's result list: sections (常用 ★, 最近办理, 全部事项) whose titles the keyboard steps over."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

CODE_ROLE = Qt.ItemDataRole.UserRole
STAR = "★ "

Entry = tuple[str, str, str]  # (code, text, tooltip)


class FinderList(QListWidget):
    leave_up = Signal()  # Up on the first entry: back to the search box
    typed = Signal(str)  # a printable key: the clerk meant to type in the search box

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)  # 156 rows of one line: no per-row size queries while typing
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long names end in "…"
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._title_font = QFont(self.font())
        self._title_font.setBold(True)
        self._title_brush = QBrush(QColor("#607d8b"))

    def fill(self, sections: list[tuple[str | None, list[Entry]]], favourites: set[str]) -> None:
        """Replace the entries; a section with a title gets an unselectable title row above it."""
        self.setUpdatesEnabled(False)
        try:
            self.clear()
            for title, entries in sections:
                if not entries:
                    continue
                if title:
                    head = QListWidgetItem(title)
                    head.setFlags(Qt.ItemFlag.NoItemFlags)
                    head.setFont(self._title_font)
                    head.setForeground(self._title_brush)
                    self.addItem(head)
                for code, text, tip in entries:
                    entry = QListWidgetItem(STAR + text if code in favourites else text)
                    entry.setData(CODE_ROLE, code)
                    entry.setToolTip(tip)
                    self.addItem(entry)
            self.select_first()
        finally:
            self.setUpdatesEnabled(True)

    def _selectable(self, row: int) -> bool:
        item = self.item(row)
        return item is not None and bool(item.flags() & Qt.ItemFlag.ItemIsSelectable)

    def select_first(self) -> None:
        row = next((r for r in range(self.count()) if self._selectable(r)), -1)
        if row >= 0:
            self.setCurrentRow(row)

    def step(self, delta: int) -> bool:
        """Move the current entry by one selectable row; False at either end."""
        row = self.currentRow() + delta
        while 0 <= row < self.count():
            if self._selectable(row):
                self.setCurrentRow(row)
                return True
            row += delta
        return False

    def entry_count(self) -> int:
        return sum(1 for r in range(self.count()) if self._selectable(r))

    def current_code(self) -> str | None:
        item = self.currentItem()
        return item.data(CODE_ROLE) if item is not None and self._selectable(self.row(item)) else None

    def select_code(self, code: str | None) -> bool:
        for row in range(self.count()):
            if code and self._selectable(row) and self.item(row).data(CODE_ROLE) == code:
                self.setCurrentRow(row)
                return True
        return False

    def codes(self) -> list[str]:
        return [self.item(r).data(CODE_ROLE) for r in range(self.count()) if self._selectable(r)]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            if not self.step(1 if key == Qt.Key.Key_Down else -1) and key == Qt.Key.Key_Up:
                self.leave_up.emit()
            return
        text = event.text()
        if text and text.isprintable() and not text.isspace() and \
                not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            self.typed.emit(text)
            return
        super().keyPressEvent(event)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.InputMethod and e.commitString():  # Hanzi from the IME go to the search box too
            self.typed.emit(e.commitString())
            return True
        return super().event(e)
