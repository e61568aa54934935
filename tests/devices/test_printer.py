"""The receipt printer against a TCP listener on 127.0.0.1 that records bytes and answers DLE EOT."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devices.base import DeviceState
from devices.errors import DeviceAbsent, PaperOut, PrinterOffline
from devices.printer import receipt
from devices.printer.device import ReceiptPrinterDevice, SimReceiptPrinter
from devices.printer.transport import FileTransport, SerialTransport, TcpTransport, UsbTransport, open_url
from devices.sim.printer import TcpPrinterListener

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def printer():
    listener = TcpPrinterListener().start()
    yield listener
    listener.stop()


def kanji_segments(raw: bytes) -> list[str]:
    return [s.decode("gb18030") for s in re.findall(rb"\x1c\x26(.*?)\x1c\x2e", raw, re.S)]


def test_receipt_chinese_as_gb18030_in_kanji_mode(printer):
    dev = ReceiptPrinterDevice(printer.url, terminal_id="T07")
    assert dev.open().state is DeviceState.ready
    slip = receipt.Slip().add("受理回执", align="center", double=True).add("姓名：乌兰").add("金额：¥12.50")
    slip.qr, slip.qr_caption = "YC|2026-150102-000042|abc", "扫码查询办理进度"
    result = dev.print_slip(slip)
    raw = bytes(printer.received)
    assert result.bytes_sent == len(raw)  # everything arrived (the listener strips status queries)
    assert kanji_segments(raw) == ["受理回执\n", "姓名：乌兰\n", "金额：￥12.50\n", "扫码查询办理进度\n"]
    assert "受理回执".encode("gb18030") in raw and b"\x81\x30\x84\x36" not in raw  # no 4-byte ¥
    assert b"\x1d(k" in raw and b"YC|2026-150102-000042|abc" in raw  # native QR (GS ( k)
    assert raw.startswith(b"\x1b@") and (b"\x1dV" in raw[-6:] or b"\x1dV" in raw)  # init … cut
    assert printer.queries[:2] == [1, 4] and result.status_before.paper == "ok"


def test_raster_mode_has_no_text_bytes(printer):
    dev = ReceiptPrinterDevice(printer.url, model="raster-58")
    dev.print_test()
    raw = bytes(printer.received)
    assert b"\x1dv0" in raw and b"\x1c\x26" not in raw
    assert "一窗".encode("gb18030") not in raw
    width_bytes = int.from_bytes(raw[raw.index(b"\x1dv0") + 4:raw.index(b"\x1dv0") + 6], "little")
    assert width_bytes * 8 == 384


def test_paper_out_is_reported_before_printing(printer):
    printer.state.paper_out = True
    dev = ReceiptPrinterDevice(printer.url)
    st = dev.open()
    assert st.state is DeviceState.error and "缺纸" in st.reason
    with pytest.raises(PaperOut) as exc:
        dev.print_test()
    assert "缺纸" in exc.value.user_message and exc.value.code == "paper_out"
    assert bytes(printer.received) == b""  # nothing was printed
    assert dev.status().state is DeviceState.error
    printer.state.paper_out = False
    assert dev.probe().state is DeviceState.ready


def test_paper_running_out_during_the_print_is_not_a_success(printer):
    dev = ReceiptPrinterDevice(printer.url)
    original = TcpTransport.write

    def write_then_paper_ends(self, data):
        original(self, data)
        printer.state.paper_out = True
    TcpTransport.write = write_then_paper_ends
    try:
        with pytest.raises(PaperOut) as exc:
            dev.print_test()
    finally:
        TcpTransport.write = original
    assert "打印过程中" in exc.value.user_message


def test_near_end_and_cover_open(printer):
    printer.state.near_end = True
    dev = ReceiptPrinterDevice(printer.url)
    assert "纸将用尽" in dev.print_test().warnings[0]
    printer.state.near_end, printer.state.cover_open = False, True
    with pytest.raises(PrinterOffline) as exc:
        dev.print_test()
    assert "盖未合上" in exc.value.user_message


def test_printer_that_closes_the_socket(printer):
    printer.state.close_on_data = True
    dev = ReceiptPrinterDevice(printer.url, timeout=2.0)
    t0 = time.monotonic()
    with pytest.raises(PrinterOffline):
        dev.print_test()
    assert time.monotonic() - t0 < 5


def test_printer_that_never_answers_status(printer):
    printer.state.silent = True
    dev = ReceiptPrinterDevice(printer.url, timeout=0.5)
    t0 = time.monotonic()
    with pytest.raises(PrinterOffline) as exc:
        dev.print_test()
    assert "无应答" in exc.value.user_message and time.monotonic() - t0 < 3


def test_printer_not_there():
    dev = ReceiptPrinterDevice("tcp://127.0.0.1:9", timeout=1.0)
    st = dev.open()
    assert st.state is DeviceState.error and "无法连接" in st.reason


def test_file_backend_and_urls(tmp_path):
    out = tmp_path / "slip.bin"
    dev = ReceiptPrinterDevice(f"file:{out}")
    result = dev.print_test()
    assert out.read_bytes().startswith(b"\x1b@") and "目视确认" in result.warnings[0]
    assert isinstance(open_url("tcp://10.0.0.5"), TcpTransport) and open_url("tcp://10.0.0.5").port == 9100
    s = open_url("serial:/dev/ttyS0@19200")
    assert isinstance(s, SerialTransport) and (s.port, s.baudrate) == ("/dev/ttyS0", 19200)
    u = open_url("usb:04b8:0e15")
    assert isinstance(u, UsbTransport) and (u.vid, u.pid) == (0x04B8, 0x0E15)
    assert isinstance(open_url("file:/dev/usb/lp0"), FileTransport)
    with pytest.raises(DeviceAbsent) as exc:
        open_url("lpt1")
    assert exc.value.code == "printer_url"


def test_simulated_printer_switches():
    dev = SimReceiptPrinter()
    assert dev.open().state is DeviceState.ready
    dev.print_test()
    assert kanji_segments(dev.printed[-1])[0] == "一窗 打印测试单\n"
    dev.state.paper_out = True
    with pytest.raises(PaperOut):
        dev.print_test()


def test_cli_print_test(printer):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "ui.cli", "device", "print-test", "--printer", printer.url], env=env,
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads(out.stdout)
    assert data["ok"] and data["status_after"]["paper"] == "ok"
    assert "一窗 打印测试单\n" in kanji_segments(bytes(printer.received))
    printer.state.paper_out = True
    out = subprocess.run([sys.executable, "-m", "ui.cli", "device", "print-test", "--printer", printer.url], env=env,
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    data = json.loads(out.stdout)
    assert out.returncode == 1 and data["error"] == "paper_out"
