"""Where the calculator screens are opened from besides the 工作台 menu: the counter's finder (typing 退休年龄 or
养老金测算 lists the calculators under 测算工具) and the business screens of items that need one (a 测算 button
that opens the item's calculators prefilled from the applicant, e.g. 企业职工正常退休申请 → 企业职工基本养老金测算)."""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QWidget

from app.rules import calculators_for_item
from app.rules.finder import CALC_PREFIX, calculator_of, is_calculator_code, search_calculators
from app.rules.prefill import applicant_inputs

log = logging.getLogger(__name__)
CALC_SHORTCUT = "Ctrl+T"  # 测算 on a business screen (F7 opens the 工作台's calculator window)

__all__ = ["CALC_PREFIX", "calculator_sections", "is_calculator_code", "open_calculator", "calculator_button",
           "open_item_calculators"]


_translate = QCoreApplication.translate  # lupdate reads _translate("CalculatorLaunch", "…")


def calculator_sections(text: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The finder's 测算工具 section for a query: [(title, [(code, text, tooltip)])], empty when nothing matches."""
    specs = search_calculators(text)
    if not specs:
        return []
    return [(_translate("CalculatorLaunch", "测算工具"),
             [(CALC_PREFIX + s.name, _translate("CalculatorLaunch", "测算：{0}").format(s.title),
               s.summary) for s in specs])]


def open_calculator(window, code: str) -> QWidget:
    """Open (or raise) the counter window's 待遇测算 window on the calculator of a finder entry."""
    spec = calculator_of(code)
    window.tool_actions["calc"].trigger()
    screen = window.tools.windows["calc"]
    screen.select(spec.name)
    log.info("calculator %s opened from the finder", spec.name)
    return screen


def open_item_calculators(form) -> QWidget | None:
    """The item's calculators in their own window, prefilled from the business screen's current values; one
    window per business screen, refreshed with the latest values each time it is opened."""
    from ui.calc.screen import screens_for_item

    applicant = applicant_inputs(form.form_values(), getattr(form, "_today", None))
    screen = getattr(form, "calc_screen", None)
    if screen is None:
        screen = screens_for_item(form.runtime, form.session, form.item.code, applicant)
        if screen is None:
            return None
        screen.setWindowTitle(_translate("CalculatorLaunch", "测算 — {0}").format(form.item.name))
        screen.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        screen.resize(1100, 720)
        form.calc_screen = screen
        form.destroyed.connect(screen.deleteLater)  # the window goes with its business screen
    else:
        screen.applicant = applicant
        screen.select(screen.spec.name)  # re-fills the inputs from the applicant
    screen.show()
    screen.raise_()
    screen.activateWindow()
    return screen


def calculator_button(form) -> QPushButton | None:
    """The 测算 button of a business screen whose item has calculators (app.rules.ITEM_CALCULATORS), else None."""
    specs = calculators_for_item(form.item.code)
    if not specs:
        return None
    button = QPushButton(_translate("CalculatorLaunch", "测算 ({0})").format(CALC_SHORTCUT), form)
    button.setObjectName("calcButton")
    button.setToolTip(_translate("CalculatorLaunch",
                                 "按申请人已录入的信息打开：{0}").format(_translate("CalculatorLaunch", "、").join(s.title for s in specs)))
    button.clicked.connect(lambda: open_item_calculators(form))
    shortcut = QShortcut(QKeySequence(CALC_SHORTCUT), form)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(lambda: open_item_calculators(form))
    return button
