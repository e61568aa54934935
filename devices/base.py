"""What every device kind shares: its state (absent / ready / busy / error with a reason) and a small interface."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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
