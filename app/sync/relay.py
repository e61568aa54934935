"""Outbox relay: a background thread that sends committed outbox messages to the central API in order, exactly once
(the server deduplicates by Idempotency-Key), pausing while the network is down and probing until it returns."""
from __future__ import annotations

import logging
import random
import socket
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from sqlalchemy import func, or_, select, update

from app.clock import as_utc, utcnow
from app.config import TerminalConfig
from app.errors import NetworkUnavailable, ServerRejected
from app.store import Store
from app.store.models import AuditRecord, Case, LocalSetting, OutboxMessage
from app.sync.client import CentralApi

log = logging.getLogger(__name__)
TOKEN_KEY = "terminal_token"
BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 300.0


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None  # None = not probed yet
    pending: int
    failed: int
    last_error: str | None = None
    server_version: str | None = None


def full_jitter_delay(attempts: int, rng: random.Random = random._inst) -> float:  # type: ignore[attr-defined]
    """AWS 'full jitter': uniform(0, min(cap, base·2^n)) — retries of many terminals don't arrive together."""
    return rng.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** max(0, attempts - 1)))


class OutboxRelay:
    def __init__(self, store: Store, api: CentralApi, terminal: TerminalConfig, *, probe_interval: float = 5.0,
                 enrolment_code: str | None = None, on_status: Callable[[SyncStatus], None] | None = None):
        self.store = store
        self.api = api
        self.terminal = terminal
        self.probe_interval = probe_interval
        self.enrolment_code = enrolment_code
        self.on_status = on_status
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.online: bool | None = None
        self.server_version: str | None = None
        self.last_error: str | None = None

    # -- lifecycle -------------------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """Called after a case is saved so it leaves at once instead of at the next poll."""
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # the relay must outlive any single bad message or bug
                log.exception("outbox relay pass failed")
            self._wake.wait(self.probe_interval)
            self._wake.clear()

    # -- one pass --------------------------------------------------------------------------------------------------
    def run_once(self) -> int:
        """Probe, register if needed, then send what is due. Returns the number of messages delivered."""
        sent = 0
        if self._probe():
            try:
                self._ensure_token()
                sent = self._drain()
                self._upload_audit()
            except NetworkUnavailable as exc:
                self._set_offline(exc.detail)
            except ServerRejected as exc:
                self.last_error = exc.user_message
                log.warning("central API refused terminal registration: %s", exc.detail)
        self._publish()
        return sent

    def _probe(self) -> bool:
        try:
            info = self.api.health()
        except (NetworkUnavailable, ServerRejected) as exc:
            self._set_offline(exc.detail)
            return False
        if self.online is not True:
            log.info("central API reachable", extra={"server_version": info.get("server_version")})
        self.online, self.server_version = True, info.get("server_version")
        return True

    def _set_offline(self, detail: str) -> None:
        if self.online is not False:
            log.warning("central API unreachable, working offline: %s", detail)
        self.online = False

    def _ensure_token(self) -> None:
        with self.store.session() as s:
            row = s.get(LocalSetting, TOKEN_KEY)
            token = row.value if row else None
        if not token:
            reply = self.api.register_terminal(terminal_id=self.terminal.terminal_id,
                                               agency_code=self.terminal.agency_code,
                                               region_code=self.terminal.region_code, mode=self.terminal.mode.value,
                                               hostname=socket.gethostname(), enrolment_code=self.enrolment_code)
            token = reply["terminal_token"]
            with self.store.session() as s:
                s.merge(LocalSetting(key=TOKEN_KEY, value=token))
            log.info("terminal registered with central API")
        self.api.token = token

    def _due(self) -> list[OutboxMessage]:
        now = utcnow()
        with self.store.session() as s:
            return list(s.scalars(select(OutboxMessage)
                                  .where(OutboxMessage.state == "pending",
                                         or_(OutboxMessage.next_attempt_at.is_(None),
                                             OutboxMessage.next_attempt_at <= now))
                                  .order_by(OutboxMessage.seq)))

    def _drain(self) -> int:
        sent = 0
        for msg in self._due():
            if self._stop.is_set():
                break
            if msg.depends_on and not self._is_sent(msg.depends_on):
                continue
            try:
                status, body = self.api.send(msg.method, msg.path, msg.body, msg.idempotency_key)
            except NetworkUnavailable:
                raise
            except ServerRejected as exc:
                if exc.status == 401:
                    self._forget_token()
                    self._record_attempt(msg, exc, retry=True)
                    break
                self._record_attempt(msg, exc, retry=exc.retryable)
                if exc.retryable:
                    break  # keep order: later messages wait for this one
                continue
            self._mark_sent(msg, status, body)
            sent += 1
        return sent

    def _upload_audit(self, batch: int = 500) -> int:
        """Audit records go to the central audit store in id order; the server ignores ones it already has."""
        uploaded = 0
        while True:
            with self.store.session() as s:
                rows = list(s.scalars(select(AuditRecord).where(AuditRecord.uploaded.is_(False))
                                      .order_by(AuditRecord.id).limit(batch)))
                records = [{"local_id": r.id, "at": as_utc(r.at).isoformat(), "operator_id": r.operator_id,
                            "action": r.action, "object_type": r.object_type, "object_id": r.object_id,
                            "detail": r.detail, "prev_hash": r.prev_hash, "hash": r.hash} for r in rows]
            if not records:
                return uploaded
            self.api.upload_audit(self.terminal.terminal_id, records)
            with self.store.session() as s:
                s.execute(update(AuditRecord).where(AuditRecord.id.in_([r["local_id"] for r in records]))
                          .values(uploaded=True))
            uploaded += len(records)

    def _is_sent(self, message_id: str) -> bool:
        with self.store.session() as s:
            return s.scalar(select(OutboxMessage.state).where(OutboxMessage.message_id == message_id)) == "sent"

    def _forget_token(self) -> None:
        with self.store.session() as s:
            row = s.get(LocalSetting, TOKEN_KEY)
            if row:
                s.delete(row)
        self.api.token = None

    def _record_attempt(self, msg: OutboxMessage, exc: ServerRejected, *, retry: bool) -> None:
        now = utcnow()
        with self.store.session() as s:
            m = s.get(OutboxMessage, msg.seq)
            m.attempts += 1
            m.last_attempt_at = now
            m.last_error = exc.detail[:1000]
            m.server_status = exc.status
            if retry:
                m.next_attempt_at = now + timedelta(seconds=full_jitter_delay(m.attempts))
            else:
                m.state = "failed"  # fatal for this item: a person must look at it
                case = s.get(Case, m.aggregate_id)
                if case:
                    case.sync_state = "failed"
        self.last_error = exc.user_message
        log.warning("outbox message %s refused (%s): %s", msg.message_id, exc.status, exc.detail)

    def _mark_sent(self, msg: OutboxMessage, status: int, body: dict) -> None:
        now = utcnow()
        with self.store.session() as s:
            m = s.get(OutboxMessage, msg.seq)
            m.state, m.sent_at, m.server_status = "sent", now, status
            m.attempts += 1
            m.last_attempt_at = now
            m.last_error = None
            case = s.get(Case, m.aggregate_id)
            if case and m.kind == "case.submit":
                case.sync_state = "synced"
                case.server_ref = body.get("server_ref")
        log.info("outbox message delivered", extra={"message_id": msg.message_id, "http_status": status})

    def status(self) -> SyncStatus:
        with self.store.session() as s:
            counts = dict(s.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all())
        return SyncStatus(self.online, counts.get("pending", 0), counts.get("failed", 0), self.last_error,
                          self.server_version)

    def _publish(self) -> None:
        if self.on_status:
            try:
                self.on_status(self.status())
            except Exception:
                log.exception("sync status listener failed")


__all__ = ["OutboxRelay", "SyncStatus", "full_jitter_delay", "as_utc"]
