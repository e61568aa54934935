"""Journal entries that are not case transitions: prints (only after the local commit, 000 §113 and issue: offline),
views of a person's records (who looked at whom, 000 §38–§41), and 好差评 ratings."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from app.clock import utcnow
from app.errors import YichuangError
from app.security.audit import append_audit
from app.store import Store
from app.store.models import Case, OutboxMessage, Rating

RATING_LABELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


def record_print(store: Store, *, case_id: str, document: str, path: str, operator_id: str, terminal_id: str,
                 copies: int = 1) -> None:
    with store.session() as s:
        if s.get(Case, case_id) is None:
            raise YichuangError("业务尚未保存，不能打印。", f"print before commit: case {case_id}")
        append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=terminal_id, action="document.print",
                     object_type="case", object_id=case_id,
                     detail={"document": document, "file": path.rsplit("/", 1)[-1], "copies": copies})


def record_person_view(store: Store, *, ssn: str, operator_id: str, terminal_id: str, purpose: str) -> None:
    """The 社会保障号码 is the person's id; nothing else about the person goes into the audit record."""
    with store.session() as s:
        append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=terminal_id, action="person.view",
                     object_type="person", object_id=ssn, detail={"purpose": purpose})


def rate_case(store: Store, *, case_id: str, rating: int, comment: str | None, channel: str, operator_id: str,
              terminal_id: str) -> None:
    """Store the applicant's rating with the case and queue it for the central system (one per case)."""
    if rating not in RATING_LABELS:
        raise YichuangError("请选择评价等级。", f"bad rating {rating}")
    now = utcnow()
    with store.session() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise YichuangError("找不到该业务件。", f"case {case_id} not found")
        if s.get(Rating, case_id) is not None:
            raise YichuangError("该业务已评价，不能重复评价。", f"case {case_id} already rated")
        s.add(Rating(case_id=case_id, rating=rating, comment=(comment or "").strip() or None, channel=channel, at=now))
        previous = s.scalars(select(OutboxMessage.message_id).where(OutboxMessage.aggregate_id == case_id)
                             .order_by(OutboxMessage.seq.desc()).limit(1)).first()
        s.add(OutboxMessage(message_id=str(uuid.uuid4()), aggregate_id=case_id, kind="case.rating", method="POST",
                            path=f"/api/v1/cases/{case_id}/rating",
                            body={"rating": rating, "comment": (comment or "").strip() or None, "channel": channel,
                                  "at": now.isoformat()},
                            idempotency_key=str(uuid.uuid4()), depends_on=previous, state="pending", created_at=now))
        append_audit(s, at=now, operator_id=operator_id, terminal_id=terminal_id, action="case.rating",
                     object_type="case", object_id=case_id, detail={"rating": rating, "channel": channel})
