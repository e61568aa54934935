"""Offline-first sync of cases: a batch intake (many cases, one round trip, each exactly once under its own
Idempotency-Key), the central verdicts terminals pull (accepted / rejected / needs correction / resubmit), and the
corrected re-submission of a case.

Batch items use the same idempotency store and the same body hash as `POST /api/v1/cases`: a case first tried alone
and then in a batch (or the other way round) is still received once, and its first answer is replayed."""
from __future__ import annotations

import json
import logging
import uuid
from datetime import timezone
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server import schemas
from server.api import (_E401, _HTTP_ERRORS, _IDEMPOTENCY_HEADER, ApiError, Authenticated, _canonical_body_hash,
                        _check_applicant, _err, _json_bytes, _json_response, _receipt, _sessions, iso)
from server.db import utcnow
from server.models import Case, CaseEvent, CaseStatusChange, IdempotencyKey, Operator
from server.security import Principal, authorize, sha256_hex

log = logging.getLogger("yichuang.server.sync")
router = APIRouter(prefix="/api/v1")

MAX_BATCH = 500
DECISIONS = ("accepted", "rejected", "needs_correction", "resubmit")
AWAITING_RESUBMISSION = ("rejected", "needs_correction", "resubmit")  # the clerk may correct a rejection too
STAGES = ("review", "recheck", "approve")  # 审核 / 复核 / 审批: the permission a verdict at that stage needs


# --- batch intake ---------------------------------------------------------------------------------------------------

class BatchItemIn(BaseModel):
    idempotency_key: str = Field(min_length=1, max_length=128)
    case: dict[str, Any] = Field(description="the body `POST /api/v1/cases` takes (CaseIn)")


class CaseBatchIn(BaseModel):
    items: list[BatchItemIn] = Field(max_length=MAX_BATCH)


class BatchItemOut(BaseModel):
    idempotency_key: str
    status: int = Field(description="the status the single POST would have answered (201, 200, 409, 422 …)")
    body: dict[str, Any] = Field(description="CaseReceipt, or the error envelope")
    replayed: bool = False


class CaseBatchOut(BaseModel):
    results: list[BatchItemOut]


