"""A virtual 社会保障卡 (SSSE application) for pcscd + vsmartcard vpcd, in pure stdlib Python.

Run as a script it connects to vpcd (127.0.0.1:35963 by default) and stays inserted until killed; killing it is
pulling the card. The simulated reader backend and the tests use `VirtualSsCard.handle` directly or `VpcdLink` in a
thread. Behaviour follows ../shared/notes/domain.md ("Social security card over PC/SC"):

- SELECT the SSSE AID (answers with FCI through 61xx + GET RESPONSE when `chain` is on), SELECT EF05 / EF06;
- READ RECORD `00 B2 <tag> 04 <Le>` → TLV; a wrong Le gives 6Cxx, an unknown tag 6A83, no current EF 6986;
- VERIFY `00 20 00 00 <len> <PIN BCD>`: 63Cx tries left, 6983 blocked; VERIFY with no data reports tries left;
  CHANGE PIN `80 5E 01 00 <len> <old> FF <new>`;
- third generation (spec 3.00): 卡号, 社会保障号码 and 姓名 answer 6982 until the issuer's security step
  (GET CHALLENGE `00 84 00 00 08`, then EXTERNAL AUTHENTICATE `00 82 00 00 10 <cryptogram>`) succeeded;
- fault switches for tests: an unknown application, truncated records, the card pulled after N APDUs.

The vpcd wire protocol: 2-byte big-endian length + payload; a 1-byte payload is a control code (0 off, 1 on,
2 reset, 4 ATR), anything else a C-APDU answered with R-APDU data + SW.
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import secrets
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field

SSSE_AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")  # "sx1.sh." + GBK "社会保障"
ATR = bytes.fromhex("3B6C00000090008655534F3835363231")  # direct convention, T=0, historical bytes made up
DEMO_MASTER_KEY = b"yichuang-demo-issuer-master-key"
WITHHELD_3RD_GEN = (0x07, 0x08, 0x09)  # 卡号, 社会保障号码, 姓名
MAX_TRIES = 3

SW_OK = b"\x90\x00"


def issuer_cryptogram(master_key: bytes, card_id: str, challenge: bytes) -> bytes:
    """What the issuer's security module answers for a card's challenge (16 bytes).

    The card key is derived from the 卡识别码; the same function runs in the reference server's security endpoint
    (devices/sscard/secure.py keeps an identical copy, checked by a test)."""
    card_key = hmac.new(master_key, card_id.encode("ascii"), hashlib.sha256).digest()
    return hmac.new(card_key, challenge + card_id.encode("ascii"), hashlib.sha256).digest()[:16]


def _bcd(digits: str) -> bytes:
    return bytes.fromhex(digits)


def _bcd_pin(pin: str) -> bytes:
    if len(pin) % 2:
        pin += "F"
    return bytes.fromhex(pin)


@dataclass
class CardData:
    card_id: str = "150102D156000005"  # 卡识别码 (16): first 6 = issuing region
    card_type: str = "1"
    spec_version: str = "2.00"
    issuer_org: str = "150102000001"  # 初始化机构编号
    issue_date: str = "20210315"
    expiry_date: str = "20310314"
    card_number: str = "M15012345"
    ssn: str = "15010219800517231X"
    name: str = "乌兰"
    sex: str = "1"  # GB/T 2261.1: 1 男 2 女
    nation: str = "02"  # GB 3304: 02 蒙古族
    birthplace: str = "150102"
    birth_date: str = "19800517"

    def records(self) -> dict[int, dict[int, bytes]]:
        name = self.name.encode("gbk")[:30].ljust(30, b" ")
        return {
            0xEF05: {0x01: self.card_id.encode("ascii"), 0x02: self.card_type.encode("ascii"),
                     0x03: self.spec_version.encode("ascii"), 0x04: self.issuer_org.encode("ascii"),
                     0x05: _bcd(self.issue_date), 0x06: _bcd(self.expiry_date),
                     0x07: self.card_number.encode("ascii")},
            0xEF06: {0x08: self.ssn.encode("ascii"), 0x09: name, 0x0A: self.sex.encode("ascii"),
                     0x0B: self.nation.encode("ascii"), 0x0C: self.birthplace.encode("ascii"),
                     0x0D: _bcd(self.birth_date)},
        }


@dataclass
class VirtualSsCard:
    data: CardData = field(default_factory=CardData)
    pin: str = "123456"
    generation: int = 2
    chain: bool = True  # answer data through 61xx + GET RESPONSE, as T=0 cards do
    chunk: int = 0  # >0: GET RESPONSE hands out at most this many bytes per call (multi-step chaining)
    unknown_app: bool = False  # the card has no SSSE application (a bank card, say)
    truncate: bool = False  # READ RECORD answers lose their last bytes
    master_key: bytes = DEMO_MASTER_KEY
    tries_left: int = MAX_TRIES

    def __post_init__(self) -> None:
        if self.generation == 3:
            self.data.spec_version = "3.00"
        self.reset()

    # -- state -----------------------------------------------------------------------------------------------------
    def reset(self) -> None:
        self.app_selected = False
        self.current_ef: int | None = None
        self.pending = b""
        self.challenge: bytes | None = None
        self.unlocked = False
        self.pin_ok = False

    def atr(self) -> bytes:
        return ATR

    # -- APDU handling ---------------------------------------------------------------------------------------------
    def handle(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return b"\x67\x00"
        cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
        body = apdu[4:]
        lc = body[0] if len(body) > 1 else 0
        data = body[1:1 + lc] if len(body) > 1 else b""
        le = body[0] if len(body) == 1 else (body[1 + lc] if len(body) > 1 + lc else None)
        if len(body) > 1 and len(data) != lc:
            return b"\x67\x00"
        if ins == 0xC0:
            return self._get_response(le or 256)
        self.pending = b""
        if cla not in (0x00, 0x80):
            return b"\x6E\x00"
        if (cla, ins) == (0x00, 0xA4):
            return self._select(p1, data)
        if (cla, ins) == (0x00, 0xB2):
            return self._read_record(p1, p2, le)
        if (cla, ins) == (0x00, 0x20):
            return self._verify(data)
        if (cla, ins) == (0x80, 0x5E):
            return self._change_pin(p1, data)
        if (cla, ins) == (0x00, 0x84):
            if not self.app_selected:
                return b"\x69\x86"
            self.challenge = secrets.token_bytes(le or 8)
            return self._answer(self.challenge)
        if (cla, ins) == (0x00, 0x82):
            return self._external_auth(data)
        return b"\x6D\x00"

    def _answer(self, payload: bytes) -> bytes:
        if not payload:
            return SW_OK
        if not self.chain:
            return payload + SW_OK
        self.pending = payload
        return bytes([0x61, min(len(payload), 256) & 0xFF])

    def _get_response(self, le: int) -> bytes:
        if not self.pending:
            return b"\x69\x85"
        n = min(le, len(self.pending), self.chunk or 256)
        out, self.pending = self.pending[:n], self.pending[n:]
        if self.pending:
            return out + bytes([0x61, min(len(self.pending), 256) & 0xFF])
        return out + SW_OK

    def _select(self, p1: int, data: bytes) -> bytes:
        if p1 == 0x04:
            if self.unknown_app or data != SSSE_AID:
                return b"\x6A\x82"
            self.app_selected, self.current_ef, self.unlocked = True, None, False
            fci = b"\x6F" + bytes([len(SSSE_AID) + 2]) + b"\x84" + bytes([len(SSSE_AID)]) + SSSE_AID
            return self._answer(fci)
        if p1 == 0x02 and len(data) == 2:
            fid = int.from_bytes(data, "big")
            if not self.app_selected or fid not in (0xEF05, 0xEF06):
                return b"\x6A\x82"
            self.current_ef = fid
            return SW_OK
        if p1 == 0x00 and data in (b"\x3F\x00", b""):
            self.app_selected, self.current_ef = False, None
            return SW_OK
        return b"\x6A\x86"

    def _read_record(self, tag: int, p2: int, le: int | None) -> bytes:
        if p2 != 0x04:
            return b"\x6A\x86"
        if self.current_ef is None:
            return b"\x69\x86"
        values = self.data.records()[self.current_ef]
        if tag not in values:
            return b"\x6A\x83"
        if self.generation == 3 and tag in WITHHELD_3RD_GEN and not self.unlocked:
            return b"\x69\x82"
        value = values[tag]
        tlv = bytes([tag, len(value)]) + value
        if le not in (None, 0) and le != len(tlv):
            return bytes([0x6C, len(tlv)])
        if self.truncate:
            tlv = tlv[:-3]
        return self._answer(tlv)

    def _check_pin(self, pin: bytes) -> bytes:
        if self.tries_left <= 0:
            return b"\x69\x83"
        if hmac.compare_digest(pin, _bcd_pin(self.pin)):
            self.tries_left, self.pin_ok = MAX_TRIES, True
            return SW_OK
        self.tries_left -= 1
        self.pin_ok = False
        if self.tries_left <= 0:
            return b"\x69\x83"
        return bytes([0x63, 0xC0 | self.tries_left])

    def _verify(self, data: bytes) -> bytes:
        if not self.app_selected:
            return b"\x69\x86"
        if not data:  # a query: how many tries are left
            return b"\x69\x83" if self.tries_left <= 0 else bytes([0x63, 0xC0 | self.tries_left])
        return self._check_pin(data)

    def _change_pin(self, p1: int, data: bytes) -> bytes:
        if not self.app_selected:
            return b"\x69\x86"
        if p1 != 0x01 or b"\xFF" not in data:
            return b"\x6A\x86"
        old, new = data.split(b"\xFF", 1)
        sw = self._check_pin(old)
        if sw != SW_OK:
            return sw
        digits = new.hex().upper().rstrip("F")
        if not digits.isdigit() or not 6 <= len(digits) <= 12:
            return b"\x6A\x80"
        self.pin = digits
        return SW_OK

    def _external_auth(self, data: bytes) -> bytes:
        if not self.app_selected or self.challenge is None:
            return b"\x69\x85"
        expected = issuer_cryptogram(self.master_key, self.data.card_id, self.challenge)
        self.challenge = None
        if hmac.compare_digest(expected, data):
            self.unlocked = True
            return SW_OK
        return b"\x63\x00"


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        if hasattr(socket, "TCP_QUICKACK"):  # vpcd sends length and payload separately: don't delay our ACKs
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            except OSError:
                pass
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("vpcd closed the connection")
        buf += chunk
    return buf


class VpcdLink:
    """Connects a VirtualSsCard to vpcd: connecting inserts the card, `stop()` pulls it."""

    def __init__(self, card: VirtualSsCard, host: str = "127.0.0.1", port: int = 35963, *,
                 remove_after: int = 0, connect_timeout: float = 10.0, log=None):
        self.card, self.host, self.port = card, host, port
        self.remove_after = remove_after  # >0: after this many APDUs the card is pulled instead of answering
        self.connect_timeout = connect_timeout
        self.apdus = 0
        self.connected = threading.Event()
        self.closed = threading.Event()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = False
        self._log = log

    def start(self) -> "VpcdLink":
        self._thread = threading.Thread(target=self._run_quietly, name="virtual-sscard", daemon=True)
        self._thread.start()
        return self

    def _run_quietly(self) -> None:
        try:
            self.serve()
        except (OSError, ConnectionError):
            pass

    def connect(self) -> socket.socket:
        deadline = time.monotonic() + self.connect_timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=2.0)
                break
            except OSError:
                if self._stop or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(None)
        self._sock = sock
        self.connected.set()
        return sock

    def serve(self) -> None:
        sock = self.connect()
        try:
            while not self._stop:
                (n,) = struct.unpack("!H", _recv_exact(sock, 2))
                msg = _recv_exact(sock, n)
                if n == 1:
                    code = msg[0]
                    if code == 4:
                        sock.sendall(struct.pack("!H", len(self.card.atr())) + self.card.atr())
                    elif code in (0, 1, 2):
                        self.card.reset()
                    continue
                self.apdus += 1
                if self.remove_after and self.apdus >= self.remove_after:
                    break  # pulled while the reader waits for the answer
                reply = self.card.handle(msg)
                if self._log:
                    self._log(f"> {msg.hex(' ').upper()}\n< {reply.hex(' ').upper()}")
                sock.sendall(struct.pack("!H", len(reply)) + reply)
        finally:
            self.closed.set()
            try:
                sock.close()
            except OSError:
                pass

    def stop(self, timeout: float = 2.0) -> None:
        self._stop = True
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._sock.close()
        if self._thread is not None:
            self._thread.join(timeout)


def _refuse_in_production() -> None:
    flag = os.environ.get("YICHUANG_PRODUCTION", "").strip().lower()
    production = flag in ("1", "true", "yes")
    if not flag:
        try:  # run from the source tree or an installed client: honour the terminal's own config
            from app.config import load_settings
            from app.paths import resolve_paths

            production = load_settings(resolve_paths().config_file).production
        except Exception:  # noqa: BLE001 - run standalone: no config to honour
            production = False
    if production:
        print("生产环境（production = true）不允许运行模拟社保卡。", file=sys.stderr)
        raise SystemExit(3)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="虚拟社保卡：连接 vpcd 即插卡，结束进程即拔卡")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=35963)
    p.add_argument("--generation", type=int, choices=(2, 3), default=2)
    p.add_argument("--pin", default="123456")
    p.add_argument("--name", default=CardData.name)
    p.add_argument("--ssn", default=CardData.ssn)
    p.add_argument("--no-chain", action="store_true", help="answer data directly instead of 61xx + GET RESPONSE")
    p.add_argument("--chunk", type=int, default=0)
    p.add_argument("--unknown-app", action="store_true")
    p.add_argument("--truncate", action="store_true")
    p.add_argument("--remove-after", type=int, default=0, help="pull the card on the N-th APDU")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)
    _refuse_in_production()
    card = VirtualSsCard(CardData(name=args.name, ssn=args.ssn), pin=args.pin, generation=args.generation,
                         chain=not args.no_chain, chunk=args.chunk, unknown_app=args.unknown_app,
                         truncate=args.truncate)
    link = VpcdLink(card, args.host, args.port, remove_after=args.remove_after, connect_timeout=30.0,
                    log=(lambda s: print(s, flush=True)) if args.verbose else None)
    try:
        link.serve()
    except (ConnectionError, OSError) as exc:
        print(f"virtual card: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
