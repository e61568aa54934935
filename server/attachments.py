"""Chunked, resumable upload of scans. The terminal declares a file (size, SHA-256, chunk size), sends the chunks it
has not yet delivered (each with its own SHA-256, verified on arrival), then asks to complete: the server checks that
every chunk is there and that the whole file hashes to the declared SHA-256. Every step is idempotent, so a terminal
that lost its connection asks what is there (`GET`) and carries on. A scan may arrive before its case."""
from __future__ import annotations

import hashlib
import logging
import re
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.api import _E401, ApiError, Authenticated, _err, _sessions
from server.db import utcnow
from server.models import AttachmentChunk, AttachmentUpload, Case
from server.security import Principal, authorize

log = logging.getLogger("yichuang.server.attachments")
router = APIRouter(prefix="/api/v1")

MAX_FILE = 64 * 1024 * 1024
MAX_CHUNK = 8 * 1024 * 1024
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class AttachmentDeclare(BaseModel):
    case_id: str = Field(min_length=36, max_length=36)
    material_code: str = Field(min_length=1, max_length=64)
    file_name: str = Field(min_length=1, max_length=255)
    mime_type: str = Field(min_length=1, max_length=64)
    size_bytes: int = Field(gt=0, le=MAX_FILE)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    chunk_size: int = Field(ge=1024, le=MAX_CHUNK)


class AttachmentState(BaseModel):
    attachment_id: str
    case_id: str
    state: Literal["uploading", "complete"]
    size_bytes: int
    sha256: str
    chunk_size: int
    chunk_count: int
    received: list[int] = Field(description="indexes of the chunks held (all of them once complete)")


def _id(attachment_id: str) -> str:
    try:
        return str(uuid.UUID(attachment_id))
    except ValueError:
        raise ApiError(404, "attachment_not_found", "未找到该扫描件", f"bad attachment id {attachment_id}") from None


def _get(s: Session, attachment_id: str) -> AttachmentUpload:
    row = s.get(AttachmentUpload, _id(attachment_id))
    if row is None:
        raise ApiError(404, "attachment_not_found", "未找到该扫描件，请重新上传", f"no attachment {attachment_id}")
    return row


def _allowed(s: Session, p: Principal, action: str, case_id: str | None) -> None:
    """Least privilege (issue 11): uploading a case's scan is part of 受理 (for the case's operator when the centre
    holds the case, else for the terminal's role); reading a scan's bytes is viewing a person's record."""
    operator_id = s.scalar(select(Case.operator_id).where(Case.case_id == case_id)) if case_id else None
    if p.kind == "operator":
        operator_id = None
    authorize(s, p, action, operator_id=operator_id)


def _state(s: Session, row: AttachmentUpload) -> dict[str, Any]:
    received = list(s.scalars(select(AttachmentChunk.idx).where(AttachmentChunk.attachment_id == row.attachment_id)
                              .order_by(AttachmentChunk.idx)))
    return {"attachment_id": row.attachment_id, "case_id": row.case_id, "state": row.state,
            "size_bytes": row.size_bytes, "sha256": row.sha256, "chunk_size": row.chunk_size,
            "chunk_count": row.chunk_count, "received": received}


@router.put("/attachments/{attachment_id}", response_model=AttachmentState, tags=["attachments"],
            responses={**_E401, 409: _err("同一编号的扫描件元数据不同 (attachment_conflict)")})
