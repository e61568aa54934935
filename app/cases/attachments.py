"""Scans and photos of a case's materials: bytes in the attachments dir (written atomically, named by id), metadata
and SHA-256 in the local store, so an archive package or an upload can prove each file is the one captured."""
from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.clock import as_utc, utcnow
from app.errors import YichuangError
from app.store import Store
from app.store.models import Attachment, Case
from app.sync.uploads import enqueue_attachment

_EXT = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf", "image/tiff": ".tif"}
MAX_BYTES = 30 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentView:
    attachment_id: str
    case_id: str
    material_code: str
    file_name: str
    mime_type: str
    size_bytes: int
    sha256: str
    created_at: datetime
    path: Path


class AttachmentStore:
    def __init__(self, store: Store, directory: Path):
        self.store = store
        self.directory = directory

    def _path(self, case_id: str, attachment_id: str, mime: str) -> Path:
        return self.directory / case_id / f"{attachment_id}{_EXT.get(mime, '.bin')}"

    def add(self, case_id: str, material_code: str, data: bytes, mime_type: str, file_name: str) -> AttachmentView:
        if not data:
            raise YichuangError("扫描件为空，请重新扫描。", "empty attachment")
        if len(data) > MAX_BYTES:
            raise YichuangError("扫描件超过30MB，请降低分辨率后重新扫描。", f"attachment too large: {len(data)}")
        attachment_id = str(uuid.uuid4())
        path = self._path(case_id, attachment_id, mime_type)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        with open(tmp, "wb") as fh:  # bytes first and durable, then the row: a row never points at nothing
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        digest = hashlib.sha256(data).hexdigest()
        now = utcnow()
        with self.store.session() as s:
            if s.get(Case, case_id) is None:
                path.unlink(missing_ok=True)
                raise YichuangError("找不到该业务件，扫描件未保存。", f"case {case_id} not found")
            row = Attachment(attachment_id=attachment_id, case_id=case_id, material_code=material_code,
                             file_name=file_name, mime_type=mime_type, size_bytes=len(data), sha256=digest,
                             created_at=now)
            s.add(row)
            s.flush()  # holds the write lock: the upload is queued with its row, ordered before the case (app.sync)
            enqueue_attachment(s, row, f"{case_id}/{path.name}")
        return AttachmentView(attachment_id, case_id, material_code, file_name, mime_type, len(data), digest, now,
                              path)

    def list(self, case_id: str) -> list[AttachmentView]:
        with self.store.session() as s:
            rows = s.scalars(select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.created_at))
            return [AttachmentView(a.attachment_id, a.case_id, a.material_code, a.file_name, a.mime_type,
                                   a.size_bytes, a.sha256, as_utc(a.created_at),
                                   self._path(a.case_id, a.attachment_id, a.mime_type)) for a in rows]

    def read(self, view: AttachmentView) -> bytes:
        data = view.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != view.sha256:
            raise YichuangError("扫描件已损坏或被改动，请重新扫描。", f"sha256 mismatch {view.attachment_id}")
        return data
