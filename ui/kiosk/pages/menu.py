"""The personal menu of a visit: few, big choices (at most four), each one line of what it does."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout

from ui.kiosk.widgets import KioskPage, Tile, button, label
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_translate = QCoreApplication.translate  # lupdate reads _translate("Context", "…")


class MenuPage(KioskPage):
    prompt = QT_TRANSLATE_NOOP("MenuPage", "请选择要办理的业务。")
    end_in_bar = False

    def __init__(self, shell):
        super().__init__(shell, "")
        person = shell.session.person if shell.session else None
        if person is not None:
            self.title_label.setText(self.tr("您好，{0}").format(person.masked_name))
            self.title_label.show()
            self.greeting = label(self.tr("已读取您的{0}。请选择要办理的业务：").format(person.card_label), "body", self)
        else:
            self.title_label.setText(self.tr("请选择要办理的业务"))
            self.title_label.show()
            self.greeting = label("", "body", self)
            self.greeting.hide()
        self.body.addWidget(self.greeting)
        self.grid = QGridLayout()
        self.grid.setSpacing(30)
        self.body.addLayout(self.grid)
        self.notice = label("", "notice", self)
        self.notice.hide()
        self.body.addWidget(self.notice)
        self.body.addStretch(1)
        self.tiles: dict[str, object] = {}
        self.end_button = button(self.tr("结束办理"), "danger", self, lambda: shell.end_session("finish"))
        self.end_button.setProperty("wide", True)
        self.bar.addStretch(1)
        self.bar.addWidget(self.end_button)
        self.refresh()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if (self.shell.width() < self.shell.height()) != getattr(self, "_portrait", None):
            self.refresh()

    def refresh(self) -> None:
        shell = self.shell
        entries, notices = shell.services.entries(online=shell.online, with_person=shell.session is not None
                                                  and shell.session.person is not None)
        for tile in self.tiles.values():
            tile.setParent(None)
            tile.deleteLater()
        self.tiles.clear()
        self._portrait = shell.width() < shell.height()
        columns = (1 if len(entries) <= 4 else 2) if self._portrait else (2 if len(entries) <= 4 else 3)
        for n, entry in enumerate(entries):
            tile = Tile(_translate("ServiceEntry", entry.title), _translate("ServiceEntry", entry.subtitle), self,
                        lambda key=entry.key: shell.open_service(key),
                        compact=len(entries) > 6)
            self.tiles[entry.key] = tile
            self.grid.addWidget(tile, n // columns, n % columns)
        self.notice.setText("\n".join(notices))
        self.notice.setVisible(bool(notices))
