"""Sealed documents (issue 11): on an encrypted terminal the PDFs written under the data dir (receipts, notices,
certificates, estimates) and the archive packages are AES-GCM sealed with the data key like attachments
(app.security.at_rest.FileCipher), and opened transparently for preview, printing and packaging — in memory, or as
a plain copy in a private 0700 directory outside the data dir (tmpfs /dev/shm when there is one) wiped after use.

`Runtime.open_store` registers the data dir's cipher when the keys are unlocked; `close_store` forgets it. Writers
call `write_document`, readers `read_document` / `plain_copy`; on an unencrypted terminal they are plain file I/O."""
from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import YichuangError
from app.security.at_rest import FileCipher, wipe_file, write_durably

DOC_AAD = b"yichuang-document-v1"
_lock = threading.Lock()
_ciphers: dict[Path, FileCipher] = {}


def register(data_dir: Path, cipher: FileCipher) -> None:
    with _lock:
        _ciphers[Path(data_dir).resolve()] = cipher


def unregister(data_dir: Path) -> None:
    with _lock:
        _ciphers.pop(Path(data_dir).resolve(), None)


def cipher_for(path: Path | str) -> FileCipher | None:
    """The cipher of the encrypted data dir `path` lies under, else None (plain files)."""
    target = Path(path).resolve()
    with _lock:
        for root, cipher in _ciphers.items():
            if target == root or root in target.parents:
                return cipher
    return None


def write_document(path: Path | str, data: bytes) -> Path:
    """Durably write a document: sealed when `path` is under an unlocked encrypted data dir."""
    path = Path(path)
    cipher = cipher_for(path)
    write_durably(path, cipher.seal(data, DOC_AAD) if cipher is not None else data)
    return path


def read_document(path: Path | str) -> bytes:
    """The document's plain bytes (a sealed one is opened with the registered key)."""
    blob = Path(path).read_bytes()
    if not FileCipher.is_sealed(blob):
        return blob
    cipher = cipher_for(path)
    if cipher is None:
        raise YichuangError("本机数据已加密，请先登录解锁后再查看文书。", f"sealed document without key: {Path(path).name}",
                            code="locked")
    return cipher.open(blob, DOC_AAD)


def is_sealed(path: Path | str) -> bool:
    with open(path, "rb") as fh:
        return FileCipher.is_sealed(fh.read(64))


def private_dir() -> Path:
    """A fresh 0700 directory outside the data dir, on tmpfs when available (never written to disk there)."""
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix="yichuang-doc-", dir=str(base) if base else None))


@contextmanager
def plain_copy(path: Path | str) -> Iterator[Path]:
    """A path tools like pdftoppm can read: the file itself when plain, else a private plain copy wiped on exit."""
    path = Path(path)
    if not is_sealed(path):
        yield path
        return
    folder = private_dir()
    copy = folder / path.name
    try:
        fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(read_document(path))
        yield copy
    finally:
        for f in folder.iterdir():
            wipe_file(f)
        folder.rmdir()


def seal_existing(directory: Path, cipher: FileCipher) -> int:
    """Seal (or re-seal under the current key) every document under `directory`: files written before encryption
    was on, or under the previous key of a rotation. Each file is replaced atomically. Returns how many."""
    done = 0
    if not Path(directory).is_dir():
        return 0
    for f in sorted(Path(directory).rglob("*")):
        if not f.is_file() or f.name.endswith(".part"):
            continue
        blob = f.read_bytes()
        if cipher.is_current(blob):
            continue
        plain = cipher.open(blob, DOC_AAD) if FileCipher.is_sealed(blob) else blob
        write_durably(f, cipher.seal(plain, DOC_AAD))
        done += 1
    return done
