"""POST /api/v1/cases/{case_id}/events: later transitions of a case (审核, 复核, 退回, 办结 …), exactly once.

The server is the authority on separation of duties: it replays the case's history through the same state machine
the client uses (app.workflow.machine) and refuses a transition that the rules forbid, or one made from a status
the case no longer has (two reviewers acting at once: the first wins, the second gets 409 stale_case)."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.catalog import load_catalog
from app.errors import YichuangError
from app.workflow.machine import Action, History, Stages, Status, plan
from app.workflow.roles import Role
from server import schemas
from server.api import (_E401, ApiError, Authenticated, _canonical_body_hash, _err, _json_bytes, _json_response,
                        _sessions, iso)
from server.db import utcnow
from server.models import AuditEntry, Case, CaseEvent, CaseRating, IdempotencyKey, Operator

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1")
_catalog = None


def _stages(item_code: str, form: dict) -> Stages:
    global _catalog
    if _catalog is None:
        _catalog = load_catalog()
    if item_code not in _catalog:
        return Stages()
    return Stages.from_kinds(_catalog.get(item_code).stages_for(form))


class EventIn(schemas.CaseEventIn):
    case_version: int | None = Field(default=None, description="the client's case version after this event")


def _receipt(case: Case, event_id: str) -> dict[str, Any]:
    return {"case_id": case.case_id, "event_id": event_id, "status": case.status, "server_ref": case.server_ref,
            "received_at": iso(utcnow())}


@router.post("/cases/{case_id}/events", status_code=201, tags=["cases"],
             responses={**_E401, 403: _err("经办人没有该环节的权限 (forbidden, operator_unknown)"),
                        404: _err("未找到该业务 (case_not_found)"),
                        409: _err("业务状态已变化或违反岗位分离 (stale_case, workflow_refused)"),
                        422: _err("数据校验失败")})
def add_event(case_id: str, event: EventIn, request: Request, _p: Authenticated,
              body_hash: Annotated[str, Depends(_canonical_body_hash)]) -> Response:
    """Record one transition of a case already received, exactly once (Idempotency-Key)."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        raise ApiError(400, "idempotency_key_required", "请求缺少幂等键，请升级客户端后重试", "Idempotency-Key missing")
    try:
        case_id = str(uuid.UUID(case_id))
    except ValueError:
        raise ApiError(404, "case_not_found", "未找到该业务记录", f"bad case id {case_id}") from None
    for _attempt in range(5):
        with _sessions(request)() as s:
            try:
                return _add_once(s, key, body_hash, case_id, event, _p)
            except IntegrityError:
                s.rollback()
    raise ApiError(409, "conflict", "请求冲突，请稍后重试", "event kept conflicting")


def _add_once(s, key: str, body_hash: str, case_id: str, event: EventIn, principal=None) -> Response:
    seen = s.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
    if seen is not None:
        if seen.request_hash != body_hash:
            raise ApiError(422, "idempotency_key_reused", "幂等键已用于另一笔不同的提交", f"key {key} reused")
        return _json_response(seen.response_body.encode("utf-8"), seen.response_status, replayed=True)
    case = s.scalar(select(Case).where(Case.case_id == case_id))
    if case is None:
        raise ApiError(404, "case_not_found", "未找到该业务记录", f"no case {case_id}")
    event_id = str(event.event_id)
    known = s.get(CaseEvent, event_id)
    if known is not None:
        if known.case_pk != case.id:
            raise ApiError(409, "event_conflict", "业务事件编号与其他业务冲突", f"event {event_id} of another case")
        body = _json_bytes(_receipt(case, event_id))
        return _json_response(body, 200)
    if event.from_status != case.status:
        raise ApiError(409, "stale_case", "该业务已被其他人员处理，当前状态已变化，请刷新后查看。",
                       f"case {case_id} is {case.status}, event expects {event.from_status}")
    history = sorted(case.events, key=lambda e: e.at)
    op = s.get(Operator, event.operator_id)
    if op is not None and event.role not in (op.roles or []):
        raise ApiError(409, "workflow_refused", f"操作员 {event.operator_id} 不具备“{event.role}”岗位。",
                       f"role {event.role} not held by {event.operator_id}")
    try:
        action = Action(event.kind)
        t = plan(action, Status(case.status), stages=_stages(case.item_code, (case.payload or {}).get("form", {})),
                 history=History.from_events(history), operator_id=event.operator_id, roles=(Role(event.role),),
                 reason=event.reason)
    except YichuangError as exc:
        raise ApiError(409, "workflow_refused", exc.user_message, f"case {case_id}: {exc.detail}") from None
    except ValueError as exc:
        raise ApiError(422, "validation_error", "业务事件数据无效", str(exc)) from None
    if t.to_status.value != event.to_status:
        raise ApiError(422, "validation_error", "业务事件的目标状态与规则不符",
                       f"{event.kind} from {case.status} goes to {t.to_status.value}, not {event.to_status}")
    if principal is not None:  # issue 11 hook: the event's operator must hold the step's permission (matrix)
        from server.security import authorize, event_permission

        authorize(s, principal, event_permission(event.kind, event.role), operator_id=event.operator_id,
                  item_code=case.item_code)
    s.add(CaseEvent(event_id=event_id, case_pk=case.id, kind=event.kind, from_status=event.from_status,
                    to_status=event.to_status, operator_id=event.operator_id, role=event.role,
                    terminal_id=event.terminal_id,
                    at=event.at if event.at.tzinfo else event.at.replace(tzinfo=timezone.utc), reason=event.reason))
    case.status = event.to_status
    body = _json_bytes(_receipt(case, event_id))
    s.add(IdempotencyKey(key=key, request_hash=body_hash, response_status=201, response_body=body.decode("utf-8"),
                         case_id=case_id, created_at=utcnow()))
    s.commit()
    log.info("case event: %s %s -> %s", case.case_no, event.from_status, event.to_status)
    return _json_response(body, 201)


