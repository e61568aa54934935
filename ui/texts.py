"""Status wording shared by several screens (network, outbox), kept in one translation context."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication



def network_text(online: bool | None) -> str:
    if online is None:
        return QCoreApplication.translate("Status", "中心系统：检测中…")
    if online:
        return QCoreApplication.translate("Status", "中心系统：在线")
    return QCoreApplication.translate("Status", "中心系统：离线（业务保存在本机，恢复后自动上传）")


def network_state(online: bool | None) -> str:
    """The value of the `state` dynamic property the style sheet colours the label by."""
    return {None: "unknown", True: "ok", False: "warn"}[online]


def outbox_text(pending: int, failed: int = 0) -> str:
    text = QCoreApplication.translate("Status", "待上传：{0}").format(pending)
    if failed:
        text += QCoreApplication.translate("Status", "　上传失败：{0}").format(failed)
    return text
