"""The SAM_V serial protocol of ID card readers: frames, checksums and status codes.

Host → reader:  AA AA AA 96 69 | LEN(2, BE) | CMD | PARA | DATA… | CHK      LEN counts CMD..CHK
Reader → host:  AA AA AA 96 69 | LEN(2, BE) | SW1 SW2 SW3 | DATA… | CHK    LEN counts SW1..CHK
CHK = XOR of every byte from LEN to the last data byte.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from devices.errors import DeviceTimeout, ProtocolError

PREAMBLE = bytes.fromhex("AAAAAA9669")
MAX_FRAME = 0x1000  # the longest reply (read with fingerprint) is 0x0912 bytes

CMD_FIND = (0x20, 0x01)
CMD_SELECT = (0x20, 0x02)
CMD_READ_BASE = (0x30, 0x01)
CMD_READ_FP = (0x30, 0x10)
CMD_SAM_ID = (0x12, 0xFF)
CMD_RESET = (0x10, 0xFF)

SW_OK, SW_FOUND = 0x90, 0x9F
SW_TEXTS = {
    0x90: "操作成功", 0x9F: "找到身份证",
    0x10: "阅读器收到的数据校验和错误", 0x11: "阅读器收到的数据长度错误", 0x21: "阅读器不认识该命令",
    0x23: "越权操作", 0x24: "阅读器无法识别的错误", 0x31: "身份证认证阅读器失败", 0x32: "阅读器认证身份证失败",
    0x33: "信息验证错误", 0x40: "无法识别的证件类型", 0x41: "读证操作失败", 0x47: "取随机数失败",
    0x60: "安全模块自检失败", 0x66: "安全模块未经授权，无法使用", 0x80: "未找到身份证", 0x81: "选取身份证失败",
    0x91: "证件中此项无内容",
}


def xor(data: bytes) -> int:
    c = 0
    for b in data:
        c ^= b
    return c


def command_frame(cmd: int, para: int, data: bytes = b"") -> bytes:
    body = bytes([cmd, para]) + data
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([xor(length + body)])


def reply_frame(sw3: int, data: bytes = b"", *, sw1: int = 0, sw2: int = 0) -> bytes:
    body = bytes([sw1, sw2, sw3]) + data
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([xor(length + body)])


@dataclass(frozen=True)
class Reply:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def text(self) -> str:
        return SW_TEXTS.get(self.sw3, f"未知状态 {self.sw3:02X}")


def parse_command(frame: bytes) -> tuple[int, int, bytes, bool]:
    """(cmd, para, data, checksum_ok) of a host frame that starts with the preamble (for the emulator)."""
    length = int.from_bytes(frame[5:7], "big")
    body = frame[7:7 + length - 1]
    chk = frame[7 + length - 1] if len(frame) >= 7 + length else -1
    ok = chk == xor(frame[5:7] + body)
    return body[0], body[1], body[2:], ok


def read_frame(read: Callable[[int], bytes], deadline: float, *, max_garbage: int = 4096) -> bytes:
    """Read one frame (preamble … checksum) through `read(n)` (returns ≤ n bytes, b"" on a short timeout).

    Garbage before the preamble is skipped (up to `max_garbage` bytes); raises DeviceTimeout when nothing complete
    arrived by `deadline` (time.monotonic()), ProtocolError for impossible lengths or too much garbage."""
    window = b""
    skipped = 0

    def need(n: int, got: bytes) -> bytes:
        while len(got) < n:
            if time.monotonic() > deadline:
                raise DeviceTimeout("身份证阅读器应答不完整（超时），请检查阅读器连接后重试。",
                                    f"SAM: frame incomplete, {len(got)}/{n} bytes")
            got += read(n - len(got))
        return got

    while True:
        if time.monotonic() > deadline:
            if skipped:
                raise ProtocolError("身份证阅读器返回的数据无法识别，请检查串口设置（波特率）和阅读器型号。",
                                    f"SAM: {skipped} bytes of garbage, no preamble")
            raise DeviceTimeout("身份证阅读器无应答，请检查阅读器电源和连接线。", "SAM: no reply")
        b = read(1)
        if not b:
            continue
        window = (window + b)[-5:]
        if window == PREAMBLE:
            break
        skipped += 1
        if skipped > max_garbage:
            raise ProtocolError("身份证阅读器返回的数据无法识别，请检查串口设置（波特率）和阅读器型号。",
                                f"SAM: {skipped} bytes of garbage")
    length_bytes = need(2, b"")
    length = int.from_bytes(length_bytes, "big")
    if length < 4 or length > MAX_FRAME:
        raise ProtocolError("身份证阅读器返回的数据格式错误，请重试。", f"SAM: impossible length {length}")
    body = need(length, b"")
    return PREAMBLE + length_bytes + body


def parse_reply(frame: bytes) -> Reply:
    length_bytes, body = frame[5:7], frame[7:]
    if xor(length_bytes + body[:-1]) != body[-1]:
        raise ProtocolError("身份证阅读器通讯校验错误，请重新放置身份证后再读。",
                            f"SAM: checksum {body[-1]:02X} != {xor(length_bytes + body[:-1]):02X}", code="checksum")
    return Reply(body[0], body[1], body[2], body[3:-1])
