"""Keys for encryption at rest (envelope): a data key (DEK) encrypts the database (SQLCipher) and attachment files
(AES-GCM); the DEK is wrapped by a terminal master key (TMK); the TMK is wrapped once per operator by a key derived
from that operator's password with Argon2id, and optionally by the OS keyring. keystore.json holds only wrapped keys:
a copied data directory reveals nothing without an operator's credentials. Rotating the DEK needs only the TMK.

Besides the operators' wraps the file may hold a wrap of the TMK under a secret kept in the OS keyring
(`add_secret_wrap`, see app.security.at_rest) and the pre-login failure counters of operators (they are checked
before the encrypted database can be opened; an operator id and a count are not personal data)."""
from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.errors import AuthError, YichuangError

KEY_BYTES = 32
_KDF = {"time_cost": 3, "memory_cost": 65536, "parallelism": 2}  # Argon2id, as the password verifiers


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s.encode("ascii"))


def seal(key: bytes, plaintext: bytes, aad: bytes) -> dict:
    nonce = os.urandom(12)
    return {"nonce": _b64(nonce), "ct": _b64(AESGCM(key).encrypt(nonce, plaintext, aad))}


def unseal(key: bytes, box: dict, aad: bytes) -> bytes:
    return AESGCM(key).decrypt(_unb64(box["nonce"]), _unb64(box["ct"]), aad)


def derive_kek(password: str, salt: bytes) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, hash_len=KEY_BYTES, type=Type.ID, **_KDF)


def key_id(dek: bytes) -> bytes:
    """8-byte fingerprint naming a DEK in file headers (domain-separated SHA-256; reveals nothing of the key)."""
    return hashlib.sha256(b"yichuang-dek-id\x00" + dek).digest()[:8]


@dataclass
class Unlocked:
    tmk: bytes
    dek: bytes
    previous: bytes | None = None  # the DEK being rotated away from, until `finish_rotation` (crash-safe rotation)

    @property
    def dek_id(self) -> bytes:
        return key_id(self.dek)

    @property
    def rotating(self) -> bool:
        return self.previous is not None


