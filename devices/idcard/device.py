"""The ID card reader as a device: serial SAM (real), vendor DLL (Windows seam) and an in-process simulator.

`read()` blocks (call it off the GUI thread) and also reports idcard.read IdCardRecord / idcard.failed DeviceError
through the manager's EventHub."""
from __future__ import annotations

import logging
import os
import threading
import time

from devices.base import DeviceKind, DeviceState, StatefulDevice, call_with_timeout
from devices.errors import DeviceAbsent, DeviceError, DeviceTimeout
from devices.idcard.record import IdCardRecord
from devices.idcard.wlt import NullWltDecoder, WltDecoder

log = logging.getLogger(__name__)


class IdCardDevice(StatefulDevice):
    kind = DeviceKind.idcard

    def __init__(self, *, timeout: float = 3.0, decoder: WltDecoder | None = None):
        super().__init__()
        self.timeout = timeout
        self.decoder = decoder or NullWltDecoder()
        self._reader = None
        self._lock = threading.Lock()
        self.last_read_ms = 0.0
        self._ready_reason = ""

    def _connect(self):
        """Open the link and return a reader with read() / sam_id() / close()."""
        raise NotImplementedError

    def open(self):
        with self._lock:
            return self._open_locked()

    def _open_locked(self):
        self._drop()
        try:
            self._reader = self._connect()
            sam_id = call_with_timeout(self._reader.sam_id, self.timeout + 0.5, lambda: DeviceTimeout(
                "身份证阅读器无应答，请检查阅读器电源和连接线。", "SAM id: no answer"))
        except DeviceAbsent as exc:
            self._drop()
            return self._set_status(DeviceState.absent, exc.user_message)
        except DeviceError as exc:
            self._drop()
            return self._set_status(DeviceState.error, exc.user_message)
        self._ready_reason = f"{self._where()}，安全模块 {sam_id[-8:]}"
        return self._set_status(DeviceState.ready, self._ready_reason)

    def _where(self) -> str:
        return ""

    def _drop(self) -> None:
        if self._reader is not None:
            try:
                self._reader.close() if hasattr(self._reader, "close") else self._reader.link.close()
            except Exception:  # noqa: BLE001
                pass
            self._reader = None

    def close(self) -> None:
        with self._lock:
            self._drop()
        self._set_status(DeviceState.absent, "已关闭")

    def read(self, *, timeout: float | None = None) -> IdCardRecord:
        limit = timeout or self.timeout

        def locked() -> IdCardRecord:
            if not self._lock.acquire(timeout=limit):
                raise DeviceTimeout("身份证阅读器正忙，请稍后再试。", "reader lock held")
            try:
                if self._reader is None:
                    st = self._open_locked()
                    if self._reader is None:
                        raise DeviceAbsent(st.reason or "身份证阅读器未连接。", "not open", code="idcard_absent")
                self._set_status(DeviceState.busy, "正在读身份证")
                try:
                    record = self._reader.read()
                except DeviceAbsent as exc:
                    self._drop()
                    self._set_status(DeviceState.error, exc.user_message)
                    raise
                self._set_status(DeviceState.ready, self._ready_reason)
                return record
            except DeviceError:
                if self._status.state is DeviceState.busy:
                    self._set_status(DeviceState.ready, self._ready_reason)
                raise
            finally:
                self._lock.release()

        t0 = time.perf_counter()
        try:
            record = call_with_timeout(locked, limit * 2 + 1.0, lambda: DeviceTimeout(
                "读身份证超时，请检查阅读器连接后重试。", f"read: no result in {limit * 2 + 1.0}s"))
        except DeviceError as exc:
            self._emit("idcard.failed", exc)
            raise
        self.last_read_ms = (time.perf_counter() - t0) * 1000
        self._emit("idcard.read", record)
        return record

    def card_lifted(self) -> None:
        """The clerk confirmed the card was taken away (resets the not-lifted hint)."""
        if self._reader is not None and hasattr(self._reader, "forget_card"):
            self._reader.forget_card()

    def probe(self):
        if self._status.state in (DeviceState.absent, DeviceState.error):
            return self.open()
        return self._status


class SerialIdCardDevice(IdCardDevice):
    backend = "real"

    def __init__(self, port: str, baudrate: int = 115200, **kw):
        super().__init__(**kw)
        self.port, self.baudrate = port, baudrate

    def _where(self) -> str:
        return f"串口 {self.port}"

    def _connect(self):
        from devices.idcard.reader import SamReader, SerialLink

        if not self.port:
            raise DeviceAbsent("未配置身份证阅读器串口（devices.idcard_port）。", "no port configured",
                               code="idcard_port")
        return SamReader(SerialLink(self.port, self.baudrate), timeout=self.timeout, decoder=self.decoder,
                         source=self.port)

    def probe(self):
        # An unplugged USB-serial adapter takes its device node with it.
        if self._status.state is DeviceState.ready and self.port.startswith("/dev/") and not os.path.exists(self.port):
            with self._lock:
                self._drop()
            return self._set_status(DeviceState.absent, f"身份证阅读器已断开（{self.port} 不存在）")
        return super().probe()


class VendorDllIdCardDevice(IdCardDevice):
    backend = "real"

    def __init__(self, dll_path: str = "sdtapi.dll", port: int = 1001, *, loader=None, **kw):
        super().__init__(**kw)
        self.dll_path, self.port = dll_path, port
        self.loader = loader  # None: ctypes.WinDLL on Windows; tests pass ctypes.CDLL and a stand-in library

    def _where(self) -> str:
        return f"厂商驱动 {os.path.basename(self.dll_path)} 端口 {self.port}"

    def _connect(self):
        from devices.idcard.vendor_dll import SdtApiReader

        return SdtApiReader(self.dll_path, self.port, decoder=self.decoder, loader=self.loader)


class SimIdCardDevice(IdCardDevice):
    """The SAM emulator in-process: the full protocol path without a serial port (demo terminals)."""

    backend = "sim"

    def __init__(self, emulator=None, **kw):
        from devices.sim.id_emulator import SamEmulator

        super().__init__(**kw)
        self.emulator = emulator or SamEmulator()

    def _where(self) -> str:
        return "模拟身份证阅读器"

    def _connect(self):
        from devices.idcard.reader import SamReader
        from devices.sim.id_emulator import LoopbackLink

        return SamReader(LoopbackLink(self.emulator), timeout=self.timeout, decoder=self.decoder, source="sim")

    def read(self, *, timeout: float | None = None) -> IdCardRecord:
        # At a demo counter nobody lifts the card: put it back as if it had been lifted and placed again.
        if self.emulator.must_lift:
            self.emulator.place()
            self.card_lifted()
        return super().read(timeout=timeout)
