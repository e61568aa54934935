"""The item header (name, group, time limits, fee, channels, citation, offline note) and the 网上办理 panel."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.catalog import ServiceItem
from app.catalog.model import CHANNEL_LABELS, OfflinePolicy
from ui.business.receipt import citation_text
from ui.texts import domain

_translate = QCoreApplication.translate  # lupdate reads _translate("Context", "…")


def _wrapping(text: str, name: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def channels_text(item: ServiceItem) -> str:
    return _translate("BusinessHeader", "、").join(domain(CHANNEL_LABELS[c]) for c in item.channels) or "—"


class ItemHeader(QFrame):
    def __init__(self, item: ServiceItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("itemHeader")
        title = QLabel(item.name, self)
        title.setObjectName("itemTitle")
        title.setWordWrap(True)
        group = QLabel(item.group.value, self)
        group.setObjectName("itemGroup")
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(title, 1)
        top.addWidget(group, 0, Qt.AlignmentFlag.AlignTop)
        facts = _wrapping(self.tr("承诺时限：{0}　　法定时限：{1}　　收费：{2}　　办理渠道：{3}").format(
            item.time_limit_promised.label(), item.time_limit_statutory.label(), item.fee.text,
            channels_text(item)), "itemFacts", self)
        citation = _wrapping(self.tr("依据：{0}").format(citation_text(item)), "itemCitation", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(facts)
        layout.addWidget(citation)
        self.offline_note: QLabel | None = None
        if item.offline.policy is OfflinePolicy.limited:
            self.offline_note = _wrapping(self.tr("离线说明：本事项可离线受理，联网后方能办结（{0}）。").format(
                item.offline.reason), "offlineNote", self)
            layout.addWidget(self.offline_note)


class OnlinePanel(QFrame):
    """Shown instead of the form: the item is served online only, or must be online and the terminal is not."""

    def __init__(self, item: ServiceItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.setObjectName("onlinePanel")
        self.title = QLabel(self)
        self.title.setObjectName("onlineTitle")
        self.body = _wrapping("", "onlineBody", self)
        self.link = QLabel(self)
        self.link.setObjectName("onlineLink")
        self.link.setWordWrap(True)
        self.link.setTextFormat(Qt.TextFormat.RichText)
        self.link.setOpenExternalLinks(True)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.link)
        url = item.online_url
        where = (f'<a href="{escape(url)}">{escape(url)}</a>' if url
                 else escape(self.tr("人社网上服务大厅或“内蒙古人社”APP")))
        self.link.setText(self.tr("网上办理地址：{0}").format(where))

    def show_online_only(self) -> None:
        self.title.setText(self.tr("本事项网上办理，窗口不受理"))
        self.body.setText(self.tr("请引导申请人通过网上办理渠道提交“{0}”。可协助其在自助终端或手机上操作。")
                          .format(self.item.name))

    def show_needs_network(self) -> None:
        self.title.setText(self.tr("本事项须联网办理，当前中心系统离线"))
        self.body.setText(self.tr("“{0}”须联网办理：{1}。请待网络恢复后办理，或引导申请人网上办理。")
                          .format(self.item.name, self.item.offline.reason))
