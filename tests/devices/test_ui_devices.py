"""Device events reach the GUI thread as Qt signals; the camera preview and the device test page work offscreen."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QThread  # noqa: E402

from app.config import DevicesConfig  # noqa: E402
from devices.base import DeviceKind  # noqa: E402
from devices.manager import DeviceManager  # noqa: E402
from devices.sim.virtual_sscard import VirtualSsCard  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.gui]


@pytest.fixture(scope="session")
def qapp():
    from ui.app import create_qapplication

    return create_qapplication(["yichuang-tests"])


@pytest.fixture
def manager(qapp):
    m = DeviceManager(DevicesConfig(), monitor_interval=0)
    m.open_all()
    yield m
    from ui.bridge import settle

    settle(10000)
    qapp.processEvents()
    m.close_all()


def test_card_events_arrive_on_the_gui_thread(qtbot, manager, qapp):
    from ui.devices.signals import DeviceSignals

    signals = DeviceSignals(manager)
    threads = []
    signals.sscard_read.connect(lambda rec: threads.append(QThread.currentThread()))
    with qtbot.waitSignal(signals.sscard_read, timeout=5000) as blocker:
        manager.sscard.insert(VirtualSsCard())  # reported from a device thread
    assert blocker.args[0].name == "乌兰"
    assert threads == [qapp.thread()]
    with qtbot.waitSignal(signals.sscard_removed, timeout=2000):
        manager.sscard.remove()
    signals.detach()


def test_pcsc_insert_reaches_a_slot(qtbot, qapp, plug_card):
    """The real stack end to end: vpcd card → pcscd → watcher thread → Qt signal on the GUI thread."""
    from devices.sscard.device import PcscSscardDevice
    from ui.devices.signals import DeviceSignals

    from .conftest import READER

    m = DeviceManager(DevicesConfig(sscard="none", idcard="none", camera="none", receipt_printer="none",
                                    a4_printer="none"), monitor_interval=0)
    dev = PcscSscardDevice(reader=READER)
    dev.hub = m.hub
    m.devices[DeviceKind.sscard] = dev
    dev.open()
    signals = DeviceSignals(m)
    try:
        with qtbot.waitSignal(signals.sscard_read, timeout=5000) as blocker:
            plug_card(VirtualSsCard(), wait=False)
        assert blocker.args[0].ssn == "15010219800517231X"
    finally:
        signals.detach()
        dev.close()


def test_camera_preview_shows_frames(qtbot, manager):
    from ui.devices.preview import CameraPreview

    preview = CameraPreview()
    qtbot.addWidget(preview)
    preview.resize(480, 360)
    preview.show()
    preview.start(manager.camera)
    qtbot.waitUntil(lambda: preview.frames_shown >= 2, timeout=5000)
    img = preview.image()
    assert img.width() == 960 and img.height() == 720  # downscaled on the worker thread
    preview.set_guide(True)
    assert not preview.grab().isNull()
    preview.stop()


def test_device_test_page(qtbot, manager, tmp_path):
    from ui.devices.test_page import DeviceTestPage

    page = DeviceTestPage(manager, out_dir=tmp_path)
    qtbot.addWidget(page)
    page.show()
    assert page.state_text(DeviceKind.sscard) == "就绪"
    page.sscard_button.click()
    qtbot.waitUntil(lambda: "乌兰" in page.result_label.text(), timeout=5000)
    assert "15010219800517231X" in page.result_view.toPlainText()
    page.idcard_button.click()
    qtbot.waitUntil(lambda: "150102198503120029" in page.result_label.text(), timeout=5000)
    page.photo_button.click()
    qtbot.waitUntil(lambda: "test-page.jpg" in page.result_label.text(), timeout=10000)
    assert (tmp_path / "test-page.jpg").exists()
    manager.camera.set_scene("portrait")
    page.card_photo_button.click()  # named after the ID just read
    qtbot.waitUntil(lambda: (tmp_path / "150102198503120029.jpg").exists(), timeout=10000)
    page.print_button.click()
    qtbot.waitUntil(lambda: "测试单已打印" in page.result_label.text(), timeout=5000)
    manager.receipt_printer.state.paper_out = True
    page.print_button.click()
    qtbot.waitUntil(lambda: "缺纸" in page.result_label.text(), timeout=5000)
    qtbot.waitUntil(lambda: page.state_text(DeviceKind.receipt_printer) == "故障", timeout=5000)
    raw = page.raw_view.toPlainText()
    assert "[社保卡] →" in raw and "[身份证] ←" in raw and "[小票机]" in raw
    page.preview_check.setChecked(True)
    qtbot.waitUntil(lambda: page.preview.frames_shown > 0, timeout=5000)
    page.refresh_button.click()
    page.close()