def _canonical_hash(obj: Any) -> str:
    return sha256_hex(json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


def _error_body(exc: ApiError) -> dict[str, Any]:
    return {"error": {"code": exc.code, "message": exc.message, "detail": exc.detail}}


@router.post("/cases/batch", response_model=CaseBatchOut, tags=["cases"],
             responses={**_E401, 422: _err("批次格式错误 (validation_error)")})
def submit_batch(batch: CaseBatchIn, request: Request, _p: Authenticated) -> dict[str, Any]:
    """Receive up to 500 cases in one request, each exactly once. The answer lists, per item and in order, the
    status and body the single `POST /api/v1/cases` would have given; one bad item never fails the others."""
    for _attempt in range(5):
        with _sessions(request)() as s:
            try:
                return {"results": _batch_once(s, batch.items, _p)}
            except IntegrityError:
                s.rollback()  # a concurrent request took a key or a case first: look again, its rows are visible
    raise ApiError(409, "conflict", _HTTP_ERRORS[409][1], "case batch kept conflicting")


def _batch_once(s: Session, items: list[BatchItemIn], principal: Principal) -> list[dict[str, Any]]:
    results: list[dict[str, Any] | None] = [None] * len(items)
    hashes = [_canonical_hash(it.case) for it in items]
    keys = [it.idempotency_key.strip() for it in items]
    seen = {k.key: k for k in s.scalars(select(IdempotencyKey).where(IdempotencyKey.key.in_(set(keys))))}

    def done(i: int, status: int, body: dict | str, replayed: bool = False) -> None:
        if isinstance(body, str):
            body = json.loads(body)
        results[i] = {"idempotency_key": keys[i], "status": status, "body": body, "replayed": replayed}

    parsed: dict[int, tuple[schemas.CaseIn, str]] = {}
    verdicts: dict[tuple[str, str], ApiError | None] = {}  # (operator, item) → refusal (issue 11: least privilege)

    def refused(case: schemas.CaseIn) -> ApiError | None:
        key = (case.operator_id, case.item_code)
        if key not in verdicts:
            try:
                authorize(s, principal, "accept", operator_id=case.operator_id, item_code=case.item_code)
                verdicts[key] = None
            except ApiError as exc:
                verdicts[key] = exc
        return verdicts[key]

    for i, it in enumerate(items):
        key = keys[i]
        if not key:
            done(i, 400, _error_body(ApiError(400, "idempotency_key_required", "请求缺少幂等键，请升级客户端后重试",
                                              "idempotency_key is empty")))
            continue
        if key in seen:
            row = seen[key]
            if row.request_hash != hashes[i]:
                done(i, 422, _error_body(ApiError(422, "idempotency_key_reused", "幂等键已用于另一笔不同的提交",
                                                  f"Idempotency-Key {key} was used with another body")))
            else:
                done(i, row.response_status, row.response_body, replayed=True)
            continue
        try:
            case = schemas.CaseIn.model_validate(it.case)
            refusal = refused(case)
            if refusal is not None:
                done(i, refusal.status, _error_body(refusal))
                continue
            parsed[i] = (case, _check_applicant(case.applicant_ssn))
        except ValidationError as exc:
            detail = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
                               for e in exc.errors())
            done(i, 422, _error_body(ApiError(422, "validation_error", _HTTP_ERRORS[422][1], detail)))
        except ApiError as exc:
            done(i, exc.status, _error_body(exc))

    case_ids = {str(c.case_id) for c, _ in parsed.values()}
    existing = {c.case_id: c for c in s.scalars(select(Case).where(Case.case_id.in_(case_ids)))} if case_ids else {}
    first_bodies = dict(s.execute(select(IdempotencyKey.case_id, IdempotencyKey.response_body)
                                  .where(IdempotencyKey.case_id.in_(list(existing)),
                                         IdempotencyKey.response_status == 201)).all()) if existing else {}
    case_nos = {c.case_no for c, _ in parsed.values()}
    taken_nos = dict(s.execute(select(Case.case_no, Case.case_id).where(Case.case_no.in_(case_nos))).all()) \
        if case_nos else {}
    event_ids = {str(e.event_id) for c, _ in parsed.values() for e in c.events}
    taken_events = dict(s.execute(select(CaseEvent.event_id, Case.case_id).join(Case)
                                  .where(CaseEvent.event_id.in_(event_ids))).all()) if event_ids else {}

    now = utcnow()
    new_rows: list[tuple[int, dict[str, Any], schemas.CaseIn]] = []
    in_batch: dict[str, int] = {}  # case_id -> index of the item that creates it
    batch_nos: set[str] = set()
    for i, (case, applicant_ssn) in parsed.items():
        case_id = str(case.case_id)
        if case_id in existing or case_id in in_batch:
            continue  # answered below, once the first receipt is known
        if taken_nos.get(case.case_no, case_id) != case_id or case.case_no in batch_nos:
            done(i, 409, _error_body(ApiError(409, "case_no_conflict", "受理编号已被其他业务使用",
                                              f"case_no {case.case_no} belongs to another case_id")))
            continue
        ids = [str(e.event_id) for e in case.events]
        if len(set(ids)) != len(ids):
            done(i, 422, _error_body(ApiError(422, "validation_error", _HTTP_ERRORS[422][1],
                                              "duplicate event_id within the case")))
            continue
        if any(taken_events.get(e, case_id) != case_id for e in ids):
            done(i, 409, _error_body(ApiError(409, "event_conflict", "业务事件编号与其他业务冲突",
                                              "an event_id belongs to another case")))
            continue
        row = {"case_id": case_id, "case_no": case.case_no, "item_code": case.item_code, "item_name": case.item_name,
               "applicant_ssn": applicant_ssn, "applicant_name": case.applicant_name, "agency_code": case.agency_code,
               "terminal_id": case.terminal_id, "operator_id": case.operator_id, "status": case.status,
               "accepted_at": _aware(case.accepted_at), "payload": case.payload, "server_status": "received",
               "received_at": now}
        new_rows.append((i, row, case))
        in_batch[case_id] = i
        batch_nos.add(case.case_no)
        for e in ids:
            taken_events[e] = case_id
    created: dict[str, str] = {}
    if new_rows:
        # Core bulk statements (one INSERT … RETURNING for all cases): the ORM unit of work costs more than SQL here
        pks = s.execute(insert(Case).returning(Case.id, sort_by_parameter_order=True),
                        [r for _, r, _ in new_rows]).scalars().all()
        refs, events, keys_rows = [], [], []
        for (i, row, case), pk in zip(new_rows, pks):
            ref = f"YC{now:%Y%m%d}{pk:08d}"
            refs.append({"b_id": pk, "b_ref": ref})
            events += [{"event_id": str(e.event_id), "case_pk": pk, "kind": e.kind, "from_status": e.from_status,
                        "to_status": e.to_status, "operator_id": e.operator_id, "role": e.role,
                        "terminal_id": e.terminal_id, "at": _aware(e.at), "reason": e.reason} for e in case.events]
            body = _json_bytes({"case_id": row["case_id"], "case_no": row["case_no"], "server_status": "received",
                                "received_at": iso(now), "server_ref": ref}).decode("utf-8")
            created[row["case_id"]] = body
            keys_rows.append({"key": keys[i], "request_hash": hashes[i], "response_status": 201,
                              "response_body": body, "case_id": row["case_id"], "created_at": now})
            done(i, 201, body)
        s.execute(update(Case.__table__).where(Case.__table__.c.id == bindparam("b_id"))
                  .values(server_ref=bindparam("b_ref")), refs)
        if events:
            s.execute(insert(CaseEvent), events)
        s.execute(insert(IdempotencyKey), keys_rows)
    for i, (case, _) in parsed.items():
        if results[i] is not None:
            continue
        case_id = str(case.case_id)  # already held (or created earlier in this batch): the client lost its key
        body = first_bodies.get(case_id) or created.get(case_id) or _json_bytes(_receipt(existing[case_id])).decode()
        s.add(IdempotencyKey(key=keys[i], request_hash=hashes[i], response_status=200, response_body=body,
                             case_id=case_id, created_at=now))
        done(i, 200, body)
    s.commit()
    if new_rows:
        log.info("case batch: %d received, %d items", len(new_rows), len(items))
    return results  # type: ignore[return-value]


