"""Opens the configured device back-ends and reports their states; a terminal runs with whatever subset it has."""
from __future__ import annotations

import logging

from app.config import DeviceBackend, DevicesConfig
from app.errors import ConfigError
from devices.base import Device, DeviceKind, DeviceState, DeviceStatus
from devices.pcsc import PcscReader
from devices.sim.simple import ReadySimulator

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


def _real_backend(kind: DeviceKind) -> Device:
    if kind is DeviceKind.sscard:
        return PcscReader()
    return _Unconfigured(kind, "真实驱动尚未安装")


class DeviceManager:
    def __init__(self, config: DevicesConfig, *, production: bool = False):
        self.devices: dict[DeviceKind, Device] = {}
        for kind in DeviceKind:
            backend = DeviceBackend(getattr(config, kind.value))
            if backend is DeviceBackend.sim:
                if production:
                    raise ConfigError(f"生产环境不允许使用模拟设备（devices.{kind.value} = \"sim\"）。",
                                      f"simulator configured in production for {kind.value}")
                self.devices[kind] = ReadySimulator(kind)
            elif backend is DeviceBackend.real:
                self.devices[kind] = _real_backend(kind)
            else:
                self.devices[kind] = _Unconfigured(kind)

    def open_all(self) -> list[DeviceStatus]:
        out = []
        for dev in self.devices.values():
            try:
                st = dev.open()
            except Exception as exc:  # a broken driver must not stop the terminal
                log.exception("device %s failed to open", dev.kind.value)
                st = DeviceStatus(dev.kind, dev.backend, DeviceState.error, f"打开失败：{exc}")
            out.append(st)
        return out

    def statuses(self) -> list[DeviceStatus]:
        return [d.status() for d in self.devices.values()]

    def close_all(self) -> None:
        for d in self.devices.values():
            d.close()
