"""The device manager, the simulated back-ends and the APDU logic without pcscd."""
from __future__ import annotations

import time

import pytest

from app.config import DevicesConfig, Settings
from app.demo import demo_settings
from app.errors import ConfigError
from devices.base import DeviceKind, DeviceState
from devices.errors import CardRemoved, NoCard, ProtocolError
from devices.manager import DeviceManager
from devices.sim import virtual_sscard
from devices.sim.virtual_sscard import VirtualSsCard
from devices.sscard import secure
from devices.sscard.session import SsCardSession, parse_tlv

pytestmark = pytest.mark.integration


def _wait(pred, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture
def sim_manager():
    m = DeviceManager(DevicesConfig(), monitor_interval=0.2)
    yield m
    m.close_all()


def test_all_simulated_devices_open_and_work(sim_manager, tmp_path):
    events = []
    sim_manager.subscribe(lambda e: events.append(e))
    statuses = sim_manager.open_all()
    assert [s.state for s in statuses] == [DeviceState.ready] * 5
    assert all(s.backend == "sim" and "（模拟）" in s.label for s in statuses)
    assert sim_manager.sscard.read_card().name == "乌兰"
    assert sim_manager.idcard.read().id_number == "150102198503120029"
    assert sim_manager.camera.capture_page(tmp_path / "p.jpg", qr=True).qr[0]["kind"] == "receipt"
    assert sim_manager.receipt_printer.print_test().bytes_sent > 100
    names = {e.name for e in events}
    assert {"idcard.read", "camera.captured", "printer.printed"} <= names


def test_simulated_card_insert_and_remove_events(sim_manager):
    got = []
    sim_manager.subscribe(lambda e: got.append(e))
    sim_manager.open_all()
    sim_manager.sscard.remove()
    with pytest.raises(NoCard):
        sim_manager.sscard.read_card()
    sim_manager.sscard.insert(VirtualSsCard(generation=3))
    assert _wait(lambda: any(e.name == "sscard.read" for e in got))
    record = next(e.payload for e in got if e.name == "sscard.read")
    assert record.generation == 3 and record.completed_online and record.name == "乌兰"
    assert [e.name for e in got if e.name.startswith("sscard.")][:2] == ["sscard.removed", "sscard.inserted"]


def test_production_refuses_simulators():
    with pytest.raises(ConfigError) as exc:
        DeviceManager(DevicesConfig(), production=True)
    assert "生产环境不允许使用模拟设备" in exc.value.user_message
    m = DeviceManager(DevicesConfig(sscard="none", idcard="none", camera="none", receipt_printer="none",
                                    a4_printer="none"), production=True)
    assert all(s.state is DeviceState.absent and s.backend == "none" for s in m.open_all())
    m.close_all()


def test_real_backends_without_hardware_report_reasons(tmp_path):
    cfg = DevicesConfig(sscard="real", idcard="real", camera="real", receipt_printer="real", a4_printer="real",
                        camera_source=str(tmp_path / "none.avi"), idcard_port=str(tmp_path / "ttyX"),
                        io_timeout_seconds=1.0)
    m = DeviceManager(cfg, monitor_interval=0)
    t0 = time.monotonic()
    by_kind = {s.kind: s for s in m.open_all()}
    assert time.monotonic() - t0 < 6
    assert by_kind[DeviceKind.idcard].state is DeviceState.absent
    assert by_kind[DeviceKind.camera].state is DeviceState.error
    assert by_kind[DeviceKind.receipt_printer].state is DeviceState.absent
    assert "printer_url" in by_kind[DeviceKind.receipt_printer].reason
    m.close_all()


def test_config_defaults_and_demo_settings_stay_valid():
    d = DevicesConfig()
    assert (d.idcard_baudrate, d.camera_source, d.printer_model, d.printer_chinese) == (115200, "0", "generic-80", "auto")
    s = demo_settings(Settings(devices=DevicesConfig(idcard_port="/dev/ttyUSB0")), "http://127.0.0.1:1")
    assert s.devices.idcard.value == "sim" and s.devices.idcard_port == "/dev/ttyUSB0"  # settings kept


def test_issuer_cryptogram_is_the_same_on_both_sides():
    ch = bytes(range(8))
    assert secure.issuer_cryptogram(secure.DEMO_MASTER_KEY, "150102D156000005", ch) == \
        virtual_sscard.issuer_cryptogram(virtual_sscard.DEMO_MASTER_KEY, "150102D156000005", ch)


class _Direct:
    def __init__(self, card, drop_after=0):
        self.card, self.n, self.drop_after = card, 0, drop_after

    def transmit(self, apdu):
        self.n += 1
        if self.drop_after and self.n >= self.drop_after:
            return b""
        return self.card.handle(apdu)


def test_session_handles_wrong_le_and_no_chaining():
    card = VirtualSsCard(chain=False)
    s = SsCardSession(_Direct(card))
    s.select_app()
    s.select_ef(0xEF06)
    # ask with a wrong Le: the card answers 6Cxx and the session repeats with the right one
    data, sw = s.send(bytes([0x00, 0xB2, 0x08, 0x04, 0x05]))
    assert sw == 0x9000 and parse_tlv(0x08, data) == b"15010219800517231X"
    assert s.read_record().name == "乌兰"


def test_session_empty_answer_is_a_removal():
    with pytest.raises(CardRemoved):
        SsCardSession(_Direct(VirtualSsCard(), drop_after=3)).read_record()


def test_tlv_errors():
    with pytest.raises(ProtocolError):
        parse_tlv(0x09, b"\x09\x1e\xd4\xda")
    with pytest.raises(ProtocolError):
        parse_tlv(0x09, b"\x08\x01A")
    with pytest.raises(ProtocolError):
        parse_tlv(0x09, b"")
