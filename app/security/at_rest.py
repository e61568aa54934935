"""Encryption at rest of one terminal: whether it is on, AES-GCM sealing of files under the data key, the login that
unlocks the key store and opens the SQLCipher store, the OS-keyring wrap, and key rotation end to end.

Login on an encrypted terminal (`AtRestAuthenticator.login`, same call as `Authenticator.login`):

1. the operator has a wrap in keystore.json → the password unwraps the keys (a wrong one counts towards the
   lock-out kept in the key store, since the database is still closed);
2. no key store yet (first use) → the operator must log in online first (the centre vouches for them), then the key
   store is created with a wrap for them (and one under a secret in the OS keyring when a backend exists);
3. a key store exists but this operator has no wrap (a colleague's laptop, or a password changed at the centre) →
   the terminal's OS-keyring wrap opens the keys, and only an online login (or the verifier cached at an earlier
   online login here) lets the operator in, after which a wrap under their password is added. Without a keyring
   backend (e.g. a Linux CI box, where `keyring` has none) the operator is enrolled by a colleague who is logged in
   (`enrol_operator`: the newcomer types their password, checked online or against their cached verifier) — never by
   anything stored in plain files.

Then the store is opened with the DEK and the ordinary `Authenticator.login` runs (online or cached verifier,
lock-out, audit); if it refuses, the store is closed again. The keys live only in memory (`Runtime.keys`)."""
from __future__ import annotations

import base64
import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.clock import utcnow
from app.errors import AuthError, NetworkUnavailable, ServerRejected, YichuangError
from app.security.keystore import KeyStore, Unlocked, key_id

log = logging.getLogger(__name__)

KEYSTORE_FILE = "keystore.json"
KEYRING_SERVICE = "yichuang"
KEYRING_WRAP = "os-keyring"
FILE_MAGIC = b"YCAG\x01"  # sealed file: magic, key id (8), nonce (12), AES-256-GCM ciphertext + tag
_HEADER = len(FILE_MAGIC) + 8 + 12
PRELOGIN_MAX_FAILURES = 5
PRELOGIN_LOCK = timedelta(minutes=15)


def encryption_enabled(settings) -> bool:
    """`[at_rest] encrypt`; unset → on for field laptops only (see app.config.AtRestConfig for why)."""
    from app.config import Mode

    section = getattr(settings, "at_rest", None)
    explicit = getattr(section, "encrypt", None)
    if explicit is not None:
        return bool(explicit)
    return settings.terminal.mode == Mode.field


# --- sealed files ---------------------------------------------------------------------------------------------------

