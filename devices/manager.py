"""Opens the configured device back-ends and reports their states; a terminal runs with whatever subset it has.

Each kind has a real back-end, a simulator (refused on a production terminal) and "none". The manager fans device
events out to listeners (`subscribe`), and a monitor thread re-probes devices so that an unplugged device shows as
absent/error and a re-plugged one comes back without restarting the client. Listeners run on device threads:
ui/devices/signals.py turns them into Qt signals."""
from __future__ import annotations

import logging
import threading
from typing import Callable

from app.config import DeviceBackend, DevicesConfig
from app.errors import ConfigError
from devices.base import Device, DeviceEvent, DeviceKind, DeviceState, DeviceStatus, EventHub, StatefulDevice

log = logging.getLogger(__name__)


class _Unconfigured(Device):
    backend = "none"

    def __init__(self, kind: DeviceKind, reason: str = "未配置"):
        self.kind = kind
        self.reason = reason

    def open(self) -> DeviceStatus:
        return self.status()

    def status(self) -> DeviceStatus:
        return DeviceStatus(self.kind, self.backend, DeviceState.absent, self.reason)


def _real_backend(kind: DeviceKind, cfg: DevicesConfig, terminal_id: str) -> Device:
    timeout = cfg.io_timeout_seconds
    if kind is DeviceKind.sscard:
        from devices.sscard.device import PcscSscardDevice

        return PcscSscardDevice(reader=cfg.sscard_reader, auto_read=cfg.sscard_auto_read, timeout=timeout)
    if kind is DeviceKind.idcard:
        from devices.idcard.wlt import load_decoder

        decoder = load_decoder(cfg.idcard_wlt_decoder)
        if cfg.idcard_driver == "sdtapi":
            from devices.idcard.device import VendorDllIdCardDevice

            return VendorDllIdCardDevice(cfg.idcard_dll, cfg.idcard_dll_port, timeout=timeout, decoder=decoder)
        from devices.idcard.device import SerialIdCardDevice

        return SerialIdCardDevice(cfg.idcard_port, cfg.idcard_baudrate, timeout=min(timeout, 3.0), decoder=decoder)
    if kind is DeviceKind.camera:
        from devices.camera.device import CameraDevice

        return CameraDevice(cfg.camera_source, width=cfg.camera_width, height=cfg.camera_height, dpi=cfg.camera_dpi,
                            frame_timeout=timeout)
    if kind is DeviceKind.receipt_printer:
        if not cfg.printer_url:
            return _Unconfigured(kind, "未配置打印机地址（devices.printer_url）")
        from devices.printer.device import ReceiptPrinterDevice

        return ReceiptPrinterDevice(cfg.printer_url, model=cfg.printer_model, chinese=cfg.printer_chinese,
                                    timeout=timeout, terminal_id=terminal_id)
    from devices.a4 import SystemPrinterDevice

    return SystemPrinterDevice()


def _sim_backend(kind: DeviceKind, cfg: DevicesConfig, terminal_id: str) -> Device:
    if kind is DeviceKind.sscard:
        from devices.sscard.device import SimSscardDevice

        return SimSscardDevice(auto_read=cfg.sscard_auto_read)
    if kind is DeviceKind.idcard:
        from devices.idcard.device import SimIdCardDevice

        return SimIdCardDevice()
    if kind is DeviceKind.camera:
        from devices.camera.device import SimCameraDevice

        return SimCameraDevice(dpi=cfg.camera_dpi)
    if kind is DeviceKind.receipt_printer:
        from devices.printer.device import SimReceiptPrinter

        return SimReceiptPrinter(model=cfg.printer_model, chinese=cfg.printer_chinese, terminal_id=terminal_id)
    from devices.sim.simple import ReadySimulator

    return ReadySimulator(kind)


