"""The outbox as a queue: message kinds and states, ordering edges, claiming due messages (crash-safe: a claimed
message is `inflight` until its outcome is committed; on start-up an `inflight` one goes back to `pending` and is sent
again under the same Idempotency-Key, which the server answers with its first reply), and settling outcomes.

States: pending → inflight → sent | pending (retry) | failed (fatal, a clerk must act) | conflict (person data
changed centrally, a clerk chooses) ; superseded (replaced by a corrected message; never deleted)."""
from __future__ import annotations

import functools
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Text, and_, bindparam, exists, func, or_, select, text, type_coerce, update
from sqlalchemy.orm import Session, aliased

from app.clock import as_utc, utcnow
from app.store import Store
from app.store.models import Case, LocalSetting, OutboxCount, OutboxDependency, OutboxMessage

log = logging.getLogger(__name__)

PENDING, INFLIGHT, SENT, FAILED, CONFLICT, SUPERSEDED = "pending", "inflight", "sent", "failed", "conflict", "superseded"
UNSENT = (PENDING, INFLIGHT, FAILED, CONFLICT)
CASE_SUBMIT, CASE_EVENT, CASE_RATING = "case.submit", "case.event", "case.rating"
CASE_RESUBMIT, ATTACHMENT_UPLOAD, PERSON_UPDATE = "case.resubmit", "attachment.upload", "person.update"
SUBMISSION_KINDS = (CASE_SUBMIT, CASE_RESUBMIT)
CASE_KINDS = (CASE_SUBMIT, CASE_RESUBMIT, CASE_EVENT, CASE_RATING)  # what the case's 上传 state follows
# central verdicts that need the clerk (the 被退回 filter of the outbox screen)
REMOTE_NEEDS_CLERK = ("rejected", "needs_correction", "resubmit")

KIND_LABELS = {CASE_SUBMIT: "业务上传", CASE_EVENT: "办理环节", CASE_RATING: "好差评", CASE_RESUBMIT: "补正后重新提交",
               ATTACHMENT_UPLOAD: "扫描件", PERSON_UPDATE: "人员信息变更",
               "service.rating": "好差评"}  # a kiosk visit's rating without a case (app.cases.visit_rating)
STATE_LABELS = {PENDING: "待上传", INFLIGHT: "上传中", SENT: "已上传", FAILED: "上传失败", CONFLICT: "信息冲突",
                SUPERSEDED: "已更正"}
REMOTE_LABELS = {"received": "中心已接收", "accepted": "中心已通过", "rejected": "中心不予通过",
                 "needs_correction": "中心要求补正", "resubmit": "中心要求重新提交", "resubmitted": "已重新提交"}

LAST_SUCCESS_KEY = "sync.last_success"


def new_message(*, aggregate_id: str, kind: str, method: str, path: str, body: dict, depends_on: str | None = None,
                now: datetime | None = None) -> OutboxMessage:
    """A message with client-minted ids; add it in the same session as the change it carries."""
    return OutboxMessage(message_id=str(uuid.uuid4()), aggregate_id=aggregate_id, kind=kind, method=method, path=path,
                         body=body, idempotency_key=str(uuid.uuid4()), depends_on=depends_on, state=PENDING,
                         attempts=0, created_at=now or utcnow())


def latest_message_id(s: Session, aggregate_id: str) -> str | None:
    return s.scalars(select(OutboxMessage.message_id).where(OutboxMessage.aggregate_id == aggregate_id)
                     .order_by(OutboxMessage.seq.desc()).limit(1)).first()


def recover_inflight(store: Store) -> int:
    """Start-up: messages a previous process had in flight (it died before recording the outcome) are sent again
    under the same Idempotency-Key; the server replays its first answer, so nothing is lost and nothing doubles."""
    with store.session() as s:
        n = s.execute(update(OutboxMessage).where(OutboxMessage.state == INFLIGHT)
                      .values(state=PENDING, claim_id=None, next_attempt_at=None,
                              last_error="上次发送被中断（程序退出或断电），将以原幂等键重发")).rowcount
    if n:
        log.warning("re-examining %d outbox messages that were in flight at the last stop", n)
    return n