class RatingIn(BaseModel):
    rating: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=500)
    channel: str = Field(max_length=16)
    at: datetime


@router.post("/cases/{case_id}/rating", status_code=201, tags=["cases"],
             responses={**_E401, 404: _err("未找到该业务 (case_not_found)")})
def rate_case(case_id: str, body: RatingIn, request: Request, _p: Authenticated) -> dict[str, Any]:
    """好差评 of a case; the first rating stands (a retry is answered with it)."""
    with _sessions(request)() as s:
        if s.scalar(select(Case.id).where(Case.case_id == case_id)) is None:
            raise ApiError(404, "case_not_found", "未找到该业务记录", f"no case {case_id}")
        row = s.get(CaseRating, case_id)
        if row is None:
            row = CaseRating(case_id=case_id, rating=body.rating, comment=body.comment, channel=body.channel,
                             at=body.at if body.at.tzinfo else body.at.replace(tzinfo=timezone.utc))
            s.add(row)
            try:
                s.commit()
            except IntegrityError:
                s.rollback()
                row = s.get(CaseRating, case_id)
        return {"case_id": case_id, "rating": row.rating}


class AuditRecordIn(BaseModel):
    local_id: int = Field(ge=0, le=2**63 - 1)  # a 64-bit column (fuzzing, issue 11: overflow was a 500)
    at: datetime
    operator_id: str = Field(max_length=64)
    action: str = Field(max_length=48)
    object_type: str = Field(max_length=32)
    object_id: str = Field(max_length=64)
    detail: dict[str, Any]
    prev_hash: str = Field(min_length=64, max_length=64)
    hash: str = Field(min_length=64, max_length=64)


class AuditBatchIn(BaseModel):
    terminal_id: str = Field(max_length=64)
    records: list[AuditRecordIn] = Field(max_length=1000)


@router.post("/audit", tags=["audit"], responses={**_E401})
def upload_audit(body: AuditBatchIn, request: Request, _p: Authenticated) -> dict[str, Any]:
    """Store a terminal's audit records; (terminal, local id) is unique, so re-sending a batch is harmless."""
    with _sessions(request)() as s:
        ids = [r.local_id for r in body.records]
        have = set(s.scalars(select(AuditEntry.local_id).where(AuditEntry.terminal_id == body.terminal_id,
                                                                AuditEntry.local_id.in_(ids))))
        for r in body.records:
            if r.local_id in have:
                continue
            s.add(AuditEntry(terminal_id=body.terminal_id, local_id=r.local_id,
                             at=r.at if r.at.tzinfo else r.at.replace(tzinfo=timezone.utc), operator_id=r.operator_id,
                             action=r.action, object_type=r.object_type, object_id=r.object_id, detail=r.detail,
                             prev_hash=r.prev_hash, hash=r.hash))
        try:
            s.commit()
        except IntegrityError:
            s.rollback()  # a concurrent upload of the same batch won: all records are there
        return {"terminal_id": body.terminal_id, "stored": len(ids)}