class FileCipher:
    """Seals bytes with the current DEK (per-file random nonce, caller's associated data); opens bytes sealed with the
    current DEK or — during a rotation — the previous one, chosen by the key id in the header."""

    def __init__(self, keys: Unlocked):
        self._keys = {key_id(keys.dek): keys.dek}
        self.current_id = key_id(keys.dek)
        self._current = keys.dek
        if keys.previous:
            self._keys[key_id(keys.previous)] = keys.previous

    @staticmethod
    def is_sealed(blob: bytes) -> bool:
        return blob[:len(FILE_MAGIC)] == FILE_MAGIC and len(blob) >= _HEADER + 16

    def is_current(self, blob: bytes) -> bool:
        return self.is_sealed(blob) and blob[len(FILE_MAGIC):len(FILE_MAGIC) + 8] == self.current_id

    def seal(self, data: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(12)
        return FILE_MAGIC + self.current_id + nonce + AESGCM(self._current).encrypt(nonce, data, aad)

    def open(self, blob: bytes, aad: bytes) -> bytes:
        if not self.is_sealed(blob):
            raise YichuangError("文件未加密或格式不符，无法读取，请联系管理员。", "not a sealed file", code="not_sealed")
        kid = blob[len(FILE_MAGIC):len(FILE_MAGIC) + 8]
        key = self._keys.get(kid)
        if key is None:
            raise YichuangError("文件由另一把数据密钥加密，无法读取，请联系管理员。", f"unknown key id {kid.hex()}",
                                code="unknown_data_key")
        nonce = blob[len(FILE_MAGIC) + 8:_HEADER]
        try:
            return AESGCM(key).decrypt(nonce, blob[_HEADER:], aad)
        except InvalidTag:
            raise YichuangError("加密文件已损坏或被改动，无法读取。", "AES-GCM tag mismatch",
                                code="sealed_file_tampered") from None


def write_durably(path: Path, data: bytes) -> None:
    """Bytes first to a temporary file, fsynced, then renamed over the target: a crash leaves old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def wipe_file(path: Path) -> bool:
    """Overwrite a file with zeros (best effort on SSDs / copy-on-write file systems), then remove it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    with open(path, "r+b") as fh:
        fh.write(b"\0" * size)
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()
    return True


# --- the OS keyring -------------------------------------------------------------------------------------------------

def keyring_available() -> bool:
    """True when the `keyring` package has a real backend (Secret Service, Windows Credential Locker, macOS
    Keychain). On a headless Linux box it has none (`keyring.backends.fail.Keyring`): the password path alone."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 0) > 0


def _keyring_account(data_dir: Path, terminal_id: str) -> str:
    where = hashlib.sha256(str(Path(data_dir).resolve()).encode("utf-8")).hexdigest()[:12]
    return f"tmk-wrap/{terminal_id}/{where}"


def keyring_secret(data_dir: Path, terminal_id: str, *, create: bool) -> bytes | None:
    if not keyring_available():
        return None
    import keyring
    from keyring.errors import KeyringError

    account = _keyring_account(data_dir, terminal_id)
    try:
        stored = keyring.get_password(KEYRING_SERVICE, account)
        if stored:
            return base64.b64decode(stored)
        if not create:
            return None
        secret = os.urandom(32)
        keyring.set_password(KEYRING_SERVICE, account, base64.b64encode(secret).decode("ascii"))
        return secret
    except (KeyringError, ValueError) as exc:
        log.warning("OS keyring unusable: %s", type(exc).__name__)
        return None


# --- login → unlock → open the store ----------------------------------------------------------------------------------

class AtRestAuthenticator:
    """`runtime.auth` on an encrypted terminal: unlocks the keys, opens the store (`runtime.open_store`), then
    delegates to the ordinary `Authenticator` (also for anything else the screens call on `runtime.auth`)."""

    def __init__(self, runtime, *, use_keyring: bool = True, max_failures: int = PRELOGIN_MAX_FAILURES,
                 lock_for: timedelta = PRELOGIN_LOCK):
        self.runtime = runtime
        self.keystore: KeyStore = runtime.keystore
        self.use_keyring = use_keyring
        self.max_failures = max_failures
        self.lock_for = lock_for

    def __getattr__(self, name):  # the inner Authenticator once the store is open (lock screen, password change)
        inner = self.__dict__.get("runtime") and self.__dict__["runtime"].__dict__.get("inner_auth")
        if inner is None:
            raise AttributeError(name)
        return getattr(inner, name)

    @property
    def terminal_id(self) -> str:
        return self.runtime.settings.terminal.terminal_id

    def _secret(self, create: bool) -> bytes | None:
        if not self.use_keyring:
            return None
        return keyring_secret(self.runtime.paths.data_dir, self.terminal_id, create=create)

    def _check_lock(self, operator_id: str) -> None:
        until = self.keystore.locked_until(operator_id)
        if until is not None:
            minutes = max(1, int((until - utcnow()).total_seconds() // 60) + 1)
            raise AuthError(f"密码错误次数过多，账号已锁定，请{minutes}分钟后再试或联系管理员解锁。",
                            f"operator locked (key store) until {until.isoformat()}", code="operator_locked")

    def _online_first(self, operator_id: str, password: str) -> None:
        """The centre vouches for an operator before this terminal mints or shares keys for them."""
        api = self.runtime.api
        try:
            api.login(operator_id, password, self.terminal_id)
        except NetworkUnavailable:
            raise AuthError("首次在本终端使用须联网登录：中心系统暂时无法连接，请联网后重试。",
                            "first login on an encrypted terminal needs the central API") from None
        except ServerRejected as exc:
            if exc.code in ("otp_required", "password_expired"):
                return  # the password was right; the ordinary login below asks for the rest
            if exc.status in (401, 403):
                raise AuthError(exc.user_message or "工号或密码错误。", exc.detail, code=exc.code) from None
            raise

    def _unlock(self, operator_id: str, password: str) -> tuple[Unlocked, bool]:
        """The keys, and whether a wrap under this password must be (re)written after the login succeeds."""
        ks = self.keystore
        if not ks.exists():
            self._online_first(operator_id, password)
            keys = ks.create(operator_id, password)
            secret = self._secret(create=True)
            if secret is not None:
                ks.add_secret_wrap(keys, KEYRING_WRAP, secret)
            log.info("key store created on this terminal", extra={"keyring": secret is not None})
            return keys, False
        if ks.has_operator(operator_id):
            try:
                return ks.unlock(operator_id, password), False
            except AuthError:
                secret = self._secret(create=False) if ks.has_secret_wrap(KEYRING_WRAP) else None
                if secret is None:  # no other way in: a wrong password
                    self._count_failure(operator_id)
                    raise
                # maybe the password was changed at the centre: only the ordinary login below can tell
                return ks.unlock_with_secret(KEYRING_WRAP, secret), True
        secret = self._secret(create=False) if ks.has_secret_wrap(KEYRING_WRAP) else None
        if secret is None:
            raise AuthError("本终端的本地数据已加密，您的工号尚未获得本机授权。请由已在本机登录过的工作人员登录后为您授权。",
                            "no key wrap for operator and no OS keyring wrap", code="not_enrolled")
        return ks.unlock_with_secret(KEYRING_WRAP, secret), True

    def _count_failure(self, operator_id: str) -> None:
        until = self.keystore.note_failure(operator_id, self.max_failures, self.lock_for)
        if until is not None:
            log.warning("operator locked out after repeated failed unlocks")

    def login(self, operator_id: str, password: str, **kw):
        operator_id = operator_id.strip()
        if not operator_id or not password:
            raise AuthError("请输入工号和密码。", "empty credentials")
        self._check_lock(operator_id)
        runtime = self.runtime
        was_open = runtime.store is not None
        keys, rewrap = self._unlock(operator_id, password)
        if not was_open:
            runtime.open_store(keys)
        try:
            session = runtime.inner_auth.login(operator_id, password, **kw)
        except BaseException:
            if not was_open:
                runtime.close_store()
            raise
        if rewrap:
            if not session.online and not self.keystore.has_operator(operator_id):
                log.info("operator let in by cached verifier through the keyring wrap")
            self.keystore.add_operator(keys, operator_id, password)
        self.keystore.clear_failures(operator_id)
        return session


def enrol_operator(runtime, operator_id: str, password: str) -> None:
    """While an operator is logged in (keys in memory), give a colleague a wrap on this terminal: their password is
    checked by the centre when online, else against the verifier cached at their last online login here."""
    from app.security.operators import Authenticator

    if runtime.keys is None:
        raise YichuangError("本机数据未解锁，无法授权。", "enrol without unlocked keys", code="locked")
    auth = Authenticator(runtime.store, runtime.api, runtime.settings.terminal.terminal_id)
    auth.login(operator_id, password)  # raises AuthError; lock-out and audit as for any login
    runtime.keystore.add_operator(runtime.keys, operator_id, password)
    from app.security.audit import append_audit

    with runtime.store.session() as s:
        append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=runtime.settings.terminal.terminal_id,
                     action="keystore.enrol", object_type="operator", object_id=operator_id)


# --- key rotation ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RotationReport:
    database_rekeyed: bool
    files_resealed: int
    evidence_resealed: int


def rotate_keys(runtime, operator_id: str = "system") -> RotationReport:
    """New DEK; SQLCipher rekey; attachments re-sealed; field evidence re-sealed; then the old DEK is dropped.
    Crash-safe: the key store keeps the old DEK until the end, and `complete_rotation` (run at the next unlock)
    resumes wherever it stopped."""
    if runtime.keys is None:
        raise YichuangError("本机数据未解锁，无法轮换密钥。", "rotate without keys", code="locked")
    runtime.keys = runtime.keystore.rotate_dek(runtime.keys)
    return complete_rotation(runtime, operator_id)


def complete_rotation(runtime, operator_id: str = "system") -> RotationReport:
    from app.security.audit import append_audit
    from app.store.database import rekey

    keys: Unlocked = runtime.keys
    rekeyed = False
    if runtime.store_key != keys.dek:
        rekey(runtime.store, keys.dek)
        runtime.store_key = keys.dek
        rekeyed = True
    cipher = FileCipher(keys)
    files = runtime.attachments.reseal_all(cipher) if runtime.attachments is not None else 0
    evidence = 0
    field = runtime.extras.get("field")
    if field is not None and keys.previous is not None:
        evidence = field.reseal(keys.dek)
    from app.security import sealed_docs

    documents = sum(sealed_docs.seal_existing(d, cipher) for d in (runtime.paths.documents_dir,
                                                                   runtime.paths.data_dir / "archive"))
    runtime.keystore.finish_rotation()
    runtime.keys = Unlocked(keys.tmk, keys.dek)
    if runtime.attachments is not None:
        runtime.attachments.cipher = FileCipher(runtime.keys)
        sealed_docs.register(runtime.paths.data_dir, runtime.attachments.cipher)
    with runtime.store.session() as s:
        append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=runtime.settings.terminal.terminal_id,
                     action="keystore.rotate", object_type="terminal", object_id=runtime.settings.terminal.terminal_id,
                     detail={"database": rekeyed, "files": files, "evidence": evidence,
                                                    "documents": documents})
    log.info("data key rotated", extra={"files": files, "evidence": evidence, "database_rekeyed": rekeyed})
    return RotationReport(rekeyed, files, evidence)
