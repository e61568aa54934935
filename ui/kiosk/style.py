"""The kiosk's look: large type, high contrast, big touch targets (适老化). One style sheet, generated for a scale, so
the 长辈模式 switch only has to re-apply it with a larger scale.

Every size is in pixels: a kiosk screen is a known panel (usually 1920×1080 or 1080×1920, 21–32 inch), and pixel
sizes keep touch targets physically large whatever the system's DPI settings say."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

INK = "#111111"  # body text on white: contrast 18.9:1
MUTED = "#333f4a"  # secondary text, still ≥ 10:1 on white
PAPER = "#ffffff"
BACKDROP = "#eef2f6"
PRIMARY = "#0b4a8b"  # white on it: 9.2:1
PRIMARY_DOWN = "#083765"
DANGER = "#a61b1b"
OK = "#1b5e20"
WARN_BG = "#fff4d6"
WARN_INK = "#5c3b00"

MIN_TARGET = 64  # no touch target smaller than this (px), in any mode
NORMAL_SCALE = 1.0
ELDER_SCALE = 1.3


@dataclass(frozen=True)
class Metrics:
    scale: float

    def px(self, base: float) -> int:
        return int(round(base * self.scale))

    @property
    def body(self) -> int:
        return self.px(30)

    @property
    def title(self) -> int:
        return self.px(50)

    @property
    def huge(self) -> int:
        return self.px(64)

    @property
    def tile(self) -> int:
        return self.px(38)

    @property
    def button(self) -> int:
        return self.px(32)

    @property
    def key(self) -> int:
        return self.px(34)

    @property
    def target(self) -> int:
        return max(MIN_TARGET, self.px(80))

    @property
    def key_target(self) -> int:
        return max(MIN_TARGET, self.px(76))

    @property
    def key_width(self) -> int:  # ten keys a row must fit a portrait screen (1080 px) even in 长辈模式
        return max(MIN_TARGET, self.px(64))


def style_sheet(scale: float = NORMAL_SCALE) -> str:
    m = Metrics(scale)
    return f"""
