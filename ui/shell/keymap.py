"""The counter's one keyboard map: every F-key and shortcut of the clerk's day, in the order of serving a citizen.
The help overlay (F1), tooltips and menu entries all read it, so what is shown is what is bound."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication


_translate = QCoreApplication.translate  # lupdate reads _translate("KeyMap", "…")


@dataclass(frozen=True)
class Key:
    action: str  # identifier used by the window (next_citizen, read_sscard, …)
    sequence: str  # QKeySequence text (portable form)
    label: str  # Chinese description, translated

    def tip(self, text: str | None = None) -> str:
        """Tooltip text: the action and its key, e.g. 下一位（F8）."""
        return _translate("Key", "{0}（{1}）").format(text or self.label, self.sequence)


def keymap() -> list[Key]:
    """F1 help; serving order F8 call → F2/F3 identify → F4 capture → F10 accept → F11 print; F5–F7, F9, F12 tools."""
    return [
        Key("help", "F1", _translate("KeyMap", "快捷键帮助")),
        Key("read_sscard", "F2", _translate("KeyMap", "读社保卡")),
        Key("read_idcard", "F3", _translate("KeyMap", "读身份证")),
        Key("capture", "F4", _translate("KeyMap", "高拍仪拍摄当前材料")),
        Key("refresh", "F5", _translate("KeyMap", "刷新今日业务")),
        Key("review_queue", "F6", _translate("KeyMap", "待办审核队列")),
        Key("calculators", "F7", _translate("KeyMap", "待遇测算")),
        Key("next_citizen", "F8", _translate("KeyMap", "下一位（叫号）")),
        Key("recall", "Shift+F8", _translate("KeyMap", "重呼当前号")),
        Key("skip", "Ctrl+F8", _translate("KeyMap", "过号")),
        Key("outbox", "F9", _translate("KeyMap", "待上传业务（上传队列）")),
        Key("save", "F10", _translate("KeyMap", "受理（同 Ctrl+S）")),
        Key("print", "F11", _translate("KeyMap", "打印预览当前文书")),
        Key("day_summary", "F12", _translate("KeyMap", "今日工作小结")),
        Key("find", "Ctrl+F", _translate("KeyMap", "业务查找")),
        Key("close_tab", "Ctrl+W", _translate("KeyMap", "关闭当前业务")),
        Key("favourite", "Ctrl+D", _translate("KeyMap", "设为/取消常用事项")),
        Key("font_bigger", "Ctrl+=", _translate("KeyMap", "放大字体")),
        Key("font_smaller", "Ctrl+-", _translate("KeyMap", "缩小字体")),
        Key("font_reset", "Ctrl+0", _translate("KeyMap", "恢复字体大小")),
        Key("contrast", "Ctrl+Shift+H", _translate("KeyMap", "高对比度显示 开/关")),
    ]


def form_keys() -> list[tuple[str, str]]:
    """Keys inside a business screen (the overlay's second column)."""
    return [
        ("Enter", _translate("KeyMap", "跳到下一项（身份证号处回车即查询）")),
        ("Tab / Shift+Tab", _translate("KeyMap", "按屏幕顺序前后移动")),
        ("1 / 2 / 3", _translate("KeyMap", "选择办理条件或材料状态（符合/已收取 …）")),
        ("Ctrl+S", _translate("KeyMap", "受理")),
        ("Esc", _translate("KeyMap", "关闭帮助或对话框")),
    ]


def key_for(action: str) -> Key:
    return next(k for k in keymap() if k.action == action)
