"""Appends audit records whose hashes chain to the previous one, and verifies the chain."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import as_utc
from app.store.models import AuditRecord

GENESIS = "0" * 64


def _digest(prev_hash: str, at: datetime, operator_id: str, terminal_id: str, action: str, object_type: str,
            object_id: str, detail: dict) -> str:
    body = json.dumps([prev_hash, as_utc(at).isoformat(), operator_id, terminal_id, action, object_type, object_id, detail],
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append_audit(session: Session, *, at: datetime, operator_id: str, terminal_id: str, action: str,
                 object_type: str, object_id: str, detail: dict | None = None) -> AuditRecord:
    """Add one record inside the caller's transaction (so it commits or rolls back with the change it records)."""
    detail = detail or {}
    last = session.scalars(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)).first()
    prev = last.hash if last else GENESIS
    rec = AuditRecord(at=at, operator_id=operator_id, terminal_id=terminal_id, action=action, object_type=object_type,
                      object_id=object_id, detail=detail, prev_hash=prev,
                      hash=_digest(prev, at, operator_id, terminal_id, action, object_type, object_id, detail))
    session.add(rec)
    session.flush()
    return rec


def verify_chain(session: Session) -> int | None:
    """Return the id of the first broken record, or None when the chain is intact."""
    prev = GENESIS
    for rec in session.scalars(select(AuditRecord).order_by(AuditRecord.id)):
        at = rec.at
        expected = _digest(prev, at, rec.operator_id, rec.terminal_id, rec.action, rec.object_type, rec.object_id,
                           rec.detail)
        if rec.prev_hash != prev or rec.hash != expected:
            return rec.id
        prev = rec.hash
    return None


def record_count(session: Session) -> int:
    """How many audit records the terminal holds (reported by `yichuang audit verify`)."""
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(AuditRecord)) or 0