def _ready_clause(now: datetime, settle: float):
    """Due, and every message it depends on delivered (a dependency that no longer exists counts as delivered)."""
    dep = aliased(OutboxMessage)
    dep2 = aliased(OutboxMessage)
    clause = and_(
        OutboxMessage.state == PENDING,
        or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        ~exists().where(dep.message_id == OutboxMessage.depends_on, dep.state != SENT),
        ~exists().where(OutboxDependency.message_id == OutboxMessage.message_id,
                        dep2.message_id == OutboxDependency.depends_on, dep2.state != SENT),
    )
    # a person's data change queued before a case of that person goes first (the centre sees the person as the
    # clerk did when accepting the case)
    pu, case = aliased(OutboxMessage), Case.__table__
    clause = and_(clause, or_(OutboxMessage.kind != CASE_SUBMIT, ~exists().where(
        case.c.case_id == OutboxMessage.aggregate_id, pu.aggregate_id == case.c.applicant_ssn,
        pu.kind == PERSON_UPDATE, pu.seq < OutboxMessage.seq, pu.state.in_((PENDING, INFLIGHT, FAILED, CONFLICT)))))
    if settle > 0:  # scans saved right after 受理 are queued before their case leaves
        clause = and_(clause, ~and_(OutboxMessage.kind == CASE_SUBMIT,
                                    OutboxMessage.created_at > now - timedelta(seconds=settle)))
    return clause


@dataclass
class Msg:
    """A claimed message as the sender needs it: the body stays the JSON text it was stored as (a batch of 200 is
    sent without decoding and re-encoding them); `body` decodes on demand."""

    seq: int
    message_id: str
    kind: str
    method: str
    path: str
    idempotency_key: str
    attempts: int
    aggregate_id: str
    depends_on: str | None
    body_json: str

    @functools.cached_property
    def body(self) -> dict:
        return json.loads(self.body_json)


@dataclass(frozen=True)
class Claimed:
    claim_id: str
    messages: list[Msg]


_t = OutboxMessage.__table__


def claim(store: Store, *, batch_size: int, settle: float = 0.0, batching: bool = True,
          now: datetime | None = None) -> Claimed | None:
    """Take the next work item: the oldest ready message, or — when it is a case submission — up to `batch_size`
    ready submissions. They become `inflight` (with attempts + 1) in one committed transaction before any byte
    leaves, so a crash after this point re-sends them under the same keys."""
    now = now or utcnow()
    claim_id = str(uuid.uuid4())
    with store.session() as s:
        rows = s.execute(select(_t.c.seq, _t.c.kind).where(_ready_clause(now, settle))
                         .order_by(_t.c.seq).limit(max(batch_size, 1) * 2)).all()
        if not rows:
            return None
        if rows[0].kind == CASE_SUBMIT and batching:
            seqs = [r.seq for r in rows if r.kind == CASE_SUBMIT][:batch_size]
        else:
            seqs = [rows[0].seq]
        # `state == pending` again: another process may have claimed some of them since the read
        s.execute(update(_t).where(_t.c.seq.in_(seqs), _t.c.state == PENDING)
                  .values(state=INFLIGHT, claim_id=claim_id, attempts=_t.c.attempts + 1, last_attempt_at=now))
        if any(r.kind == PERSON_UPDATE for r in rows if r.seq in seqs):
            from app.sync.persons import fix_base_version

            for m in s.scalars(select(OutboxMessage).where(OutboxMessage.claim_id == claim_id,
                                                           OutboxMessage.kind == PERSON_UPDATE)):
                fix_base_version(s, m)
            s.flush()
        mine = [Msg(*r) for r in s.execute(
            select(_t.c.seq, _t.c.message_id, _t.c.kind, _t.c.method, _t.c.path, _t.c.idempotency_key,
                   _t.c.attempts, _t.c.aggregate_id, _t.c.depends_on, type_coerce(_t.c.body, Text))
            .where(_t.c.claim_id == claim_id, _t.c.state == INFLIGHT).order_by(_t.c.seq)).all()]
        return Claimed(claim_id, mine) if mine else None


# --- outcomes ---------------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What became of one claimed message."""

    kind: str  # sent | retry | release | fatal | conflict
    status: int | None = None
    body: dict | None = None
    error: str | None = None
    code: str | None = None
    delay: float | None = None  # retry: seconds until the next attempt


