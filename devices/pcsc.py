"""PC/SC presence: whether pcscd runs and has a reader (the social security card reader's real back-end base)."""
from __future__ import annotations

from devices.base import Device, DeviceKind, DeviceState, DeviceStatus


def list_pcsc_readers() -> list[str]:
    """Reader names; raises RuntimeError with a Chinese reason when PC/SC is unavailable."""
    try:
        from smartcard.System import readers
    except ImportError as exc:
        raise RuntimeError("未安装 PC/SC 支持库（pyscard）") from exc
    try:
        return [str(r) for r in readers()]
    except Exception as exc:  # pyscard raises EstablishContextException when pcscd is not running
        raise RuntimeError("智能卡服务 pcscd 未运行") from exc


class PcscReader(Device):
    kind = DeviceKind.sscard
    backend = "real"

    def __init__(self) -> None:
        self._status = DeviceStatus(self.kind, self.backend, DeviceState.absent)

    def open(self) -> DeviceStatus:
        try:
            names = list_pcsc_readers()
        except RuntimeError as exc:
            self._status = DeviceStatus(self.kind, self.backend, DeviceState.error, str(exc))
        else:
            state = DeviceState.ready if names else DeviceState.absent
            self._status = DeviceStatus(self.kind, self.backend, state, "、".join(names) if names else "未发现读卡器")
        return self._status

    def status(self) -> DeviceStatus:
        return self._status
