"""Scans and photos of a case's materials: bytes in the attachments dir (written atomically, named by id), metadata
and SHA-256 (of the plaintext) in the local store, so an archive package or an upload can prove each file is the one
captured. With encryption at rest on, every file is sealed with AES-GCM under the data key (per-file nonce, the
attachment id as associated data, app.security.at_rest.FileCipher); `read` and `read_relative` return plaintext."""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.clock import as_utc, utcnow
from app.errors import YichuangError
from app.security.filenames import safe_file_name
from app.security.at_rest import FileCipher, wipe_file, write_durably
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
    def __init__(self, store: Store, directory: Path, *, cipher: FileCipher | None = None):
        self.store = store
        self.directory = directory
        self.cipher = cipher  # None = plain files (a counter without encryption at rest)

    def _path(self, case_id: str, attachment_id: str, mime: str) -> Path:
        return self.directory / case_id / f"{attachment_id}{_EXT.get(mime, '.bin')}"

    def add(self, case_id: str, material_code: str, data: bytes, mime_type: str, file_name: str) -> AttachmentView:
        if not data:
            raise YichuangError("扫描件为空，请重新扫描。", "empty attachment")
        if len(data) > MAX_BYTES:
            raise YichuangError("扫描件超过30MB，请降低分辨率后重新扫描。", f"attachment too large: {len(data)}")
        file_name = safe_file_name(file_name)  # shown and exported later: no path parts, control or reserved chars
        attachment_id = str(uuid.uuid4())
        path = self._path(case_id, attachment_id, mime_type)
        path.parent.mkdir(parents=True, exist_ok=True)
        # bytes first and durable, then the row: a row never points at nothing
        write_durably(path, self.cipher.seal(data, attachment_id.encode()) if self.cipher else data)
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

    def _plain(self, blob: bytes, attachment_id: str) -> bytes:
        if FileCipher.is_sealed(blob):
            if self.cipher is None:
                raise YichuangError("扫描件已加密，本机数据未解锁，无法读取。", f"sealed attachment {attachment_id}",
                                    code="locked")
            return self.cipher.open(blob, attachment_id.encode())
        return blob  # written before encryption at rest was switched on (re-sealed by `reseal_all`)

    def read(self, view: AttachmentView) -> bytes:
        data = self._plain(view.path.read_bytes(), view.attachment_id)
        if hashlib.sha256(data).hexdigest() != view.sha256:
            raise YichuangError("扫描件已损坏或被改动，请重新扫描。", f"sha256 mismatch {view.attachment_id}")
        return data

    def read_relative(self, relative_path: str) -> bytes:
        """Plaintext of the file an upload message names (`case_id/<attachment_id>.<ext>`), for the chunked
        uploader (app.sync.uploads); the uploader checks size and SHA-256 itself."""
        path = self.directory / relative_path
        if self.directory.resolve() not in path.resolve().parents:
            raise YichuangError("扫描件路径无效。", f"attachment path outside the directory: {relative_path!r}")
        return self._plain(path.read_bytes(), Path(relative_path).stem)

    # -- encryption at rest: key rotation and switching encryption on ------------------------------------------------
    def reseal_all(self, cipher: FileCipher) -> int:
        """Seal every file under `cipher`'s current key: files under the previous key (a rotation) and plain files
        (encryption switched on later) alike; files already under the current key are left alone, so a rotation
        interrupted half-way resumes where it stopped. Each file is replaced atomically. Returns files rewritten."""
        n = 0
        with self.store.session() as s:
            rows = [(a.attachment_id, a.case_id, a.mime_type, a.sha256) for a in s.scalars(select(Attachment))]
        for attachment_id, case_id, mime, sha in rows:
            path = self._path(case_id, attachment_id, mime)
            try:
                with open(path, "rb") as fh:
                    if cipher.is_current(fh.read(64) + b"\0" * 16):  # the header names the key
                        continue
                blob = path.read_bytes()
            except FileNotFoundError:
                continue
            plain = cipher.open(blob, attachment_id.encode()) if FileCipher.is_sealed(blob) else blob
            if hashlib.sha256(plain).hexdigest() != sha:
                raise YichuangError("扫描件已损坏或被改动，密钥轮换中止，请联系管理员。", f"sha256 mismatch {attachment_id}")
            write_durably(path, cipher.seal(plain, attachment_id.encode()))
            n += 1
        self.cipher = cipher
        return n

    # -- retention ---------------------------------------------------------------------------------------------------
    def wipe_case_files(self, case_id: str) -> int:
        """Overwrite and remove every file of a case (after its rows are gone: app.security.retention)."""
        folder = self.directory / case_id
        n = 0
        if folder.is_dir():
            for path in folder.iterdir():
                if path.is_file():
                    n += wipe_file(path)
            try:
                folder.rmdir()
            except OSError:
                pass
        return n
