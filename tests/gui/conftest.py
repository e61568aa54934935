"""GUI test fixtures: a real runtime (SQLite, catalog, relay, simulated devices) in a temporary home, offline."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.bootstrap import bootstrap  # noqa: E402
from app.config import ServerConfig, Settings  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.security.operators import seed_local_operator  # noqa: E402

OFFLINE_URL = "http://127.0.0.1:9"  # discard port: nothing listens, so connections are refused at once


@pytest.fixture(scope="session")
def qapp():
    """Our own QApplication (bundled CJK font, style), shared by every GUI test like pytest-qt's default."""
    from ui.app import create_qapplication

    return create_qapplication(["yichuang-tests"])


@pytest.fixture
def runtime(tmp_path, qapp):
    settings = Settings(server=ServerConfig(url=OFFLINE_URL, probe_interval_seconds=0.2))
    rt = bootstrap(resolve_paths(tmp_path / "home"), settings, console_log=False)
    seed_local_operator(rt.store, "demo", "演示柜员", ["受理员"], "150102", "demo1234")
    yield rt
    from ui.bridge import settle

    rt.relay.stop()
    settle(10000)  # no worker may touch the store after it is closed
    qapp.processEvents()
    rt.close()


@pytest.fixture(autouse=True)
def _never_block_on_questions(monkeypatch):
    """A modal question would hang an offscreen test: answer yes."""
    monkeypatch.setattr("ui.shell.counter.ask_yes_no", lambda *a, **k: True)


@pytest.fixture
def session(runtime):
    return runtime.auth.login("demo", "demo1234")


@pytest.fixture
def bridge(runtime):
    from ui.bridge import Bridge

    b = Bridge(runtime)
    yield b
    b.detach_relay(runtime.relay)


@pytest.fixture
def window(qtbot, runtime, session, bridge):
    from ui.shell.counter import CounterWindow

    w = CounterWindow(runtime, session, bridge)
    qtbot.addWidget(w)
    with qtbot.waitActive(w):  # a context manager: it waits for what happens inside
        w.show()
    bridge.start_devices()  # as run_client does: simulated devices open on a worker thread
    yield w
    bridge.stop_devices()
    from ui.bridge import settle

    w.close()  # its closing work, and a screen still on its way to the screen, run while the runtime is open
    settle(10000)


@pytest.fixture(autouse=True)
def _no_sql_on_the_gui_thread():
    """Issue 13: no screen runs SQL on the GUI thread (app.store.thread_guard records any statement a ui/ frame
    asked for on this thread; the test's own database checks are not counted)."""
    from app.store import thread_guard

    thread_guard.reset()
    thread_guard.forbid_current_thread()
    yield
    thread_guard.allow_current_thread()
    seen = thread_guard.reset()
    assert not seen, "SQL on the GUI thread, asked by a screen:\n" + "\n".join(sorted(set(seen)))
