"""Colours of the business screen's own boxes (amber risk hints, condition states), on top of ui.style."""
from __future__ import annotations

from ui.style import ERROR, SUCCESS, WARN

MET_COLOR = SUCCESS
FAILED_COLOR = ERROR
CONFIRM_COLOR = WARN
MUTED_COLOR = "#607d8b"

ROW_STYLE = "QFrame#checkRow { border-bottom: 1px solid #eef1f4; }"
