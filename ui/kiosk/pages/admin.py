"""The administrator's way out: reached by the hidden gesture, it asks for the 工号 and password of an operator
holding 管理员 (checked by app.security.operators, with its lock-out after repeated failures). Anything else keeps
the kiosk locked."""
from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout

from app.workflow.roles import Role
from ui.bridge import run_in_thread
from ui.kiosk.keyboard import KioskInput, OnScreenKeyboard
from ui.kiosk.widgets import KioskPage, label

log = logging.getLogger(__name__)


class _TapInput(KioskInput):
    tapped = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.tapped.emit()
        super().mousePressEvent(event)


class AdminPage(KioskPage):
    timeout = "admin"
    personal = False

    def __init__(self, shell):
        super().__init__(shell, self.tr("管理员退出自助模式"))
        self.body.addWidget(label(self.tr("请输入管理员工号和密码。"), "body", self))
        self.operator = _TapInput(max_length=32, placeholder=self.tr("工号"), parent=self)
        self.password = _TapInput(max_length=64, secret=True, placeholder=self.tr("密码"), parent=self)
        fields = QHBoxLayout()
        fields.setSpacing(30)
        fields.addWidget(self.operator, 1)
        fields.addWidget(self.password, 1)
        self.body.addLayout(fields)
        self.message = label("", "error", self)
        self.message.hide()
        self.body.addWidget(self.message)
        self.keys = OnScreenKeyboard(self.operator, "alnum", self)
        self.body.addWidget(self.keys, 1)
        self.operator.tapped.connect(lambda: self.select(self.operator))
        self.password.tapped.connect(lambda: self.select(self.password))
        self.add_back(self.tr("返回"), shell.leave_admin)
        self.ok_button = self.add_primary(self.tr("验证并退出"), self.verify)
        self._busy = False

    def select(self, target: KioskInput) -> None:
        self.keys.attach(target)
        for field in (self.operator, self.password):
            field.setProperty("selected", field is target)
            field.style().unpolish(field)
            field.style().polish(field)

    def entered(self) -> None:
        self.clear()

    def left(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.operator.clear_value()
        self.password.clear_value()
        self.message.hide()
        self.select(self.operator)

    def verify(self) -> None:
        if self._busy:
            return
        operator_id, password = self.operator.value(), self.password.value()
        self.password.clear_value()
        if not operator_id or not password:
            self._refuse(self.tr("请输入工号和密码。"))
            return
        self._busy = True
        self.ok_button.setEnabled(False)
        auth = self.shell.runtime.auth
        run_in_thread(lambda: auth.login(operator_id, password), self._checked, self._failed, context=self)

    def _checked(self, session) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        if Role.admin.value not in session.roles:
            self.shell.services.audit("kiosk.exit_refused", {"operator_id": session.operator_id})
            self._refuse(self.tr("该工号不是管理员，不能退出自助模式。"))
            return
        self.shell.admin_verified(session)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        self._refuse(getattr(exc, "user_message", None) or self.tr("验证失败。"))

    def _refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
