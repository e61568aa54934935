"""The SAM protocol conversation (find → select → read) over any byte link, and the pyserial link.

A link has `write(bytes)`, `read(n) -> bytes` (≤ n bytes, b"" after its short timeout), `reset_input()` and
`close()`. SerialLink is the real one; the emulator's loopback is another."""
from __future__ import annotations

import logging
import time

from devices.base import RAW_LOG
from devices.errors import DeviceAbsent, DeviceError, NotLifted, ProtocolError
from devices.idcard import sam
from devices.idcard.record import PHOTO_SIZE, TEXT_SIZE, IdCardRecord, parse_text
from devices.idcard.wlt import NullWltDecoder, WltDecoder

log = logging.getLogger(__name__)


class SerialLink:
    """pyserial with short read timeouts; every failure becomes DeviceAbsent with a Chinese reason."""

    def __init__(self, port: str, baudrate: int = 115200, *, read_timeout: float = 0.05):
        try:
            import serial
        except ImportError as exc:
            raise DeviceAbsent("未安装串口支持库（pyserial）。", repr(exc)) from exc
        self._serial_mod = serial
        self.port = port
        try:
            self.ser = serial.Serial(port, baudrate=baudrate, bytesize=8, parity="N", stopbits=1,
                                     timeout=read_timeout, write_timeout=2.0)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceAbsent(f"无法打开身份证阅读器串口 {port}：请检查阅读器是否连接、端口设置是否正确。",
                               f"open {port}: {exc!r}", code="idcard_port") from exc

    def write(self, data: bytes) -> None:
        try:
            self.ser.write(data)
            self.ser.flush()
        except Exception as exc:  # noqa: BLE001 - SerialException, OSError, termios.error
            raise DeviceAbsent("身份证阅读器已断开，请检查连接线。", f"write {self.port}: {exc!r}",
                               code="idcard_gone") from exc

    def read(self, n: int) -> bytes:
        try:
            return self.ser.read(n) if n else b""
        except Exception as exc:  # noqa: BLE001 - SerialException, OSError, termios.error
            raise DeviceAbsent("身份证阅读器已断开，请检查连接线。", f"read {self.port}: {exc!r}",
                               code="idcard_gone") from exc

    def reset_input(self) -> None:
        try:
            self.ser.reset_input_buffer()
        except Exception:  # noqa: BLE001 - termios.error on a vanished tty; the next write reports it
            pass

    def close(self) -> None:
        try:
            self.ser.close()
        except Exception:  # noqa: BLE001
            pass


class SamReader:
    def __init__(self, link, *, timeout: float = 3.0, decoder: WltDecoder | None = None, source: str = ""):
        self.link = link
        self.timeout = timeout
        self.decoder = decoder or NullWltDecoder()
        self.source = source
        self.last_read_ok = False  # after a good read the card must be lifted before the next find succeeds

    def transact(self, cmd: tuple[int, int], data: bytes = b"", *, timeout: float | None = None) -> sam.Reply:
        frame = sam.command_frame(cmd[0], cmd[1], data)
        self.link.reset_input()
        RAW_LOG.add("身份证", "→", frame)
        self.link.write(frame)
        reply_frame = sam.read_frame(self.link.read, time.monotonic() + (timeout or self.timeout))
        RAW_LOG.add("身份证", "←", reply_frame)
        reply = sam.parse_reply(reply_frame)
        if reply.sw3 in (0x10, 0x11):
            raise ProtocolError("身份证阅读器报告通讯数据错误，请重试；仍失败请检查连接线。",
                                f"SAM {cmd[0]:02X}{cmd[1]:02X}: SW3 {reply.sw3:02X} {reply.text}", code="checksum")
        return reply

    def sam_id(self) -> str:
        r = self.transact(sam.CMD_SAM_ID, timeout=min(self.timeout, 1.5))
        if r.sw3 != sam.SW_OK:
            raise DeviceError(f"身份证阅读器安全模块异常：{r.text}", f"SAM id: SW3 {r.sw3:02X}", code="idcard_sam")
        return r.data.hex().upper()

    def find(self) -> bool:
        r = self.transact(sam.CMD_FIND)
        if r.sw3 == sam.SW_FOUND:
            return True
        if r.sw3 == 0x80:
            return False
        raise DeviceError(f"身份证阅读器寻卡失败：{r.text}", f"find: SW3 {r.sw3:02X}", code="idcard_find")

    def read(self) -> IdCardRecord:
        t0 = time.perf_counter()
        if not self.find():
            if self.last_read_ok:
                raise NotLifted("未检测到新放置的身份证：读完一张证后须将其拿开，再重新放到读卡区。",
                                "find: 80 after a successful read")
            raise DeviceError("未检测到身份证，请将身份证平放在阅读器感应区。", "find: SW3 80", code="idcard_no_card")
        self.last_read_ok = False
        r = self.transact(sam.CMD_SELECT)
        if r.sw3 != sam.SW_OK:
            raise DeviceError("选卡失败：请不要移动身份证，重新放置后再读。", f"select: SW3 {r.sw3:02X} {r.text}",
                              code="idcard_select")
        r = self.transact(sam.CMD_READ_BASE)
        if r.sw3 != sam.SW_OK:
            raise DeviceError(f"读取身份证失败（{r.text}），请重新放置身份证后再读。", f"read: SW3 {r.sw3:02X}",
                              code="idcard_read")
        if len(r.data) < 4:
            raise ProtocolError("身份证阅读器返回的数据不完整，请重试。", f"read: {len(r.data)} data bytes",
                                code="truncated")
        text_len, photo_len = int.from_bytes(r.data[0:2], "big"), int.from_bytes(r.data[2:4], "big")
        if text_len != TEXT_SIZE or photo_len != PHOTO_SIZE or len(r.data) < 4 + text_len + photo_len:
            raise ProtocolError("身份证阅读器返回的数据不完整，请重试。",
                                f"read: text {text_len}, photo {photo_len}, got {len(r.data)}", code="truncated")
        text = r.data[4:4 + text_len]
        photo = r.data[4 + text_len:4 + text_len + photo_len]
        record = parse_text(text, photo, source=self.source)
        try:
            record.photo_bmp = self.decoder.decode(photo)
        except Exception as exc:  # noqa: BLE001 - a vendor library must not break the read
            log.warning("WLT decoder failed: %r", exc)
        if record.photo_bmp is None:
            record.photo_note = "照片为厂商 WLT 格式，未安装授权解码库，无法显示"
        self.last_read_ok = True
        log.info("ID card read in %.0f ms from %s", (time.perf_counter() - t0) * 1000, self.source)
        return record

    def forget_card(self) -> None:
        self.last_read_ok = False
