"""The social security card reader as a device: a real back-end (PC/SC via pyscard, with a watcher thread for
insert/remove) and a simulated one (an in-process virtual card). Both share SsCardSession.

Events (through the manager's EventHub, on the watcher thread): sscard.inserted {"reader", "atr"},
sscard.removed {"reader"}, sscard.read SsCardRecord (auto-read after insert), sscard.failed DeviceError.
"""
from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from devices.base import DeviceKind, DeviceState, StatefulDevice, call_with_timeout
from devices.errors import DeviceAbsent, DeviceError, DeviceTimeout, NoCard
from devices.sscard.record import SsCardRecord
from devices.sscard.session import SecurityModule, SsCardSession

log = logging.getLogger(__name__)


class SscardDevice(StatefulDevice):
    kind = DeviceKind.sscard

    def __init__(self, *, reader: str = "", auto_read: bool = True, timeout: float = 5.0,
                 security: SecurityModule | None = None):
        super().__init__()
        self.reader_filter = reader
        self.auto_read = auto_read
        self.timeout = timeout
        self.security = security
        self._lock = threading.Lock()
        self.last_record: SsCardRecord | None = None
        self.last_read_ms: float = 0.0

    def set_security_module(self, module: SecurityModule | None) -> None:
        """Third-generation cards: how to reach the issuer's security step (HttpSecurityModule for the central API)."""
        self.security = module

    # -- back-end specifics ----------------------------------------------------------------------------------------
    @contextmanager
    def _session(self, reader: str | None) -> Iterator[SsCardSession]:
        raise NotImplementedError
        yield  # pragma: no cover

    def _idle_reason(self) -> str:
        return ""

    # -- operations (blocking; call them off the GUI thread) -------------------------------------------------------
    def _run(self, op: Callable[[SsCardSession], object], reader: str | None, timeout: float | None, what: str):
        limit = timeout or self.timeout

        def locked():
            if not self._lock.acquire(timeout=limit):
                raise DeviceTimeout("读卡器正忙，请稍后再试。", f"{what}: reader lock held", kind="sscard")
            try:
                self._set_status(DeviceState.busy, f"正在{what}")
                try:
                    with self._session(reader) as session:
                        return op(session)
                finally:
                    self._set_status(DeviceState.ready, self._idle_reason())
            finally:
                self._lock.release()

        return call_with_timeout(locked, limit + 0.5, lambda: DeviceTimeout(
            f"{what}超时（{limit:g} 秒），请重新插卡；仍失败请重新连接读卡器。", f"{what}: no answer in {limit}s"))

    def read_card(self, reader: str | None = None, *, timeout: float | None = None) -> SsCardRecord:
        t0 = time.perf_counter()
        record = self._run(lambda s: s.read_record(self.security), reader, timeout, "读社保卡")
        self.last_read_ms = (time.perf_counter() - t0) * 1000
        self.last_record = record
        log.info("sscard read in %.0f ms (generation %s, withheld %s)", self.last_read_ms, record.generation,
                 list(record.withheld))
        return record

    def verify_pin(self, pin: str, reader: str | None = None) -> None:
        def op(s: SsCardSession) -> None:
            s.select_app()
            s.verify_pin(pin)
        self._run(op, reader, None, "校验社保卡密码")

    def pin_tries(self, reader: str | None = None) -> int:
        def op(s: SsCardSession) -> int:
            s.select_app()
            return s.pin_tries()
        return self._run(op, reader, None, "查询密码次数")

    def change_pin(self, old: str, new: str, reader: str | None = None) -> None:
        def op(s: SsCardSession) -> None:
            s.select_app()
            s.change_pin(old, new)
        self._run(op, reader, None, "修改社保卡密码")

    # -- events ----------------------------------------------------------------------------------------------------
    def _card_inserted(self, reader: str, atr: bytes) -> None:
        self._emit("sscard.inserted", {"reader": reader, "atr": atr.hex().upper(), "at": time.time()})
        self._set_status(DeviceState.ready, self._idle_reason())
        if not self.auto_read:
            return
        try:
            record = self.read_card(reader)
        except DeviceError as exc:
            log.info("auto-read failed: %s", exc.detail)
            self._emit("sscard.failed", exc)
        else:
            self._emit("sscard.read", record)

    def _card_removed(self, reader: str) -> None:
        self._emit("sscard.removed", {"reader": reader, "at": time.time()})
        self._set_status(DeviceState.ready, self._idle_reason())


