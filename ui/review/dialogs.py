"""Small questions of the review screen: a required reason (退回, 终止, 中止) and the materials of a 补正."""
from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout,
                               QWidget)

from app.cases.service import MaterialState

REASON_MAX = 300


class ReasonDialog(QDialog):
    """Asks for a reason; 确定 stays disabled until one is typed. Open it with `open()` and read `reason()`."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.prompt_label = QLabel(prompt)
        self.prompt_label.setWordWrap(True)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText(self.tr("请填写原因（必填），将记入办理记录并告知经办人"))
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(110)
        self.hint_label = QLabel()
        self.hint_label.setProperty("role", "inline")
        self.buttons = QDialogButtonBox()
        self.ok_button: QPushButton = self.buttons.addButton(self.tr("确定"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setProperty("primary", True)
        self.cancel_button = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt_label)
        layout.addWidget(self.text_edit)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text_edit.textChanged.connect(self._check)
        self._check()
        self.text_edit.setFocus()

    def reason(self) -> str:
        return self.text_edit.toPlainText().strip()

    @Slot()
    def _check(self) -> None:
        text = self.reason()
        self.ok_button.setEnabled(0 < len(text) <= REASON_MAX)
        if len(text) > REASON_MAX:
            self.hint_label.setText(self.tr("原因不能超过 {0} 字").format(REASON_MAX))
        else:
            self.hint_label.setText("" if text else self.tr("必须填写原因"))

    def accept(self) -> None:
        if self.ok_button.isEnabled():
            super().accept()


class CorrectionDialog(QDialog):
    """补正: the clerk ticks each material the applicant has now brought; 确定 needs all of them."""

    def __init__(self, missing: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("补正材料"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("请核验申请人补交的材料，逐项勾选后继续办理：")))
        self.boxes: dict[str, QCheckBox] = {}
        for code, name in missing:
            box = QCheckBox(name)
            self.boxes[code] = box
            layout.addWidget(box)
            box.toggled.connect(self._check)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(self.tr("补正完成，继续办理"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setProperty("primary", True)
        self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._check()

    def materials(self) -> dict[str, str]:
        return {code: MaterialState.present.value for code, box in self.boxes.items() if box.isChecked()}

    @Slot()
    def _check(self) -> None:
        self.ok_button.setEnabled(all(b.isChecked() for b in self.boxes.values()))
