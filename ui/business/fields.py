"""Makes one input widget per catalog FieldSpec and reads or writes its value as text, whatever the widget kind."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.catalog import FieldSpec
from app.catalog.model import FieldType

# Validators only stop impossible keystrokes; the real checks (check digit, formats) stay in app.cases.validation.
_KEYSTROKES = {
    FieldType.id_number: r"[0-9Xx]{0,18}",
    FieldType.phone: r"[0-9-]{0,13}",
    FieldType.postcode: r"[0-9]{0,6}",
    FieldType.date: r"[0-9]{0,4}(-[0-9]{0,2}(-[0-9]{0,2})?)?",
    FieldType.month: r"[0-9]{0,4}(-[0-9]{0,2})?",
    FieldType.uscc: r"[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{0,18}",
    FieldType.number: r"[0-9]{0,9}",
    FieldType.money: r"[0-9]{0,10}(\.[0-9]{0,2})?",
    FieldType.bank_account: r"[0-9]{0,30}",
}
_MAX_LENGTH = {FieldType.id_number: 18, FieldType.phone: 13, FieldType.postcode: 6, FieldType.date: 10,
               FieldType.month: 7, FieldType.uscc: 18, FieldType.bank_account: 30}
_YES_NO = ("否", "是")
_TODAY_HINT = "默认为今天"



def defaults_to_today(spec: FieldSpec) -> bool:
    """The catalog marks 'today' defaults in the hint (e.g. 参保登记时间: 默认为今天)."""
    return spec.type is FieldType.date and _TODAY_HINT in spec.hint


def make_field_widget(spec: FieldSpec, today: date, parent: QWidget | None = None) -> QWidget:
    if spec.type in (FieldType.choice, FieldType.bool):
        combo = QComboBox(parent)
        combo.addItem("")  # empty first entry: nothing is chosen for the clerk by accident
        combo.addItems(list(spec.options) if spec.type is FieldType.choice else list(_YES_NO))
        if spec.hint:
            combo.setToolTip(spec.hint)
        return combo
    edit = QLineEdit(parent)
    edit.setMaxLength(min(spec.max_length, _MAX_LENGTH.get(spec.type, spec.max_length)))
    pattern = _KEYSTROKES.get(spec.type)
    if pattern:
        edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), edit))
    placeholder = spec.hint
    if spec.type is FieldType.date:
        placeholder = QCoreApplication.translate("BusinessFields", "年-月-日")
        tip = QCoreApplication.translate("BusinessFields", "格式：年-月-日，如 {0}").format(today.isoformat())
        edit.setToolTip(tip + (f"\n{spec.hint}" if spec.hint else ""))
        if defaults_to_today(spec):
            edit.setText(today.isoformat())
    elif spec.type is FieldType.month:
        placeholder = placeholder or QCoreApplication.translate("BusinessFields", "年-月，如 2026-01")
    elif spec.type is FieldType.id_number:
        placeholder = placeholder or QCoreApplication.translate("BusinessFields", "18位公民身份号码，回车查询")
    edit.setPlaceholderText(placeholder)
    if spec.hint and not edit.toolTip():
        edit.setToolTip(spec.hint)
    return edit


def field_value(widget: QWidget) -> str:
    if isinstance(widget, QComboBox):
        return widget.currentText().strip()
    return widget.text().strip()


def set_field_value(widget: QWidget, value: str) -> bool:
    """Set a value; returns False when a choice widget has no such option (the value is then left alone)."""
    if isinstance(widget, QComboBox):
        index = widget.findText(value)
        if index < 0:
            return False
        widget.setCurrentIndex(index)
        return True
    widget.setText(value)
    widget.setCursorPosition(0)  # show the start of a long address, not its tail
    return True


def lock_field(widget: QWidget) -> None:
    """Make a field read-only after the case is saved: still selectable for copying, no longer editable."""
    if isinstance(widget, QLineEdit):
        widget.setReadOnly(True)
    else:
        widget.setEnabled(False)
