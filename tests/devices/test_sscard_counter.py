"""A third-generation 社保卡 at the counter (F2 / insert): with the central security step reachable (the reference
server on loopback) the whole person record fills the open business screen; with the server down the screen gets
what the card gives offline and the status bar says why the rest is missing."""
from __future__ import annotations

import os
import socket

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.bootstrap import bootstrap  # noqa: E402
from app.config import ServerConfig, Settings  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.security.operators import OperatorSession  # noqa: E402
from devices.sim.virtual_sscard import VirtualSsCard  # noqa: E402
from devices.sscard.secure import HttpSecurityModule  # noqa: E402
from server.testing import run_server_in_thread  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.gui]


@pytest.fixture(scope="session")
def qapp():
    from ui.app import create_qapplication

    return create_qapplication(["yichuang-tests"])


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def counter(qtbot, qapp, tmp_path):
    """(window, runtime) on simulated devices whose 社保卡 reader holds a third-generation card."""
    made = []

    def make(url: str, token: str | None = None):
        rt = bootstrap(resolve_paths(tmp_path / f"home{len(made)}"),
                       Settings(server=ServerConfig(url=url, timeout_seconds=2)), console_log=False)
        # the simulated reader answers the security step in-process by default: send it to the central API here
        rt.devices.sscard.set_security_module(HttpSecurityModule(
            url, timeout=2.0, headers={"Authorization": f"Bearer {token}"} if token else None))
        from ui.shell.counter import CounterWindow

        w = CounterWindow(rt, OperatorSession("demo", "演示柜员", ("受理员",), "150102", False))
        qtbot.addWidget(w)
        w.show()
        rt.devices.open_all()
        rt.devices.sscard.remove()
        made.append((w, rt))
        return w, rt

    yield make
    from ui.bridge import settle

    for w, rt in made:
        w.close()
        rt.relay.stop()
        settle(10000)
        qapp.processEvents()
        rt.close()


def _read(qtbot, w, rt):
    form = w.open_item("employee_pension_normal_retirement")
    rt.devices.sscard.insert(VirtualSsCard(generation=3))
    qtbot.waitUntil(lambda: w.readers.last_record is not None, timeout=15000)
    return form, w.readers.last_record


def test_server_down_fills_what_is_known_and_says_why(qtbot, counter):
    w, rt = counter(f"http://127.0.0.1:{_closed_port()}")
    form, record = _read(qtbot, w, rt)
    assert record.generation == 3 and not record.complete and record.ssn is None
    assert form.field_widgets["ssn"].text() == "" and form.field_widgets["name"].text() == ""
    message = w.statusBar().currentMessage()
    assert "已读卡" in message and "须联网" in message and "无法连接中心系统" in message


def test_server_up_completes_the_card_into_the_form(qtbot, counter, tmp_path):
    import httpx

    with run_server_in_thread(f"sqlite:///{tmp_path / 'central.sqlite3'}") as url:
        token = httpx.post(f"{url}/api/v1/terminals/register", json={
            "terminal_id": "T41", "agency_code": "150102", "region_code": "150102", "mode": "counter",
            "hostname": "test", "client_version": "test"}).json()["terminal_token"]
        w, rt = counter(url, token)
        form, record = _read(qtbot, w, rt)
        assert record.completed_online and record.complete
        assert form.field_widgets["ssn"].text() == "15010219800517231X"
        assert form.field_widgets["name"].text() == "乌兰"
        assert "须联网" not in w.statusBar().currentMessage()