QWidget#kioskShell, QWidget#kioskShell QStackedWidget {{ background: {BACKDROP}; color: {INK}; }}
QWidget#kioskShell QLabel {{ color: {INK}; font-size: {m.body}px; }}
QWidget#kioskShell QLabel[k="title"] {{ font-size: {m.title}px; font-weight: bold; color: {INK}; }}
QWidget#kioskShell QLabel[k="huge"] {{ font-size: {m.huge}px; font-weight: bold; color: {PRIMARY}; }}
QWidget#kioskShell QLabel[k="giant"] {{ font-size: {m.px(90)}px; font-weight: bold; color: {PRIMARY}; }}
QWidget#kioskShell QLabel[k="body"] {{ font-size: {m.body}px; color: {INK}; }}
QWidget#kioskShell QLabel[k="muted"] {{ font-size: {m.px(26)}px; color: {MUTED}; }}
QWidget#kioskShell QLabel[k="step"] {{ font-size: {m.px(26)}px; color: {MUTED}; font-weight: bold; }}
QWidget#kioskShell QLabel[k="brand"] {{ font-size: {m.px(30)}px; font-weight: bold; color: white; }}
QWidget#kioskShell QLabel[k="clock"] {{ font-size: {m.px(28)}px; color: white; }}
QWidget#kioskShell QLabel[k="value"] {{
    font-size: {m.px(36)}px; font-weight: bold; color: {INK}; background: {PAPER};
    border: 2px solid #8795a3; border-radius: 10px; padding: 4px 18px;
}}
QWidget#kioskShell QLabel[k="input"] {{
    font-size: {m.px(40)}px; font-weight: bold; color: {INK}; background: {PAPER};
    border: 3px solid #5b6b7a; border-radius: 10px; padding: 8px 18px; min-height: {m.target - 8}px;
}}
QWidget#kioskShell QLabel[k="input"][selected="true"] {{ border: 5px solid {PRIMARY}; }}
QWidget#kioskShell QLabel[k="input"][empty="true"] {{ color: #6b7680; font-weight: normal; }}
QWidget#kioskShell QLabel[k="notice"] {{
    font-size: {m.px(28)}px; color: {WARN_INK}; background: {WARN_BG}; border: 3px solid #e0b34a;
    border-radius: 10px; padding: 14px 20px;
}}
QWidget#kioskShell QLabel[k="error"] {{
    font-size: {m.px(30)}px; font-weight: bold; color: {DANGER}; background: #fdecea; border: 3px solid {DANGER};
    border-radius: 10px; padding: 14px 20px;
}}
QWidget#kioskShell QLabel[k="ok"] {{
    font-size: {m.px(32)}px; font-weight: bold; color: {OK}; background: #e8f5e9; border: 3px solid {OK};
    border-radius: 10px; padding: 14px 20px;
}}
QWidget#kioskShell QFrame[k="card"] {{ background: {PAPER}; border: 2px solid #c5ced8; border-radius: 16px; }}
QWidget#kioskShell QFrame#topBar {{ background: {PRIMARY}; }}
QWidget#kioskShell QPushButton {{
    font-size: {m.button}px; min-height: {m.target}px; min-width: {m.target}px; padding: 6px 28px;
    color: {INK}; background: {PAPER}; border: 3px solid #5b6b7a; border-radius: 14px;
}}
QWidget#kioskShell QPushButton[wide="true"] {{ min-width: 220px; }}
QWidget#kioskShell QPushButton[big="true"] {{
    min-height: {m.px(120)}px; min-width: {m.px(600)}px; font-size: {m.px(40)}px;
}}
QWidget#kioskShell QPushButton:pressed {{ background: #d9e3ee; }}
QWidget#kioskShell QPushButton:disabled {{ color: #6b7680; background: #e3e7eb; border-color: #a9b3bd; }}
QWidget#kioskShell QPushButton[k="primary"] {{
    color: white; background: {PRIMARY}; border: 3px solid {PRIMARY_DOWN}; font-weight: bold;
}}
QWidget#kioskShell QPushButton[k="primary"]:pressed {{ background: {PRIMARY_DOWN}; }}
QWidget#kioskShell QPushButton[k="primary"]:disabled {{ color: #e9eef3; background: #7f9bb9; }}
QWidget#kioskShell QPushButton[k="danger"] {{
    color: white; background: {DANGER}; border: 3px solid #7a1414; font-weight: bold;
}}
QWidget#kioskShell QPushButton[k="tile"] {{
    font-size: {m.tile}px; font-weight: bold; min-height: {m.px(170)}px; padding: 18px 30px; text-align: left;
    color: {INK}; background: {PAPER}; border: 4px solid {PRIMARY}; border-radius: 20px;
}}
QWidget#kioskShell QPushButton[k="tile"][compact="true"] {{ min-height: {m.px(112)}px; padding: 8px 24px; }}
QWidget#kioskShell QLabel[k="tileTitle"] {{ font-size: {m.tile}px; font-weight: bold; color: {PRIMARY}; }}
QWidget#kioskShell QPushButton[k="tile"]:pressed {{ background: #d9e6f5; }}
QWidget#kioskShell QPushButton[k="bar"] {{
    font-size: {m.px(28)}px; color: {PRIMARY}; background: white; border: 3px solid white; font-weight: bold;
    min-height: {max(MIN_TARGET, m.px(64)) - 6}px; min-width: {m.px(160)}px; padding: 0px 16px;
}}
QWidget#kioskShell QPushButton[k="bar"]:checked {{ color: white; background: #c45800; border-color: white; }}
QWidget#kioskShell QPushButton[k="key"] {{
    font-size: {m.key}px; min-height: {m.key_target}px; min-width: {m.key_width}px; padding: 0px;
    font-weight: bold; border-radius: 12px;
}}
QWidget#kioskShell QPushButton[k="key"][word="true"] {{ font-size: {m.px(28)}px; }}
QWidget#kioskShell QPushButton[k="candidate"] {{
    font-size: {m.px(44)}px; min-height: {m.key_target}px; min-width: {m.key_width}px; padding: 0px 6px;
    border: 3px solid {PRIMARY}; border-radius: 12px;
}}
QWidget#kioskShell QPushButton[k="rate"] {{ font-size: {m.px(34)}px; min-height: {m.px(150)}px; font-weight: bold; }}
QWidget#kioskShell QWidget#overlay {{ background: rgba(0, 0, 0, 150); }}
QWidget#kioskShell QFrame#dialog {{ background: {PAPER}; border: 4px solid {PRIMARY}; border-radius: 24px; }}
"""


def mark(widget: QWidget, kind: str) -> QWidget:
    """Set the `k` property the style sheet selects on (before the widget is polished)."""
    widget.setProperty("k", kind)
    return widget


def restyle(widget: QWidget, kind: str) -> None:
    """Change `k` after the widget was shown, and make Qt re-apply the style."""
    widget.setProperty("k", kind)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
