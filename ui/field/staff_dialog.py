"""The second staff member present confirms the visit with their own 工号 and password (002 §30). The check (Argon2id)
runs off the GUI thread; a refusal is shown in the dialog and audited."""
from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
                               QWidget)

from app.certification.field import TWO_STAFF_RULE, StaffConfirmation
from ui.bridge import run_in_thread
from ui.style import set_state


class SecondStaffDialog(QDialog):
    def __init__(self, field_service, *, visit_id: str, primary_operator_id: str, person_name: str = "",
                 keystore=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("第二名工作人员确认"))
        self.setMinimumWidth(420)
        self.field, self.visit_id, self.primary = field_service, visit_id, primary_operator_id
        self.keystore = keystore
        self.confirmation: StaffConfirmation | None = None
        intro = QLabel(self.tr("请在场的另一名工作人员输入本人工号和密码，确认与{0}共同完成对“{1}”的走访。")
                       .format(primary_operator_id, person_name or self.tr("该人员")))
        intro.setWordWrap(True)
        rule = QLabel(TWO_STAFF_RULE)
        rule.setObjectName("itemCitation")
        rule.setWordWrap(True)
        self.operator_edit = QLineEdit()
        self.operator_edit.setObjectName("secondOperator")
        self.operator_edit.setPlaceholderText(self.tr("工号"))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("secondPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("密码"))
        form = QFormLayout()
        form.addRow(self.tr("工号"), self.operator_edit)
        form.addRow(self.tr("密码"), self.password_edit)
        self.message = QLabel()
        self.message.setProperty("role", "inline")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ok_button: QPushButton = self.buttons.addButton(self.tr("确认在场"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setProperty("primary", True)
        self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(rule)
        layout.addWidget(self.buttons)
        self.operator_edit.setFocus()

    def _say(self, text: str, state: str) -> None:
        self.message.setText(text)
        set_state(self.message, state=state)

    @Slot()
    def confirm(self) -> None:
        operator_id, password = self.operator_edit.text().strip(), self.password_edit.text()
        self.ok_button.setEnabled(False)
        self._say(self.tr("正在核验…"), "busy")
        run_in_thread(lambda: self.field.verify_second_staff(visit_id=self.visit_id, primary_operator_id=self.primary,
                                                             operator_id=operator_id, password=password,
                                                             keystore=self.keystore),
                      self._confirmed, self._refused, context=self)

    def _confirmed(self, confirmation: StaffConfirmation) -> None:
        self.confirmation = confirmation
        self._say(self.tr("已确认：{0}").format(confirmation.name), "ok")
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.password_edit.clear()
        self.ok_button.setEnabled(True)
        self._say(getattr(exc, "user_message", None) or self.tr("核验失败，请重试。"), "error")
        self.password_edit.setFocus()
