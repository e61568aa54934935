"""Issue 13 point 2: database work never runs on the GUI thread. The guard that every GUI test runs under
(tests/gui/conftest.py, app.store.thread_guard) is shown to catch a screen's SQL on the GUI thread, and 受理 is shown
to run on a worker with a busy state that accepts a double press only once."""
import threading

from PySide6.QtCore import Qt

from app.store import thread_guard
from tests.gui.helpers import ITEM, fill_applicant


def test_the_guard_catches_sql_a_screen_runs_on_the_gui_thread(runtime):
    probe = compile("cases.recent()", "/src/ui/probe.py", "exec")  # as if a screen's code ran it
    exec(probe, {"cases": runtime.cases})
    seen = thread_guard.reset()  # (cleared, or this test's own guard would fail it)
    assert seen and "ui/probe.py" in seen[0]
    runtime.cases.recent()  # the test's own check of the database: not a screen's
    worker = threading.Thread(target=lambda: exec(probe, {"cases": runtime.cases}))
    worker.start()
    worker.join()
    assert thread_guard.reset() == [], "a worker may"


def test_intake_runs_on_a_worker_and_a_double_press_accepts_once(qtbot, window, runtime, monkeypatch):
    threads = []
    intake = runtime.cases.intake

    def recorded(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return intake(*args, **kwargs)

    monkeypatch.setattr(runtime.cases, "intake", recorded)
    form = window.open_item(ITEM)
    fill_applicant(qtbot, form)
    with qtbot.waitSignal(form.case_saved, timeout=10000):
        qtbot.keyClick(form.field_widgets["name"], Qt.Key.Key_F10)
        assert form.is_saving() and form.save_button.text() == "正在受理…" and not form.save_button.isEnabled()
        assert form.message_label.property("state") == "busy" and "正在受理" in form.message_label.text()
        qtbot.keyClick(form.field_widgets["name"], Qt.Key.Key_F10)  # pressed again while it saves: ignored
    qtbot.waitUntil(lambda: form.last_document is not None, timeout=30000)
    assert threads == [False], "one intake, on a worker thread"
    assert len(runtime.cases.recent()) == 1 and form.last_case is not None
    assert not form.is_saving() and not form.save_button.isEnabled()