class PcscSscardDevice(SscardDevice):
    """pcscd + a PC/SC reader (or vpcd in tests)."""

    backend = "real"

    def __init__(self, **kw):
        super().__init__(**kw)
        self._watcher = None
        self.readers: list[str] = []
        self._watch_error: DeviceError | None = None

    def _matching(self, names: list[str]) -> list[str]:
        f = self.reader_filter.lower()
        return [n for n in names if f in n.lower()] if f else names

    def _idle_reason(self) -> str:
        if not self.readers:
            return "未发现读卡器"
        w = self._watcher
        cards = [r for r in self.readers if w and r in w.present]
        return f"{self.readers[0]}：{'已插卡' if cards else '未插卡'}"

    def open(self):
        from devices.pcsc import PcscContext

        try:
            ctx = PcscContext()
            try:
                self.readers = self._matching(ctx.readers())
            finally:
                ctx.release()
        except DeviceError as exc:
            return self._set_status(DeviceState.error if exc.code == "pcsc_no_service" else DeviceState.absent,
                                    exc.user_message)
        if self._watcher is None:
            self._start_watcher()
        if not self.readers:
            return self._set_status(DeviceState.absent, "未发现社保卡读卡器" +
                                    (f"（{self.reader_filter}）" if self.reader_filter else ""))
        return self._set_status(DeviceState.ready, self._idle_reason())

    def _start_watcher(self) -> None:
        from devices.pcsc import CardWatcher

        def on_readers(names: list[str]) -> None:
            self.readers = names
            if not names:
                self._set_status(DeviceState.absent, "未发现社保卡读卡器")
            elif self._status.state is not DeviceState.busy:
                self._set_status(DeviceState.ready, self._idle_reason())

        def on_error(exc: DeviceError | None) -> None:
            self._watch_error = exc
            if exc is not None:
                self._set_status(DeviceState.error, exc.user_message)

        self._watcher = CardWatcher(reader_filter=self.reader_filter, on_insert=self._card_inserted,
                                    on_remove=self._card_removed, on_readers=on_readers, on_error=on_error)
        self._watcher.start()

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        self._set_status(DeviceState.absent, "已关闭")

    def _pick_reader(self, ctx, reader: str | None) -> str:
        names = ctx.readers()
        if reader:
            if reader not in names:
                found = [n for n in names if reader.lower() in n.lower()]
                if not found:
                    raise DeviceAbsent(f"未找到读卡器“{reader}”，请检查读卡器连接。", f"reader {reader!r} not in {names}",
                                       code="no_reader")
                reader = found[0]
            return reader
        names = self._matching(names)
        if not names:
            raise DeviceAbsent("未发现社保卡读卡器，请检查读卡器连接。", "no PC/SC reader", code="no_reader")
        for name in names:  # the reader that holds a card
            if ctx.card_present(name) is not None:
                return name
        raise NoCard("读卡器中没有社保卡，请插卡（芯片朝上）。", f"no card in {names}")

    @contextmanager
    def _session(self, reader: str | None) -> Iterator[SsCardSession]:
        from devices.pcsc import PcscContext

        ctx = PcscContext()
        try:
            name = self._pick_reader(ctx, reader)
            card = ctx.connect(name)
            try:
                yield SsCardSession(card, atr=card.atr, reader=name)
            finally:
                card.disconnect()
        finally:
            ctx.release()


class _DirectTransport:
    """APDUs straight into an in-process VirtualSsCard; an absent card answers nothing."""

    def __init__(self, device: "SimSscardDevice"):
        self.device = device

    def transmit(self, apdu: bytes) -> bytes:
        card = self.device.card
        if card is None:
            return b""
        return card.handle(apdu)


class SimSscardDevice(SscardDevice):
    """A simulated reader holding a virtual card (demo terminals, GUI tests). insert()/remove() drive it."""

    backend = "sim"
    READER = "模拟社保卡读卡器"

    def __init__(self, card=None, *, inserted: bool = True, **kw):
        from devices.sim.virtual_sscard import VirtualSsCard
        from devices.sscard.secure import SimSecurityModule

        kw.setdefault("security", SimSecurityModule())
        kw.setdefault("auto_read", True)
        super().__init__(**kw)
        self._demo_card = card or VirtualSsCard()
        self.card = self._demo_card if inserted else None

    def _idle_reason(self) -> str:
        return f"{self.READER}：{'已插卡' if self.card else '未插卡'}"

    def open(self):
        return self._set_status(DeviceState.ready, self._idle_reason())

    def close(self) -> None:
        self._set_status(DeviceState.absent, "已关闭")

    def insert(self, card=None) -> None:
        """Put a card in (the demo card by default) and, like a real reader, report it and auto-read it."""
        self.card = card or self._demo_card
        self.card.reset()
        threading.Thread(target=self._card_inserted, args=(self.READER, self.card.atr()), daemon=True,
                         name="sim-sscard-insert").start()

    def remove(self) -> None:
        self.card = None
        self._card_removed(self.READER)

    @contextmanager
    def _session(self, reader: str | None) -> Iterator[SsCardSession]:
        if self.card is None:
            raise NoCard("读卡器中没有社保卡，请插卡（芯片朝上）。", "sim: no card")
        self.card.reset()
        yield SsCardSession(_DirectTransport(self), atr=self.card.atr(), reader=self.READER)