class KeyStore:
    def __init__(self, path: Path):
        self.path = path

    def exists(self) -> bool:
        return self.path.exists()

    def _load(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise YichuangError("本机密钥文件损坏，无法解密本地数据，请联系管理员。", f"keystore {self.path}: {exc!r}",
                                code="keystore_damaged") from None

    def _save(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    def create(self, operator_id: str, password: str) -> Unlocked:
        """First use on this terminal: mint TMK and DEK and wrap the TMK for the first operator."""
        if self.exists():
            raise YichuangError("本机密钥已存在。", f"keystore {self.path} exists", code="keystore_exists")
        keys = Unlocked(os.urandom(KEY_BYTES), os.urandom(KEY_BYTES))
        self._save({"version": 1, "dek": seal(keys.tmk, keys.dek, b"dek"), "operators": {}})
        self.add_operator(keys, operator_id, password)
        return keys

    def add_operator(self, keys: Unlocked, operator_id: str, password: str) -> None:
        """Give an operator who logged in online the means to unlock this terminal offline (replaces an old wrap)."""
        data = self._load()
        salt = os.urandom(16)
        data["operators"][operator_id] = {"salt": _b64(salt), **seal(derive_kek(password, salt), keys.tmk,
                                                                      operator_id.encode())}
        self._save(data)

    def has_operator(self, operator_id: str) -> bool:
        return self.exists() and operator_id in self._load().get("operators", {})

    def unlock(self, operator_id: str, password: str) -> Unlocked:
        data = self._load()
        wrap = data.get("operators", {}).get(operator_id)
        if wrap is None:
            raise AuthError("该工号未在本终端登录过，需联网登录一次后才能离线使用。", f"no key wrap for {operator_id}")
        try:
            tmk = unseal(derive_kek(password, _unb64(wrap["salt"])), wrap, operator_id.encode())
        except InvalidTag:
            raise AuthError("工号或密码错误。", f"key unwrap failed for {operator_id}") from None
        return self._keys(data, tmk)

    def _keys(self, data: dict, tmk: bytes) -> Unlocked:
        try:
            dek = unseal(tmk, data["dek"], b"dek")
            previous = unseal(tmk, data["previous_dek"], b"previous_dek") if "previous_dek" in data else None
        except (InvalidTag, KeyError, ValueError):
            raise YichuangError("本机密钥文件损坏，无法解密本地数据，请联系管理员。", f"keystore {self.path}: dek unseal",
                                code="keystore_damaged") from None
        return Unlocked(tmk, dek, previous)

    # -- a wrap of the TMK under a secret held elsewhere (the OS keyring) --------------------------------------------
    def add_secret_wrap(self, keys: Unlocked, name: str, secret: bytes) -> None:
        data = self._load()
        data.setdefault("secret_wraps", {})[name] = seal(secret, keys.tmk, b"secret:" + name.encode())
        self._save(data)

    def has_secret_wrap(self, name: str) -> bool:
        return self.exists() and name in self._load().get("secret_wraps", {})

    def unlock_with_secret(self, name: str, secret: bytes) -> Unlocked:
        data = self._load()
        box = data.get("secret_wraps", {}).get(name)
        if box is None:
            raise AuthError("本终端没有可用的系统密钥环授权。", f"no secret wrap {name}")
        try:
            tmk = unseal(secret, box, b"secret:" + name.encode())
        except (InvalidTag, ValueError):
            raise AuthError("系统密钥环中的本机密钥不符，无法解密本地数据，请联系管理员。", f"secret wrap {name} mismatch",
                            code="keyring_mismatch") from None
        return self._keys(data, tmk)

    def remove_secret_wrap(self, name: str) -> None:
        data = self._load()
        data.get("secret_wraps", {}).pop(name, None)
        self._save(data)

    def operators(self) -> list[str]:
        return sorted(self._load().get("operators", {})) if self.exists() else []

    # -- failures before the store can be opened (lock-out, 等保 2.0) -------------------------------------------------
    def locked_until(self, operator_id: str, now: datetime | None = None) -> datetime | None:
        if not self.exists():
            return None
        until = self._load().get("guard", {}).get(operator_id, {}).get("until")
        at = datetime.fromisoformat(until) if until else None
        return at if at and at > (now or datetime.now(timezone.utc)) else None

    def note_failure(self, operator_id: str, max_failures: int, lock_for: timedelta,
                     now: datetime | None = None) -> datetime | None:
        """Count a failed unlock; after `max_failures` lock the operator out for `lock_for`. Returns the lock end."""
        if not self.exists():
            return None
        data = self._load()
        entry = data.setdefault("guard", {}).setdefault(operator_id, {"failures": 0, "until": None})
        entry["failures"] = int(entry.get("failures", 0)) + 1
        until = None
        if entry["failures"] >= max_failures:
            until = (now or datetime.now(timezone.utc)) + lock_for
            entry.update(failures=0, until=until.isoformat())
        self._save(data)
        return until

    def clear_failures(self, operator_id: str) -> None:
        if self.exists():
            data = self._load()
            if data.get("guard", {}).pop(operator_id, None) is not None:
                self._save(data)

    def rotate_dek(self, keys: Unlocked) -> Unlocked:
        """Mint a new DEK and wrap it; the caller re-keys the database and files with the old and new keys.
        The old DEK stays in the file (`previous_dek`) until `finish_rotation`: a crash half-way leaves every byte
        readable with one of the two, and the next unlock returns both (`Unlocked.previous`) to resume."""
        if keys.rotating:
            raise YichuangError("上一次密钥轮换尚未完成，请先完成。", "rotation already in progress",
                                code="rotation_in_progress")
        new = Unlocked(keys.tmk, os.urandom(KEY_BYTES), keys.dek)
        data = self._load()
        data["previous_dek"] = seal(new.tmk, keys.dek, b"previous_dek")  # until re-encryption finishes
        data["dek"] = seal(new.tmk, new.dek, b"dek")
        self._save(data)
        return new

    def finish_rotation(self) -> None:
        data = self._load()
        data.pop("previous_dek", None)
        self._save(data)

    def remove_operator(self, operator_id: str) -> None:
        data = self._load()
        data.get("operators", {}).pop(operator_id, None)
        self._save(data)
