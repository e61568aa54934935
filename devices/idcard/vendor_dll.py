"""Windows deployments often drive the reader through the vendor's DLL (sdtapi.dll, the SDT_* API every licensed
reader vendor ships) instead of the serial protocol. Same answers (SW3 codes, 256 + 1024 bytes), same parser.

On Linux the real DLL does not exist and `open()` reports the seam as absent; `loader` (e.g. ctypes.CDLL) lets a
test drive the same code through a stand-in library with the SDT_* API (tests/devices/test_idcard_vendor_dll.py)."""
from __future__ import annotations

import ctypes
import sys

from devices.errors import DeviceAbsent, DeviceError, NotLifted
from devices.idcard import sam
from devices.idcard.record import PHOTO_SIZE, TEXT_SIZE, IdCardRecord, parse_text
from devices.idcard.wlt import NullWltDecoder, WltDecoder


class SdtApiReader:
    """`SDT_StartFindIDCard` / `SDT_SelectIDCard` / `SDT_ReadBaseMsg` of sdtapi.dll (stdcall)."""

    def __init__(self, dll_path: str = "sdtapi.dll", port: int = 1001, *, decoder: WltDecoder | None = None,
                 loader=None):
        if loader is None and sys.platform != "win32":
            raise DeviceAbsent("厂商驱动（sdtapi.dll）只能在 Windows 上使用；Linux 请改用串口方式（idcard_driver = \"serial\"）。",
                               "vendor DLL on non-Windows", code="idcard_dll")
        try:
            self.dll = (loader or ctypes.WinDLL)(dll_path)  # type: ignore[attr-defined]
        except OSError as exc:
            raise DeviceAbsent(f"无法加载身份证阅读器厂商驱动 {dll_path}，请重新安装阅读器驱动。", repr(exc),
                               code="idcard_dll") from exc
        self.port = port  # 1001–1016 = USB, 1–16 = COM
        self.decoder = decoder or NullWltDecoder()
        self.last_read_ok = False
        rc = self.dll.SDT_OpenPort(port)
        if rc != sam.SW_OK:
            raise DeviceAbsent(f"身份证阅读器端口 {port} 打开失败（{rc:#x}）。", f"SDT_OpenPort({port}) = {rc:#x}",
                               code="idcard_port")

    def sam_id(self) -> str:
        buf = ctypes.create_string_buffer(64)
        rc = self.dll.SDT_GetSAMIDToStr(self.port, buf, 0)
        if rc != sam.SW_OK:
            raise DeviceError("身份证阅读器安全模块异常。", f"SDT_GetSAMIDToStr = {rc:#x}", code="idcard_sam")
        return buf.value.decode("ascii", "replace")

    def read(self) -> IdCardRecord:
        mana = ctypes.create_string_buffer(8)
        rc = self.dll.SDT_StartFindIDCard(self.port, mana, 0)
        if rc != sam.SW_FOUND:
            if self.last_read_ok:
                raise NotLifted("未检测到新放置的身份证：读完一张证后须将其拿开，再重新放到读卡区。", f"find = {rc:#x}")
            raise DeviceError("未检测到身份证，请将身份证平放在阅读器感应区。", f"find = {rc:#x}", code="idcard_no_card")
        self.last_read_ok = False
        rc = self.dll.SDT_SelectIDCard(self.port, mana, 0)
        if rc != sam.SW_OK:
            raise DeviceError("选卡失败：请不要移动身份证，重新放置后再读。", f"select = {rc:#x}", code="idcard_select")
        text, photo = ctypes.create_string_buffer(TEXT_SIZE), ctypes.create_string_buffer(PHOTO_SIZE)
        tlen, plen = ctypes.c_uint(0), ctypes.c_uint(0)
        rc = self.dll.SDT_ReadBaseMsg(self.port, text, ctypes.byref(tlen), photo, ctypes.byref(plen), 0)
        if rc != sam.SW_OK:
            raise DeviceError(f"读取身份证失败（{sam.SW_TEXTS.get(rc, hex(rc))}），请重新放置身份证后再读。",
                              f"SDT_ReadBaseMsg = {rc:#x}", code="idcard_read")
        record = parse_text(text.raw[:tlen.value], photo.raw[:plen.value], source=f"sdtapi:{self.port}")
        record.photo_bmp = self.decoder.decode(record.photo_wlt)
        if record.photo_bmp is None:
            record.photo_note = "照片为厂商 WLT 格式，未安装授权解码库，无法显示"
        self.last_read_ok = True
        return record

    def forget_card(self) -> None:
        """The clerk took the card away: an empty reader is "no card" again, not "not lifted"."""
        self.last_read_ok = False

    def close(self) -> None:
        try:
            self.dll.SDT_ClosePort(self.port)
        except Exception:  # noqa: BLE001
            pass
