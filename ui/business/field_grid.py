"""The 登记信息 box: inputs in two label/input columns, with inline messages under the identity numbers."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from app.catalog import ServiceItem
from app.catalog.model import FieldType
from ui.business.fields import make_field_widget
from ui.business.identity import is_identity
from ui.style import ERROR, set_state

_SHORT = (FieldType.choice, FieldType.bool, FieldType.date, FieldType.month, FieldType.postcode, FieldType.number,
          FieldType.money)


def field_label(text: str, required: bool, parent: QWidget) -> QLabel:
    # The asterisk is rich text so only it is red; the label still reads normally to a screen reader.
    label = QLabel(f'<span style="color:{ERROR}">*</span>&nbsp;{text}' if required else text, parent)
    label.setTextFormat(Qt.TextFormat.RichText if required else Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    label.setMaximumWidth(210)
    return label


class FieldGrid(QGroupBox):
    """Filled top to bottom in catalog order; `lookup_button` (查询) sits beside the `lookup_key` field. Every widget
    is made with its parent, so laying it out never re-resolves the style sheet of a whole subtree."""

    def __init__(self, item: ServiceItem, today: date, lookup_key: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("登记信息（带 * 为必填项）"))
        self.lookup_button = lookup_button = QPushButton(self.tr("查询"), self)
        self.widgets: dict[str, QWidget] = {}
        self.status: dict[str, QLabel] = {}  # inline message lines of identity fields
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 18, 14, 10)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(5)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(4, 1)
        grid.setColumnMinimumWidth(2, 18)  # gutter between the two columns
        specs = list(item.fields)
        per_column = (len(specs) + 1) // 2
        row = {0: 0, 1: 0}
        for index, spec in enumerate(specs):
            column = 0 if index < per_column else 1
            col = column * 3
            widget = make_field_widget(spec, today, self)
            widget.setObjectName(f"field_{spec.key}")
            self.widgets[spec.key] = widget
            label = field_label(spec.label, spec.required, self)
            label.setBuddy(widget)
            grid.addWidget(label, row[column], col)
            if spec.key == lookup_key or spec.type in _SHORT:
                line = QHBoxLayout()
                line.setSpacing(6)
                if spec.type in _SHORT:
                    widget.setMinimumWidth(160)  # short values get short boxes; the rest of the cell stays empty
                    line.addWidget(widget)
                    line.addStretch(1)
                else:
                    line.addWidget(widget, 1)
                    line.addWidget(lookup_button)
                grid.addLayout(line, row[column], col + 1)
            else:
                grid.addWidget(widget, row[column], col + 1)
            row[column] += 1
            if is_identity(spec):
                status = QLabel(self)
                status.setObjectName(f"status_{spec.key}")
                status.setProperty("role", "inline")
                status.setWordWrap(True)
                status.hide()
                self.status[spec.key] = status
                grid.addWidget(status, row[column], col + 1)
                row[column] += 1
        if lookup_key is None:
            lookup_button.hide()

    def say(self, key: str, text: str, state: str) -> None:
        """Show an inline message under an identity field ('' hides it)."""
        label = self.status.get(key)
        if label is None:
            return
        label.setText(text)
        set_state(label, state=state)
        label.setVisible(bool(text))