def declare(attachment_id: str, body: AttachmentDeclare, request: Request, p: Authenticated) -> dict[str, Any]:
    """Declare (or re-declare, idempotently) an upload; answers which chunks the server already holds."""
    attachment_id = _id(attachment_id)
    count = -(-body.size_bytes // body.chunk_size)
    with _sessions(request)() as s:
        _allowed(s, p, "accept", body.case_id)
    for _attempt in range(3):
        with _sessions(request)() as s:
            row = s.get(AttachmentUpload, attachment_id)
            if row is None:
                row = AttachmentUpload(attachment_id=attachment_id, case_id=body.case_id,
                                       material_code=body.material_code, file_name=body.file_name,
                                       mime_type=body.mime_type, size_bytes=body.size_bytes, sha256=body.sha256,
                                       chunk_size=body.chunk_size, chunk_count=count, state="uploading",
                                       terminal_id=p.terminal_id, created_at=utcnow())
                s.add(row)
                try:
                    s.commit()
                except IntegrityError:
                    s.rollback()
                    continue
            elif (row.case_id, row.size_bytes, row.sha256) != (body.case_id, body.size_bytes, body.sha256):
                raise ApiError(409, "attachment_conflict", "扫描件编号已用于另一文件",
                               f"attachment {attachment_id} declared with other case/size/hash")
            elif row.chunk_size != body.chunk_size and row.state != "complete":
                # the terminal changed its chunk size: start over with the new one
                s.execute(delete(AttachmentChunk).where(AttachmentChunk.attachment_id == attachment_id))
                row.chunk_size, row.chunk_count = body.chunk_size, count
                s.commit()
            return _state(s, row)
    raise ApiError(409, "conflict", "请求冲突，请稍后重试", "attachment declaration kept conflicting")


@router.get("/attachments/{attachment_id}", response_model=AttachmentState, tags=["attachments"],
            responses={**_E401, 404: _err("未找到该扫描件 (attachment_not_found)")})
def status(attachment_id: str, request: Request, _p: Authenticated) -> dict[str, Any]:
    """What the server holds of an upload (to resume after an interruption)."""
    with _sessions(request)() as s:
        row = _get(s, attachment_id)
        _allowed(s, _p, "accept", row.case_id)
        return _state(s, row)


async def _raw_body(request: Request) -> bytes:
    return await request.body()


@router.put("/attachments/{attachment_id}/chunks/{index}", tags=["attachments"],
            openapi_extra={"requestBody": {"required": True,
                                           "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                                               "format": "binary"}}}}},
            responses={**_E401, 404: _err("未找到该扫描件 (attachment_not_found)"),
                       409: _err("该分块已以不同内容收到 (chunk_conflict)"),
                       422: _err("分块校验失败 (chunk_hash_mismatch, chunk_size_invalid)")})
def put_chunk(attachment_id: str, index: int, request: Request, _p: Authenticated,
              x_chunk_sha256: Annotated[str, Header(alias="X-Chunk-SHA256")],
              data: Annotated[bytes, Depends(_raw_body)]) -> dict[str, Any]:
    """One chunk (raw bytes) with its SHA-256 in `X-Chunk-SHA256`; verified before it is kept. Idempotent."""
    digest = hashlib.sha256(data).hexdigest()
    if not _HEX64.match(x_chunk_sha256.lower()) or digest != x_chunk_sha256.lower():
        raise ApiError(422, "chunk_hash_mismatch", "扫描件分块在传输中损坏，将自动重传",
                       f"chunk {index} of {attachment_id}: sha256 {digest} != {x_chunk_sha256}")
    return _store_chunk(request, attachment_id, index, data, digest, _p)


def _store_chunk(request: Request, attachment_id: str, index: int, data: bytes, digest: str,
                 p: Principal) -> dict[str, Any]:
    for attempt in range(3):
        with _sessions(request)() as s:
            row = _get(s, attachment_id)
            if attempt == 0:
                _allowed(s, p, "accept", row.case_id)
            if not 0 <= index < row.chunk_count:
                raise ApiError(422, "chunk_size_invalid", "扫描件分块编号无效", f"index {index} of {row.chunk_count}")
            expected = row.chunk_size if index < row.chunk_count - 1 else row.size_bytes - row.chunk_size * index
            if len(data) != expected:
                raise ApiError(422, "chunk_size_invalid", "扫描件分块大小不符",
                               f"chunk {index}: {len(data)} bytes, expected {expected}")
            have = s.get(AttachmentChunk, (row.attachment_id, index))
            if have is not None:
                if have.sha256 != digest:
                    if row.state == "complete":
                        raise ApiError(409, "chunk_conflict", "扫描件已完整接收，不能更改",
                                       f"chunk {index} differs from the completed file")
                    have.sha256, have.size, have.data = digest, len(data), data
                    s.commit()
            else:
                s.add(AttachmentChunk(attachment_id=row.attachment_id, idx=index, sha256=digest, size=len(data),
                                      data=data))
                try:
                    s.commit()
                except IntegrityError:
                    s.rollback()
                    continue
            received = s.scalar(select(func.count()).select_from(AttachmentChunk)
                                .where(AttachmentChunk.attachment_id == row.attachment_id))
            return {"attachment_id": row.attachment_id, "index": index, "received": received,
                    "chunk_count": row.chunk_count}
    raise ApiError(409, "conflict", "请求冲突，请稍后重试", "chunk upload kept conflicting")


@router.post("/attachments/{attachment_id}/complete", response_model=AttachmentState, tags=["attachments"],
             responses={**_E401, 404: _err("未找到该扫描件 (attachment_not_found)"),
                        409: _err("分块未收齐 (chunks_missing)"),
                        422: _err("整个文件的 SHA-256 或大小与声明不符，已清除分块 (file_hash_mismatch)")})
def complete(attachment_id: str, request: Request, _p: Authenticated) -> dict[str, Any]:
    """Verify the whole file against its declared size and SHA-256 and mark it complete (idempotent)."""
    with _sessions(request)() as s:
        row = _get(s, attachment_id)
        _allowed(s, _p, "accept", row.case_id)
        if row.state == "complete":
            return _state(s, row)
        held = list(s.scalars(select(AttachmentChunk.idx).where(AttachmentChunk.attachment_id == row.attachment_id)))
        missing = sorted(set(range(row.chunk_count)) - set(held))
        if missing:
            raise ApiError(409, "chunks_missing", "扫描件分块未收齐，将继续上传",
                           f"missing chunks {missing[:20]} of {row.chunk_count}")
        h, size = hashlib.sha256(), 0
        for idx in range(row.chunk_count):  # one chunk in memory at a time
            data = s.scalar(select(AttachmentChunk.data).where(AttachmentChunk.attachment_id == row.attachment_id,
                                                               AttachmentChunk.idx == idx))
            h.update(data)
            size += len(data)
        if size != row.size_bytes or h.hexdigest() != row.sha256:
            s.execute(delete(AttachmentChunk).where(AttachmentChunk.attachment_id == row.attachment_id))
            s.commit()
            raise ApiError(422, "file_hash_mismatch", "扫描件校验不一致，已清除，将重新上传",
                           f"{row.attachment_id}: {size} bytes sha256 {h.hexdigest()} != {row.sha256}")
        row.state, row.completed_at = "complete", utcnow()
        s.commit()
        log.info("attachment complete: %s (%d bytes) of case %s", row.attachment_id, row.size_bytes, row.case_id)
        return _state(s, row)


@router.get("/attachments/{attachment_id}/content", tags=["attachments"],
            responses={200: {"content": {"application/octet-stream": {}}, "description": "the verified file"},
                       **_E401, 404: _err("未找到或尚未上传完成 (attachment_not_found)")})
def content(attachment_id: str, request: Request, _p: Authenticated) -> Response:
    """The bytes of a completed upload."""
    with _sessions(request)() as s:
        row = _get(s, attachment_id)
        _allowed(s, _p, "view_person", row.case_id)
        if row.state != "complete":
            raise ApiError(404, "attachment_not_found", "扫描件尚未上传完成", f"{attachment_id} is {row.state}")
        data = b"".join(s.scalars(select(AttachmentChunk.data).where(AttachmentChunk.attachment_id ==
                                                                     row.attachment_id).order_by(AttachmentChunk.idx)))
        return Response(content=data, media_type=row.mime_type,
                        headers={"X-Content-SHA256": row.sha256})
