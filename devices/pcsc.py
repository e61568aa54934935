"""PC/SC through pyscard's low-level `smartcard.scard` API: reader listing, card connections and a watcher thread
that reports reader and card changes (SCardGetStatusChange, cancellable, with timeouts).

pcscd + vpcd quirks handled here (../shared/notes/toolchain.md): a card pulled mid-command answers with 0 bytes
(the session treats that as removal); after a card vanished pcscd may still show it until its next poll, so a
connection failing with UNPOWERED/REMOVED is reported as "no card", not as a fault.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from devices.errors import CardRemoved, DeviceAbsent, DeviceError, NoCard

log = logging.getLogger(__name__)

PNP_READER = "\\\\?PnP?\\Notification"


def _sc():
    try:
        from smartcard import scard
    except ImportError as exc:
        raise DeviceAbsent("未安装 PC/SC 支持库（pyscard），无法使用社保卡读卡器。", repr(exc)) from exc
    return scard


def _hr(value: int) -> int:
    return value & 0xFFFFFFFF


def error_text(hresult: int) -> str:
    try:
        return _sc().SCardGetErrorMessage(hresult)
    except Exception:  # noqa: BLE001
        return f"0x{_hr(hresult):08X}"


def map_error(hresult: int, what: str) -> DeviceError:
    sc = _sc()
    hr = _hr(hresult)
    detail = f"{what}: {error_text(hresult)} (0x{hr:08X})"
    if hr in (_hr(sc.SCARD_E_NO_SERVICE), _hr(sc.SCARD_E_SERVICE_STOPPED)):
        return DeviceAbsent("智能卡服务 pcscd 未运行，请联系管理员启动（sudo systemctl start pcscd）。", detail,
                            code="pcsc_no_service")
    if hr in (_hr(sc.SCARD_E_NO_READERS_AVAILABLE), _hr(sc.SCARD_E_UNKNOWN_READER),
              _hr(sc.SCARD_E_READER_UNAVAILABLE)):
        return DeviceAbsent("未发现社保卡读卡器，请检查读卡器连接。", detail, code="no_reader")
    if hr in (_hr(sc.SCARD_E_NO_SMARTCARD), _hr(sc.SCARD_W_UNPOWERED_CARD)):
        return NoCard("读卡器中没有社保卡，请插卡（芯片朝上）。", detail)
    if hr in (_hr(sc.SCARD_W_REMOVED_CARD), _hr(sc.SCARD_W_RESET_CARD), _hr(sc.SCARD_E_NOT_TRANSACTED),
              _hr(sc.SCARD_E_INVALID_HANDLE)):
        return CardRemoved("读卡过程中社保卡被拔出，请重新插卡。", detail)
    if hr in (_hr(sc.SCARD_W_UNRESPONSIVE_CARD), _hr(sc.SCARD_E_PROTO_MISMATCH)):
        return DeviceError("社保卡无应答：请确认插入的是社保卡且芯片朝上，或换一张卡试试。", detail, code="card_mute")
    if hr == _hr(sc.SCARD_E_SHARING_VIOLATION):
        return DeviceError("读卡器正被其他程序占用，请关闭其他读卡程序后重试。", detail, code="reader_busy")
    if hr == _hr(sc.SCARD_E_TIMEOUT):
        return DeviceError("读卡超时，请重新插卡。", detail, code="device_timeout")
    return DeviceError(f"读卡器错误：{error_text(hresult)}", detail, code="pcsc_error")


class PcscContext:
    """One SCardEstablishContext. Not shared between threads."""

    def __init__(self) -> None:
        sc = _sc()
        hr, self.handle = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
        if hr != sc.SCARD_S_SUCCESS:
            raise map_error(hr, "SCardEstablishContext")

    def readers(self) -> list[str]:
        sc = _sc()
        hr, names = sc.SCardListReaders(self.handle, [])
        if _hr(hr) == _hr(sc.SCARD_E_NO_READERS_AVAILABLE):
            return []
        if hr != sc.SCARD_S_SUCCESS:
            raise map_error(hr, "SCardListReaders")
        return list(names)

    def connect(self, reader: str) -> "PcscCard":
        sc = _sc()
        hr, hcard, protocol = sc.SCardConnect(self.handle, reader, sc.SCARD_SHARE_SHARED,
                                              sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1)
        if hr != sc.SCARD_S_SUCCESS:
            raise map_error(hr, f"SCardConnect {reader}")
        hr, _name, _state, _proto, atr = sc.SCardStatus(hcard)
        if hr != sc.SCARD_S_SUCCESS:
            sc.SCardDisconnect(hcard, sc.SCARD_LEAVE_CARD)
            raise map_error(hr, "SCardStatus")
        return PcscCard(hcard, protocol, bytes(atr), reader)

    def card_present(self, reader: str) -> bytes | None:
        """The ATR when a card is present in `reader`, else None (non-blocking)."""
        sc = _sc()
        hr, states = sc.SCardGetStatusChange(self.handle, 0, [(reader, sc.SCARD_STATE_UNAWARE)])
        if hr != sc.SCARD_S_SUCCESS:
            raise map_error(hr, "SCardGetStatusChange")
        _, event, atr = states[0]
        return bytes(atr) if event & sc.SCARD_STATE_PRESENT and not event & sc.SCARD_STATE_MUTE else None

    def cancel(self) -> None:
        try:
            _sc().SCardCancel(self.handle)
        except Exception:  # noqa: BLE001
            pass

    def release(self) -> None:
        try:
            _sc().SCardReleaseContext(self.handle)
        except Exception:  # noqa: BLE001
            pass


class PcscCard:
    """A connected card: the ApduTransport of devices.sscard.session."""

    def __init__(self, hcard, protocol: int, atr: bytes, reader: str):
        self.hcard, self.protocol, self.atr, self.reader = hcard, protocol, atr, reader

    def transmit(self, apdu: bytes) -> bytes:
        sc = _sc()
        hr, response = sc.SCardTransmit(self.hcard, self.protocol, list(apdu))
        if hr != sc.SCARD_S_SUCCESS:
            raise map_error(hr, f"SCardTransmit {apdu[:4].hex()}")
        return bytes(response)

    def disconnect(self) -> None:
        sc = _sc()
        try:  # LEAVE_CARD: dropping the handle would power the card off for everyone else
            sc.SCardDisconnect(self.hcard, sc.SCARD_LEAVE_CARD)
        except Exception:  # noqa: BLE001
            pass


def list_pcsc_readers() -> list[str]:
    """Reader names; raises RuntimeError with a Chinese reason when PC/SC is unavailable (doctor uses this)."""
    try:
        ctx = PcscContext()
    except DeviceError as exc:
        raise RuntimeError(exc.user_message.split("，")[0] if exc.code == "pcsc_no_service" else exc.user_message) \
            from exc
    try:
        return ctx.readers()
    except DeviceError as exc:
        raise RuntimeError(exc.user_message) from exc
    finally:
        ctx.release()


class CardWatcher:
    """A thread that waits on SCardGetStatusChange and calls back on insert / remove / reader changes.

    Callbacks run on the watcher thread: `on_insert(reader, atr)`, `on_remove(reader)`, `on_readers(names)`,
    `on_error(DeviceError | None)` (None = recovered). The thread survives pcscd restarts (it re-establishes its
    context every `retry` seconds) and stops within `poll_ms` after stop()."""

    def __init__(self, *, reader_filter: str = "", on_insert: Callable[[str, bytes], None] | None = None,
                 on_remove: Callable[[str], None] | None = None,
                 on_readers: Callable[[list[str]], None] | None = None,
                 on_error: Callable[[DeviceError | None], None] | None = None, poll_ms: int = 500,
                 retry: float = 2.0):
        self.reader_filter = reader_filter
        self.on_insert, self.on_remove, self.on_readers, self.on_error = on_insert, on_remove, on_readers, on_error
        self.poll_ms, self.retry = poll_ms, retry
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ctx: PcscContext | None = None
        self.present: dict[str, bytes] = {}  # reader → ATR of the card in it

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sscard-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        ctx = self._ctx
        if ctx is not None:
            ctx.cancel()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _call(self, fn, *args) -> None:
        if fn is None:
            return
        try:
            fn(*args)
        except Exception:  # noqa: BLE001 - a listener failure must not end the watcher
            log.exception("card watcher callback failed")

    def _matching(self, names: list[str]) -> list[str]:
        return [n for n in names if self.reader_filter.lower() in n.lower()] if self.reader_filter else names

    def _run(self) -> None:
        sc = _sc()
        failed = False
        while not self._stop.is_set():
            try:
                self._ctx = PcscContext()
                if failed:
                    self._call(self.on_error, None)
                    failed = False
                self._watch(sc, self._ctx)
            except DeviceError as exc:
                if not failed:
                    log.warning("card watcher: %s", exc.detail)
                    self._call(self.on_error, exc)
                failed = True
                for reader in list(self.present):
                    self.present.pop(reader, None)
                    self._call(self.on_remove, reader)
            finally:
                if self._ctx is not None:
                    self._ctx.release()
                    self._ctx = None
            self._stop.wait(self.retry if failed else 0.05)

    def _watch(self, sc, ctx: PcscContext) -> None:
        readers = self._matching(ctx.readers())
        self._call(self.on_readers, readers)
        states = [(r, sc.SCARD_STATE_UNAWARE) for r in readers] + [(PNP_READER, sc.SCARD_STATE_UNAWARE)]
        while not self._stop.is_set():
            hr, new = sc.SCardGetStatusChange(ctx.handle, self.poll_ms, states)
            if _hr(hr) == _hr(sc.SCARD_E_TIMEOUT):
                continue
            if _hr(hr) == _hr(sc.SCARD_E_CANCELLED) or self._stop.is_set():
                return
            if _hr(hr) == _hr(sc.SCARD_E_UNKNOWN_READER):
                return  # a reader went away between listing and watching: list again
            if hr != sc.SCARD_S_SUCCESS:
                raise map_error(hr, "SCardGetStatusChange")
            reader_set_changed = False
            next_states = []
            for reader, event, atr in new:
                if reader == PNP_READER:
                    if event & sc.SCARD_STATE_CHANGED:
                        reader_set_changed = True
                    next_states.append((reader, event & ~sc.SCARD_STATE_CHANGED))
                    continue
                if event & sc.SCARD_STATE_UNAVAILABLE or event & sc.SCARD_STATE_IGNORE:
                    reader_set_changed = True
                present = bool(event & sc.SCARD_STATE_PRESENT) and not event & sc.SCARD_STATE_MUTE
                if present and (reader not in self.present or self.present[reader] != bytes(atr)):
                    self.present[reader] = bytes(atr)
                    self._call(self.on_insert, reader, bytes(atr))
                elif not present and reader in self.present:
                    self.present.pop(reader, None)
                    self._call(self.on_remove, reader)
                next_states.append((reader, event & ~sc.SCARD_STATE_CHANGED))
            states = next_states
            if reader_set_changed:
                names = self._matching(ctx.readers())
                if set(names) != {s[0] for s in states if s[0] != PNP_READER}:
                    for reader in [r for r in self.present if r not in names]:
                        self.present.pop(reader, None)
                        self._call(self.on_remove, reader)
                    return  # re-enter with the new reader list
