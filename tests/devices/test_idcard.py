"""The ID card reader through the real pyserial back-end, against the SAM emulator on a pseudo-terminal pair."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from devices.base import DeviceState
from devices.errors import DeviceAbsent, DeviceError, DeviceTimeout, NotLifted, ProtocolError
from devices.idcard.device import SerialIdCardDevice, SimIdCardDevice
from devices.idcard.record import encode_text, parse_text
from devices.sim.id_emulator import DEMO_FIELDS, PtyReaderEmulator, SamEmulator

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def emulator():
    emu = PtyReaderEmulator(SamEmulator(), baud=115200).start()
    yield emu
    emu.stop()


@pytest.fixture
def reader(emulator):
    dev = SerialIdCardDevice(emulator.port, 115200, timeout=1.5)
    yield dev
    dev.close()


def test_good_read_over_the_serial_line(reader, emulator):
    st = reader.open()
    assert st.state is DeviceState.ready and emulator.port in st.reason
    t0 = time.perf_counter()
    record = reader.read()
    elapsed = time.perf_counter() - t0
    assert record.valid, record.problems
    assert (record.name, record.sex, record.nation) == ("乌兰", "女", "蒙古族")
    assert record.id_number == "150102198503120029" and record.birth_date == date(1985, 3, 12)
    assert record.address == DEMO_FIELDS["address"] and record.authority == "呼和浩特市公安局新城区分局"
    assert (record.valid_from, record.valid_to) == (date(2016, 4, 5), date(2036, 4, 5))
    assert len(record.photo_wlt) == 1024 and record.photo_bmp is None and "WLT" in record.photo_note
    assert record.form_values()["ssn"] == "150102198503120029"
    # 1 288 reply bytes at 115 200 baud take ≥ 0.11 s on the wire alone
    assert 0.1 < elapsed < 1.5


def test_card_must_be_lifted_before_the_next_read(reader, emulator):
    reader.read()
    with pytest.raises(NotLifted) as exc:
        reader.read()
    assert "拿开" in exc.value.user_message
    emulator.emulator.lift()
    emulator.emulator.place()
    assert reader.read().name == "乌兰"


def test_no_card(reader, emulator):
    emulator.emulator.lift()
    with pytest.raises(DeviceError) as exc:
        reader.read()
    assert exc.value.code == "idcard_no_card" and "平放" in exc.value.user_message
    assert reader.status().state is DeviceState.ready


def test_reply_checksum_error(reader, emulator):
    reader.open()
    emulator.emulator.fault = "bad_checksum"
    with pytest.raises(ProtocolError) as exc:
        reader.read()
    assert exc.value.code == "checksum" and "校验" in exc.value.user_message


def test_host_checksum_error_reported_by_the_reader(emulator):
    from devices.idcard.reader import SamReader, SerialLink

    link = SerialLink(emulator.port)

    class Corrupting:  # a line that flips bits of our frames: the reader answers SW3 10
        def __getattr__(self, name):
            return getattr(link, name)

        def write(self, data: bytes) -> None:
            link.write(data[:-1] + bytes([data[-1] ^ 0xFF]))

    try:
        with pytest.raises(ProtocolError) as exc:
            SamReader(Corrupting(), timeout=1.0).find()
        assert "通讯数据错误" in exc.value.user_message
        assert SamReader(link, timeout=1.0).find() is True  # the next good frame is answered normally
    finally:
        link.close()


def test_garbage_and_silence_end_within_the_timeout(reader, emulator):
    reader.open()
    for fault, error in (("garbage", ProtocolError), ("silent", DeviceTimeout)):
        emulator.emulator.fault = fault
        t0 = time.monotonic()
        with pytest.raises(error):
            reader.read(timeout=1.0)
        assert time.monotonic() - t0 < 3.5


def test_truncated_read_and_read_failure(reader, emulator):
    emulator.emulator.fault = "truncated"
    with pytest.raises(ProtocolError) as exc:
        reader.read()
    assert exc.value.code == "truncated"
    emulator.emulator.fault = "read_fail"
    emulator.emulator.lift()
    emulator.emulator.place()
    with pytest.raises(DeviceError) as exc:
        reader.read()
    assert exc.value.code == "idcard_read" and "读证操作失败" in exc.value.user_message


def test_missing_port_is_absent_not_a_crash(tmp_path):
    dev = SerialIdCardDevice(str(tmp_path / "ttyNOPE"))
    st = dev.open()
    assert st.state is DeviceState.absent and "串口" in st.reason
    with pytest.raises(DeviceAbsent):
        dev.read()


def test_unplug_and_replug(tmp_path):
    """The configured port is a stable name (a udev symlink in real life); the monitor's probe follows it."""
    link = tmp_path / "ttyIDCARD"
    first = PtyReaderEmulator().start()
    os.symlink(first.port, link)
    dev = SerialIdCardDevice(str(link), timeout=1.0)
    try:
        assert dev.open().state is DeviceState.ready
        first.stop()
        link.unlink()
        with pytest.raises(DeviceError):
            dev.read()
        assert dev.probe().state in (DeviceState.absent, DeviceState.error)
        second = PtyReaderEmulator().start()
        os.symlink(second.port, link)
        try:
            assert dev.probe().state is DeviceState.ready
            assert dev.read().name == "乌兰"
        finally:
            second.stop()
    finally:
        dev.close()


def test_validation_of_number_and_dates():
    fields = dict(DEMO_FIELDS, id_number="150102198503120028", valid_to="20200101", valid_from="20100101")
    rec = parse_text(encode_text(fields), today=date(2026, 11, 25))
    assert any("校验位" in p for p in rec.problems) and any("已过有效期" in p for p in rec.problems)
    rec = parse_text(encode_text(dict(DEMO_FIELDS, valid_to="长期", birth="19850313")), today=date(2026, 11, 25))
    assert rec.valid_to is None and rec.valid_to_text == "长期"
    assert rec.problems == ["出生日期与公民身份号码不一致"]
    with pytest.raises(ProtocolError):
        parse_text(b"\x00" * 100)


def test_simulated_reader_reads_repeatedly():
    dev = SimIdCardDevice()
    assert dev.open().state is DeviceState.ready
    assert dev.read().name == dev.read().name == "乌兰"


def test_cli_reads_through_the_pty(emulator):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "ui.cli", "device", "idcard", "--port", emulator.port], env=env,
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads(out.stdout)
    assert data["ok"] and data["id_card"]["id_number"] == "150102198503120029" and data["id_card"]["valid"]
    out = subprocess.run([sys.executable, "-m", "ui.cli", "device", "idcard", "--port", emulator.port], env=env,
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    data = json.loads(out.stdout)
    # a new process doesn't know a card was read: the reader just finds none until it is lifted
    assert out.returncode == 1 and data["error"] == "idcard_no_card"
