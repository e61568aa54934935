"""Certificate verification codes: POST /api/v1/certificates issues a code for a certified content (terminals, when
they print a 权益记录单, a 单位参保缴费证明 or a 个人参保证明); GET /api/v1/certificates/{code} tells anyone holding the paper — a bank, an
employer — whether the code is genuine and what it certifies, or that it is tampered with or unknown.

Code format and hashing live in app.docs.certify (the client computes the same content hash). The HMAC key is
YICHUANG_CERTIFICATE_KEY (key id 0) when set, otherwise a random key made once and kept in certificate_keys (id 1),
so every worker over the same database signs and checks with the same key."""
from __future__ import annotations

import logging
import os
import secrets
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.docs.certify import (KIND_TITLES, code_tag, content_hash, format_code, new_serial, parse_code,
                              tags_match)
from app.ids import is_valid_id_number, mask_id_number
from server.api import _E401, _E422, ApiError, Authenticated, _err, _sessions, iso
from server.db import utcnow
from server.models import Certificate, CertificateKey

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1")
ENV_KEY = "YICHUANG_CERTIFICATE_KEY"
MAX_ROWS = 5000
MAX_SUMMARY = 40

CertificateKind = Literal["rights_record", "unit_certificate", "personal_certificate"]  # app.docs.certify.KIND_TITLES
Verdict = Literal["genuine", "tampered", "unknown"]


class Subject(BaseModel):
    id: str = Field(min_length=1, max_length=32, description="公民身份号码 or 统一社会信用代码")
    name: str = Field(min_length=1, max_length=128)


class CertifiedContent(BaseModel, extra="allow"):
    """What a certificate certifies; extra keys (rows, accounts …) are kept and hashed as sent."""

    kind: CertificateKind
    title: str = Field(max_length=128)
    subject: Subject
    agency: dict[str, str]
    period: dict[str, str] = Field(default_factory=dict, description="{'from': 'YYYY-MM', 'to': 'YYYY-MM'}")
    issued_on: str = Field(max_length=10, description="YYYY-MM-DD, Beijing date of issue")
    summary: list[tuple[str, str]] = Field(max_length=MAX_SUMMARY,
                                           description="label/value pairs a verifier is shown")
    rows: list[Any] = Field(default_factory=list, max_length=MAX_ROWS)


class IssueIn(BaseModel):
    kind: CertificateKind
    content: CertifiedContent
    operator_id: str | None = Field(default=None, max_length=64,
                                    description="who prints (a terminal token acts for this operator; issue 11)")


class Issued(BaseModel):
    code: str
    kind: CertificateKind
    content_hash: str
    issued_at: str
    verify_path: str


class CertifiedFacts(BaseModel):
    kind: CertificateKind
    title: str
    subject_name: str
    subject_id: str = Field(description="ID numbers masked; a unit's 统一社会信用代码 in full")
    agency_name: str
    agency_code: str
    period_from: str | None
    period_to: str | None
    issued_on: str
    issued_at: str
    summary: list[tuple[str, str]]
    content_hash: str


class Verification(BaseModel):
    code: str
    status: Verdict
    genuine: bool
    message: str = Field(description="Chinese, for whoever checks the paper")
    certificate: CertifiedFacts | None = None


def _key(s: Session, key_id: int | None = None) -> tuple[int, bytes] | None:
    """(key id, secret) to sign with (key_id None) or to check a stored certificate's code."""
    env = os.environ.get(ENV_KEY, "")
    if key_id is None and env:
        return 0, env.encode("utf-8")
    if key_id == 0:
        return (0, env.encode("utf-8")) if env else None
    wanted = key_id or 1
    row = s.get(CertificateKey, wanted)
    if row is None and key_id is None:
        s.add(CertificateKey(key_id=1, secret_hex=secrets.token_hex(32), created_at=utcnow()))
        try:
            s.commit()
        except IntegrityError:  # another worker made it first: use theirs
            s.rollback()
        row = s.get(CertificateKey, 1)
    return (row.key_id, bytes.fromhex(row.secret_hex)) if row is not None else None


@router.post("/certificates", status_code=201, response_model=Issued, tags=["certificates"],
             responses={200: {"model": Issued, "description": "该内容已发过验证码：返回原验证码"}, **_E401,
                        403: _err("没有打印权限 (forbidden)"), **_E422})
