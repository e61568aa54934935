"""The application style sheet: calm colours for an 8-hour working day, red only for what needs the clerk."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

ERROR = "#c62828"
SUCCESS = "#2e7d32"
WARN = "#b26a00"
ACCENT = "#1f5fa8"

STYLE_SHEET = f"""
QMainWindow, QDialog {{ background: #f4f6f9; }}
QLineEdit, QComboBox, QDateEdit {{
    padding: 2px 6px; border: 1px solid #b8c2cc; border-radius: 3px; background: white; min-height: 20px;
}}
QLineEdit:focus, QComboBox:focus {{ border: 1px solid {ACCENT}; }}
QLineEdit:read-only {{ background: #eef1f4; color: #333; }}
QLineEdit[invalid="true"], QComboBox[invalid="true"] {{ border: 2px solid {ERROR}; }}
QCheckBox[invalid="true"] {{ color: {ERROR}; font-weight: bold; }}
QPushButton {{
    padding: 3px 14px; border: 1px solid #9aa7b4; border-radius: 3px; background: #fdfdfd; min-height: 20px;
}}
QPushButton:hover {{ background: #e9f0f8; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; }}
QPushButton:disabled {{ color: #9aa0a6; background: #f0f0f0; }}
QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border: 1px solid #174a84; font-weight: bold; }}
QPushButton[primary="true"]:hover {{ background: #2a6fbf; }}
QPushButton[primary="true"]:disabled {{ background: #9db4cf; color: #eef2f7; }}
QGroupBox {{ border: 1px solid #cfd6de; border-radius: 4px; margin-top: 14px; background: white; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #34495e; font-weight: bold; }}
QLabel#itemTitle {{ font-size: 15pt; font-weight: bold; color: #1b2b3a; }}
QLabel#itemFacts {{ color: #455a64; }}
QLabel#itemCitation {{ color: #78909c; }}
QFrame#itemHeader {{ background: white; border: 1px solid #cfd6de; border-left: 4px solid {ACCENT}; border-radius: 3px; }}
QLabel[role="message"][state="error"] {{
    color: {ERROR}; background: #fdecea; border: 1px solid #f5c6c3; border-radius: 3px;
}}
QLabel[role="message"][state="ok"] {{
    color: {SUCCESS}; background: #e8f5e9; border: 1px solid #b9dfbb; border-radius: 3px;
}}
QLabel[role="message"][state="busy"] {{
    color: #37474f; background: #eceff1; border: 1px solid #cfd8dc; border-radius: 3px;
}}
QLabel[role="message"][state="warn"] {{
    color: {WARN}; background: #fff8e1; border: 1px solid #ffe082; border-radius: 3px;
}}
QLabel[role="inline"][state="error"] {{ color: {ERROR}; }}
QLabel[role="inline"][state="ok"] {{ color: {SUCCESS}; }}
QLabel[role="inline"][state="busy"] {{ color: #607d8b; }}
QLabel[role="status"][state="ok"] {{ color: {SUCCESS}; }}
QLabel[role="status"][state="warn"] {{ color: {WARN}; font-weight: bold; }}
QLabel[role="status"][state="error"] {{ color: {ERROR}; font-weight: bold; }}
QLabel[role="status"][state="unknown"] {{ color: #607d8b; }}
QLabel#loginTitle {{ font-size: 16pt; font-weight: bold; color: #1b2b3a; }}
QLabel#demoBanner {{ background: #fff8e1; border: 1px solid #ffe082; color: #6d4c00; padding: 6px; border-radius: 3px; }}
QTableView {{ background: white; gridline-color: #e3e7eb; selection-background-color: #d6e6f7; selection-color: black; }}
QHeaderView::section {{ background: #eef1f4; border: none; border-right: 1px solid #d8dde3; padding: 4px 6px; }}
QListWidget {{ background: white; border: 1px solid #cfd6de; }}
QListWidget::item {{ padding: 5px 6px; }}
QListWidget::item:selected {{ background: #d6e6f7; color: black; }}
QTabWidget::pane {{ border: 1px solid #cfd6de; background: #f9fafb; }}
QTabBar::tab {{ padding: 5px 12px; background: #e6eaee; border: 1px solid #cfd6de; border-bottom: none; }}
QTabBar::tab:selected {{ background: #f9fafb; font-weight: bold; }}
QStatusBar {{ background: #e9edf1; border-top: 1px solid #cfd6de; }}
QStatusBar QLabel {{ padding: 0 8px; }}
QLabel#placeholder {{ color: #78909c; font-size: 12pt; }}
QLabel#sectionTitle {{ font-weight: bold; color: #34495e; }}
QLabel#itemGroup {{ color: {ACCENT}; border: 1px solid #9db4cf; border-radius: 3px; padding: 0 6px; }}
QLabel#offlineNote {{ color: #8a5a00; }}
QFrame#onlinePanel {{ background: #eef4fb; border: 1px solid #9db4cf; border-left: 4px solid {ACCENT}; border-radius: 3px; }}
QLabel#onlineTitle {{ font-size: 13pt; font-weight: bold; color: #174a84; }}
QLabel#conditionState[state="met"] {{ color: {SUCCESS}; font-weight: bold; }}
QLabel#conditionState[state="failed"] {{ color: {ERROR}; font-weight: bold; }}
QLabel#sharedLabel {{ color: {SUCCESS}; }}
QFrame#businessRisks {{ background: #fff8e1; border: 1px solid #ffcc80; border-left: 4px solid #f0a000; border-radius: 3px; }}
QFrame#businessRisks QLabel {{ color: #6d4c00; background: transparent; }}
"""
# The business screen's own boxes are rules here, not per-widget style sheets: a widget with its own sheet gets a
# style object of its own, resolved again for it and its children — a quarter of the time to build and paint a
# screen (issue 13).


def set_state(widget: QWidget, **props) -> None:
    """Change dynamic properties the style sheet selects on, and make Qt re-apply the style — if it was applied
    already: a widget not yet shown is styled once, when it first is."""
    for name, value in props.items():
        widget.setProperty(name, value)
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
