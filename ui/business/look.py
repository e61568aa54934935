"""Colours of the business screen's own boxes (amber risk hints, condition states), on top of ui.style."""
from __future__ import annotations

from ui.style import ERROR, SUCCESS, WARN

MET_COLOR = SUCCESS
FAILED_COLOR = ERROR
CONFIRM_COLOR = WARN
MUTED_COLOR = "#607d8b"

RISK_STYLE = ("QFrame#riskBox { background: #fff8e1; border: 1px solid #ffcc80; border-left: 4px solid #f0a000;"
              " border-radius: 3px; } QFrame#riskBox QLabel { color: #6d4c00; background: transparent; }")
NOTE_STYLE = "color: #8a5a00;"
PANEL_STYLE = ("QFrame#onlinePanel { background: #eef4fb; border: 1px solid #9db4cf; border-left: 4px solid #1f5fa8;"
               " border-radius: 3px; }")
ROW_STYLE = "QFrame#checkRow { border-bottom: 1px solid #eef1f4; }"
