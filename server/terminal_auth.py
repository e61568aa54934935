"""Which terminal sent a request: the registered Ed25519 public keys of the terminals (their own table) and the ASGI
middleware that verifies each request's X-Terminal-Id / X-Timestamp / X-Nonce / X-Signature against them
(app.security.terminal_keys.canonical_request), refusing unsigned, badly signed, stale or replayed requests and
requests of unknown terminals with 401 and the error envelope. Health, terminal registration, the API documents,
public update downloads and public certificate verification stay open."""
from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

import anyio
from sqlalchemy import Engine, String
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.security.terminal_keys import (H_NONCE, H_SIGNATURE, H_TERMINAL, H_TIMESTAMP, canonical_request, key_id,
                                        load_public_key, verify)
from server.db import UTCDateTime, utcnow
from server.models import Base

log = logging.getLogger("yichuang.server.terminal_auth")

MAX_SKEW_SECONDS = 300  # a request's X-Timestamp may differ this much from the server's clock
KEY_CACHE_SECONDS = 30.0  # a replaced or revoked key is seen by every worker within this
OPEN_PATHS = {"/api/v1/health", "/api/v1/terminals/register", "/openapi.json", "/docs", "/docs/oauth2-redirect",
              "/redoc"}
OPEN_GET_PREFIXES = ("/api/v1/updates/", "/api/v1/certificates/")  # signed manifests/packages; QR verification


class TerminalPublicKey(Base):
    """The public key a terminal registered (issue 11); one per terminal, replaced by a re-registration."""

    __tablename__ = "terminal_public_keys"

    terminal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))  # base64 of the 32 raw Ed25519 bytes
    key_id: Mapped[str] = mapped_column(String(16))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


def create_tables(engine: Engine) -> None:
    try:
        Base.metadata.create_all(engine, tables=[TerminalPublicKey.__table__])
    except DBAPIError:  # another worker created it at the same moment
        if not engine.dialect.has_table(engine.connect(), TerminalPublicKey.__tablename__):
            raise


# --- registration (called by server.api.register_terminal inside its transaction) -------------------------------

class KeyRefused(Exception):
    """A different key for a terminal that has one, without proof: the caller answers 403."""


def bind_key(s: Session, terminal_id: str, public_key: str | None, *, signed_by_terminal: bool,
             fresh_enrolment: bool, open_enrolment: bool) -> str | None:
    """Record `public_key` for `terminal_id`; returns its key id. A terminal that has a key may replace it only by a
    request signed with that key (rotation), with an enrolment code not used before (re-enrolment by the
    administrator), or on a server that enrols any terminal (demo)."""
    row = s.get(TerminalPublicKey, terminal_id)
    if public_key is None:
        return row.key_id if row is not None else None
    load_public_key(public_key)  # ValueError: not a key (the schema's pattern lets only the length through)
    now = utcnow()
    kid = key_id(public_key)
    if row is None:
        s.add(TerminalPublicKey(terminal_id=terminal_id, public_key=public_key, key_id=kid, registered_at=now,
                                updated_at=now))
    elif row.public_key != public_key:
        if not (signed_by_terminal or fresh_enrolment or open_enrolment):
            raise KeyRefused(f"terminal {terminal_id} has key {row.key_id}; new key {kid} not proven")
        log.warning("terminal %s key replaced: %s -> %s (%s)", terminal_id, row.key_id, kid,
                    "signed by the old key" if signed_by_terminal else
                    "fresh enrolment code" if fresh_enrolment else "open enrolment")
        row.public_key, row.key_id, row.updated_at = public_key, kid, now
    _forget_cached(terminal_id)
    return kid


# --- the middleware -----------------------------------------------------------------------------------------------

_REFUSALS = {
    "signature_required": "请求未经终端签名，中心系统拒绝受理。请使用已登记的一窗终端。",
    "terminal_unknown": "该终端尚未在中心系统登记签名密钥，请重新登记终端后重试。",
    "signature_invalid": "终端签名校验失败，中心系统拒绝受理该请求。",
    "signature_stale": "本机时间与中心系统相差过大，请求已被拒绝。请校准系统时间后重试。",
    "signature_replayed": "重复的请求已被拒绝。",
}

_cache_lock = threading.Lock()
_key_cache: dict[tuple[int, str], tuple[str | None, float]] = {}  # (id(sessions), terminal) → (key, fetched at)


def _forget_cached(terminal_id: str) -> None:
    with _cache_lock:
        for k in [k for k in _key_cache if k[1] == terminal_id]:
            del _key_cache[k]


