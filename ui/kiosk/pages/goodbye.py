"""After a visit: take your card. Shows nothing of the person; returns to the idle screen by itself."""
from __future__ import annotations

from ui.kiosk.widgets import KioskPage, label


class GoodbyePage(KioskPage):
    timeout = "none"
    personal = False

    def __init__(self, shell):
        super().__init__(shell, "")
        self.body.addStretch(1)
        self.headline = label("", "giant", self, center=True)
        self.body.addWidget(self.headline)
        self.detail = label("", "body", self, center=True)
        self.body.addWidget(self.detail)
        self.body.addStretch(1)

    def show_for(self, card: str | None, reason: str) -> None:
        """`card`: 社保卡 / 身份证 / None (nothing to take back); `reason`: finish / timeout."""
        if card:
            self.headline.setText(self.tr("请取回您的{0}").format(card))
            self.prompt = self.tr("请取回您的{0}，谢谢使用。").format(card)
        else:
            self.headline.setText(self.tr("谢谢使用"))
            self.prompt = self.tr("谢谢使用，再见。")
        self.detail.setText(self.tr("长时间无操作，已为您结束办理，信息已清除。") if reason == "timeout"
                            else self.tr("办理已结束，您的信息已从本机屏幕清除。"))
