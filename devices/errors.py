"""Device failures: each carries a Chinese message for the clerk (user_message) and a precise detail for the log.

`code` is stable and machine-readable (the CLI prints it in its JSON); the UI shows `user_message` only.
"""
from __future__ import annotations

from app.errors import YichuangError


class DeviceError(YichuangError):
    code = "device_error"

    def __init__(self, user_message: str, detail: str = "", *, code: str | None = None, kind: str = ""):
        super().__init__(user_message, detail, code=code)
        self.kind = kind

    def as_dict(self) -> dict:
        return {"ok": False, "error": self.code, "message": self.user_message, "detail": self.detail}


class DeviceAbsent(DeviceError):
    """The device (or its service: pcscd, the serial port, the camera) is not there."""

    code = "device_absent"


class DeviceTimeout(DeviceError):
    code = "device_timeout"


class ProtocolError(DeviceError):
    """Garbage, truncated or inconsistent data on the wire."""

    code = "protocol_error"


# -- social security card ------------------------------------------------------------------------------------------
class NoCard(DeviceError):
    code = "no_card"


class CardRemoved(DeviceError):
    code = "card_removed"


class WrongCard(DeviceError):
    code = "wrong_card"


class CardStatusError(DeviceError):
    """An unexpected status word; `sw` is the 2-byte status as an int (e.g. 0x6A82)."""

    code = "card_status"

    def __init__(self, user_message: str, detail: str = "", *, sw: int = 0, code: str | None = None):
        super().__init__(user_message, detail, code=code)
        self.sw = sw


class PinError(DeviceError):
    """A wrong PIN: `tries_left` is what the card reported (0 = now blocked)."""

    code = "pin_wrong"

    def __init__(self, user_message: str, detail: str = "", *, tries_left: int, code: str | None = None):
        super().__init__(user_message, detail, code=code)
        self.tries_left = tries_left


class PinBlocked(PinError):
    code = "pin_blocked"

    def __init__(self, user_message: str = "社保卡密码已锁定，请持本人身份证到社保卡服务网点办理密码重置。", detail: str = ""):
        super().__init__(user_message, detail or "SW 6983", tries_left=0)


# -- ID card reader ------------------------------------------------------------------------------------------------
class NotLifted(DeviceError):
    code = "idcard_not_lifted"


# -- printer -------------------------------------------------------------------------------------------------------
class PrinterFault(DeviceError):
    code = "printer_fault"


class PaperOut(PrinterFault):
    code = "paper_out"


class PrinterOffline(PrinterFault):
    code = "printer_offline"
