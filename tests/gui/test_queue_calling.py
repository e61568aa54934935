"""下一位 at the counter (issue 13): F8 calls the hall queue off the GUI thread, shows the number and its business,
opens the ticket's item; Shift+F8 recalls, Ctrl+F8 skips; the served ticket is finished with its case; a queue that
cannot be reached says what to do. Real back-ends: the local SQLite queue and the reference server on loopback."""
import threading

import pytest
from PySide6.QtCore import Qt

from app.bootstrap import bootstrap
from app.config import QueueConfig, ServerConfig, Settings
from app.paths import resolve_paths
from app.queue.local import LocalQueueSystem
from app.queue.model import TicketStatus
from app.security.operators import seed_local_operator
from tests.gui.conftest import OFFLINE_URL

ITEM = "resident_pension_enrolment"


def _runtime(tmp_path, queue: QueueConfig, url: str = OFFLINE_URL):
    settings = Settings(server=ServerConfig(url=url, probe_interval_seconds=0.2), queue=queue)
    rt = bootstrap(resolve_paths(tmp_path / "home"), settings, console_log=False)
    seed_local_operator(rt.store, "demo", "演示柜员", ["受理员"], "150102", "demo1234")
    return rt


def _close(rt, qapp):
    from ui.bridge import settle

    rt.relay.stop()
    settle(10000)
    qapp.processEvents()
    rt.close()


@pytest.fixture
def runtime(tmp_path, qapp):
    rt = _runtime(tmp_path, QueueConfig(backend="local", counter_no="5"))
    yield rt
    _close(rt, qapp)


def test_f8_calls_the_next_ticket_off_the_gui_thread_and_opens_its_business(qtbot, window, runtime, monkeypatch):
    queue = runtime.queue
    assert isinstance(queue, LocalQueueSystem)
    first = queue.issue_ticket("B", ITEM)
    queue.issue_ticket("F")
    threads = []
    real = queue.call_next
    monkeypatch.setattr(queue, "call_next", lambda *a: threads.append(threading.current_thread()) or real(*a))
    calling = window.keys.queue_calling
    with qtbot.waitSignal(calling.call_finished, timeout=10000) as called:
        qtbot.keyClick(window.search_edit, Qt.Key.Key_F8)
    ticket = called.args[0]
    assert threads and threads[0] is not threading.main_thread()
    assert ticket.number == "B001" == first.number and ticket.counter_no == "5"
    assert window.tabs.currentWidget().item.code == ITEM  # the ticket's business is open
    text = calling.label.text()
    assert "B001" in text and "城乡居民养老保险参保登记" in text and "等候 1 人" in text
    assert "B001" in window.statusBar().currentMessage() and "5 号窗口" in window.statusBar().currentMessage()

    with qtbot.waitSignal(calling.ticket_changed, timeout=10000):
        qtbot.keyClick(window.search_edit, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert calling.current.recalls == 1 and "已重呼 B001" in window.statusBar().currentMessage()

    # the second ticket has no business: the finder takes the focus
    window.close_tab(window.tabs.currentIndex())
    with qtbot.waitSignal(calling.call_finished, timeout=10000) as called:
        qtbot.keyClick(window.search_edit, Qt.Key.Key_F8)
    assert called.args[0].number == "F001" and window.search_edit.hasFocus()
    assert "综合业务" in calling.label.text()
    done = queue.ticket(first.ticket_id)
    assert done.status is TicketStatus.finished  # the served ticket is finished when the next one is called

    with qtbot.waitSignal(calling.ticket_changed, timeout=10000):
        qtbot.keyClick(window.search_edit, Qt.Key.Key_F8, Qt.KeyboardModifier.ControlModifier)
    assert calling.current is None and "F001 已过号" in window.statusBar().currentMessage()
    with qtbot.waitSignal(calling.call_finished, timeout=10000) as called:
        qtbot.keyClick(window.search_edit, Qt.Key.Key_F8)
    assert called.args[0] is None and "当前无人等候" in window.statusBar().currentMessage()


def test_the_case_accepted_for_a_ticket_is_reported_with_it(qtbot, window, runtime):
    from tests.helpers import ALL_MATERIALS  # noqa: F401 - the form is filled by the keyboard test elsewhere

    ticket = runtime.queue.issue_ticket("B", ITEM)
    calling = window.keys.queue_calling
    with qtbot.waitSignal(calling.call_finished, timeout=10000):
        qtbot.keyClick(window.search_edit, Qt.Key.Key_F8)

    class Saved:
        case_id = "11111111-2222-4333-8444-555555555555"
    calling.note_case(Saved)
    with qtbot.waitSignal(calling.call_finished, timeout=10000):
        qtbot.keyClick(window.search_edit, Qt.Key.Key_F8)
    row = runtime.queue.ticket(ticket.ticket_id)
    assert row.status is TicketStatus.finished and row.case_id == Saved.case_id


def test_unreachable_queue_tells_the_clerk_what_to_do(qtbot, tmp_path, qapp, session):
    from ui.bridge import Bridge
    from ui.shell.counter import CounterWindow

    rt = _runtime(tmp_path / "other", QueueConfig(backend="server"))
    try:
        s = rt.auth.login("demo", "demo1234")
        bridge = Bridge(rt)
        window = CounterWindow(rt, s, bridge)
        qtbot.addWidget(window)
        window.show()
        calling = window.keys.queue_calling
        with qtbot.waitSignal(calling.call_finished, timeout=20000) as called:
            calling.call_next()
        assert called.args[0] is None
        assert "无法连接叫号系统" in window.statusBar().currentMessage()
        assert calling.label.property("state") == "error" and not calling.busy
        window.close()
        bridge.detach_relay(rt.relay)
    finally:
        _close(rt, qapp)


def test_the_reference_server_queue_behind_the_counter(qtbot, tmp_path, qapp):
    from server.testing import run_server_in_thread
    from ui.bridge import Bridge
    from ui.shell.counter import CounterWindow

    with run_server_in_thread(f"sqlite:///{tmp_path / 'central.db'}", seed_demo=True) as url:
        rt = _runtime(tmp_path, QueueConfig(backend="server", counter_no="2"), url)
        try:
            s = rt.auth.login("demo", "demo1234")  # online: the operator's token is used for 叫号
            rt.api.token = s.token
            rt.queue.issue_ticket("B", ITEM)
            bridge = Bridge(rt)
            window = CounterWindow(rt, s, bridge)
            qtbot.addWidget(window)
            window.show()
            calling = window.keys.queue_calling
            with qtbot.waitSignal(calling.call_finished, timeout=20000) as called:
                calling.call_next()
            ticket = called.args[0]
            assert ticket.number == "B001" and ticket.operator_id == "demo" and ticket.counter_no == "2"
            assert window.tabs.currentWidget().item.code == ITEM
            window.close()
            bridge.detach_relay(rt.relay)
        finally:
            _close(rt, qapp)
