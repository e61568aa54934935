"""The social security card through the real PC/SC stack: pcscd + vpcd + our virtual 社保卡 (pure Python)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from devices.base import EventHub
from devices.errors import CardRemoved, NoCard, PinBlocked, PinError, ProtocolError, WrongCard
from devices.sim.virtual_sscard import CardData, VirtualSsCard
from devices.sscard.device import PcscSscardDevice
from devices.sscard.secure import HttpSecurityModule, SimSecurityModule

from .conftest import READER, wait_card_present, wait_reader_empty

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def reader(pcscd):
    hub = EventHub()
    events: list = []
    hub.subscribe(lambda e: events.append(e))
    dev = PcscSscardDevice(reader=READER, timeout=5.0)
    dev.hub = hub
    dev.events = events
    yield dev
    dev.close()


def _wait_event(dev, name: str, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for e in dev.events:
            if e.name == name:
                return e
        time.sleep(0.01)
    raise AssertionError(f"no {name} event; got {[e.name for e in dev.events]}")


def test_insert_auto_reads_second_generation_person_record(reader, plug_card):
    assert reader.open().state.value == "ready"
    plug_card(VirtualSsCard(), wait=False)
    inserted = _wait_event(reader, "sscard.inserted")
    assert inserted.payload["reader"] == READER
    record = _wait_event(reader, "sscard.read").payload
    assert record.generation == 2 and record.complete
    assert (record.name, record.ssn, record.card_number) == ("乌兰", "15010219800517231X", "M15012345")
    assert (record.sex, record.nation, record.nation_code) == ("男", "蒙古族", "02")
    assert record.birth_date == date(1980, 5, 17)
    assert (record.issue_date, record.expiry_date) == (date(2021, 3, 15), date(2031, 3, 14))
    assert record.card_id == "150102D156000005" and record.region_code == "150102"
    assert record.atr and record.reader == READER and not record.warnings
    assert record.form_values()["ssn"] == "15010219800517231X"
    # the benchmark's target, with a wide margin for a loaded CI machine
    assert reader.last_read_ms < 1000


def test_removal_is_reported(reader, plug_card):
    reader.open()
    link = plug_card(VirtualSsCard())
    _wait_event(reader, "sscard.read")
    link.stop()
    removed = _wait_event(reader, "sscard.removed")
    assert removed.payload["reader"] == READER
    with pytest.raises(NoCard) as exc:
        reader.read_card()
    assert "没有社保卡" in exc.value.user_message


def test_third_generation_withholds_personal_fields_offline(pcscd, plug_card):
    dev = PcscSscardDevice(reader=READER, auto_read=False)
    plug_card(VirtualSsCard(generation=3))
    record = dev.read_card()
    assert record.generation == 3 and not record.complete
    assert record.name is None and record.ssn is None and record.card_number is None
    assert set(record.withheld) == {"card_number", "ssn", "name"}
    assert record.card_id == "150102D156000005" and record.expiry_date == date(2031, 3, 14)
    assert "须联网" in record.withheld_reason and "未配置中心安全认证" in record.withheld_reason
    assert "卡识别码" in record.summary()


def test_third_generation_completed_through_the_security_step(pcscd, plug_card):
    security = SimSecurityModule()
    dev = PcscSscardDevice(reader=READER, auto_read=False, security=security)
    plug_card(VirtualSsCard(generation=3))
    record = dev.read_card()
    assert security.calls == 1 and record.completed_online and record.complete
    assert (record.name, record.ssn, record.card_number) == ("乌兰", "15010219800517231X", "M15012345")


def test_third_generation_with_central_unreachable_says_why(pcscd, plug_card):
    dev = PcscSscardDevice(reader=READER, auto_read=False,
                           security=HttpSecurityModule("http://127.0.0.1:9", timeout=1.0))
    plug_card(VirtualSsCard(generation=3))
    record = dev.read_card()
    assert not record.complete and record.ssn is None
    assert "无法连接中心系统" in record.withheld_reason


def test_third_generation_wrong_issuer_key_is_refused(pcscd, plug_card):
    dev = PcscSscardDevice(reader=READER, auto_read=False, security=SimSecurityModule(b"not-the-issuer"))
    plug_card(VirtualSsCard(generation=3))
    record = dev.read_card()
    assert not record.complete and "认证未通过" in record.withheld_reason


def test_card_removed_mid_read(pcscd, plug_card):
    dev = PcscSscardDevice(reader=READER, auto_read=False, timeout=5.0)
    plug_card(VirtualSsCard(), remove_after=6)  # pulled while the 6th APDU waits for its answer
    t0 = time.monotonic()
    with pytest.raises(CardRemoved) as exc:
        dev.read_card()
    assert time.monotonic() - t0 < 5
    assert "拔出" in exc.value.user_message
    assert dev.status().state.value == "ready"  # not stuck in busy
    wait_reader_empty(pcscd)
    with pytest.raises(NoCard):
        dev.read_card()


def test_wrong_pin_until_blocked(pcscd, plug_card):
    dev = PcscSscardDevice(reader=READER, auto_read=False)
    plug_card(VirtualSsCard(pin="123456"))
    assert dev.pin_tries() == 3
    with pytest.raises(PinError) as exc:
        dev.verify_pin("000000")
    assert exc.value.tries_left == 2 and "还可尝试 2 次" in exc.value.user_message
    with pytest.raises(PinError) as exc:
        dev.verify_pin("111111")
    assert exc.value.tries_left == 1
    with pytest.raises(PinBlocked) as exc:
        dev.verify_pin("222222")
    assert exc.value.tries_left == 0 and "锁定" in exc.value.user_message
    with pytest.raises(PinBlocked):  # the right PIN no longer helps
        dev.verify_pin("123456")
    assert dev.pin_tries() == 0


def test_correct_pin_and_change(pcscd, plug_card):
    dev = PcscSscardDevice(reader=READER, auto_read=False)
    card = VirtualSsCard(pin="123456")
    plug_card(card)
    with pytest.raises(PinError):
        dev.verify_pin("000000")
    dev.verify_pin("123456")  # resets the counter
    assert dev.pin_tries() == 3
    dev.change_pin("123456", "654321")
    assert card.pin == "654321"
    dev.verify_pin("654321")
    with pytest.raises(PinError) as exc:
        dev.verify_pin("12")
    assert exc.value.code == "pin_format"


def test_card_without_the_social_security_application(pcscd, plug_card):
    dev = PcscSscardDevice(reader=READER, auto_read=False)
    plug_card(VirtualSsCard(unknown_app=True))
    with pytest.raises(WrongCard) as exc:
        dev.read_card()
    assert "不是社会保障卡" in exc.value.user_message


def test_truncated_record_is_a_clear_error(pcscd, plug_card):
    dev = PcscSscardDevice(reader=READER, auto_read=False)
    plug_card(VirtualSsCard(truncate=True))
    with pytest.raises(ProtocolError) as exc:
        dev.read_card()
    assert exc.value.code == "truncated" and "不完整" in exc.value.user_message


def test_get_response_chaining_in_small_pieces(pcscd, plug_card):
    dev = PcscSscardDevice(reader=READER, auto_read=False)
    plug_card(VirtualSsCard(CardData(name="欧阳娜娜"), chunk=3))
    record = dev.read_card()
    assert record.name == "欧阳娜娜" and record.complete


def test_no_reader_matching(pcscd):
    dev = PcscSscardDevice(reader="No Such Reader")
    st = dev.open()
    assert st.state.value == "absent" and "未发现" in st.reason
    dev.close()


def test_concurrent_reads_are_serialised(pcscd, plug_card):
    dev = PcscSscardDevice(reader=READER, auto_read=False)
    plug_card(VirtualSsCard())
    results, errors = [], []

    def read():
        try:
            results.append(dev.read_card().name)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert not errors and results == ["乌兰"] * 4


def test_script_card_and_cli(pcscd, tmp_path):
    """The virtual card run as a script (a separate process), read with `yichuang device sscard`."""
    wait_reader_empty(pcscd)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    card = subprocess.Popen([sys.executable, str(ROOT / "devices/sim/virtual_sscard.py"), "--generation", "2",
                             "--name", "张三", "--ssn", "110101199001011237"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        wait_card_present(pcscd, timeout=10)
        out = subprocess.run([sys.executable, "-m", "ui.cli", "device", "sscard", "--reader", READER], env=env,
                             capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        assert data["ok"] and data["card"]["name"] == "张三" and data["card"]["ssn"] == "110101199001011237"
    finally:
        card.terminate()
        card.wait(10)
    wait_reader_empty(pcscd)
    out = subprocess.run([sys.executable, "-m", "ui.cli", "device", "sscard", "--reader", READER], env=env,
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    data = json.loads(out.stdout)
    assert out.returncode == 1 and data["ok"] is False and data["error"] == "no_card"


def test_script_refuses_in_production(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "YICHUANG_PRODUCTION": "true"}
    out = subprocess.run([sys.executable, str(ROOT / "devices/sim/virtual_sscard.py")], env=env,
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 3 and "生产环境" in out.stderr