class DeviceManager:
    def __init__(self, config: DevicesConfig, *, production: bool = False, terminal_id: str = "",
                 monitor_interval: float | None = None):
        self.config = config
        self.hub = EventHub()
        self.devices: dict[DeviceKind, Device] = {}
        self.monitor_interval = config.monitor_interval_seconds if monitor_interval is None else monitor_interval
        self._monitor: threading.Thread | None = None
        self._stop = threading.Event()
        for kind in DeviceKind:
            backend = DeviceBackend(getattr(config, kind.value))
            if backend is DeviceBackend.sim:
                if production:
                    raise ConfigError(f"生产环境不允许使用模拟设备（devices.{kind.value} = \"sim\"）。",
                                      f"simulator configured in production for {kind.value}")
                self.devices[kind] = _sim_backend(kind, config, terminal_id)
            elif backend is DeviceBackend.real:
                self.devices[kind] = _real_backend(kind, config, terminal_id)
            else:
                self.devices[kind] = _Unconfigured(kind)
        for dev in self.devices.values():
            if isinstance(dev, StatefulDevice):
                dev.hub = self.hub

    # -- access ----------------------------------------------------------------------------------------------------
    def get(self, kind: DeviceKind) -> Device:
        return self.devices[kind]

    @property
    def sscard(self):
        return self.devices[DeviceKind.sscard]

    @property
    def idcard(self):
        return self.devices[DeviceKind.idcard]

    @property
    def camera(self):
        return self.devices[DeviceKind.camera]

    @property
    def receipt_printer(self):
        return self.devices[DeviceKind.receipt_printer]

    def subscribe(self, fn: Callable[[DeviceEvent], None]) -> Callable[[], None]:
        """`fn(DeviceEvent)` on device threads; returns the unsubscribe function."""
        return self.hub.subscribe(fn)

    def set_security_module(self, module) -> None:
        """Third-generation social security cards: the central API's security step (devices.sscard.secure)."""
        dev = self.devices[DeviceKind.sscard]
        if hasattr(dev, "set_security_module") and dev.backend == "real":
            dev.set_security_module(module)

    # -- lifecycle -------------------------------------------------------------------------------------------------
    def _open_one(self, dev: Device) -> DeviceStatus:
        try:
            return dev.open()
        except Exception as exc:  # a broken driver must not stop the terminal
            log.exception("device %s failed to open", dev.kind.value)
            return DeviceStatus(dev.kind, dev.backend, DeviceState.error, f"打开失败：{exc}")

    def open_all(self) -> list[DeviceStatus]:
        """Open every device in parallel (a camera or a printer may take seconds to answer), then start the monitor."""
        results: dict[DeviceKind, DeviceStatus] = {}
        threads = []
        for kind, dev in self.devices.items():
            def run(k=kind, d=dev):
                results[k] = self._open_one(d)
            t = threading.Thread(target=run, name=f"open-{kind.value}", daemon=True)
            t.start()
            threads.append(t)
        for t in threads:
            t.join(self.config.io_timeout_seconds * 2 + 2)
        out = [results.get(k) or DeviceStatus(k, d.backend, DeviceState.error, "打开超时")
               for k, d in self.devices.items()]
        self.start_monitor()
        return out

    def statuses(self) -> list[DeviceStatus]:
        out = []
        for d in self.devices.values():
            try:
                out.append(d.status())
            except Exception as exc:  # noqa: BLE001
                out.append(DeviceStatus(d.kind, d.backend, DeviceState.error, f"状态未知：{exc}"))
        return out

    def start_monitor(self) -> None:
        if self.monitor_interval <= 0 or (self._monitor is not None and self._monitor.is_alive()):
            return
        self._stop.clear()
        self._monitor = threading.Thread(target=self._watch, name="device-monitor", daemon=True)
        self._monitor.start()

    def _watch(self) -> None:
        while not self._stop.wait(self.monitor_interval):
            for dev in list(self.devices.values()):
                if self._stop.is_set():
                    return
                probe = getattr(dev, "probe", None)
                if probe is None:
                    continue
                try:
                    probe()
                except Exception:  # noqa: BLE001
                    log.exception("device %s probe failed", dev.kind.value)

    def close_all(self) -> None:
        self._stop.set()
        if self._monitor is not None:
            self._monitor.join(5.0)
            self._monitor = None
        for d in self.devices.values():
            try:
                d.close()
            except Exception:  # noqa: BLE001
                log.exception("device %s failed to close", d.kind.value)
