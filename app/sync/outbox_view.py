"""Queries behind the clerk's outbox screen (Qt-free): one page of messages for a filter and a search text, with
the case each belongs to, newest first — answered from indexes, so 100,000 items take milliseconds:
a filter walks `ix_outbox_state_seq` / `ix_outbox_remote_status` newest first (no sort); a search asks the trigram
full-text table `cases_search` (schema 0005; substring of case number, applicant, ID number, item) or the name
index (1–2 characters) for the matching cases, then takes their messages through the aggregate index."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, literal, select

from app.clock import as_utc
from app.ids import mask_id_number
from app.store import Store
from app.store.models import Case, OutboxDependency, OutboxMessage
from app.sync.outbox import (CONFLICT, FAILED, INFLIGHT, KIND_LABELS, PENDING, REMOTE_LABELS, REMOTE_NEEDS_CLERK,
                             SENT, STATE_LABELS)

GROUPS = {"pending": "待上传", "failed": "上传失败", "rejected": "被退回", "conflict": "信息冲突", "sent": "已上传",
          "all": "全部"}

_o = OutboxMessage.__table__
_c = Case.__table__


class OutboxRow(NamedTuple):
    """One row of the screen. A tuple straight from the cursor: instants stay the stored text until shown."""

    seq: int
    message_id: str
    kind: str
    state: str
    attempts: int
    last_error: str | None
    error_code: str | None
    server_status: int | None
    remote_status: str | None
    remote_reason: str | None
    created_raw: str
    last_attempt_raw: str | None
    sent_raw: str | None
    aggregate_id: str
    depends_on: str | None
    case_no: str | None
    applicant_name: str | None
    applicant_ssn: str | None
    item_name: str | None

    @property
    def created_at(self) -> datetime:
        return _when(self.created_raw)

    @property
    def last_attempt_at(self) -> datetime | None:
        return _when(self.last_attempt_raw) if self.last_attempt_raw else None

    @property
    def sent_at(self) -> datetime | None:
        return _when(self.sent_raw) if self.sent_raw else None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def state_label(self) -> str:
        if self.state == SENT and self.remote_status:
            return REMOTE_LABELS.get(self.remote_status, self.remote_status)
        return STATE_LABELS.get(self.state, self.state)

    @property
    def needs_clerk(self) -> bool:
        return self.state in (FAILED, CONFLICT) or (self.state == SENT and self.remote_status in REMOTE_NEEDS_CLERK)

    @property
    def masked_ssn(self) -> str:
        ssn = self.applicant_ssn or (self.aggregate_id if len(self.aggregate_id) == 18 else "")
        try:
            return mask_id_number(ssn) if ssn else ""
        except Exception:
            return ssn

    @property
    def subject(self) -> str:
        """Who and what: the case number and applicant, or the person of a person update."""
        if self.case_no:
            return f"{self.case_no} {self.applicant_name or ''}".strip()
        return self.masked_ssn or self.aggregate_id

    @property
    def problem(self) -> str:
        if self.state == SENT and self.remote_reason:
            return self.remote_reason
        return (self.last_error or "").split("｜", 1)[0]


@dataclass(frozen=True)
class OutboxPage:
    rows: list[OutboxRow]
    total: int
    capped: bool = False  # the search matched more than COUNT_CAP cases: `total` is a lower bound
    counts: dict[str, int] = field(default_factory=dict)


def _group_clause(group: str):
    if group == "pending":
        return _o.c.state.in_((PENDING, INFLIGHT))
    if group == "failed":
        return _o.c.state == FAILED
    if group == "conflict":
        return _o.c.state == CONFLICT
    if group == "rejected":
        return and_(_o.c.remote_status.in_(REMOTE_NEEDS_CLERK), _o.c.state == SENT)
    if group == "sent":
        return _o.c.state == SENT
    return literal(True)


def _group_parts(group: str) -> list:
    """The filter as equality conditions each answered by one index range already in `seq` order (an index on
    (state, seq), or on remote_status whose entries end with the rowid = seq): newest-first pages without a sort."""
    if group == "pending":
        return [_o.c.state == PENDING, _o.c.state == INFLIGHT]
    if group == "rejected":
        return [and_(_o.c.remote_status == r, _o.c.state == SENT) for r in REMOTE_NEEDS_CLERK]
    if group == "all":
        return [literal(True)]
    return [_group_clause(group)]


COUNT_CAP = 1000  # a search looks at the newest 1000 matching cases at most, and then says “1000+”


def _matches_sql(text: str) -> tuple[str, tuple]:
    """SQL of the newest cases whose number, applicant, ID number or item contains `text` (trigram index, 3+
    characters; its rowids follow insertion order), or whose applicant's name starts with `text` (1–2 characters:
    the name index) — at most COUNT_CAP + 1 of them."""
    if len(text) >= 3:
        return ("SELECT case_id FROM cases_search WHERE cases_search MATCH ? ORDER BY rowid DESC LIMIT ?",
                ('"' + text.replace('"', '""') + '"', COUNT_CAP + 1))
    return ("SELECT case_id FROM cases WHERE applicant_name >= ? AND applicant_name < ? LIMIT ?",
            (text, text + "\U0010ffff", COUNT_CAP + 1))


def _in_group(group: str, state: str, remote: str | None) -> bool:
    if group == "pending":
        return state in (PENDING, INFLIGHT)
    if group == "rejected":
        return state == SENT and remote in REMOTE_NEEDS_CLERK
    if group == "all":
        return True
    return state == {"failed": FAILED, "conflict": CONFLICT, "sent": SENT}[group]


def search(store: Store, group: str = "pending", text: str = "", *, limit: int = 200, offset: int = 0) -> OutboxPage:
    """One page of the outbox, newest first, for a filter and a search text. `total` is exact, except for a search
    matching more than COUNT_CAP cases (`capped`: only the newest of them were looked at)."""
    text = (text or "").strip()
    with store.engine.connect() as conn:
        if text:
            # the matching cases' messages through ix_outbox_aggregate_id (and a person's by ID number), in one
            # statement; filtered by group and sorted here (a few thousand rows at most)
            inner, params = _matches_sql(text)
            found = conn.exec_driver_sql(
                f"SELECT m.case_id, o.seq, o.state, o.remote_status FROM ({inner}) AS m "
                "LEFT JOIN outbox AS o ON o.aggregate_id = m.case_id "
                "UNION ALL SELECT aggregate_id, seq, state, remote_status FROM outbox WHERE aggregate_id = ?",
                (*params, text)).fetchall()
            capped = len({r[0] for r in found}) > COUNT_CAP
            seqs = sorted((q for _c, q, st, rs in found if q is not None and _in_group(group, st, rs)), reverse=True)
            total = len(seqs)
            seqs = seqs[offset:offset + limit]
        else:
            capped = False
            parts = _group_parts(group)
            subs = [select(_o.c.seq).where(p).order_by(_o.c.seq.desc()).limit(limit + offset).subquery()
                    for p in parts]
            seqs = sorted({q for sub in subs for q in conn.execute(select(sub.c.seq)).scalars().all()}, reverse=True)
            total = None if offset or len(seqs) >= limit else len(seqs)
            seqs = seqs[offset:offset + limit]
            if total is None:  # the trigger-kept counters: O(1)
                total = group_counts(store)[group]
        rows = conn.exec_driver_sql(_ROWS_SQL.format(marks=",".join("?" * len(seqs))), tuple(seqs)).fetchall() \
            if seqs else []
    return OutboxPage([OutboxRow._make(r) for r in rows], total, capped)


_ROWS_SQL = ("SELECT o.seq, o.message_id, o.kind, o.state, o.attempts, o.last_error, o.error_code, o.server_status, "
             "o.remote_status, o.remote_reason, o.created_at, o.last_attempt_at, o.sent_at, o.aggregate_id, "
             "o.depends_on, c.case_no, c.applicant_name, c.applicant_ssn, c.item_name FROM outbox AS o "
             "LEFT JOIN cases AS c ON c.case_id = o.aggregate_id WHERE o.seq IN ({marks}) ORDER BY o.seq DESC")


def _when(raw) -> datetime:
    return as_utc(raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw)))


def group_counts(store: Store) -> dict[str, int]:
    """Items per filter (for the filter buttons), from the trigger-kept counters: O(1)."""
    from app.sync.outbox import counts

    c = counts(store)
    return {"pending": c.get(PENDING, 0) + c.get(INFLIGHT, 0), "failed": c.get(FAILED, 0),
            "rejected": c.get("rejected", 0), "conflict": c.get(CONFLICT, 0), "sent": c.get(SENT, 0),
            "all": sum(n for k, n in c.items() if k != "rejected")}


@dataclass(frozen=True)
class MessageDetail:
    row: OutboxRow
    body: dict
    response: dict | None
    form: dict  # the case's current form (what a correction edits)
    waits_for: list[tuple[str, str, str]]  # (message_id, kind label, state label) not yet delivered
    replaced_by: str | None


def detail(store: Store, message_id: str) -> MessageDetail | None:
    with store.session() as s:
        m = s.scalar(select(OutboxMessage).where(OutboxMessage.message_id == message_id))
        if m is None:
            return None
        case = s.get(Case, m.aggregate_id)
        deps = [d for d in ([m.depends_on] if m.depends_on else [])]
        deps += list(s.scalars(select(OutboxDependency.depends_on).where(OutboxDependency.message_id == message_id)))
        waits = []
        for dep in s.scalars(select(OutboxMessage).where(OutboxMessage.message_id.in_(deps))):
            if dep.state != SENT:
                waits.append((dep.message_id, KIND_LABELS.get(dep.kind, dep.kind), STATE_LABELS.get(dep.state, dep.state)))
        with store.engine.connect() as conn:
            row = OutboxRow._make(conn.exec_driver_sql(_ROWS_SQL.format(marks="?"), (m.seq,)).one())
        return MessageDetail(row, dict(m.body or {}), m.response, dict((case.payload or {}).get("form", {}))
                             if case else {}, waits, m.replaced_by)