def _aware(dt):
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


# --- central verdicts ---------------------------------------------------------------------------------------------

class DecisionIn(BaseModel):
    status: Literal["accepted", "rejected", "needs_correction", "resubmit"]
    reason: str | None = Field(default=None, max_length=2000)
    stage: Literal["review", "recheck", "approve"] | None = Field(
        default=None, description="审核 / 复核 / 审批: the caller must hold that permission; omitted: any of the three")


class StatusChangeOut(BaseModel):
    seq: int
    case_id: str
    case_no: str
    server_status: str
    reason: str | None
    server_ref: str | None
    at: str


class StatusFeed(BaseModel):
    cursor: int = Field(description="pass it as `since` next time")
    changes: list[StatusChangeOut]
    more: bool


def _require_back_office(s: Session, p: Principal, stage: str | None) -> Operator:
    """A verdict is given by an operator holding the stage's permission (审核/复核/审批 of the matrix, 000 §77)."""
    if p.kind != "operator":
        raise ApiError(403, "forbidden", "只有中心审核岗位可以作出审核结论", "a terminal token cannot decide")
    if stage is not None:
        authorize(s, p, stage)
    else:
        from app.security.permissions import allowed

        op = s.get(Operator, p.subject)
        if not any(allowed((op.roles or []) if op else [], st) for st in STAGES):
            authorize(s, p, "review")  # raises the matrix's 403 naming the roles that may
    return s.get(Operator, p.subject)


def _case(s: Session, case_id: str) -> Case:
    not_found = ApiError(404, "case_not_found", "未找到该业务记录", f"no case {case_id}")
    try:
        case_id = str(uuid.UUID(case_id))
    except ValueError:
        raise not_found from None
    row = s.scalar(select(Case).where(Case.case_id == case_id))
    if row is None:
        raise not_found
    return row


@router.post("/cases/{case_id}/decision", response_model=schemas.CaseOut, tags=["sync"],
             responses={**_E401, 403: _err("岗位无审核/复核/审批权限 (forbidden)"), 404: _err("未找到该业务 (case_not_found)"),
                        422: _err("退回或不予通过须写明原因 (reason_required)")})
def decide(case_id: str, body: DecisionIn, request: Request, p: Authenticated) -> dict[str, Any]:
    """The central back office's verdict on a received case; the terminal learns it from `/sync/statuses`."""
    if body.status in ("rejected", "needs_correction") and not (body.reason or "").strip():
        raise ApiError(422, "reason_required", "退回或不予通过时必须写明原因", "reason is required")
    with _sessions(request)() as s:
        op = _require_back_office(s, p, body.stage)
        case = _case(s, case_id)
        if case.server_status != body.status or body.status == "resubmit":
            case.server_status = body.status
            s.add(CaseStatusChange(case_id=case.case_id, terminal_id=case.terminal_id, server_status=body.status,
                                   reason=(body.reason or "").strip() or None, operator_id=op.operator_id,
                                   at=utcnow()))
        s.commit()
        log.info("case %s decided: %s", case.case_no, body.status)
        return {"case_id": case.case_id, "case_no": case.case_no, "item_code": case.item_code, "status": case.status,
                "server_status": case.server_status, "received_at": iso(case.received_at),
                "server_ref": case.server_ref}


