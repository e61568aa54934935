"""An ID card reader emulator speaking the SAM serial protocol, on a pseudo-terminal pair or in-process.

`SamEmulator.handle(frame)` answers one host frame; `PtyReaderEmulator` puts it behind `os.openpty()` so the real
pyserial back-end talks to it through a tty, with the line's speed emulated (10 bits a byte at `baud`).
Fault switches: a corrupted reply checksum, garbage instead of frames, silence, a failing read, a truncated reply.
After a good read the card must be lifted (`lift()` then `place()`) before find succeeds again, as on real readers.
"""
from __future__ import annotations

import os
import select
import threading
import time

from devices.idcard import sam
from devices.idcard.record import encode_text

DEMO_FIELDS = {"name": "乌兰", "sex": "2", "nation": "02", "birth": "19850312",
               "address": "内蒙古自治区呼和浩特市新城区锡林郭勒北路12号", "id_number": "150102198503120029",
               "authority": "呼和浩特市公安局新城区分局", "valid_from": "20160405", "valid_to": "20360405"}
SAM_ID = bytes.fromhex("0000000000000000050100000000000000000000")[:16]


def demo_photo() -> bytes:
    """1024 bytes standing in for the vendor-encoded WLT photo (deterministic)."""
    seed = b"WLT-DEMO-PHOTO"
    return bytes((seed[i % len(seed)] * 31 + i * 7) & 0xFF for i in range(1024))


class SamEmulator:
    FAULTS = (None, "bad_checksum", "garbage", "silent", "read_fail", "truncated")

    def __init__(self, fields: dict[str, str] | None = None, photo: bytes | None = None, *, present: bool = True):
        self.fields = dict(fields or DEMO_FIELDS)
        self.photo = photo if photo is not None else demo_photo()
        self.card_present = present
        self.must_lift = False
        self.selected = False
        self.fault: str | None = None
        self.card_delay = 0.0  # seconds the RF read of 30 01 takes (real readers: ~0.3–0.8 s)
        self.frames = 0
        self._lock = threading.Lock()

    # -- the person at the counter ---------------------------------------------------------------------------------
    def place(self, fields: dict[str, str] | None = None) -> None:
        with self._lock:
            if fields is not None:
                self.fields = dict(fields)
            self.card_present, self.must_lift, self.selected = True, False, False

    def lift(self) -> None:
        with self._lock:
            self.card_present, self.must_lift, self.selected = False, False, False

    # -- protocol --------------------------------------------------------------------------------------------------
    def handle(self, frame: bytes) -> bytes:
        with self._lock:
            self.frames += 1
            if self.fault == "silent":
                return b""
            if self.fault == "garbage":
                return bytes((i * 37 + 11) & 0xFF for i in range(64)) + b"\x55" * 32
            cmd, para, _data, ok = sam.parse_command(frame)
            reply = self._answer(cmd, para, ok)
            if self.fault == "bad_checksum":
                reply = reply[:-1] + bytes([reply[-1] ^ 0x5A])
            if self.fault == "truncated" and (cmd, para) == sam.CMD_READ_BASE:
                reply = sam.reply_frame(sam.SW_OK, (0x0100).to_bytes(2, "big") + (0x0400).to_bytes(2, "big")
                                        + encode_text(self.fields)[:100])
            return reply

    def _answer(self, cmd: int, para: int, checksum_ok: bool) -> bytes:
        if not checksum_ok:
            return sam.reply_frame(0x10)
        if (cmd, para) == sam.CMD_SAM_ID:
            return sam.reply_frame(sam.SW_OK, SAM_ID)
        if (cmd, para) == sam.CMD_RESET:
            return sam.reply_frame(sam.SW_OK)
        if (cmd, para) == sam.CMD_FIND:
            if self.card_present and not self.must_lift:
                return sam.reply_frame(sam.SW_FOUND, b"\x00\x00\x00\x00")
            return sam.reply_frame(0x80)
        if (cmd, para) == sam.CMD_SELECT:
            if not self.card_present or self.must_lift:
                return sam.reply_frame(0x81)
            self.selected = True
            return sam.reply_frame(sam.SW_OK, b"\x00" * 8)
        if (cmd, para) in (sam.CMD_READ_BASE, sam.CMD_READ_FP):
            if not self.selected:
                return sam.reply_frame(0x41)
            if self.fault == "read_fail":
                return sam.reply_frame(0x41)
            if self.card_delay:
                time.sleep(self.card_delay)
            self.selected, self.must_lift = False, True
            text = encode_text(self.fields)
            return sam.reply_frame(sam.SW_OK, len(text).to_bytes(2, "big") + len(self.photo).to_bytes(2, "big")
                                   + text + self.photo)
        return sam.reply_frame(0x21)


class LoopbackLink:
    """An in-process link to a SamEmulator (the simulated back-end of demo terminals)."""

    def __init__(self, emulator: SamEmulator):
        self.emulator = emulator
        self._buf = b""

    def write(self, data: bytes) -> None:
        self._buf += self.emulator.handle(data)

    def read(self, n: int) -> bytes:
        if not self._buf:
            time.sleep(0.01)
            return b""
        out, self._buf = self._buf[:n], self._buf[n:]
        return out

    def reset_input(self) -> None:
        self._buf = b""

    def close(self) -> None:
        pass


class PtyReaderEmulator:
    """The emulator behind a pseudo-terminal: `port` is the slave's path for pyserial. Replies are paced at the
    emulated baud rate. `stop()` closes the pty (the reader is unplugged)."""

    def __init__(self, emulator: SamEmulator | None = None, *, baud: int = 115200):
        import tty

        self.emulator = emulator or SamEmulator()
        self.baud = baud
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.port = os.ttyname(self.slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sam-emulator", daemon=True)

    def start(self) -> "PtyReaderEmulator":
        self._thread.start()
        return self

    def _send(self, data: bytes) -> None:
        per_byte = 10.0 / self.baud  # start + 8 data + stop bits
        chunk = 64
        t0 = time.monotonic()
        for i in range(0, len(data), chunk):
            part = data[i:i + chunk]
            due = t0 + (i + len(part)) * per_byte
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            os.write(self.master, part)

    def _run(self) -> None:
        buf = b""
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if not ready:
                    continue
                buf += os.read(self.master, 4096)
            except OSError:
                return
            while True:
                start = buf.find(sam.PREAMBLE)
                if start < 0:
                    buf = buf[-4:]
                    break
                buf = buf[start:]
                if len(buf) < 7:
                    break
                length = int.from_bytes(buf[5:7], "big")
                if len(buf) < 7 + length:
                    break
                frame, buf = buf[:7 + length], buf[7 + length:]
                time.sleep(len(frame) * 10.0 / self.baud)  # the request's own time on the wire
                reply = self.emulator.handle(frame)
                if reply:
                    try:
                        self._send(reply)
                    except OSError:
                        return

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2.0) if self._thread.is_alive() else None
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass
