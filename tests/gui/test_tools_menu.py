"""The 工作台 menu opens every back-office and support screen, and only for the roles that use them."""
from ui.shell.counter import CounterWindow
from app.security.operators import OperatorSession


def _window(qtbot, runtime, roles):
    session = OperatorSession("demo", "演示柜员", tuple(roles), "150102", False)
    w = CounterWindow(runtime, session)
    qtbot.addWidget(w)
    return w


def test_every_tool_opens_for_an_administrator_clerk(qtbot, runtime):
    w = _window(qtbot, runtime, ["受理员", "管理员"])
    for key in ("queue", "supervisor", "calc", "outbox", "certify", "devices", "parameters", "admin"):
        action = w.tool_actions[key]
        assert action.isEnabled(), key
        action.trigger()
        win = w.tools.windows[key]
        qtbot.waitUntil(win.isVisible, timeout=5000)
        assert win.windowTitle() == action.text()
    w.tool_actions["queue"].trigger()  # a second trigger raises the same window
    assert len([k for k in w.tools.windows if k == "queue"]) == 1
    w.tools.close_all()


def test_admin_tools_are_disabled_for_a_clerk(qtbot, runtime):
    w = _window(qtbot, runtime, ["受理员"])
    assert not w.tool_actions["admin"].isEnabled() and not w.tool_actions["parameters"].isEnabled()
    assert w.tool_actions["queue"].isEnabled() and w.tool_actions["calc"].shortcut().toString() == "F7"


def test_status_bar_shows_pending_rejected_and_last_successful_sync(qtbot, runtime):
    """Issue 5 point 4: the status bar carries the pending count and the time of the last successful sync."""
    from datetime import datetime, timezone

    from app.clock import to_local
    from app.sync.relay import SyncStatus

    w = _window(qtbot, runtime, ["受理员"])
    assert w.tool_actions["outbox"].shortcut().toString() == "F9"
    at = datetime(2026, 11, 26, 2, 5, tzinfo=timezone.utc)
    w.bridge.sync_status.emit(SyncStatus(online=True, pending=3, failed=0, rejected=1, last_success=at))
    qtbot.waitUntil(lambda: "待上传：3" in w.outbox_label.text(), timeout=3000)
    text = w.outbox_label.text()
    assert "退回：1" in text and to_local(at).strftime("%m-%d %H:%M") in text
    assert w.outbox_label.property("state") == "error"  # a centre rejection needs the clerk's attention
