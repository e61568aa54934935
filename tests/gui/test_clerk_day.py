"""A clerk's day by keyboard only (issue 13): citizens called from the hall queue with F8, businesses opened by
ticket or by Ctrl+F, forms filled with keys, 受理 with F10, print preview and printing, tabs closed — across 20
catalog items, with the event-loop watchdog running. It must never fire (no stall > 100 ms). The full day of the
issue, 300 cases (~90 s); the memory and stall figures of the full day are bench/clerk_day.py.

Warm-up before the measured part (ClerkDay.warm_up), what a clerk's terminal has done before the first citizen:
every item's screen opened and closed once (Qt's first-time style and font work per widget class), the counter's
background preparation finished (pinyin index, print modules imported), one finder search, and a full garbage
collection so the test runner's own objects are not collected during the day. The 100 ms threshold is the issue's
and is not loosened; CLERK_DAY_STALL_MS only exists to explore."""
import os
import threading

import pytest

from app.bootstrap import bootstrap
from app.config import QueueConfig, ServerConfig, Settings
from app.paths import resolve_paths
from app.security.operators import seed_local_operator
from tests.gui.clerk_day import ClerkDay, day_items
from tests.gui.conftest import OFFLINE_URL

CASES = int(os.environ.get("CLERK_DAY_CASES", "300"))  # the issue's full day; fewer only to explore
STALL_MS = float(os.environ.get("CLERK_DAY_STALL_MS", "100"))  # the issue's limit


@pytest.fixture
def runtime(tmp_path, qapp):
    # The relay probes the (offline) central API at the client's default interval, as on a counter: a probe five
    # times a second is Python work on the relay thread that a terminal never does.
    settings = Settings(server=ServerConfig(url=OFFLINE_URL),
                        queue=QueueConfig(backend="local", counter_no="3"))
    rt = bootstrap(resolve_paths(tmp_path / "home"), settings, console_log=False)
    seed_local_operator(rt.store, "demo", "演示柜员", ["受理员"], "150102", "demo1234")
    yield rt
    from ui.bridge import settle

    rt.relay.stop()
    settle(10000)
    qapp.processEvents()
    rt.close()


@pytest.fixture
def no_file_dialogs(monkeypatch, tmp_path):
    """The PDF pseudo-printer asks where to save: answer with a file, as the clerk would by typing a name."""
    from PySide6.QtWidgets import QFileDialog

    counter = iter(range(10**6))
    monkeypatch.setattr("ui.print.preview.printer_names", lambda: ([], ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / f"printed-{next(counter)}.pdf"), "")))


_day: dict = {}  # the watchdog of the day, for the stall verdict below


def test_a_day_by_keyboard_only(qtbot, window, runtime, no_file_dialogs):
    from ui.watchdog import Watchdog

    items = day_items(runtime.catalog, 20)
    assert len(items) == 20 and len({i.code for i in items}) == 20
    day = ClerkDay(qtbot, window, runtime, print_every=10)
    day.issue_tickets(items, CASES)
    qtbot.waitUntil(lambda: window.devices_label.text() != "设备：检测中…", timeout=30000)
    day.warm_up(items)
    from PySide6.QtWidgets import QApplication

    _day["widgets"] = (len(QApplication.allWidgets()), len(QApplication.topLevelWidgets()))
    print("widgets at the start of the day (all, top-level):", _day["widgets"])
    dog = Watchdog(threshold_ms=STALL_MS)
    dog.start()
    try:
        stats = day.run(items, CASES)
    finally:
        dog.stop()
    _day["watchdog"] = dog
    _day["threads"] = sorted(t.name for t in threading.enumerate())
    assert dog.beats > 100, "the heartbeat never ran: the watchdog was blind"
    assert stats.cases == CASES and len(stats.saved) == CASES
    assert len({c.case_id for c in stats.saved}) == CASES
    assert stats.opened_by_ticket == (CASES + 1) // 2 and stats.opened_by_finder == CASES // 2
    assert stats.printed == (CASES + 9) // 10
    assert len(runtime.cases.recent(CASES + 10)) == CASES
    assert runtime.queue.waiting() == 0
    assert window.keys.queue_calling.current is not None  # the last citizen is still at the counter


def test_the_watchdog_never_fired_during_the_day():
    dog = _day.get("watchdog")
    assert dog is not None, "the scripted day did not run"
    assert not dog.fired, (f"the event loop was blocked:\n{dog.report(full=True)}\nthreads: {_day['threads']}"
                           f"\nwidgets at the start (all, top-level): {_day['widgets']}")
