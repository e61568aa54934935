"""What every device kind shares: its state (absent / ready / busy / error with a reason) and a small interface."""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable


class DeviceKind(str, Enum):
    sscard = "sscard"  # 社会保障卡读卡器
    idcard = "idcard"  # 身份证阅读器
    camera = "camera"  # 高拍仪
    receipt_printer = "receipt_printer"  # 小票打印机
    a4_printer = "a4_printer"


KIND_LABELS = {DeviceKind.sscard: "社保卡", DeviceKind.idcard: "身份证", DeviceKind.camera: "高拍仪",
               DeviceKind.receipt_printer: "小票机", DeviceKind.a4_printer: "打印机"}


class DeviceState(str, Enum):
    absent = "absent"
    ready = "ready"
    busy = "busy"
    error = "error"


STATE_LABELS = {DeviceState.absent: "未连接", DeviceState.ready: "就绪", DeviceState.busy: "忙",
                DeviceState.error: "故障"}


@dataclass(frozen=True)
class DeviceStatus:
    kind: DeviceKind
    backend: str  # real / sim / none
    state: DeviceState
    reason: str = ""  # Chinese, for the clerk

    @property
    def label(self) -> str:
        text = f"{KIND_LABELS[self.kind]}：{STATE_LABELS[self.state]}"
        if self.backend == "sim":
            text += "（模拟）"
        return text


class Device:
    """A device backend. `open` may fail with a reason; `status` never raises."""

    kind: DeviceKind
    backend: str = "real"

    def open(self) -> DeviceStatus:
        raise NotImplementedError

    def status(self) -> DeviceStatus:
        raise NotImplementedError

    def close(self) -> None:
        pass


# -- events --------------------------------------------------------------------------------------------------------
# Device threads (card watcher, camera worker, serial reads) report through these plain callbacks. They run on the
# hardware thread: a listener must not block and must not touch widgets (ui/devices/signals.py turns them into Qt
# signals, which Qt queues to the GUI thread).

_log = logging.getLogger("devices")


@dataclass(frozen=True)
class DeviceEvent:
    """`name` is one of: status, sscard.inserted, sscard.removed, sscard.read, sscard.failed, idcard.read,
    idcard.failed, camera.captured, printer.printed, printer.failed. `payload` depends on the name."""

    kind: DeviceKind
    name: str
    payload: Any = None
    at: float = 0.0


class EventHub:
    """Thread-safe fan-out of DeviceEvents to listeners; a failing listener is logged, never propagated."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[DeviceEvent], None]] = []
        self._lock = threading.Lock()

    def subscribe(self, fn: Callable[[DeviceEvent], None]) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(fn)

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._listeners:
                    self._listeners.remove(fn)
        return unsubscribe

    def emit(self, kind: DeviceKind, name: str, payload: Any = None) -> None:
        event = DeviceEvent(kind, name, payload, time.time())
        with self._lock:
            listeners = list(self._listeners)
        for fn in listeners:
            try:
                fn(event)
            except Exception:  # a broken screen must not kill the card watcher
                _log.exception("device event listener failed on %s", name)


class RawLog:
    """The raw exchange log shown on the administrators' device test page: APDUs, SAM frames, printer status bytes.

    A bounded ring buffer plus listeners (called on the device thread)."""

    def __init__(self, size: int = 2000) -> None:
        self._lines: deque[str] = deque(maxlen=size)
        self._lock = threading.Lock()
        self._listeners: list[Callable[[str], None]] = []
        self.enabled = True

    def add(self, kind: str, direction: str, data: bytes | str) -> None:
        if not self.enabled:
            return
        if isinstance(data, (bytes, bytearray)):
            shown = data[:64].hex(" ").upper() + (f" …(+{len(data) - 64} 字节)" if len(data) > 64 else "")
        else:
            shown = data
        line = f"{time.strftime('%H:%M:%S')}.{int(time.time() * 1000) % 1000:03d} [{kind}] {direction} {shown}"
        with self._lock:
            self._lines.append(line)
            listeners = list(self._listeners)
        for fn in listeners:
            try:
                fn(line)
            except Exception:
                _log.exception("raw log listener failed")

    def lines(self) -> list[str]:
        with self._lock:
            return list(self._lines)

    def subscribe(self, fn: Callable[[str], None]) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(fn)

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._listeners:
                    self._listeners.remove(fn)
        return unsubscribe


RAW_LOG = RawLog()


class StatefulDevice(Device):
    """A Device that keeps its last status and reports changes through an EventHub (set by the manager)."""

    def __init__(self) -> None:
        self.hub: EventHub | None = None
        self._status = DeviceStatus(self.kind, self.backend, DeviceState.absent, "未打开")
        self._status_lock = threading.Lock()

    def status(self) -> DeviceStatus:
        return self._status

    def _set_status(self, state: DeviceState, reason: str = "") -> DeviceStatus:
        st = DeviceStatus(self.kind, self.backend, state, reason)
        with self._status_lock:
            changed = st != self._status
            self._status = st
        if changed and self.hub is not None:
            self.hub.emit(self.kind, "status", st)
        return st

    def _emit(self, name: str, payload: Any = None) -> None:
        if self.hub is not None:
            self.hub.emit(self.kind, name, payload)

    def probe(self) -> DeviceStatus:
        """Cheap health check used by the manager's monitor to notice unplugging; default: re-open when not ready."""
        if self._status.state in (DeviceState.absent, DeviceState.error):
            return self.open()
        return self._status


def call_with_timeout(fn: Callable[[], Any], timeout: float, on_timeout: Callable[[], Exception]) -> Any:
    """Run `fn` on a daemon thread and wait at most `timeout` seconds; a driver call that hangs (a stuck serial
    line, a card that never answers) then raises `on_timeout()` instead of freezing the caller. The stuck call
    keeps its thread until the driver gives up."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="device-call", daemon=True).start()
    if not done.wait(timeout):
        raise on_timeout()
    if "error" in box:
        raise box["error"]
    return box.get("value")
