"""The terminal's own Ed25519 key pair and request signing: the key is made on first start (PKCS#8 PEM under the data
dir, mode 0600), its public half is registered with the central API, and every request carries X-Terminal-Id,
X-Timestamp, X-Nonce and X-Signature over the canonical request below, which the server (server/terminal_auth.py)
rebuilds from what it received."""
from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets
import time
from collections.abc import Callable, Generator
from pathlib import Path

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (Encoding, NoEncryption, PrivateFormat, PublicFormat,
                                                          load_pem_private_key)

from app.errors import YichuangError

log = logging.getLogger(__name__)

KEY_FILE = "terminal_key.pem"
SCHEME = "YC1-Ed25519"
H_TERMINAL, H_TIMESTAMP, H_NONCE, H_SIGNATURE = "X-Terminal-Id", "X-Timestamp", "X-Nonce", "X-Signature"


def canonical_request(method: str, raw_path: bytes, raw_query: bytes, timestamp: str, nonce: str, terminal_id: str,
                      body: bytes) -> bytes:
    """What is signed: scheme, method, path and query exactly as on the wire, time, nonce, terminal and the body's
    SHA-256. The client and the server build it with this one function."""
    return b"\n".join([
        SCHEME.encode(), method.upper().encode("ascii"), raw_path, raw_query, timestamp.encode("ascii"),
        nonce.encode("ascii"), terminal_id.encode("utf-8"), hashlib.sha256(body).hexdigest().encode("ascii"),
    ])


def public_key_b64(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def load_public_key(b64: str) -> Ed25519PublicKey:
    """Raises ValueError for anything that is not 32 raw Ed25519 bytes in base64."""
    raw = base64.b64decode(b64, validate=True)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def key_id(public_b64: str) -> str:
    return hashlib.sha256(base64.b64decode(public_b64)).hexdigest()[:16]


def verify(public_b64: str, signature_b64: str, message: bytes) -> bool:
    try:
        load_public_key(public_b64).verify(base64.b64decode(signature_b64, validate=True), message)
        return True
    except (InvalidSignature, ValueError):
        return False


class TerminalKey:
    """The private key of this terminal, in memory after `load_or_create`."""

    def __init__(self, private_key: Ed25519PrivateKey, path: Path | None = None):
        self._key = private_key
        self.path = path
        self.public_key = public_key_b64(private_key.public_key())
        self.key_id = key_id(self.public_key)

    @classmethod
    def generate(cls) -> TerminalKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def load_or_create(cls, data_dir: Path) -> TerminalKey:
        """Read data_dir/terminal_key.pem, or make it (O_EXCL, 0600: two processes starting together keep one key).
        An unusable data directory raises StoreError, as opening the store would."""
        try:
            return cls._load_or_create(Path(data_dir) / KEY_FILE)
        except OSError as exc:
            from app.errors import StoreError

            raise StoreError(f"无法在数据目录 {data_dir} 中保存本终端的签名密钥：{exc.strerror}。请联系管理员检查磁盘和权限。",
                             f"terminal key in {data_dir}: {exc!r}") from None

    @classmethod
    def _load_or_create(cls, path: Path) -> TerminalKey:
        try:
            return cls(cls._read(path), path)
        except FileNotFoundError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it meanwhile
            return cls(cls._read(path), path)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        made = cls(key, path)
        log.info("terminal key pair created", extra={"key_id": made.key_id})
        return made

    @staticmethod
    def _read(path: Path) -> Ed25519PrivateKey:
        data = path.read_bytes()
        try:
            key = load_pem_private_key(data, password=None)
        except (ValueError, TypeError) as exc:
            raise YichuangError("本终端的签名密钥文件已损坏，请联系管理员重新登记终端。", f"terminal key {path}: {exc!r}",
                                code="terminal_key_damaged") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise YichuangError("本终端的签名密钥文件类型不符，请联系管理员重新登记终端。",
                                f"terminal key {path}: {type(key).__name__}", code="terminal_key_damaged")
        if os.name == "posix" and path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)  # copied with looser permissions: tighten
        return key

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self._key.sign(message)).decode("ascii")

    def signed_headers(self, terminal_id: str, method: str, raw_path: bytes, raw_query: bytes, body: bytes, *,
                       now: float | None = None) -> dict[str, str]:
        ts = str(int(time.time() if now is None else now))
        nonce = secrets.token_urlsafe(16)
        sig = self.sign(canonical_request(method, raw_path, raw_query, ts, nonce, terminal_id, body))
        return {H_TERMINAL: terminal_id, H_TIMESTAMP: ts, H_NONCE: nonce, H_SIGNATURE: sig}


class RequestSigner(httpx.Auth):
    """httpx auth flow that signs each request as it leaves (after httpx has encoded body and query)."""

    requires_request_body = True

    def __init__(self, key: TerminalKey, terminal_id: str, clock: Callable[[], float] = time.time):
        self.key = key
        self.terminal_id = terminal_id
        self.clock = clock

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raw_path = request.url.raw_path.split(b"?", 1)[0]
        request.headers.update(self.key.signed_headers(self.terminal_id, request.method, raw_path, request.url.query,
                                                       request.content, now=self.clock()))
        yield request
