"""The terminal's own Ed25519 key pair and request signing: the key is made on first start (PKCS#8 PEM under the data
dir, mode 0600), its public half is registered with the central API, and every request carries X-Terminal-Id,
X-Timestamp, X-Nonce and X-Signature over the canonical request below, which the server (server/terminal_auth.py)
rebuilds from what it received.

Protecting the private key at rest (issue 11). The key signs the relay's requests before anyone logs in (a kiosk has
no operator at all), so it cannot be wrapped by operator credentials like the data key; it is wrapped by something
the terminal itself holds:

1. the OS keyring (`keyring`: Secret Service, Windows Credential Locker, macOS Keychain) when it has a backend — a
   random 32-byte secret kept there encrypts the PKCS#8 PEM (`BEGIN ENCRYPTED PRIVATE KEY`, scrypt + AES-256-CBC of
   `cryptography`'s BestAvailableEncryption); a copied data dir is useless without the user's keyring;
2. else a machine-bound secret: HKDF-SHA256 over the OS installation's machine id (/etc/machine-id, the dbus one,
   or Windows' MachineGuid) and the data dir's path. A data dir copied to another machine does not open; on the
   same stolen disk it is obfuscation only, which is why the keyring comes first;
3. else (no keyring, no machine id) the PEM stays in clear with mode 0600, and `yichuang doctor` warns
   (`protection_status`).

A clear PEM from an older version is re-written protected at the next start. `KEY_PROTECTION` tells which applied."""
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
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import (BestAvailableEncryption, Encoding, NoEncryption,
                                                          PrivateFormat, PublicFormat, load_pem_private_key)

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


KEYRING_SERVICE = "yichuang"
MACHINE_ID_FILES = ("/etc/machine-id", "/var/lib/dbus/machine-id")
_ENCRYPTED_PEM = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"


def _keyring_account(data_dir: Path) -> str:
    where = hashlib.sha256(str(Path(data_dir).resolve()).encode("utf-8")).hexdigest()[:12]
    return f"terminal-key/{where}"


def _keyring_secret(data_dir: Path, *, create: bool) -> bytes | None:
    from app.security.at_rest import keyring_available

    if os.environ.get("YICHUANG_NO_KEYRING") == "1" or not keyring_available():
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        stored = keyring.get_password(KEYRING_SERVICE, _keyring_account(data_dir))
        if stored:
            return base64.b64decode(stored)
        if not create:
            return None
        secret = secrets.token_bytes(32)
        keyring.set_password(KEYRING_SERVICE, _keyring_account(data_dir), base64.b64encode(secret).decode("ascii"))
        return secret
    except (KeyringError, ValueError) as exc:
        log.warning("OS keyring unusable for the terminal key: %s", type(exc).__name__)
        return None


def machine_id() -> bytes | None:
    """The OS installation's id (not secret, but not in the data dir either); None when there is none."""
    for name in MACHINE_ID_FILES:
        try:
            value = Path(name).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if value:
            return value.encode("ascii")
    if os.name == "nt":  # pragma: no cover - Windows only
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography") as k:
                return str(winreg.QueryValueEx(k, "MachineGuid")[0]).encode("ascii")
        except OSError:
            return None
    return None


def _machine_secret(data_dir: Path) -> bytes | None:
    mid = machine_id()
    if mid is None:
        return None
    return HKDF(hashes.SHA256(), 32, salt=b"yichuang-terminal-key-v1",
                info=str(Path(data_dir).resolve()).encode("utf-8")).derive(mid)


def _protection(data_dir: Path, *, create: bool) -> tuple[str, bytes | None]:
    secret = _keyring_secret(data_dir, create=create)
    if secret is not None:
        return "keyring", secret
    secret = _machine_secret(data_dir)
    return ("machine", secret) if secret is not None else ("none", None)


def _passphrase(secret: bytes) -> bytes:
    return base64.b64encode(secret)


def protection_status(data_dir: Path) -> str:
    """keyring / machine / none (clear PEM, 0600) / absent — for `yichuang doctor`."""
    path = Path(data_dir) / KEY_FILE
    try:
        head = path.read_bytes()[:64]
    except FileNotFoundError:
        return "absent"
    if not head.startswith(_ENCRYPTED_PEM):
        return "none"
    return "keyring" if _keyring_secret(Path(data_dir), create=False) is not None else "machine"


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
            key = cls._read(path)
        except FileNotFoundError:
            pass
        else:
            if not path.read_bytes().startswith(_ENCRYPTED_PEM):
                cls._protect_existing(key, path)
            return cls(key, path)
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = cls._pem(key, path.parent)
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
    def _pem(key: Ed25519PrivateKey, data_dir: Path) -> bytes:
        kind, secret = _protection(data_dir, create=True)
        enc = BestAvailableEncryption(_passphrase(secret)) if secret is not None else NoEncryption()
        if secret is None:
            log.warning("terminal key kept unencrypted (no OS keyring, no machine id): mode 0600 only")
        return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, enc)

    @classmethod
    def _protect_existing(cls, key: Ed25519PrivateKey, path: Path) -> None:
        """A clear PEM (older version, or written before a keyring existed): re-write it protected, atomically."""
        pem = cls._pem(key, path.parent)
        if not pem.startswith(_ENCRYPTED_PEM):
            return
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        log.info("terminal key now stored encrypted")

    @staticmethod
    def _read(path: Path) -> Ed25519PrivateKey:
        data = path.read_bytes()
        try:
            if data.startswith(_ENCRYPTED_PEM):
                key = None
                for secret in (_keyring_secret(path.parent, create=False), _machine_secret(path.parent)):
                    if secret is None:
                        continue
                    try:
                        key = load_pem_private_key(data, password=_passphrase(secret))
                        break
                    except ValueError:
                        continue
                if key is None:
                    raise YichuangError("本终端的签名密钥无法解开（数据目录可能被复制到了另一台计算机，或系统密钥环已更换），"
                                        "请联系管理员重新登记终端。", f"terminal key {path}: no secret opens it",
                                        code="terminal_key_locked")
            else:
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
