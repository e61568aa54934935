"""Outbox relay: the sync engine. A background thread (never the UI thread) that sends committed outbox messages to
the central API exactly once (the server deduplicates by Idempotency-Key), in dependency order, case submissions in
batches; pauses while the network is down and probes until it returns; backs off with full jitter when the server
fails; marks an item that the server refuses for good as failed (its dependants wait, everything else goes on); pulls
the central verdicts on its cases and the reference data; and uploads the audit log.

Crash safety: a message is claimed (`inflight`, committed) before a byte leaves and its outcome is committed after
the answer; whatever a killed process left `inflight` is re-examined at the next start and sent again under the same
key. See app.sync.outbox for the states."""
from __future__ import annotations

import logging
import random
import socket
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from sqlalchemy import select, update

from app.clock import as_utc
from app.config import SyncConfig, TerminalConfig
from app.errors import NetworkUnavailable, ServerRejected
from app.store import Store
from app.store.models import AuditRecord, LocalSetting, Operator
from app.sync import guardrails, outbox
from app.sync.client import CentralApi
from app.sync.outbox import (ATTACHMENT_UPLOAD, CASE_SUBMIT, PERSON_UPDATE, SENT, Claimed, Outcome, claim,
                             recover_inflight)

log = logging.getLogger(__name__)
TOKEN_KEY = "terminal_token"
BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 300.0
MAX_BATCH = 500
RESUMABLE_UPLOAD_ERRORS = ("chunk_hash_mismatch", "file_hash_mismatch", "chunks_missing")


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None  # None = not probed yet
    pending: int
    failed: int
    last_error: str | None = None
    server_version: str | None = None
    conflicts: int = 0  # person data changed centrally meanwhile: the clerk chooses
    rejected: int = 0  # delivered, but the centre rejected it or wants a correction
    last_success: datetime | None = None  # last time something was delivered
    capture: str = "ok"  # offline guardrail: ok / warn / block
    capture_message: str = ""


def full_jitter_delay(attempts: int, rng: random.Random = random._inst,  # type: ignore[attr-defined]
                      base: float = BACKOFF_BASE_S, cap: float = BACKOFF_CAP_S) -> float:
    """AWS 'full jitter': uniform(0, min(cap, base·2^n)) — retries of many terminals don't arrive together."""
    return rng.uniform(0, min(cap, base * 2 ** max(0, attempts - 1)))


def _retryable(exc: ServerRejected) -> bool:
    return exc.retryable or (exc.status == 409 and exc.code == "conflict")  # the server's "try again" race answer


