"""Building blocks of the kiosk pages: the page frame (title, body, a bottom bar with 返回 and one primary action)
and the overlay used for "需要更多时间吗？", "请稍候" and short notices."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (QBoxLayout, QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStackedWidget,
                               QVBoxLayout, QWidget)

from ui.kiosk.style import mark


def clear_layout(layout) -> None:
    """Remove and delete everything in `layout` (a result area refilled per query); nested layouts go too."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())
            item.layout().deleteLater()


def label(text: str, kind: str = "body", parent: QWidget | None = None, *, wrap: bool = True,
          center: bool = False) -> QLabel:
    lbl = QLabel(text, parent)
    mark(lbl, kind)
    lbl.setWordWrap(wrap)
    lbl.setTextFormat(Qt.TextFormat.PlainText)
    if center:
        lbl.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return lbl


def button(text: str, kind: str = "", parent: QWidget | None = None, on_click: Callable[[], None] | None = None,
           ) -> QPushButton:
    b = QPushButton(text, parent)
    if kind:
        mark(b, kind)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no focus frames wandering about on a touch screen
    if on_click is not None:
        b.clicked.connect(lambda _=False: on_click())
    return b


def card(parent: QWidget | None = None) -> QFrame:
    f = QFrame(parent)
    mark(f, "card")
    return f


class KioskPage(QWidget):
    """One screen of the kiosk. `timeout` selects the inactivity limit ("page", "form", "none", "admin");
    `prompt` is what the voice says when it appears; `personal` pages hold someone's data and are destroyed when the
    visit ends (the shell builds them anew for the next person)."""

    timeout = "page"
    prompt = ""
    personal = True
    end_in_bar = True  # the top bar's 结束办理 (the menu has its own, bigger one)

    def __init__(self, shell, title: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.shell = shell
        self.root = QVBoxLayout(self)
        self.root.setContentsMargins(40, 24, 40, 24)
        self.root.setSpacing(24)
        self.title_label = label(title, "title", self)
        self.title_label.setVisible(bool(title))
        self.root.addWidget(self.title_label)
        self.body = QVBoxLayout()
        self.body.setSpacing(20)
        self.root.addLayout(self.body, 1)
        self.bar = QHBoxLayout()
        self.bar.setSpacing(30)
        self.root.addLayout(self.bar)
        self._adaptive: list[QBoxLayout] = []

    def columns(self) -> QBoxLayout:
        """Side by side on a landscape screen, one above the other on a portrait kiosk (1080×1920)."""
        window = self.shell if isinstance(self.shell, QWidget) else None
        portrait = window is not None and window.width() < window.height()
        layout = QBoxLayout(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        layout.setSpacing(40)
        self._adaptive.append(layout)
        return layout

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        portrait = event.size().width() < event.size().height()
        direction = QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        for layout in self._adaptive:
            if layout.direction() != direction:
                layout.setDirection(direction)
        super().resizeEvent(event)

    def add_back(self, text: str | None = None, on_click: Callable[[], None] | None = None) -> QPushButton:
        b = button(text or self.tr("返回"), "", self, on_click or self.shell.go_menu)
        b.setProperty("wide", True)
        self.bar.addWidget(b)
        return b

    def add_primary(self, text: str, on_click: Callable[[], None]) -> QPushButton:
        self.bar.addStretch(1)
        b = button(text, "primary", self, on_click)
        b.setProperty("wide", True)
        self.bar.addWidget(b)
        return b

    def entered(self) -> None:
        """Called each time the page is shown."""

    def left(self) -> None:
        """Called when another page replaces it (stop cameras, timers)."""


class Overlay(QWidget):
    """Covers the whole shell (dimmed) with one dialog: a message and up to three big buttons."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dialog = QFrame(self)
        self.dialog.setObjectName("dialog")
        self.dialog.setMinimumWidth(900)
        self.dialog.setMaximumWidth(1300)
        self.dialog.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        box = QVBoxLayout(self.dialog)
        box.setContentsMargins(60, 50, 60, 50)
        box.setSpacing(30)
        self.message = label("", "title", self.dialog, center=True)
        self.detail = label("", "body", self.dialog, center=True)
        box.addWidget(self.message)
        box.addWidget(self.detail)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(40)
        box.addLayout(self.buttons)
        outer.addWidget(self.dialog, 0, Qt.AlignmentFlag.AlignCenter)
        self.kind = ""
        self.hide()
        parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def open(self, kind: str, message: str, detail: str = "",
             actions: list[tuple[str, str, Callable[[], None]]] | None = None) -> None:
        """`actions`: (text, style kind, callback)."""
        self.kind = kind
        self.message.setText(message)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        while self.buttons.count():
            w = self.buttons.takeAt(0).widget()
            if w is not None:
                w.setParent(None)
                w.deleteLater()
        for text, style, callback in actions or []:
            b = button(text, style, self.dialog, callback)
            b.setProperty("wide", True)
            self.buttons.addWidget(b)
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()

    def close_overlay(self) -> None:
        self.kind = ""
        self.message.setText("")
        self.detail.setText("")
        self.hide()


class CurrentStack(QStackedWidget):
    """A stacked widget as large as its current page needs (QStackedWidget asks for the largest of all pages, which
    would push a full-screen window past the screen edge)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def sizeHint(self):  # noqa: D102
        w = self.currentWidget()
        return w.sizeHint() if w is not None else super().sizeHint()

    def minimumSizeHint(self):  # noqa: D102
        w = self.currentWidget()
        return w.minimumSizeHint() if w is not None else super().minimumSizeHint()


class Tile(QPushButton):
    """A big menu choice: a bold title and one line of explanation, the whole area is the touch target."""

    def __init__(self, title: str, subtitle: str, parent: QWidget | None = None,
                 on_click: Callable[[], None] | None = None, *, compact: bool = False):
        super().__init__(parent)
        mark(self, "tile")
        self.setProperty("compact", compact)  # many choices on one screen: less padding, still a big target
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        box = QVBoxLayout(self)
        box.setContentsMargins(*((28, 10, 28, 10) if compact else (36, 24, 36, 24)))
        box.setSpacing(4 if compact else 10)
        self.title = label(title, "tileTitle", self)
        self.subtitle = label(subtitle, "muted", self)
        for lbl in (self.title, self.subtitle):
            lbl.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            box.addWidget(lbl)
        if on_click is not None:
            self.clicked.connect(lambda _=False: on_click())

    def sizeHint(self):  # noqa: D102 - the labels decide the height
        return self.layout().sizeHint()

    def minimumSizeHint(self):  # noqa: D102
        return self.layout().minimumSize()
