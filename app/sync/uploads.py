"""Scans to the centre: queued with their row (same local transaction), uploaded in chunks with a SHA-256 per chunk
and per file, resumable (the server says which chunks it holds), verified by the server on completion.

Order: a case's scans go before the case. A scan stored while the case's submission has not left yet becomes a
dependency of that submission (`outbox_dependencies`); one stored later travels on its own (the server accepts a scan
before or after its case)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.errors import NetworkUnavailable, YichuangError
from app.store.models import Attachment, OutboxDependency, OutboxMessage
from app.sync.outbox import ATTACHMENT_UPLOAD, CASE_SUBMIT, PENDING, new_message


def enqueue_attachment(s: Session, att: Attachment, relative_path: str) -> OutboxMessage:
    """Queue the upload of a stored scan, inside the caller's transaction (after its row was flushed, so the write
    lock is held and the case's submission cannot be claimed between the look and the new ordering edge)."""
    body = {"case_id": att.case_id, "material_code": att.material_code, "file_name": att.file_name,
            "mime_type": att.mime_type, "size_bytes": att.size_bytes, "sha256": att.sha256, "file": relative_path}
    msg = new_message(aggregate_id=att.case_id, kind=ATTACHMENT_UPLOAD, method="UPLOAD",
                      path=f"/api/v1/attachments/{att.attachment_id}", body=body, now=utcnow())
    s.add(msg)
    submit = s.scalar(select(OutboxMessage).where(OutboxMessage.aggregate_id == att.case_id,
                                                  OutboxMessage.kind == CASE_SUBMIT, OutboxMessage.state == PENDING,
                                                  OutboxMessage.attempts == 0))
    if submit is not None:  # not yet tried: the case waits for its scan
        s.add(OutboxDependency(message_id=submit.message_id, depends_on=msg.message_id))
    return msg


def _file(attachments_dir: Path, body: dict, reader=None) -> bytes:
    from app.sync.relay import LocalFileError

    path = attachments_dir / body["file"]
    try:
        # issue 11 (encryption at rest): `reader` is AttachmentStore.read_relative, returning the plaintext of a
        # sealed file; without it the file is read as stored (a terminal without encryption at rest)
        data = reader(body["file"]) if reader is not None else path.read_bytes()
    except OSError as exc:
        raise LocalFileError("扫描件文件在本机丢失，无法上传，请重新扫描。", f"{path}: {exc!r}") from None
    except YichuangError as exc:  # a sealed file that does not open (issue 11)
        raise LocalFileError(exc.user_message, f"{path}: {exc.detail}") from None
    if len(data) != body["size_bytes"] or hashlib.sha256(data).hexdigest() != body["sha256"]:
        raise LocalFileError("扫描件在本机已损坏或被改动，无法上传，请重新扫描。", f"{path}: sha256/size mismatch")
    return data


def upload_attachment(api, msg: OutboxMessage, attachments_dir: Path, chunk_bytes: int, reader=None) -> dict:
    """Declare, send the missing chunks, complete. Any step may fail with NetworkUnavailable / ServerRejected; the
    next attempt resumes from what the server holds. Returns the server's final state (complete)."""
    attachment_id = msg.path.rsplit("/", 1)[-1]
    body = dict(msg.body)
    meta = {k: body[k] for k in ("case_id", "material_code", "file_name", "mime_type", "size_bytes", "sha256")}
    data = _file(attachments_dir, body, reader)
    state = api.attachment_declare(attachment_id, {**meta, "chunk_size": chunk_bytes})
    if state.get("state") == "complete":
        return state
    size = state.get("chunk_size") or chunk_bytes
    held = set(state.get("received") or [])
    for idx in range(state["chunk_count"]):
        if idx in held:
            continue
        chunk = data[idx * size:(idx + 1) * size]
        api.attachment_chunk(attachment_id, idx, chunk, hashlib.sha256(chunk).hexdigest())
    return api.attachment_complete(attachment_id)


__all__ = ["enqueue_attachment", "upload_attachment", "NetworkUnavailable"]