def issue_certificate(body: IssueIn, request: Request, principal: Authenticated) -> Any:
    """Issue the verification code of a certificate about to be printed. The same content (a reprint) gets the
    same code back."""
    if body.content.kind != body.kind:
        raise ApiError(422, "validation_error", "证明类型与内容不符", f"kind {body.kind} vs content {body.content.kind}")
    content = body.content.model_dump(mode="json")
    try:
        digest = content_hash(content)
    except TypeError as exc:  # a float in the content (found by fuzzing, issue 11: was a 500)
        raise ApiError(422, "validation_error", "证明内容中的数字须以字符串或定点数表示", str(exc)) from None
    with _sessions(request)() as s:  # issue 11 hook: printing a certificate is the matrix's 打印
        from server.security import authorize

        authorize(s, principal, "print", operator_id=body.operator_id)
    for _attempt in range(5):
        with _sessions(request)() as s:
            row = s.scalar(select(Certificate).where(Certificate.content_hash == digest))
            if row is not None:
                return _issued(row, digest, 200, _key(s, row.key_id))
            key_id, secret = _key(s)
            row = Certificate(serial=new_serial(), kind=body.kind, content_hash=digest, content=content,
                              key_id=key_id, issued_by=principal.subject, terminal_id=principal.terminal_id,
                              issued_at=utcnow(), verified_count=0)
            s.add(row)
            try:
                s.commit()
            except IntegrityError:  # the same content racing in, or (once in 2^40) a serial taken: look again
                s.rollback()
                continue
            log.info("certificate issued: %s %s by %s", body.kind, row.serial, principal.subject)
            return _issued(row, digest, 201, (key_id, secret))
    raise ApiError(409, "conflict", "请求冲突，请稍后重试", "certificate issue kept conflicting")


def _issued(row: Certificate, digest: str, status: int, key: tuple[int, bytes] | None) -> JSONResponse:
    if key is None:  # issued under the environment key, which is no longer set
        raise ApiError(409, "certificate_key_missing", "证明验证密钥缺失，请联系系统管理员",
                       f"certificate {row.serial} was signed with key {row.key_id}, not available")
    code = format_code(row.kind, row.serial, code_tag(key[1], row.kind, row.serial, digest))
    return JSONResponse(status_code=status, content={
        "code": code, "kind": row.kind, "content_hash": digest, "issued_at": iso(row.issued_at),
        "verify_path": f"/api/v1/certificates/{code}"})


_MESSAGES = {
    "genuine": "验证通过：该证明由社会保险经办机构出具，内容如下。请核对纸质证明与下列信息一致。",
    "tampered": "验证未通过：验证码与出具记录不符，证明可能被伪造或篡改，请勿采信，并向出具机构核实。",
    "unknown": "未查到该验证码：请核对输入是否有误；仍查不到的，该证明不是社会保险经办机构出具的。",
}


def _verdict(code: str, status: Verdict, facts: CertifiedFacts | None = None) -> dict[str, Any]:
    return {"code": code, "status": status, "genuine": status == "genuine", "message": _MESSAGES[status],
            "certificate": facts.model_dump() if facts else None}


def _facts(row: Certificate, digest: str) -> CertifiedFacts:
    content = row.content
    subject = content.get("subject", {})
    number = str(subject.get("id", ""))
    period = content.get("period") or {}
    agency = content.get("agency") or {}
    return CertifiedFacts(
        kind=row.kind, title=str(content.get("title") or KIND_TITLES[row.kind]),
        subject_name=str(subject.get("name", "")),
        subject_id=mask_id_number(number) if is_valid_id_number(number) else number,
        agency_name=str(agency.get("name", "")), agency_code=str(agency.get("code", "")),
        period_from=period.get("from"), period_to=period.get("to"), issued_on=str(content.get("issued_on", "")),
        issued_at=iso(row.issued_at), summary=[tuple(p) for p in content.get("summary", [])], content_hash=digest)


@router.get("/certificates/{code}", response_model=Verification, tags=["certificates"],
            responses={422: _err("content_hash 参数格式不正确 (validation_error)")})
def verify_certificate(
    code: str, request: Request,
    content_hash_q: str | None = Query(default=None, alias="content_hash", pattern="^[0-9a-fA-F]{64}$",
                                       description="optional: the SHA-256 of a copy's content, to check the copy"),
) -> dict[str, Any]:
    """Public (no sign-in): is this code genuine, and what does it certify? Always 200 with a verdict:
    `genuine`, `tampered` (code or record does not match its HMAC, or the given content hash differs) or `unknown`."""
    parsed = parse_code(code)
    if parsed is None:
        return _verdict(code[:64], "unknown")
    with _sessions(request)() as s:
        row = s.get(Certificate, parsed.serial)
        if row is None or row.kind != parsed.kind:
            log.info("certificate code not found: %s", parsed.code)
            return _verdict(parsed.code, "unknown")
        key = _key(s, row.key_id)
        digest = content_hash(row.content)  # recomputed: an edited record no longer matches its code
        if key is None or not tags_match(key[1], parsed, digest) or digest != row.content_hash:
            log.warning("certificate code failed verification: %s", parsed.code)
            return _verdict(parsed.code, "tampered")
        if content_hash_q is not None and content_hash_q.lower() != digest:
            return _verdict(parsed.code, "tampered")
        row.verified_count = (row.verified_count or 0) + 1
        s.commit()
        return _verdict(parsed.code, "genuine", _facts(row, digest))

