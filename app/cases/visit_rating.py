"""好差评 of a service visit that made no case (a self-service terminal printed a record, answered a look-up, took a
queue ticket …): stored as an outbox message to POST /api/v1/service-ratings (server/service_ratings.py) and an audit
record, in one transaction, so it reaches the centre when the network allows — exactly once: the visit's id is the
rating's id (the server keeps the first rating of an id) and a second rating of the same visit is refused here.
A case's own rating stays app.cases.journal.rate_case."""
from __future__ import annotations

from sqlalchemy import select

from app.cases.journal import RATING_LABELS
from app.clock import utcnow
from app.errors import YichuangError
from app.security.audit import append_audit
from app.store import Store
from app.store.models import OutboxMessage
from app.sync.outbox import new_message

SERVICE_RATING = "service.rating"  # outbox kind
PATH = "/api/v1/service-ratings"


def rate_visit(store: Store, *, visit_id: str, rating: int, activities: list[str], channel: str, operator_id: str,
               terminal_id: str) -> str:
    """Queue the visit's rating for the centre; returns the outbox message id. `visit_id` is a UUID minted once
    per visit."""
    if rating not in RATING_LABELS:
        raise YichuangError("请选择评价等级。", f"bad rating {rating}")
    if not activities:
        raise YichuangError("本次没有办理业务，无需评价。", f"visit {visit_id} did nothing")
    now = utcnow()
    with store.session() as s:
        already = s.scalars(select(OutboxMessage.message_id).where(OutboxMessage.aggregate_id == visit_id,
                                                                    OutboxMessage.kind == SERVICE_RATING)).first()
        if already is not None:
            raise YichuangError("本次服务已评价，不能重复评价。", f"visit {visit_id} already rated")
        message = new_message(aggregate_id=visit_id, kind=SERVICE_RATING, method="POST", path=PATH, now=now,
                              body={"rating_id": visit_id, "rating": rating, "channel": channel,
                                    "terminal_id": terminal_id, "activities": list(activities),
                                    "at": now.isoformat()})
        s.add(message)
        append_audit(s, at=now, operator_id=operator_id, terminal_id=terminal_id, action="visit.rating",
                     object_type="visit", object_id=visit_id,
                     detail={"rating": rating, "channel": channel, "activities": list(activities)})
        return message.message_id
