"""Start-up of the client: the QApplication's font and translations, and run_client's login → counter flow."""
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication

from ui.app import READY_ENV, run_client
from ui.login import LoginDialog
from ui.shell.counter import CounterWindow


def _guard(qapp) -> QTimer:
    """Never hang the suite if a step fails: quit the event loop after 30 s."""
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(qapp.quit)
    guard.start(30000)
    return guard


def _visible(cls):
    return next((w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, cls)), None)


def test_application_uses_the_bundled_cjk_font(qapp):
    assert qapp.font().family() == "WenQuanYi Micro Hei"
    assert QFontInfo(qapp.font()).family() == "WenQuanYi Micro Hei"


def test_exit_when_ready_prints_the_marker_once_the_login_is_exposed(runtime, qapp, monkeypatch, capsys):
    monkeypatch.setenv(READY_ENV, "1")
    assert run_client(runtime, demo_banner="演示环境：工号 demo 密码 demo1234") == 0
    assert "YICHUANG_READY login" in capsys.readouterr().out.splitlines()
    assert runtime.relay._thread is None, "the relay is stopped on the way out"


def test_login_opens_the_counter_window_and_closing_it_ends_the_client(runtime, qapp):
    seen = {}
    guard = _guard(qapp)

    def step() -> None:
        counter, dialog = _visible(CounterWindow), _visible(LoginDialog)
        if counter is not None:
            seen["title"] = counter.windowTitle()
            seen["relay_running"] = runtime.relay._thread is not None
            counter.close()
            return
        if dialog is not None and "dialog" not in seen:
            seen["dialog"] = True
            dialog.operator_edit.setText("demo")
            dialog.password_edit.setText("demo1234")
            dialog.login_button.click()
        QTimer.singleShot(50, step)

    QTimer.singleShot(0, step)
    assert run_client(runtime) == 0
    guard.stop()
    assert seen["title"] == "一窗 综合柜员系统 — 呼和浩特市新城区社会保险事业管理局"
    assert seen["relay_running"]
    assert runtime.relay._thread is None


def test_login_window_shows_before_the_runtime_is_built_and_the_login_waits_for_it(runtime, qapp):
    """Cold start (issue 13): the login window is interactive while the runtime is still being built
    (app.startup.PendingRuntime); a login submitted meanwhile completes once it is ready."""
    import threading

    from app.startup import PendingRuntime

    release = threading.Event()

    def build():
        assert release.wait(30)
        return runtime

    pending = PendingRuntime(runtime.paths, runtime.settings, build)
    seen = {}
    guard = _guard(qapp)

    def step() -> None:
        counter, dialog = _visible(CounterWindow), _visible(LoginDialog)
        if counter is not None:
            seen["counter"] = True
            counter.close()
            return
        if dialog is not None and "typed" not in seen:
            seen["typed"] = True
            seen["built_when_shown"] = pending.ready()
            dialog.operator_edit.setText("demo")
            dialog.password_edit.setText("demo1234")
            dialog.login_button.click()  # submitted before the runtime exists
            seen["busy"] = not dialog.login_button.isEnabled()
            QTimer.singleShot(300, release.set)
        QTimer.singleShot(50, step)

    QTimer.singleShot(0, step)
    assert run_client(pending) == 0
    guard.stop()
    assert seen == {"typed": True, "built_when_shown": False, "busy": True, "counter": True}
    assert runtime.relay._thread is None


def test_a_runtime_that_fails_to_build_ends_the_client_with_code_2(runtime, qapp, monkeypatch, capsys):
    from app.errors import StoreError
    from app.startup import PendingRuntime

    def build():
        raise StoreError("本地数据库无法打开，请运行 yichuang doctor 检查。", "test: damaged database")

    monkeypatch.setenv(READY_ENV, "1")
    pending = PendingRuntime(runtime.paths, runtime.settings, build)
    assert run_client(pending) == 2
    assert "本地数据库无法打开" in capsys.readouterr().err
