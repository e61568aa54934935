"""Colours the business screen writes into its rich-text lines (conditions, materials); its boxes are rules in
ui.style."""
from __future__ import annotations

from ui.style import ERROR, SUCCESS, WARN

MET_COLOR = SUCCESS
FAILED_COLOR = ERROR
CONFIRM_COLOR = WARN
MUTED_COLOR = "#607d8b"
