"""Central verdicts back to the terminal: accepted, rejected with reason, needs correction, resubmit. Pulled after
a cursor (the server's change sequence), applied to the case's latest submission in the outbox, the cursor saved in
the same transaction (a crash re-reads, and applying a verdict twice changes nothing).

`resubmit` (the centre wants the case sent again as it is) is handled without the clerk: a re-submission with the
terminal's current data is queued. `rejected` / `needs_correction` wait for the clerk in the outbox screen."""
from __future__ import annotations

import logging
from datetime import datetime

from app.clock import as_utc, utcnow
from app.security.audit import append_audit
from app.store import Store
from app.store.models import Case, LocalSetting
from app.sync.actions import enqueue_resubmission, head_submission
from app.sync.outbox import PENDING, SENT

log = logging.getLogger(__name__)
STATUS_CURSOR = "sync.status_cursor"


def _cursor(store: Store) -> int:
    with store.session() as s:
        row = s.get(LocalSetting, STATUS_CURSOR)
        return int(row.value) if row else 0


def pull_statuses(store: Store, api, limit: int = 500) -> int:
    """Fetch and apply every verdict after the saved cursor. Returns how many were applied."""
    applied = 0
    while True:
        feed = api.statuses(_cursor(store), limit)
        changes = feed.get("changes") or []
        with store.session() as s:
            for ch in changes:
                applied += _apply(s, ch)
            s.merge(LocalSetting(key=STATUS_CURSOR, value=str(int(feed.get("cursor") or 0))))
        if not feed.get("more") or not changes:
            return applied


def _apply(s, ch: dict) -> int:
    head = head_submission(s, ch["case_id"])
    if head is None:
        log.warning("verdict for a case unknown here: %s", ch.get("case_no"))
        return 0
    status = ch["server_status"]
    at = as_utc(datetime.fromisoformat(ch["at"].replace("Z", "+00:00"))) if ch.get("at") else utcnow()
    if head.remote_at is not None and as_utc(head.remote_at) > at and head.remote_status == status:
        return 0
    head.remote_status, head.remote_reason, head.remote_at = status, ch.get("reason"), at
    case = s.get(Case, ch["case_id"])
    if case is not None:
        append_audit(s, at=utcnow(), operator_id="central", terminal_id=case.terminal_id, action="case.verdict",
                     object_type="case", object_id=case.case_id, detail={"server_status": status})
        if status == "resubmit" and head.state == SENT:
            enqueue_resubmission(s, case, note="中心要求重新提交", operator_id=case.operator_id)
            head.remote_status = "resubmitted"
            log.info("centre asked for case %s again: re-submission queued", case.case_no)
        elif status == "resubmit" and head.state == PENDING:
            pass  # a re-submission is already on its way
    return 1
