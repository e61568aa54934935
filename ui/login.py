"""The operator login dialog: 工号 + 密码, checked off the GUI thread (Argon2 and HTTP are slow by design)."""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
                               QWidget)

from app.startup import resolve
from ui.bridge import Bridge, run_in_thread
from ui.style import set_state
from ui.texts import network_state, network_text

log = logging.getLogger(__name__)


class LoginDialog(QDialog):
    logged_in = Signal(object)  # app.security.operators.OperatorSession

    def __init__(self, runtime, bridge: Bridge | None = None, *, demo_banner: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime = runtime
        self.session = None
        self._busy = False
        self.setWindowTitle(self.tr("一窗 — 柜员登录"))
        self.setMinimumWidth(420)

        title = QLabel(self.tr("一窗 综合柜员系统"))
        title.setObjectName("loginTitle")
        agency = QLabel(runtime.settings.terminal.agency_name)
        terminal = QLabel(self.tr("终端 {0}").format(runtime.settings.terminal.terminal_id))
        terminal.setObjectName("itemCitation")

        self.operator_edit = QLineEdit()
        self.operator_edit.setPlaceholderText(self.tr("请输入工号"))
        self.operator_edit.setMaxLength(32)
        self.password_edit = QLineEdit()
        self.password_edit.setPlaceholderText(self.tr("请输入密码"))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(128)
        # 动态口令 (TOTP): shown when the agency's policy asks for it (app.security.operators.SecondFactorRequired)
        self.otp_edit = QLineEdit()
        self.otp_edit.setPlaceholderText(self.tr("手机验证器中的6位数字"))
        self.otp_edit.setMaxLength(6)
        self.otp_label = QLabel(self.tr("动态口令"))

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setProperty("role", "inline")
        self.error_label.setProperty("state", "error")
        self.error_label.hide()

        self.network_label = QLabel()
        self.network_label.setObjectName("networkLabel")
        self.network_label.setProperty("role", "status")

        self.login_button = QPushButton(self.tr("登录"))
        self.login_button.setProperty("primary", True)
        self.cancel_button = QPushButton(self.tr("退出"))
        # Enter is wired by hand (工号 → 密码 → 登录); a default button would log in from the 工号 field.
        for button in (self.login_button, self.cancel_button):
            button.setAutoDefault(False)
            button.setDefault(False)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("工号"), self.operator_edit)
        form.addRow(self.tr("密码"), self.password_edit)
        form.addRow(self.otp_label, self.otp_edit)
        self.otp_label.hide()
        self.otp_edit.hide()

        self.network_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.login_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(agency)
        layout.addWidget(terminal)
        self.demo_label = QLabel(demo_banner or "")
        self.demo_label.setObjectName("demoBanner")
        self.demo_label.setWordWrap(True)
        self.demo_label.setVisible(bool(demo_banner))
        layout.addWidget(self.demo_label)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addSpacing(4)
        layout.addWidget(self.network_label)
        layout.addLayout(buttons)

        self.operator_edit.returnPressed.connect(self.password_edit.setFocus)
        self.password_edit.returnPressed.connect(self.try_login)
        self.otp_edit.returnPressed.connect(self.try_login)
        self.login_button.clicked.connect(self.try_login)
        self.cancel_button.clicked.connect(self.reject)
        self.operator_edit.textEdited.connect(self._clear_error)
        self.password_edit.textEdited.connect(self._clear_error)

        self.set_online(bridge.last_sync.online if bridge and bridge.last_sync else None)
        if bridge is not None:
            bridge.sync_status.connect(self._on_sync_status)
        self.operator_edit.setFocus()

    # -- network state ---------------------------------------------------------------------------------------------
    @Slot(object)
    def _on_sync_status(self, status) -> None:
        self.set_online(status.online)

    def set_online(self, online: bool | None) -> None:
        text = network_text(online)
        if online is False:
            text = self.tr("中心系统：离线（可用本机缓存的凭据登录）")
        self.network_label.setText(text)
        set_state(self.network_label, state=network_state(online))

    # -- login -----------------------------------------------------------------------------------------------------
    @Slot()
    def try_login(self) -> None:
        if self._busy:
            return
        operator_id, password = self.operator_edit.text().strip(), self.password_edit.text()
        if not operator_id:
            self.show_error(self.tr("请输入工号。"))
            self.operator_edit.setFocus()
            return
        if not password:
            self.show_error(self.tr("请输入密码。"))
            self.password_edit.setFocus()
            return
        self._set_busy(True)
        runtime = self.runtime  # a Runtime, or still being built (app.startup): then the worker thread waits for it
        otp = self.otp_edit.text().strip() if self.otp_edit.isVisible() else None
        run_in_thread(lambda: resolve(runtime).auth.login(operator_id, password, otp), self._login_done,
                      self._login_failed, context=self)

    def _login_done(self, session) -> None:
        self._set_busy(False)
        self.session = session
        if session.online and session.token:
            # Person look-ups on the central API need the operator's token.
            resolve(self.runtime).api.token = session.token
        self.logged_in.emit(session)
        self.accept()

    def _login_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        message = getattr(exc, "user_message", None) or self.tr("登录失败：系统内部错误，请联系管理员。")
        self.show_error(message)
        if getattr(exc, "code", "") == "password_expired":  # right password, but it must be changed first
            self.open_password_change(message)
            return
        if getattr(exc, "code", "") in ("otp_required", "otp_invalid"):  # the password was right: keep it
            self.otp_label.show()
            self.otp_edit.show()
            self.otp_edit.clear()
            self.otp_edit.setFocus()
            return
        self.password_edit.clear()
        self.password_edit.setFocus()

    def open_password_change(self, reason: str):
        from ui.password_change import PasswordChangeDialog

        dialog = PasswordChangeDialog(resolve(self.runtime), self.operator_edit.text().strip(), self.password_edit.text(),
                                      reason=reason, parent=self)
        dialog.changed.connect(self._password_changed)
        dialog.finished.connect(dialog.deleteLater)
        self.password_dialog = dialog
        dialog.open()
        return dialog

    @Slot(str)
    def _password_changed(self, new_password: str) -> None:
        """Log in with the new password at once: the clerk has just typed it twice."""
        self.password_edit.setText(new_password)
        self.show_error(self.tr("密码已修改，正在登录…"))
        self.try_login()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    @Slot()
    def _clear_error(self) -> None:
        self.error_label.hide()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for w in (self.operator_edit, self.password_edit, self.login_button):
            w.setEnabled(not busy)
        self.login_button.setText(self.tr("正在登录…") if busy else self.tr("登录"))