def settle(store: Store, claimed: Claimed, outcomes: dict[str, Outcome], now: datetime | None = None) -> None:
    """Record all outcomes of one claim in one transaction (executemany per kind of outcome: a batch of 200 costs
    one commit and a handful of statements)."""
    now = now or utcnow()
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    case_rows: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    synced: list[dict[str, Any]] = []
    after: list[tuple[Msg, Outcome]] = []

    def add(target: dict, row: dict) -> None:
        target.setdefault(tuple(sorted(row)), []).append(row)

    for m in claimed.messages:
        o = outcomes.get(m.message_id) or Outcome("release", error="未发送")
        row: dict[str, Any] = {"b_seq": m.seq, "claim_id": None}
        if o.kind == "sent":
            row.update(state=SENT, sent_at=now, server_status=o.status, response=o.body, last_error=None,
                       error_code=None, next_attempt_at=None)
            if m.kind in SUBMISSION_KINDS and o.body:
                row.update(remote_status=(o.body or {}).get("server_status") or "received", remote_at=now)
            if m.kind in CASE_KINDS:
                synced.append({"b_case": m.aggregate_id, "b_ref": (o.body or {}).get("server_ref")})
        elif o.kind == "retry":
            row.update(state=PENDING, next_attempt_at=now + timedelta(seconds=o.delay or 0), last_error=o.error,
                       error_code=o.code, server_status=o.status)
        elif o.kind == "release":  # not the message's fault (network down, token expired): no backoff of its own
            row.update(state=PENDING, next_attempt_at=None, last_error=o.error, error_code=o.code,
                       server_status=o.status)
        elif o.kind == "fatal":
            row.update(state=FAILED, last_error=o.error, error_code=o.code, server_status=o.status,
                       next_attempt_at=None)
            if m.kind in SUBMISSION_KINDS or m.kind == CASE_EVENT:
                add(case_rows, {"b_case": m.aggregate_id, "sync_state": "failed"})
        elif o.kind == "conflict":
            row.update(state=CONFLICT, last_error=o.error, error_code=o.code, server_status=o.status,
                       response=o.body, next_attempt_at=None)
        add(groups, row)
        if o.kind in ("sent", "conflict"):
            after.append((m, o))
    cases = Case.__table__
    with store.session() as s:
        for keys, rows in groups.items():
            s.execute(update(_t).where(_t.c.seq == bindparam("b_seq"))
                      .values({k: bindparam(k) for k in keys if k != "b_seq"}), rows)
        for keys, rows in case_rows.items():
            s.execute(update(cases).where(cases.c.case_id == bindparam("b_case"))
                      .values({k: bindparam(k) for k in keys if k != "b_case"}), rows)
        if synced:  # 已上传 once nothing of the case waits any more (its messages above are already `sent`)
            s.execute(_SYNCED_SQL, synced)
        for m, o in after:
            if m.kind == PERSON_UPDATE:
                from app.sync.persons import after_person_update

                after_person_update(s, m, o)
        if any(o.kind == "sent" for o in outcomes.values()):
            s.merge(LocalSetting(key=LAST_SUCCESS_KEY, value=now.isoformat()))


_SYNCED_SQL = text(
    "UPDATE cases SET sync_state = 'synced', server_ref = coalesce(:b_ref, server_ref) WHERE case_id = :b_case "
    "AND NOT EXISTS (SELECT 1 FROM outbox WHERE aggregate_id = :b_case AND kind IN ({kinds}) AND state IN ({states}))"
    .format(kinds=", ".join(f"'{k}'" for k in CASE_KINDS), states=", ".join(f"'{st}'" for st in UNSENT)))


def last_success(store: Store) -> datetime | None:
    with store.session() as s:
        row = s.get(LocalSetting, LAST_SUCCESS_KEY)
    return as_utc(datetime.fromisoformat(row.value)) if row else None


def counts(store: Store) -> dict[str, int]:
    """Messages per state, plus `rejected` (delivered, but the centre wants the clerk): read from the counters the
    schema keeps with triggers, so this costs the same with 10 or 100,000 messages."""
    with store.engine.connect() as conn:
        return {k: n for k, n in conn.execute(select(OutboxCount.key, OutboxCount.n)).all()}


def next_due_in(store: Store, now: datetime | None = None) -> float | None:
    """Seconds until the earliest pending message with a backoff becomes due (None: nothing waits on a timer)."""
    now = now or utcnow()
    with store.session() as s:
        at = s.scalar(select(func.min(OutboxMessage.next_attempt_at)).where(OutboxMessage.state == PENDING,
                                                                            OutboxMessage.next_attempt_at > now))
    return max(0.0, (as_utc(at) - now).total_seconds()) if at else None


def repoint_dependents(s: Session, old_id: str, new_id: str) -> None:
    """A corrected message replaces `old_id`: whatever waited for the old one now waits for the new one."""
    s.execute(update(OutboxMessage).where(OutboxMessage.depends_on == old_id,
                                          OutboxMessage.state.in_((PENDING, FAILED)))
              .values(depends_on=new_id))
    for dep in list(s.scalars(select(OutboxDependency).where(OutboxDependency.depends_on == old_id))):
        s.delete(dep)
        s.flush()
        if s.get(OutboxDependency, (dep.message_id, new_id)) is None:
            s.add(OutboxDependency(message_id=dep.message_id, depends_on=new_id))
