"""The password-change dialog: asked for when a login is refused because the password expired (or an administrator
reset it), per the agency's policy (app.security.policy); the change itself goes to the central API off the GUI
thread (app.security.operators.Authenticator.change_password), and on an encrypted terminal the data key is then
wrapped for the new password too (app.security.keystore)."""
from __future__ import annotations

import logging

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.bridge import run_in_thread

log = logging.getLogger(__name__)


def change_password(runtime, operator_id: str, old: str, new: str, otp: str | None = None) -> None:
    """Worker-thread part: the central change, then the key store's wrap for the new password (encrypted terminals)."""
    auth = runtime.auth
    auth.change_password(operator_id, old, new, otp=otp)
    keystore = getattr(runtime, "keystore", None)
    if keystore is not None and keystore.exists() and keystore.has_operator(operator_id):
        keys = keystore.unlock(operator_id, old)
        keystore.add_operator(keys, operator_id, new)  # the old password no longer opens this laptop's data


class PasswordChangeDialog(QDialog):
    changed = Signal(str)  # the new password, so the login can go on with it

    def __init__(self, runtime, operator_id: str, old_password: str = "", *, reason: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime, self.operator_id = runtime, operator_id
        self.setWindowTitle(self.tr("修改密码"))
        self.setMinimumWidth(400)
        self.reason_label = QLabel(reason or self.tr("密码已过期，请设置新密码后再登录。"))
        self.reason_label.setWordWrap(True)
        self.old_edit, self.new_edit, self.again_edit = QLineEdit(old_password), QLineEdit(), QLineEdit()
        for edit, name in ((self.old_edit, self.tr("原密码")), (self.new_edit, self.tr("新密码")),
                           (self.again_edit, self.tr("再次输入新密码"))):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(128)
            edit.setAccessibleName(name)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setProperty("role", "inline")
        self.error_label.setProperty("state", "error")
        self.error_label.hide()
        form = QFormLayout()
        form.addRow(self.tr("工号"), QLabel(operator_id))
        form.addRow(self.tr("原密码"), self.old_edit)
        form.addRow(self.tr("新密码"), self.new_edit)
        form.addRow(self.tr("再次输入"), self.again_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("修改"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        (self.new_edit if old_password else self.old_edit).setFocus()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    @Slot()
    def submit(self) -> None:
        old, new, again = self.old_edit.text(), self.new_edit.text(), self.again_edit.text()
        if not old or not new:
            self.show_error(self.tr("请输入原密码和新密码。"))
            return
        if new != again:
            self.show_error(self.tr("两次输入的新密码不一致，请重新输入。"))
            self.again_edit.clear()
            self.again_edit.setFocus()
            return
        self.buttons.setEnabled(False)
        run_in_thread(lambda: change_password(self.runtime, self.operator_id, old, new),
                      lambda _r: self._done(new), self._failed, context=self)

    def _done(self, new: str) -> None:
        log.info("password changed at login (policy)")
        self.changed.emit(new)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        log.info("password change refused: %s", getattr(exc, "detail", type(exc).__name__))
        self.show_error(getattr(exc, "user_message", None) or self.tr("修改密码失败：系统内部错误，请联系管理员。"))