@router.get("/sync/statuses", response_model=StatusFeed, tags=["sync"],
            responses={**_E401, 422: _err("缺少终端编号 (validation_error)")})
def statuses(request: Request, p: Authenticated, since: Annotated[int, Query(ge=0)] = 0,
             limit: Annotated[int, Query(ge=1, le=1000)] = 500,
             terminal_id: Annotated[str | None, Query(max_length=64)] = None) -> dict[str, Any]:
    """Central verdicts on this terminal's cases after `since`, oldest first (a terminal token names its terminal;
    an operator token must give `terminal_id`)."""
    terminal = p.terminal_id if p.kind == "terminal" else (terminal_id or p.terminal_id)
    if not terminal:
        raise ApiError(422, "validation_error", _HTTP_ERRORS[422][1], "terminal_id is required")
    with _sessions(request)() as s:
        rows = s.execute(select(CaseStatusChange, Case.case_no, Case.server_ref)
                         .join(Case, Case.case_id == CaseStatusChange.case_id)
                         .where(CaseStatusChange.terminal_id == terminal, CaseStatusChange.seq > since)
                         .order_by(CaseStatusChange.seq).limit(limit)).all()
        changes = [{"seq": c.seq, "case_id": c.case_id, "case_no": no, "server_status": c.server_status,
                    "reason": c.reason, "server_ref": ref, "at": iso(c.at)} for c, no, ref in rows]
    return {"cursor": changes[-1]["seq"] if changes else since, "changes": changes, "more": len(changes) == limit}


# --- corrected re-submission ----------------------------------------------------------------------------------------

class ResubmissionIn(BaseModel):
    case_no: str = Field(min_length=1, max_length=64)
    applicant_name: str = Field(min_length=1, max_length=64)
    status: str = Field(min_length=1, max_length=32)
    payload: dict[str, Any]
    note: str | None = Field(default=None, max_length=2000, description="what the clerk corrected")
    operator_id: str = Field(min_length=1, max_length=64)
    at: str


@router.post("/cases/{case_id}/resubmission", status_code=201, response_model=schemas.CaseReceipt, tags=["sync"],
             openapi_extra={"parameters": [_IDEMPOTENCY_HEADER]},
             responses={**_E401, 403: _err("经办人无受理权限 (forbidden)"), 404: _err("未找到该业务 (case_not_found)"),
                        409: _err("该业务未被退回补正，不能重新提交 (not_awaiting_resubmission)"),
                        422: _err("数据校验失败")})
def resubmit(case_id: str, body: ResubmissionIn, request: Request, _p: Authenticated,
             body_hash: Annotated[str, Depends(_canonical_body_hash)]) -> Response:
    """The corrected case after `needs_correction` (or a full re-send after `resubmit`), exactly once."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        raise ApiError(400, "idempotency_key_required", "请求缺少幂等键，请升级客户端后重试", "Idempotency-Key missing")
    for _attempt in range(5):
        with _sessions(request)() as s:
            try:
                seen = s.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
                if seen is not None:
                    if seen.request_hash != body_hash:
                        raise ApiError(422, "idempotency_key_reused", "幂等键已用于另一笔不同的提交", f"key {key} reused")
                    return _json_response(seen.response_body.encode("utf-8"), seen.response_status, replayed=True)
                case = _case(s, case_id)
                authorize(s, _p, "accept", operator_id=body.operator_id, item_code=case.item_code)
                if case.case_no != body.case_no:
                    raise ApiError(422, "validation_error", "受理编号与原业务不符", "case_no differs from the case")
                if case.server_status not in AWAITING_RESUBMISSION:
                    raise ApiError(409, "not_awaiting_resubmission", "该业务当前无需重新提交",
                                   f"case {case.case_id} is {case.server_status}")
                now = utcnow()
                case.payload = body.payload
                case.applicant_name = body.applicant_name
                case.server_status = "resubmitted"
                s.add(CaseStatusChange(case_id=case.case_id, terminal_id=case.terminal_id,
                                       server_status="resubmitted", reason=body.note, operator_id=body.operator_id,
                                       at=now))
                out = _json_bytes(_receipt(case))
                s.add(IdempotencyKey(key=key, request_hash=body_hash, response_status=201,
                                     response_body=out.decode("utf-8"), case_id=case.case_id, created_at=now))
                s.commit()
                log.info("case resubmitted: %s", case.case_no)
                return _json_response(out, 201)
            except IntegrityError:
                s.rollback()
    raise ApiError(409, "conflict", _HTTP_ERRORS[409][1], "resubmission kept conflicting")
