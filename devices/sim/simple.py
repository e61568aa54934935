"""A simulator that is always ready: stands in for any device kind until its full simulator exists."""
from __future__ import annotations

from devices.base import Device, DeviceKind, DeviceState, DeviceStatus


class ReadySimulator(Device):
    backend = "sim"

    def __init__(self, kind: DeviceKind):
        self.kind = kind
        self._state = DeviceState.absent

    def open(self) -> DeviceStatus:
        self._state = DeviceState.ready
        return self.status()

    def status(self) -> DeviceStatus:
        return DeviceStatus(self.kind, self.backend, self._state)

    def close(self) -> None:
        self._state = DeviceState.absent
