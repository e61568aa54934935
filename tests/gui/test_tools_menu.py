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
    for key in ("queue", "supervisor", "calc", "devices", "parameters", "admin"):
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
