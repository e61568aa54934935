"""Person data with versions: terminals edit a person on the version they hold; the server refuses a stale update
(409 person_conflict, with its current version in the answer) instead of letting the last writer win. The client
shows both versions and the clerk chooses."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.api import (_E401, _HTTP_ERRORS, _IDEMPOTENCY_HEADER, ApiError, Authenticated, _canonical_body_hash,
                        _check_ssn, _err, _json_bytes, _json_response, _sessions, iso)
from server.db import utcnow
from server.models import IdempotencyKey, Person, PersonVersion, RefChange
from server.security import authorize

log = logging.getLogger("yichuang.server.persons")
router = APIRouter(prefix="/api/v1")

EDITABLE = ("phone", "residence_address", "postcode")


class PersonChanges(BaseModel):
    phone: str | None = Field(default=None, pattern=r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
    residence_address: str | None = Field(default=None, min_length=2, max_length=255)
    postcode: str | None = Field(default=None, pattern=r"^\d{6}$")


class PersonUpdate(BaseModel):
    base_version: int = Field(ge=1, description="the version the clerk saw and edited")
    changes: PersonChanges
    operator_id: str = Field(min_length=1, max_length=64)
    terminal_id: str = Field(min_length=1, max_length=64)
    at: datetime


class VersionedPerson(BaseModel):
    ssn: str
    version: int
    updated_at: str | None
    data: dict[str, Any]


def person_data(p: Person) -> dict[str, Any]:
    return {"name": p.name, "gender": p.gender, "birth_date": p.birth_date.isoformat(), "nation": p.nation,
            "phone": p.phone, "hukou_address": p.hukou_address, "residence_address": p.residence_address,
            "postcode": p.postcode, "region_code": p.region_code, "village": p.village}


def versioned(s: Session, p: Person) -> dict[str, Any]:
    v = s.get(PersonVersion, p.ssn)
    return {"ssn": p.ssn, "version": v.version if v else 1, "updated_at": iso(v.updated_at) if v else None,
            "data": person_data(p)}


def _person(s: Session, ssn: str) -> Person:
    number = _check_ssn(ssn)
    p = s.get(Person, number)
    if p is None:
        raise ApiError(404, "person_not_found", "未找到该公民身份号码的参保人员信息", "no such person")
    return p


@router.get("/sync/persons/{ssn}", response_model=VersionedPerson, tags=["persons"],
            responses={**_E401, 403: _err("岗位无查询参保人员信息权限 (forbidden)"),
                       404: _err("未找到参保人员 (person_not_found)")})
def get_versioned(ssn: str, request: Request, _p: Authenticated) -> dict[str, Any]:
    """A person's base data with its version (the base of an update)."""
    with _sessions(request)() as s:
        authorize(s, _p, "view_person")  # permission matrix (issue 11)
        return versioned(s, _person(s, ssn))


@router.patch("/persons/{ssn}", response_model=VersionedPerson, tags=["persons"],
              openapi_extra={"parameters": [_IDEMPOTENCY_HEADER]},
              responses={**_E401, 403: _err("经办人无受理权限 (forbidden)"),
                         404: _err("未找到参保人员 (person_not_found)"),
                         409: _err("人员信息已被其他终端修改 (person_conflict)；答复另含 `current`：中心现有版本"),
                         422: _err("数据校验失败")})
def update_person(ssn: str, body: PersonUpdate, request: Request, _p: Authenticated,
                  body_hash: Annotated[str, Depends(_canonical_body_hash)]) -> Response:
    """Change a person's contact data on `base_version`, exactly once; a stale base is refused, never merged."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        raise ApiError(400, "idempotency_key_required", "请求缺少幂等键，请升级客户端后重试", "Idempotency-Key missing")
    changes = body.changes.model_dump(exclude_none=True)
    if not changes:
        raise ApiError(422, "validation_error", _HTTP_ERRORS[422][1], "no changes")
    with _sessions(request)() as s:
        authorize(s, _p, "accept", operator_id=body.operator_id)  # a contact change is a 受理 act (issue 11)
    for _attempt in range(5):
        with _sessions(request)() as s:
            try:
                return _update_once(s, key, body_hash, ssn, body, changes)
            except IntegrityError:
                s.rollback()
    raise ApiError(409, "conflict", _HTTP_ERRORS[409][1], "person update kept conflicting")


def _update_once(s: Session, key: str, body_hash: str, ssn: str, body: PersonUpdate, changes: dict) -> Response:
    seen = s.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
    if seen is not None:
        if seen.request_hash != body_hash:
            raise ApiError(422, "idempotency_key_reused", "幂等键已用于另一笔不同的提交", f"key {key} reused")
        return _json_response(seen.response_body.encode("utf-8"), seen.response_status, replayed=True)
    person = _person(s, ssn)
    now = utcnow()
    row = s.get(PersonVersion, person.ssn)
    current = row.version if row else 1
    if body.base_version != current:
        return _conflict(s, person, body.base_version)
    if row is None:  # first versioned change: a racing twin shows up as an IntegrityError on insert
        s.add(PersonVersion(ssn=person.ssn, version=2, updated_at=now, updated_by=body.operator_id,
                            terminal_id=body.terminal_id))
        s.flush()
    else:  # compare-and-set, so two workers cannot both move version n to n+1
        done = s.execute(update(PersonVersion).where(PersonVersion.ssn == person.ssn,
                                                     PersonVersion.version == current)
                         .values(version=current + 1, updated_at=now, updated_by=body.operator_id,
                                 terminal_id=body.terminal_id)).rowcount
        if done != 1:
            s.rollback()
            return _conflict(s, _person(s, ssn), body.base_version)
    for field, value in changes.items():
        setattr(person, field, value)
    s.add(RefChange(kind="person", key=person.ssn, operator_id=None, at=now))
    s.flush()
    s.expire_all()
    out = _json_bytes(versioned(s, s.get(Person, person.ssn)))
    s.add(IdempotencyKey(key=key, request_hash=body_hash, response_status=200, response_body=out.decode("utf-8"),
                         case_id=None, created_at=now))
    s.commit()
    log.info("person updated to version %d by %s at %s", current + 1, body.operator_id, body.terminal_id)
    return _json_response(out, 200)


def _conflict(s: Session, person: Person, base: int) -> JSONResponse:
    cur = versioned(s, person)
    return JSONResponse(status_code=409, content={
        "error": {"code": "person_conflict", "message": "该人员信息已被其他终端修改，请核对两个版本后选择保留哪一个",
                  "detail": f"base version {base}, current {cur['version']}"},
        "current": cur})
