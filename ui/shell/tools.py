"""The counter window's 工作台 menu: the back-office and support screens (review queue, supervision, calculators,
device test page, parameters, administration), each in its own window and offered only to the roles that use it."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

ADMIN_ROLES = {"管理员"}
REVIEW_ROLES = {"审核员", "复核员", "审批人", "受理员"}


_translate = QCoreApplication.translate  # lupdate reads _translate("ToolsMenu", "…")


class ToolWindows:
    """Keeps the tool windows alive (one per kind) and raises an open one instead of opening a second."""

    def __init__(self, owner: QMainWindow):
        self.owner = owner
        self.windows: dict[str, QWidget] = {}

    def show(self, key: str, title: str, build) -> QWidget:
        win = self.windows.get(key)
        if win is None:
            win = build()
            win.setWindowTitle(title)
            win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            win.resize(1200, 760)
            self.windows[key] = win
        win.show()
        win.raise_()
        win.activateWindow()
        return win

    def close_all(self) -> None:
        for win in self.windows.values():
            win.close()
            win.deleteLater()
        self.windows.clear()


def install_tools_menu(window) -> ToolWindows:
    """Add the 工作台 menu to a CounterWindow; returns the holder of the windows it opens."""
    runtime, session = window.runtime, window.session
    roles = set(session.roles)
    tools = ToolWindows(window)
    menu = window.menuBar().addMenu(_translate("ToolsMenu", "工作台(&W)"))

    def review_panel(case_id: str) -> None:
        from ui.review.panel import ReviewPanel

        panel = ReviewPanel(runtime, session, case_id)
        tools.windows[f"case:{case_id}"] = panel
        panel.setWindowTitle(_translate("ToolsMenu", "审核业务"))
        panel.resize(1200, 760)
        panel.acted.connect(lambda _view: window.refresh_cases())
        panel.show()

    def queue() -> QWidget:
        from ui.review.queue import ReviewQueueWidget

        w = ReviewQueueWidget(runtime, session)
        w.open_case.connect(review_panel)
        return w

    def supervisor() -> QWidget:
        from ui.review.supervisor import SupervisorView

        w = SupervisorView(runtime, session)
        w.open_case.connect(review_panel)
        return w

    def calculators() -> QWidget:
        from ui.calc import CalculatorScreen

        return CalculatorScreen(runtime, session)

    def devices() -> QWidget:
        from ui.devices.test_page import DeviceTestPage

        return DeviceTestPage(runtime.devices, out_dir=runtime.paths.data_dir / "device-test")

    def parameters() -> QWidget:
        from ui.calc import ParameterAdminScreen

        return ParameterAdminScreen(runtime, session)

    def outbox() -> QWidget:
        from ui.outbox import open_outbox

        return open_outbox(runtime, session)

    def certify() -> QWidget:
        from app.certification.config import load_certification_settings
        from app.certification.service import CertificationService
        from ui.certify.screen import CertifyScreen

        service = CertificationService(runtime.store, runtime.settings.terminal.terminal_id,
                                       runtime.settings.terminal.agency_code)
        return CertifyScreen(service, session, channel="counter", devices=runtime.devices, api=runtime.api,
                             face_settings=load_certification_settings(runtime.paths.config_dir).face)

    def day_summary() -> QWidget:  # issue 13: 今日工作小结
        from ui.shell.day_summary import DaySummaryView

        return DaySummaryView(runtime, session)

    def admin() -> QWidget:
        from ui.admin.page import AdminPage

        return AdminPage(runtime)

    entries = [
        ("queue", _translate("ToolsMenu", "待办审核队列"), "F6", queue, bool(roles & REVIEW_ROLES)),
        ("supervisor", _translate("ToolsMenu", "督办：时限预警"), "", supervisor, True),
        ("calc", _translate("ToolsMenu", "待遇测算"), "F7", calculators, True),
        ("outbox", _translate("ToolsMenu", "待上传业务（上传队列）"), "F9", outbox, True),  # issue 5: correct and resubmit
        ("certify", _translate("ToolsMenu", "待遇领取资格认证"), "", certify, True),  # issue 9: counter certification (000 §78)
        ("devices", _translate("ToolsMenu", "设备测试"), "", devices, True),
        ("parameters", _translate("ToolsMenu", "参数管理"), "", parameters, bool(roles & ADMIN_ROLES)),
        ("admin", _translate("ToolsMenu", "系统管理"), "", admin, bool(roles & ADMIN_ROLES)),
        ("day_summary", _translate("ToolsMenu", "今日工作小结"), "F12", day_summary, True),  # issue 13
    ]
    window.tool_actions = {}
    for key, title, shortcut, build, allowed in entries:
        action = QAction(title, window)
        action.setObjectName(f"tool_{key}")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(_translate("ToolsMenu", "{0}（{1}）").format(title, shortcut))
        action.setEnabled(allowed)
        action.triggered.connect(lambda _=False, k=key, t=title, b=build: tools.show(k, t, b))
        menu.addAction(action)
        window.tool_actions[key] = action
    return tools