class OutboxRelay:
    def __init__(self, store: Store, api: CentralApi, terminal: TerminalConfig, *, probe_interval: float = 5.0,
                 enrolment_code: str | None = None, on_status: Callable[[SyncStatus], None] | None = None,
                 sync: SyncConfig | None = None, attachments_dir: Path | None = None,
                 rng: random.Random | None = None, operator_id: str | None = None):
        self.store = store
        self.api = api
        self.terminal = terminal
        self.probe_interval = probe_interval
        self.enrolment_code = enrolment_code
        self.on_status = on_status
        self.sync = sync or SyncConfig()
        self.attachments_dir = attachments_dir or Path(store.path).parent / "attachments"
        self.operator_id = operator_id  # whose assigned persons a field terminal keeps (default: last online login)
        self.rng = rng or random.Random()
        guardrails.configure(store, self.sync)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._recovered = False
        self._batching = True
        self._batch_limit = min(self.sync.batch_size, MAX_BATCH)
        self._server_failures = 0  # consecutive passes that ended on a server error (relay-level backoff)
        self._last_status_pull = 0.0
        self._last_refdata_pull = 0.0
        self._lock = threading.Lock()  # one pass at a time (thread, CLI, tests)
        self.online: bool | None = None
        self.server_version: str | None = None
        self.last_error: str | None = None

    # -- lifecycle -------------------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
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
                self.run_once(settle=self.sync.submit_settle_seconds)
            except Exception:  # the relay must outlive any single bad message or bug
                log.exception("outbox relay pass failed")
            self._wake.wait(self._next_wait())
            self._wake.clear()

    def _next_wait(self) -> float:
        if self.online is not True:
            return self.probe_interval  # probe, not guess
        if self._server_failures:
            return max(0.05, full_jitter_delay(self._server_failures, self.rng, self.sync.retry_base_seconds,
                                               min(self.sync.retry_cap_seconds, 60.0)))
        wait = self.probe_interval
        due = outbox.next_due_in(self.store)
        if due is not None:
            wait = min(wait, due + 0.01)
        if self.sync.submit_settle_seconds > 0:
            wait = min(wait, self.sync.submit_settle_seconds)
        return wait

    # -- one pass --------------------------------------------------------------------------------------------------
    def run_once(self, *, settle: float = 0.0, pull: bool | None = None) -> int:
        """Probe, register if needed, send what is due, pull verdicts and reference data (every so often, or when
        `pull` is true), upload the audit log. Returns the number of messages delivered. `settle` holds back case
        submissions younger than that many seconds (the background thread uses it so scans go first)."""
        with self._lock:
            if not self._recovered:
                recover_inflight(self.store)
                self._recovered = True
            sent = 0
            if self._probe():
                try:
                    self._ensure_token()
                    sent = self._drain(settle)
                    self._pulls(pull)
                    self._upload_audit()
                except NetworkUnavailable as exc:
                    self._set_offline(exc.detail)
                except ServerRejected as exc:
                    if exc.status == 401:
                        self._forget_token()
                    self.last_error = exc.user_message
                    log.warning("central API refused: %s", exc.detail)
            self._publish()
            return sent

    def drain(self, timeout: float = 60.0, *, settle: float = 0.0) -> bool:
        """Run passes until nothing is pending or in flight (True) or the time is up (False). For the CLI and tests;
        waits out backoffs instead of sleeping the full probe interval."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self._stop.is_set():
            self.run_once(settle=settle, pull=False)
            c = outbox.counts(self.store)
            if not c.get(outbox.PENDING) and not c.get(outbox.INFLIGHT):
                self.run_once(settle=settle, pull=True)
                return True
            nap = self.probe_interval if self.online is not True else (outbox.next_due_in(self.store) or 0.02)
            self._stop.wait(min(max(nap, 0.02), 1.0, max(0.0, deadline - time.monotonic())))
        return False

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

    def _forget_token(self) -> None:
        with self.store.session() as s:
            row = s.get(LocalSetting, TOKEN_KEY)
            if row:
                s.delete(row)
        self.api.token = None

    # -- sending ---------------------------------------------------------------------------------------------------
    def _drain(self, settle: float) -> int:
        sent = 0
        while not self._stop.is_set():
            claimed = claim(self.store, batch_size=self._batch_limit, settle=settle, batching=self._batching)
            if claimed is None:
                self._server_failures = 0
                break
            outcomes, stop = self._send(claimed)
            outbox.settle(self.store, claimed, outcomes)
            delivered = sum(1 for o in outcomes.values() if o.kind == "sent")
            sent += delivered
            if delivered:
                log.info("outbox: %d delivered", delivered, extra={"claim": claimed.claim_id})
            if isinstance(stop, NetworkUnavailable):
                raise stop
            if stop:
                break
        return sent

    def _delay(self, attempts: int) -> float:
        return full_jitter_delay(attempts, self.rng, self.sync.retry_base_seconds, self.sync.retry_cap_seconds)

    def _send(self, claimed: Claimed) -> tuple[dict[str, Outcome], BaseException | bool]:
        """Send one claim; returns the outcome per message and whether (and why) the pass must stop."""
        msgs = claimed.messages
        if len(msgs) > 1 and msgs[0].kind == CASE_SUBMIT:
            return self._send_batch(msgs)
        return self._send_one(msgs[0])

    def _send_batch(self, msgs) -> tuple[dict[str, Outcome], BaseException | bool]:
        try:
            results = self.api.send_batch_raw([(m.idempotency_key, m.body_json) for m in msgs])
        except NetworkUnavailable as exc:
            return {m.message_id: Outcome("release", error=exc.user_message, code=exc.code) for m in msgs}, exc
        except ServerRejected as exc:
            if exc.status == 401:
                self._forget_token()
                return {m.message_id: Outcome("release", status=401, error=exc.detail, code=exc.code)
                        for m in msgs}, True
            if exc.status in (404, 405):  # a server without the batch endpoint: one by one from now on
                self._batching = False
                log.warning("central API has no batch endpoint; sending cases one by one")
                return {m.message_id: Outcome("release", status=exc.status, error=exc.detail) for m in msgs}, False
            self._batch_limit = max(1, self._batch_limit // 2)  # isolate a poison item by halving
            if _retryable(exc):
                self._server_failures += 1
                self.last_error = exc.user_message
                return {m.message_id: Outcome("retry", status=exc.status, error=exc.detail[:1000], code=exc.code,
                                              delay=self._delay(m.attempts)) for m in msgs}, True
            return {m.message_id: Outcome("release", status=exc.status, error=exc.detail[:1000], code=exc.code)
                    for m in msgs}, False
        outcomes: dict[str, Outcome] = {}
        sick = False
        by_key = {r.get("idempotency_key"): r for r in results}
        for m in msgs:
            r = by_key.get(m.idempotency_key)
            if r is None:
                outcomes[m.message_id] = Outcome("release", error="批量答复缺少该条")
                continue
            status, body = int(r["status"]), r.get("body") or {}
            if status < 300:
                outcomes[m.message_id] = Outcome("sent", status=status, body=body)
                continue
            err = body.get("error") or {}
            exc = ServerRejected(err.get("message") or "中心系统拒绝了该业务。",
                                 f"POST /api/v1/cases (batch) -> {status} {err.get('code')}: {err.get('detail')}",
                                 code=err.get("code") or "http_error", status=status)
            if _retryable(exc):
                sick = sick or status >= 500
                outcomes[m.message_id] = Outcome("retry", status=status, error=exc.detail[:1000], code=exc.code,
                                                 delay=self._delay(m.attempts))
            else:
                outcomes[m.message_id] = self._fatal(m, exc)
        if sick:
            self._server_failures += 1
        else:
            self._server_failures = 0
            self._batch_limit = min(self.sync.batch_size, MAX_BATCH, self._batch_limit * 2)
        return outcomes, sick

    def _send_one(self, m) -> tuple[dict[str, Outcome], BaseException | bool]:
        try:
            if m.kind == ATTACHMENT_UPLOAD:
                from app.sync.uploads import upload_attachment

                # issue 11: bootstrap sets `attachment_reader` (plaintext of sealed scans) when encryption is on
                status, body = 200, upload_attachment(self.api, m, self.attachments_dir, self.sync.chunk_bytes,
                                                      getattr(self, "attachment_reader", None))
            else:
                status, body = self.api.send(m.method, m.path, m.body, m.idempotency_key)
        except NetworkUnavailable as exc:
            return {m.message_id: Outcome("release", error=exc.user_message, code=exc.code)}, exc
        except ServerRejected as exc:
            if exc.status == 401:
                self._forget_token()
                return {m.message_id: Outcome("release", status=401, error=exc.detail, code=exc.code)}, True
            if m.kind == PERSON_UPDATE and exc.code == "person_conflict":
                current = (getattr(exc, "payload", None) or {}).get("current")
                self.last_error = exc.user_message
                return {m.message_id: Outcome("conflict", status=exc.status, body=current, error=exc.user_message,
                                              code=exc.code)}, False
            if m.kind == ATTACHMENT_UPLOAD and exc.code in RESUMABLE_UPLOAD_ERRORS and m.attempts < 5:
                # the server discarded a damaged chunk or file: upload again (the next attempt resumes)
                return {m.message_id: Outcome("retry", status=exc.status, error=exc.detail[:1000], code=exc.code,
                                              delay=self._delay(m.attempts))}, False
            if _retryable(exc):
                self._server_failures += 1
                self.last_error = exc.user_message
                log.warning("outbox message %s: server failed (%s), retrying later", m.message_id, exc.status)
                return {m.message_id: Outcome("retry", status=exc.status, error=exc.detail[:1000], code=exc.code,
                                              delay=self._delay(m.attempts))}, True
            return {m.message_id: self._fatal(m, exc)}, False
        except LocalFileError as exc:
            return {m.message_id: self._fatal(m, exc)}, False
        self._server_failures = 0
        return {m.message_id: Outcome("sent", status=status, body=body if isinstance(body, dict) else {})}, False

    def _fatal(self, m, exc) -> Outcome:
        """Refused for good: this item stops here (a clerk must correct it); items not depending on it go on."""
        self.last_error = exc.user_message
        log.warning("outbox message %s (%s) refused: %s", m.message_id, m.kind, exc.detail)
        return Outcome("fatal", status=getattr(exc, "status", None), error=f"{exc.user_message}｜{exc.detail}"[:1000],
                       code=getattr(exc, "code", None))

    # -- pulls -----------------------------------------------------------------------------------------------------
    def _pulls(self, force: bool | None) -> None:
        import time

        now = time.monotonic()
        if force is not False and (force or now - self._last_status_pull >= self.sync.status_interval_seconds
                                   or not self._last_status_pull):
            from app.sync.statuses import pull_statuses

            try:
                pull_statuses(self.store, self.api)
                self._last_status_pull = now
            except ServerRejected as exc:
                log.warning("status pull refused: %s", exc.detail)
        if force is not False and (force or now - self._last_refdata_pull >= self.sync.refdata_interval_seconds
                                   or not self._last_refdata_pull):
            from app.sync.refdata import pull_refdata

            try:
                pull_refdata(self.store, self.api, operator_id=self._field_operator())
                self._last_refdata_pull = now
            except ServerRejected as exc:
                log.warning("reference data pull refused: %s", exc.detail)

    def _field_operator(self) -> str | None:
        if self.operator_id:
            return self.operator_id
        if self.terminal.mode.value != "field":
            return None
        with self.store.session() as s:
            return s.scalar(select(Operator.operator_id).where(Operator.last_online_login_at.is_not(None))
                            .order_by(Operator.last_online_login_at.desc()).limit(1))

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

    # -- status ----------------------------------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        c = outbox.counts(self.store)
        check = guardrails.capture_check(self.store)
        return SyncStatus(self.online, c.get(outbox.PENDING, 0) + c.get(outbox.INFLIGHT, 0), c.get(outbox.FAILED, 0),
                          self.last_error, self.server_version, c.get(outbox.CONFLICT, 0), c.get("rejected", 0),
                          outbox.last_success(self.store), check.level, check.message)

    def _publish(self) -> None:
        if self.on_status:
            try:
                self.on_status(self.status())
            except Exception:
                log.exception("sync status listener failed")


class LocalFileError(Exception):
    """A scan's file is missing or no longer matches its SHA-256: it cannot be sent as captured."""

    code = "attachment_local_corrupt"
    status = None

    def __init__(self, user_message: str, detail: str):
        super().__init__(detail)
        self.user_message, self.detail = user_message, detail


__all__ = ["OutboxRelay", "SyncStatus", "full_jitter_delay", "as_utc", "LocalFileError", "SENT"]
