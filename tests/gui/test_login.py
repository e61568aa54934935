"""The login dialog against the real Authenticator (offline verifier, since no central server is reachable)."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from ui.login import LoginDialog


def _dialog(qtbot, runtime, bridge, **kw):
    dialog = LoginDialog(runtime, bridge, **kw)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    return dialog


def test_wrong_password_shows_chinese_error(qtbot, runtime, bridge):
    dialog = _dialog(qtbot, runtime, bridge)
    qtbot.keyClicks(dialog.operator_edit, "demo")
    qtbot.keyClick(dialog.operator_edit, Qt.Key.Key_Return)
    assert dialog.password_edit.hasFocus(), "Enter in 工号 moves to 密码"
    qtbot.keyClicks(dialog.password_edit, "wrong-password")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=15000)
    assert dialog.error_label.text() == "工号或密码错误。"
    assert dialog.session is None
    assert dialog.password_edit.text() == "" and dialog.password_edit.hasFocus()
    assert dialog.isVisible()


def test_right_password_logs_in(qtbot, runtime, bridge):
    dialog = _dialog(qtbot, runtime, bridge, demo_banner="演示环境：工号 demo 密码 demo1234")
    assert dialog.demo_label.isVisible()
    qtbot.keyClicks(dialog.operator_edit, "demo")
    qtbot.keyClick(dialog.operator_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.password_edit, "demo1234")
    with qtbot.waitSignal(dialog.logged_in, timeout=15000) as blocker:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    session = blocker.args[0]
    assert (session.operator_id, session.name, session.online) == ("demo", "演示柜员", False)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_empty_fields_are_refused_without_calling_the_core(qtbot, runtime, bridge):
    dialog = _dialog(qtbot, runtime, bridge)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "请输入工号。"
    assert dialog.operator_edit.hasFocus()


def test_dialog_shows_central_system_offline(qtbot, runtime, bridge):
    dialog = _dialog(qtbot, runtime, bridge)
    runtime.relay.start()  # probes the closed port and reports from its own thread
    qtbot.waitUntil(lambda: "离线" in dialog.network_label.text(), timeout=10000)