def _lookup_key(sessions, terminal_id: str) -> str | None:
    cache_key = (id(sessions), terminal_id)
    with _cache_lock:
        hit = _key_cache.get(cache_key)
    if hit is not None and time.monotonic() - hit[1] < KEY_CACHE_SECONDS:
        return hit[0]
    with sessions() as s:
        row = s.get(TerminalPublicKey, terminal_id)
        key = row.public_key if row is not None else None
    with _cache_lock:
        _key_cache[cache_key] = (key, time.monotonic())
    return key


@dataclass
class _Verdict:
    terminal_id: str | None = None  # set when the signature was verified
    refusal: str | None = None  # an error code of _REFUSALS
    detail: str = ""


class TerminalSignatureMiddleware:
    """Verifies terminal signatures. With `app.state.settings.require_signatures` every non-open request must be
    signed; without it unsigned requests (and signed ones of terminals that registered no key) pass as before, but
    a signature that is present and wrong is always refused."""

    def __init__(self, app, max_skew: int = MAX_SKEW_SECONDS, clock=time.time):
        self.app = app
        self.max_skew = max_skew
        self.clock = clock
        self._nonces: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._nonce_lock = threading.Lock()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        method = scope.get("method", "GET")
        is_open = (path in OPEN_PATHS or not path.startswith("/api/")
                   or (method in ("GET", "HEAD") and path.startswith(OPEN_GET_PREFIXES)))
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        signed = H_SIGNATURE.lower() in headers
        outer_app = scope.get("app")
        settings = getattr(getattr(outer_app, "state", None), "settings", None)
        required = bool(getattr(settings, "require_signatures", False))
        if not signed and (is_open or not required):
            await self.app(scope, receive, send)
            return
        body, receive = await _buffer(receive)
        if not signed:
            verdict = _Verdict(refusal="signature_required", detail="request has no X-Signature")
        else:
            verdict = await self._verify(scope, headers, body, outer_app.state.sessions, required)
        if verdict.terminal_id:
            scope.setdefault("state", {})["terminal_id"] = verdict.terminal_id
        if verdict.refusal and not is_open:
            log.warning("terminal signature refused: %s %s terminal=%s reason=%s: %s", method, path,
                        headers.get(H_TERMINAL.lower(), "-")[:64], verdict.refusal, verdict.detail)
            await _refuse(send, verdict.refusal, verdict.detail)
            return
        await self.app(scope, receive, send)

    async def _verify(self, scope, headers: dict[str, str], body: bytes, sessions, required: bool) -> _Verdict:
        terminal_id = headers.get(H_TERMINAL.lower(), "")
        ts, nonce, sig = (headers.get(h.lower(), "") for h in (H_TIMESTAMP, H_NONCE, H_SIGNATURE))
        if not (terminal_id and ts.isdigit() and nonce and len(nonce) <= 64 and len(terminal_id) <= 64):
            return _Verdict(refusal="signature_invalid", detail="incomplete signature headers")
        skew = abs(self.clock() - int(ts))
        if skew > self.max_skew:
            return _Verdict(refusal="signature_stale", detail=f"timestamp off by {int(skew)} s (max {self.max_skew})")
        public_key = await anyio.to_thread.run_sync(_lookup_key, sessions, terminal_id)
        if public_key is None:
            if not required:
                return _Verdict()  # an old registration without a key, on a server that does not insist
            return _Verdict(refusal="terminal_unknown", detail=f"no public key registered for terminal {terminal_id}")
        raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8")
        message = canonical_request(scope.get("method", "GET"), raw_path.split(b"?", 1)[0],
                                    scope.get("query_string", b""), ts, nonce, terminal_id, body)
        if not verify(public_key, sig, message):
            return _Verdict(refusal="signature_invalid",
                            detail=f"signature does not verify with key {key_id(public_key)} of {terminal_id}")
        if not self._fresh_nonce(terminal_id, nonce):
            return _Verdict(refusal="signature_replayed", detail="nonce already seen")
        return _Verdict(terminal_id=terminal_id)

    def _fresh_nonce(self, terminal_id: str, nonce: str) -> bool:
        """Each (terminal, nonce) once within the skew window (per process; the window bounds what a replay gains)."""
        now = time.monotonic()
        with self._nonce_lock:
            while self._nonces and next(iter(self._nonces.values())) < now:
                self._nonces.popitem(last=False)
            if (terminal_id, nonce) in self._nonces:
                return False
            self._nonces[(terminal_id, nonce)] = now + 2 * self.max_skew
            return True


async def _buffer(receive):
    """Read the whole body, and a `receive` that hands it to the app again."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


async def _refuse(send, code: str, detail: str) -> None:
    payload = json.dumps({"error": {"code": code, "message": _REFUSALS[code], "detail": detail}},
                         ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 401,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            (b"www-authenticate", b"YC1-Ed25519")]})
    await send({"type": "http.response.body", "body": payload})


def signed_terminal(request) -> str | None:
    """The terminal whose signature the middleware verified for this request, if any."""
    return getattr(request.state, "terminal_id", None)
