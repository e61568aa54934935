"""The attract screen between visits: how to start (card or ID), service notices, and what is out of order."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from ui.bridge import run_in_thread
from ui.kiosk.widgets import KioskPage, button, card, label

DEFAULT_NOTICES = (QT_TRANSLATE_NOOP("IdlePage", "办理时间：工作日 上午 8:30–12:00，下午 14:30–17:30"),
                   QT_TRANSLATE_NOOP("IdlePage", "咨询电话：12333"),
                   QT_TRANSLATE_NOOP("IdlePage", "城乡居民养老保险可在本机自助申请参保登记，工作人员审核后短信通知"))


class IdlePage(KioskPage):
    timeout = "none"
    personal = False
    prompt = QT_TRANSLATE_NOOP("IdlePage", "您好！请插入社保卡，或把身份证放在感应区。")

    def __init__(self, shell, notices: tuple[str, ...] = DEFAULT_NOTICES):
        super().__init__(shell, self.tr("社会保险自助服务"))
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row = self.columns()
        for big, small in ((self.tr("请插入社保卡"), self.tr("芯片朝上，插入右下方读卡口")), (self.tr("或放身份证"), self.tr("平放在右下方感应区"))):
            box = card(self)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(40, 50, 40, 50)
            inner.setSpacing(24)
            inner.addStretch(1)
            inner.addWidget(label(big, "huge", box, center=True))
            inner.addWidget(label(small, "body", box, center=True))
            inner.addStretch(1)
            row.addWidget(box, 1)
        self.body.addLayout(row, 3)
        self.message = label("", "error", self, center=True)
        self.message.hide()
        self.body.addWidget(self.message)
        self.device_notice = label("", "notice", self)
        self.device_notice.hide()
        self.body.addWidget(self.device_notice)
        self.notices = label("\n".join(self.tr(n) for n in notices), "body", self)
        self.body.addWidget(self.notices)
        self.body.addStretch(1)
        self.demo_buttons = self._demo_row(shell)
        self.query_button = button(self.tr("不用插卡，查询办理进度"), "primary", self, shell.start_anonymous)
        self.query_button.setProperty("big", True)
        buttons = self.columns()  # side by side on a landscape screen, one above the other on a portrait kiosk
        buttons.addWidget(self.query_button)
        self.queue_button = None
        if getattr(shell.runtime, "queue", None) is not None:  # the hall has a 叫号 system: 取号 without a card
            self.queue_button = button(self.tr("取号"), "primary", self, lambda: shell.start_anonymous("queue"))
            self.queue_button.setProperty("wide", True)
            buttons.addWidget(self.queue_button)
        self.bar.addStretch(1)
        self.bar.addLayout(buttons)
        self.bar.addStretch(1)

    def _demo_row(self, shell) -> list:
        """Simulated readers (demo terminals only; production refuses simulators): buttons that present the demo
        cards, since nobody can put a card into a simulator."""
        devices = shell.runtime.devices
        buttons = []
        if devices.sscard.backend == "sim":
            buttons.append(button(self.tr("演示：插入社保卡"), "", self, lambda: devices.sscard.insert()))
        if devices.idcard.backend == "sim":
            buttons.append(button(self.tr("演示：放身份证"), "", self, lambda: run_in_thread(
                devices.idcard.read, None, lambda exc: self.say(getattr(exc, "user_message", "") or self.tr("读身份证失败")),
                context=self)))
        if buttons:
            row = QHBoxLayout()
            row.setSpacing(30)
            for b in buttons:
                row.addWidget(b)
            row.addStretch(1)
            self.body.addLayout(row)
        return buttons

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def set_device_notice(self, text: str) -> None:
        self.device_notice.setText(text)
        self.device_notice.setVisible(bool(text))

    def entered(self) -> None:
        self.say("")
