"""What a clerk does about the outbox: retry a failed item, correct a case and submit it again (after a refusal of
the upload, or after the centre rejected it or asked for a correction), give up a scan that can no longer be sent.
Every action is one local transaction with its audit record; nothing is ever deleted — a corrected message replaces
the old one (`superseded`, `replaced_by`) and what waited for the old one now waits for the new one."""
from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.clock import local_today, utcnow
from app.errors import YichuangError
from app.security.audit import append_audit
from app.store import Store
from app.store.models import Case, CaseEvent, OutboxDependency, OutboxMessage
from app.sync.outbox import (ATTACHMENT_UPLOAD, CASE_RESUBMIT, CASE_SUBMIT, FAILED, INFLIGHT, PENDING,
                             REMOTE_NEEDS_CLERK, SENT, SUBMISSION_KINDS, SUPERSEDED, latest_message_id, new_message,
                             repoint_dependents)

log = logging.getLogger(__name__)


def retry(store: Store, message_ids: list[str] | None = None, *, operator_id: str = "system",
          terminal_id: str = "-") -> int:
    """Failed items (all of them, or the given ones) go back to the queue, due at once."""
    with store.session() as s:
        q = select(OutboxMessage).where(OutboxMessage.state == FAILED)
        if message_ids is not None:
            q = q.where(OutboxMessage.message_id.in_(message_ids))
        rows = list(s.scalars(q))
        for m in rows:
            m.state, m.next_attempt_at, m.claim_id = PENDING, None, None
            case = s.get(Case, m.aggregate_id)
            if case is not None and case.sync_state == "failed":
                case.sync_state = "pending"
        if rows:
            append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=terminal_id, action="sync.retry",
                         object_type="outbox", object_id=rows[0].message_id, detail={"count": len(rows)})
        return len(rows)


def head_submission(s: Session, case_id: str) -> OutboxMessage | None:
    """The case's latest submission (first submission or re-submission) that is not superseded."""
    return s.scalars(select(OutboxMessage).where(OutboxMessage.aggregate_id == case_id,
                                                 OutboxMessage.kind.in_(SUBMISSION_KINDS),
                                                 OutboxMessage.state != SUPERSEDED)
                     .order_by(OutboxMessage.seq.desc()).limit(1)).first()


def resubmission_body(case: Case, *, note: str | None, operator_id: str) -> dict:
    return {"case_no": case.case_no, "applicant_name": case.applicant_name, "status": case.status,
            "payload": case.payload, "note": note, "operator_id": operator_id, "at": utcnow().isoformat()}


def enqueue_resubmission(s: Session, case: Case, *, note: str | None, operator_id: str) -> OutboxMessage:
    msg = new_message(aggregate_id=case.case_id, kind=CASE_RESUBMIT, method="POST",
                      path=f"/api/v1/cases/{case.case_id}/resubmission",
                      body=resubmission_body(case, note=note, operator_id=operator_id),
                      depends_on=latest_message_id(s, case.case_id))
    s.add(msg)
    return msg


def _apply_form(case: Case, changes: dict[str, str], catalog=None, today: date | None = None) -> None:
    payload = dict(case.payload or {})
    form = {**payload.get("form", {}), **{k: v for k, v in changes.items()}}
    if catalog is not None and case.item_code in catalog:
        from app.cases.validation import clean_form

        form = clean_form(catalog.get(case.item_code), {k: "" if v is None else str(v) for k, v in form.items()},
                          today or local_today(), check_age=False)
    payload["form"] = form
    case.payload = payload
    if form.get("name"):
        case.applicant_name = form["name"]
    case.version = (case.version or 1) + 1
    case.updated_at = utcnow()


def correct_and_resubmit(store: Store, case_id: str, form_changes: dict[str, str] | None = None, *,
                         operator_id: str, terminal_id: str, note: str | None = None, catalog=None) -> str:
    """Correct a case's form and send it again. Returns the id of the new outbox message.

    - its upload was refused (failed): a new submission with the corrected data and a new Idempotency-Key replaces it;
    - the centre rejected it, asked for a correction or for a re-send: a re-submission follows the last message."""
    now = utcnow()
    with store.session() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise YichuangError("找不到该业务件。", f"case {case_id} not found")
        head = head_submission(s, case_id)
        if head is None:
            raise YichuangError("该业务没有上传记录。", f"case {case_id} has no submission")
        if head.state == INFLIGHT or (head.state == PENDING and head.attempts > 0):
            raise YichuangError("该业务正在上传，请稍后再修改。", f"{head.message_id} in flight")
        if head.state == SENT and head.remote_status not in REMOTE_NEEDS_CLERK:
            raise YichuangError("该业务已上传且中心未要求补正，无需重新提交。", f"{head.message_id} is {head.remote_status}")
        if form_changes:
            _apply_form(case, form_changes, catalog)
        if head.state == SENT:  # the centre's verdict: a re-submission after everything already sent
            new = enqueue_resubmission(s, case, note=note, operator_id=operator_id)
            head.remote_status = "resubmitted"  # handled by the clerk: leaves the 被退回 list
        else:  # failed (or never tried): replace the message with one carrying the corrected data
            if head.kind == CASE_SUBMIT:
                from app.cases.service import _submission

                events = list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                                        .order_by(CaseEvent.seq)))
                body = _submission(case, events)
            else:
                body = resubmission_body(case, note=note, operator_id=operator_id)
            new = new_message(aggregate_id=case_id, kind=head.kind, method=head.method, path=head.path, body=body,
                              depends_on=head.depends_on, now=now)
            s.add(new)
            s.flush()
            for dep in list(s.scalars(select(OutboxDependency).where(OutboxDependency.message_id ==
                                                                     head.message_id))):
                s.add(OutboxDependency(message_id=new.message_id, depends_on=dep.depends_on))  # its scans first
            head.state, head.replaced_by = SUPERSEDED, new.message_id
            repoint_dependents(s, head.message_id, new.message_id)
        case.sync_state = "pending"
        append_audit(s, at=now, operator_id=operator_id, terminal_id=terminal_id, action="case.resubmit",
                     object_type="case", object_id=case_id,
                     detail={"fields": sorted(form_changes or {}), "replaces": head.message_id,
                             "remote_status": head.remote_status})
        log.info("case %s corrected and queued again (%s)", case.case_no, new.kind)
        return new.message_id


def skip_attachment(store: Store, message_id: str, *, operator_id: str, terminal_id: str, reason: str) -> None:
    """A scan that cannot be uploaded (its file is lost or damaged): stop waiting for it so its case can go. The
    decision, and why, is in the audit log; the case's missing scan must be collected again (补扫)."""
    if not (reason or "").strip():
        raise YichuangError("请写明放弃上传该扫描件的原因。", "reason required")
    with store.session() as s:
        m = s.scalar(select(OutboxMessage).where(OutboxMessage.message_id == message_id))
        if m is None or m.kind != ATTACHMENT_UPLOAD or m.state not in (FAILED, PENDING):
            raise YichuangError("只有未上传成功的扫描件可以放弃上传。", f"{message_id} not a pending/failed scan")
        m.state, m.last_error = SUPERSEDED, f"经办人放弃上传：{reason.strip()}"
        s.execute(update(OutboxMessage).where(OutboxMessage.depends_on == message_id).values(depends_on=None))
        for dep in list(s.scalars(select(OutboxDependency).where(OutboxDependency.depends_on == message_id))):
            s.delete(dep)
        append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=terminal_id, action="attachment.skip",
                     object_type="case", object_id=m.aggregate_id,
                     detail={"message": message_id, "reason": reason.strip()})
