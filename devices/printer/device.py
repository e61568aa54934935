"""The receipt printer as a device. `print_slip` checks the real-time status before and after sending and raises
PaperOut / PrinterOffline: a case is considered printed only when it returned."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from devices.base import RAW_LOG, DeviceKind, DeviceState, StatefulDevice, call_with_timeout
from devices.errors import DeviceError, DeviceTimeout, PaperOut, PrinterFault, PrinterOffline
from devices.printer import receipt
from devices.printer.transport import Transport, open_url

log = logging.getLogger(__name__)


@dataclass
class PrinterStatus:
    online: bool | None  # None: the connection cannot report status
    paper: str  # ok / near_end / out / unknown
    cover_open: bool = False
    raw: dict[int, int | None] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"online": self.online, "paper": self.paper, "cover_open": self.cover_open,
                "raw": {str(k): (f"{v:02X}" if v is not None else None) for k, v in self.raw.items()}}


@dataclass
class PrintResult:
    bytes_sent: int
    status_before: PrinterStatus
    status_after: PrinterStatus
    warnings: list[str]
    elapsed_ms: float

    def to_dict(self) -> dict:
        return {"ok": True, "bytes_sent": self.bytes_sent, "status_before": self.status_before.to_dict(),
                "status_after": self.status_after.to_dict(), "warnings": self.warnings, "elapsed_ms": self.elapsed_ms}


def _valid(b: int | None) -> bool:
    return b is not None and b & 0x93 == 0x12  # bits 1 and 4 set, bits 0 and 7 clear


def read_status(t: Transport) -> PrinterStatus:
    if not t.supports_status:
        return PrinterStatus(None, "unknown")
    s1 = t.status(1)
    if s1 is None:
        raise PrinterOffline("小票打印机无应答（可能离线或已关机），请检查打印机。", f"{t.label}: no reply to DLE EOT 1")
    if not _valid(s1):
        raise PrinterFault("小票打印机返回的状态无法识别，请检查打印机型号设置。", f"{t.label}: DLE EOT 1 → {s1:02X}",
                           code="printer_status")
    raw = {1: s1}
    s4 = t.status(4)
    raw[4] = s4
    paper = "unknown" if not _valid(s4) else ("out" if s4 & 0x60 else "near_end" if s4 & 0x0C else "ok")
    cover = False
    if s1 & 0x08:  # offline: ask why
        s2 = t.status(2)
        raw[2] = s2
        if _valid(s2):
            cover = bool(s2 & 0x04)
            if s2 & 0x20:
                paper = "out"
    return PrinterStatus(not s1 & 0x08, paper, cover, raw)


def _raise_for(st: PrinterStatus, when: str) -> None:
    if st.paper == "out":
        raise PaperOut(f"小票打印机缺纸{when}，请装入热敏纸后重新打印。", f"paper out ({st.to_dict()})")
    if st.cover_open:
        raise PrinterOffline(f"小票打印机盖未合上{when}，请合上后重新打印。", f"cover open ({st.to_dict()})")
    if st.online is False:
        raise PrinterOffline(f"小票打印机离线{when}，请检查打印机后重新打印。", f"offline ({st.to_dict()})")


class ReceiptPrinterDevice(StatefulDevice):
    kind = DeviceKind.receipt_printer
    backend = "real"

    def __init__(self, url: str, *, model: str = "generic-80", chinese: str = "auto", timeout: float = 5.0,
                 terminal_id: str = ""):
        super().__init__()
        self.url = url
        self.model = receipt.model_for(model, chinese)
        self.timeout = timeout
        self.terminal_id = terminal_id
        self._lock = threading.Lock()
        self.last_status: PrinterStatus | None = None

    def _transport(self) -> Transport:
        return open_url(self.url, self.timeout)

    def _with_transport(self, fn, what: str):
        def run():
            if not self._lock.acquire(timeout=self.timeout):
                raise DeviceTimeout("打印机正忙，请稍后再试。", "printer lock held")
            try:
                t = self._transport()
                t.open()
                try:
                    return fn(t)
                finally:
                    t.close()
            finally:
                self._lock.release()
        return call_with_timeout(run, self.timeout * 4 + 2, lambda: DeviceTimeout(
            f"{what}超时，请检查打印机后重试。", f"{what}: no result"))

    def _status_text(self, st: PrinterStatus) -> str:
        paper = {"ok": "有纸", "near_end": "纸将用尽", "out": "缺纸", "unknown": "纸张状态未知"}[st.paper]
        if st.paper == "out":
            return f"{self.url}：缺纸，请装入热敏纸"
        if st.cover_open:
            return f"{self.url}：打印机盖未合上"
        return f"{self.url}（{self.model.name}）：{paper}" if st.online is not False else f"{self.url}：离线"

    def open(self):
        return self.check()

    def check(self):
        """Query the status (connects, asks, disconnects); sets the device state."""
        try:
            st = self._with_transport(read_status, "查询打印机状态")
        except DeviceError as exc:
            state = DeviceState.absent if exc.code in ("device_absent", "printer_url", "printer_usb") else DeviceState.error
            return self._set_status(state, exc.user_message)
        self.last_status = st
        if st.paper == "out" or st.online is False or st.cover_open:
            return self._set_status(DeviceState.error, self._status_text(st))
        return self._set_status(DeviceState.ready, self._status_text(st))

    def print_bytes(self, data: bytes) -> PrintResult:
        t0 = time.perf_counter()

        def job(t: Transport) -> PrintResult:
            before = read_status(t)
            _raise_for(before, "")
            RAW_LOG.add("小票机", "→", data)
            t.write(data)
            after = read_status(t)
            _raise_for(after, "（打印过程中），小票可能不完整")
            warnings = ["纸将用尽，请准备换纸"] if "near_end" in (before.paper, after.paper) else []
            if before.online is None:
                warnings.append("该连接无法读取打印机状态，请目视确认小票已打出")
            return PrintResult(len(data), before, after, warnings, round((time.perf_counter() - t0) * 1000, 1))

        self._set_status(DeviceState.busy, "正在打印")
        try:
            result = self._with_transport(job, "打印")
        except DeviceError as exc:
            self._set_status(DeviceState.error, exc.user_message)
            self._emit("printer.failed", exc)
            raise
        self.last_status = result.status_after
        self._set_status(DeviceState.ready, self._status_text(result.status_after))
        self._emit("printer.printed", result)
        return result

    def print_slip(self, slip: receipt.Slip) -> PrintResult:
        return self.print_bytes(receipt.build(slip, self.model))

    def print_test(self) -> PrintResult:
        return self.print_slip(receipt.sample_slip(self.terminal_id, datetime.now().strftime("%Y-%m-%d %H:%M:%S")))

    def probe(self):
        # Don't poll a printer that is printing; otherwise re-check when it was not ready.
        if self._status.state in (DeviceState.absent, DeviceState.error):
            return self.check()
        return self._status


class SimReceiptPrinter(ReceiptPrinterDevice):
    """Keeps the bytes in memory; `paper_out` / `offline` switches for the test page and the demo."""

    backend = "sim"

    def __init__(self, **kw):
        super().__init__("sim:", **kw)
        from devices.sim.printer import PrinterState

        self.state = PrinterState()
        self.printed: list[bytes] = []

    def _transport(self) -> Transport:
        from devices.sim.printer import MemoryTransport

        return MemoryTransport(self.state, self.printed)

    def _status_text(self, st: PrinterStatus) -> str:
        return f"模拟小票机（{self.model.name}）：" + ("缺纸" if st.paper == "out" else "离线" if st.online is False else "有纸")
