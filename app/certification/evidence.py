"""Evidence of a home visit: files sealed at rest, and a signed, hashed bundle.

At rest: each photo and the signature image is sealed with AES-GCM under the terminal's data key (DEK) via
`app.security.keystore.seal` (the file name is the associated data, so files cannot be swapped); the database holding
the rest is SQLCipher under the same DEK. A copied laptop disk reveals nothing without an operator's credentials.

In transit and at the centre: a manifest lists the visit's facts and every file with its size and SHA-256; the
manifest (canonical JSON) is signed with the terminal's Ed25519 key, whose private half is sealed with the DEK in the
local settings and whose public half is registered with the centre before the first bundle. Changing a byte of any
file, of the manifest or of the signature is detected by `verify_bundle` (terminal and server run the same code).
Each manifest names the SHA-256 of this terminal's previous bundle (`prev_sha256`), so a missing bundle shows."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.errors import YichuangError
from app.security.keystore import seal, unseal

FORMAT = "yichuang.cert-evidence/1"
KEY_SETTING = "certification.signing_key"
_KEY_AAD = b"yichuang-cert-signing-key"


class EvidenceTampered(YichuangError):
    code = "evidence_tampered"

    def __init__(self, problems: list[str], detail: str = ""):
        super().__init__("证据包校验失败：" + "；".join(problems), detail or "; ".join(problems))
        self.problems = problems


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def key_id_of(public_raw: bytes) -> str:
    return sha256_hex(public_raw)[:16]


# --- the terminal's signing key -----------------------------------------------------------------------------------

class TerminalSigner:
    def __init__(self, private: Ed25519PrivateKey):
        self._private = private
        self.public_raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_id = key_id_of(self.public_raw)

    @property
    def public_key(self) -> str:
        return b64(self.public_raw)

    def sign(self, data: bytes) -> str:
        return b64(self._private.sign(data))

    @classmethod
    def generate(cls) -> "TerminalSigner":
        return cls(Ed25519PrivateKey.generate())

    def sealed(self, dek: bytes) -> str:
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        raw = self._private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return json.dumps({"key_id": self.key_id, "public_key": self.public_key, **seal(dek, raw, _KEY_AAD)})

    @classmethod
    def unsealed(cls, text: str, dek: bytes) -> "TerminalSigner":
        box = json.loads(text)
        try:
            raw = unseal(dek, box, _KEY_AAD)
        except InvalidTag:
            raise YichuangError("本机认证签名密钥无法解密（数据密钥不符），请联系管理员。", "signing key unseal failed",
                                code="signing_key_locked") from None
        return cls(Ed25519PrivateKey.from_private_bytes(raw))


def verify_signature(public_key_b64: str, data: bytes, signature_b64: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(unb64(public_key_b64)).verify(unb64(signature_b64), data)
        return True
    except (InvalidSignature, ValueError):
        return False


# --- sealed files -------------------------------------------------------------------------------------------------

class EvidenceVault:
    """Evidence files under one directory, each AES-GCM sealed with the DEK; written durably, wiped by overwriting."""

    def __init__(self, directory: Path, dek: bytes):
        if not dek or len(dek) != 32:
            raise YichuangError("外勤数据必须加密保存：本机数据密钥不可用，请重新登录。", "no DEK for the evidence vault",
                                code="no_data_key")
        self.directory = Path(directory)
        self._dek = dek

    def _aad(self, owner_id: str, name: str) -> bytes:
        return f"{owner_id}/{name}".encode("utf-8")

    def put(self, owner_id: str, name: str, data: bytes) -> str:
        rel = f"{owner_id}/{uuid.uuid4().hex}.sealed"
        path = self.directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps(seal(self._dek, data, self._aad(owner_id, name))).encode("ascii")
        tmp = path.with_suffix(".part")
        with open(tmp, "wb") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return rel

    def get(self, rel: str, owner_id: str, name: str) -> bytes:
        path = self.directory / rel
        try:
            box = json.loads(path.read_bytes())
            return unseal(self._dek, box, self._aad(owner_id, name))
        except FileNotFoundError:
            raise EvidenceTampered([f"证据文件 {name} 在本机丢失"], f"{path} missing") from None
        except (InvalidTag, ValueError, KeyError):
            raise EvidenceTampered([f"证据文件 {name} 已损坏或被改动"], f"{path}: unseal failed") from None

    def wipe(self, rel: str) -> None:
        """Overwrite with random bytes, flush, unlink (best effort against recovery from the free space)."""
        path = self.directory / rel
        try:
            size = path.stat().st_size
            with open(path, "r+b") as fh:
                fh.write(os.urandom(size))
                fh.flush()
                os.fsync(fh.fileno())
            path.unlink()
        except FileNotFoundError:
            return
        parent = path.parent
        try:
            if parent != self.directory and not any(parent.iterdir()):
                parent.rmdir()
        except OSError:
            pass

    def reseal(self, rel: str, owner_id: str, name: str, new_dek: bytes) -> None:
        """Re-encrypt a file under a rotated DEK (keystore.rotate_dek), atomically."""
        data = self.get(rel, owner_id, name)
        path = self.directory / rel
        tmp = path.with_suffix(".part")
        tmp.write_bytes(json.dumps(seal(new_dek, data, self._aad(owner_id, name))).encode("ascii"))
        os.replace(tmp, path)


# --- bundles --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EvidenceFile:
    name: str  # unique within the bundle, e.g. person-1.jpg
    kind: str  # person / with_staff / document / signature
    mime_type: str
    data: bytes

    def entry(self) -> dict:
        return {"name": self.name, "kind": self.kind, "mime_type": self.mime_type, "size": len(self.data),
                "sha256": sha256_hex(self.data)}


def bundle_sha256(manifest: dict) -> str:
    return sha256_hex(canonical(manifest))


def make_bundle(signer: TerminalSigner, facts: dict, files: list[EvidenceFile]) -> dict:
    """`facts` is everything the manifest says about the visit; the file list and key id are added here."""
    names = [f.name for f in files]
    if len(names) != len(set(names)):
        raise ValueError("duplicate evidence file names")
    manifest = {"format": FORMAT, **facts, "key_id": signer.key_id, "files": [f.entry() for f in files]}
    return {"manifest": manifest, "signature": signer.sign(canonical(manifest)), "public_key": signer.public_key,
            "files": {f.name: b64(f.data) for f in files}}


@dataclass(frozen=True)
class VerifiedBundle:
    manifest: dict
    sha256: str
    files: dict[str, bytes]


def verify_bundle(bundle: dict, *, public_key: str | None = None) -> VerifiedBundle:
    """Raise EvidenceTampered naming every problem: bad format, a key that is not the registered one, a signature
    that does not match the manifest, a file missing, extra, or differing from its size or SHA-256."""
    problems: list[str] = []
    manifest = bundle.get("manifest")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise EvidenceTampered(["证据包格式不正确"], "bad or missing manifest")
    key = public_key or bundle.get("public_key") or ""
    try:
        key_ok = key_id_of(unb64(key)) == manifest.get("key_id")
    except ValueError:
        key_ok = False
    if not key_ok:
        problems.append("签名密钥与终端登记的密钥不符")
    elif not verify_signature(key, canonical(manifest), str(bundle.get("signature") or "")):
        problems.append("签名无效：清单在签名后被改动")
    raw_files = bundle.get("files") or {}
    files: dict[str, bytes] = {}
    listed = {e.get("name"): e for e in manifest.get("files") or []}
    for name, entry in listed.items():
        if name not in raw_files:
            problems.append(f"缺少文件 {name}")
            continue
        try:
            data = unb64(raw_files[name])
        except ValueError:
            problems.append(f"文件 {name} 编码损坏")
            continue
        if len(data) != entry.get("size") or sha256_hex(data) != entry.get("sha256"):
            problems.append(f"文件 {name} 与清单中的摘要不符（签名后被改动）")
            continue
        files[name] = data
    for name in set(raw_files) - set(listed):
        problems.append(f"清单外的文件 {name}")
    if problems:
        raise EvidenceTampered(problems, f"bundle {manifest.get('visit_id')}: " + "; ".join(problems))
    return VerifiedBundle(manifest, bundle_sha256(manifest), files)
